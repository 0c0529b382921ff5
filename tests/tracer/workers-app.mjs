// Workers app for tests/tracer-workers.test.mjs. Worker "busy" starts before the session, records
// 100 events, then blocks its thread (it cannot answer the stop request: the consumer must flush
// its open packet remotely). Worker "done" starts after, records 50 events and exits before the
// stop (it flushes at exit). The main thread records 10 events, switches its timer-driven packet,
// and prints the stop result and the thread ids.
//   node tests/tracer/workers-app.mjs OUTPUT
import { isMainThread, parentPort, threadId, Worker, workerData } from "node:worker_threads";
import { provider, s32, sessionReady, startSession } from "@ttng/tracer";

const tick = provider("wk").event("tick", { fields: [s32("v")] });

if (isMainThread) {
  const busy = new Worker(new URL(import.meta.url), { workerData: { role: "busy" } });
  const busyReady = new Promise((r) => busy.once("message", r));
  const session = await startSession({
    output: process.argv[2],
    channels: [{ name: "ch", subbufSize: 4096, numSubbuf: 4, switchTimerUs: 50_000 }],
    contexts: ["vtid", "worker_id"],
  });
  const done = new Worker(new URL(import.meta.url), { workerData: { role: "done" } });
  const doneExit = new Promise((r) => done.once("exit", r));
  const doneTid = done.threadId;
  for (let i = 0; i < 10; i++) tick(i);
  await busyReady;
  await doneExit;
  const result = await session.stop();
  process.stdout.write(`${JSON.stringify({ result, busy: busy.threadId, done: doneTid })}\n`);
  await busy.terminate();
} else {
  if (!(await sessionReady(5000))) throw new Error("no session");
  const n = workerData.role === "busy" ? 100 : 50;
  for (let i = 0; i < n; i++) tick(1000 * threadId + i);
  if (workerData.role === "busy") {
    parentPort.postMessage("emitted");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4000); // busy: no event loop
  }
}
