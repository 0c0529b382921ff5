// Fixture: the main thread and two worker_threads workers each emit `ctlwork:tick {thread, n}`
// 20 times (workers after `sessionReady()`), then the process exits.
import { isMainThread, threadId, Worker } from "node:worker_threads";
import { provider, sessionReady, u32 } from "@ttng/tracer";

const tick = provider("ctlwork").event("tick", { fields: [u32("thread"), u32("n")] });
if (isMainThread) {
  const workers = [0, 1].map(() => new Worker(new URL(import.meta.url)));
  for (let n = 0; n < 20; n++) tick(0, n);
  await Promise.all(workers.map((w) => new Promise((r) => w.once("exit", r))));
} else {
  await sessionReady();
  for (let n = 0; n < 20; n++) tick(threadId, n);
}
