// App of tests/tracer-workers.test.mjs: 4 workers join a session, record 10 events each, tell
// the main thread through shared memory and block. The main thread, blocked until then, calls
// stop() with the workers' rings and "joined" messages still queued on the BroadcastChannel:
// stop() must wait for them (the workers count themselves in the session's control words), or
// their streams are lost. Prints the stream count and the events recorded.
//   node tests/tracer/workers-late-app.mjs OUTPUT
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { provider, s32, sessionReady, startSession } from "@ttng/tracer";
const tick = provider("wk").event("tick", { fields: [s32("v")] });
const N = 4;
if (isMainThread) {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const ws = [];
  for (let k = 0; k < N; k++) ws.push(new Worker(new URL(import.meta.url), { workerData: { flag } }));
  await Promise.all(ws.map((w) => new Promise((r) => w.once("message", r))));
  const session = await startSession({
    output: process.argv[2],
    channels: [{ name: "ch", subbufSize: 4096, numSubbuf: 4 }],
  });
  // Block this thread until every worker has joined, recorded and told us: then all their
  // messages wait in the queues together.
  while (Atomics.load(flag, 0) < N) Atomics.wait(flag, 0, Atomics.load(flag, 0), 50);
  const result = await session.stop();
  process.stdout.write(`${JSON.stringify({ streams: result.streams, errors: result.errors })}\n`);
  for (const w of ws) await w.terminate();
} else {
  parentPort.postMessage("up");
  if (!(await sessionReady(5000))) throw new Error("no session");
  for (let i = 0; i < 10; i++) tick(i);
  Atomics.add(workerData.flag, 0, 1);
  Atomics.notify(workerData.flag, 0);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);
}
