/**
 * ttng's own threads (the consumer, the daemon listener) are not the application's: a preload
 * given through NODE_OPTIONS (`ttng trace` does that) runs in them too, and they must neither
 * join recording sessions as traced threads (the listener thread would then wait on itself for
 * per-UID event ids). They are started with this marker in their workerData.
 */
import { workerData } from "node:worker_threads";

export const INTERNAL_THREAD = "ttngInternalThread";

/** True in a thread ttng started for itself. */
export function isInternalThread(): boolean {
  return (
    typeof workerData === "object" &&
    workerData !== null &&
    (workerData as Record<string, unknown>)[INTERNAL_THREAD] === true
  );
}
