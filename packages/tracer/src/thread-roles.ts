/**
 * How the tracer's own threads (the daemon link's listener, link-worker.ts, and a session's
 * consumer, consumer.ts) are told apart from the app's worker threads: a `--import` given
 * through NODE_OPTIONS (what `ttng trace` does) also runs in them, and what it loads must not
 * record events there. The Node agent in the link's thread would ask this very thread for its
 * events' per-UID ids (a wait until the timeout, then the ids are lost for the whole process);
 * in any of them it would only add subscriptions and id requests. A module of its own because
 * link-worker.ts and consumer.ts run when imported.
 */
import { isMainThread, workerData } from "node:worker_threads";

export const LINK_WORKER_ROLE = "ttng-daemon-link";
export const CONSUMER_ROLE = "ttng-consumer";

/** Whether this thread is one of the tracer's own (not the app's). */
export function isTracerThread(): boolean {
  if (isMainThread || typeof workerData !== "object" || workerData === null) return false;
  const role = (workerData as { role?: unknown }).role;
  return role === LINK_WORKER_ROLE || role === CONSUMER_ROLE;
}
