/**
 * ttng's own threads (the consumer, the daemon listener) are not the application's: a preload
 * given through NODE_OPTIONS (`ttng trace` does that) runs in them too, and they must neither
 * join recording sessions as traced threads (the listener thread would then wait on itself for
 * per-UID event ids). They are started with this marker in their workerData.
 */
import { type MessagePort, Worker, workerData } from "node:worker_threads";

export const INTERNAL_THREAD = "ttngInternalThread";

/** True in a thread ttng started for itself. */
export function isInternalThread(): boolean {
  return (
    typeof workerData === "object" &&
    workerData !== null &&
    (workerData as Record<string, unknown>)[INTERNAL_THREAD] === true
  );
}

/**
 * Starts a recording session's consumer thread (consumer.ts), marked internal and without the
 * app's execArgv (its --input-type, --eval, preloads are not the consumer's). Given a `port`, the
 * consumer talks to its session over it instead of its parent (a consumer the daemon link's
 * thread starts for the main thread's session, daemon-link.ts).
 */
export function startConsumerWorker(port?: MessagePort): Worker {
  return new Worker(new URL("./consumer.js", import.meta.url), {
    execArgv: [],
    workerData: port === undefined ? { [INTERNAL_THREAD]: true } : { [INTERNAL_THREAD]: true, port },
    ...(port === undefined ? {} : { transferList: [port] }),
  });
}
