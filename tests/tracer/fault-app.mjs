// A traced Node app for tests/tracer-faults.test.mjs. It records bursts of
// events into a per-PID @ttng/tracer session and prints "heartbeat N" after
// each burst, so that the test sees it keep running through a fault.
//
// usage: node fault-app.mjs OUTPUT_DIR MODE HEARTBEATS
//   MODE kill-consumer  once the consumer has written a packet of events (from
//                       heartbeat 3 on), terminate the tracer's consumer
//                       worker(s): every worker_threads Worker created by the
//                       tracer, caught by wrapping the Worker class before the
//                       tracer is imported (the tracer exposes no hook yet);
//                       then HEARTBEATS more heartbeats
//   MODE disk-full      nothing special: the test puts OUTPUT_DIR on a tiny tmpfs
//   MODE forever        HEARTBEATS is ignored; runs until killed
// Exits 0 after HEARTBEATS heartbeats and session.stop(), printing stop()'s
// result as JSON; 3 when no consumer worker was found to kill, 5 when the
// consumer wrote no packet in 400 heartbeats; 4 when stop() rejected.
import { readdirSync, statSync } from "node:fs";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";

const [output, mode, heartbeatsText] = process.argv.slice(2);
let heartbeats = mode === "forever" || mode === "kill-consumer" ? Number.POSITIVE_INFINITY : Number(heartbeatsText);

/** True when a data stream file under `dir` holds bytes (not counting metadata and index files). */
function packetWritten(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) {
      if (name !== "index" && packetWritten(p)) return true;
    } else if (name !== "metadata" && st.size > 0) return true;
  }
  return false;
}

// Every Worker constructed from now on (the tracer's consumer among them).
const workers = [];
const workerThreads = createRequire(import.meta.url)("node:worker_threads");
const OriginalWorker = workerThreads.Worker;
workerThreads.Worker = class CapturedWorker extends OriginalWorker {
  constructor(...args) {
    super(...args);
    workers.push(this);
  }
};
syncBuiltinESMExports();

const tracerUrl = pathToFileURL(new URL("../../packages/tracer/dist/bundle/index.js", import.meta.url).pathname).href;
const { provider, u32, u64, f64, string, startSession } = await import(tracerUrl);

const fault = provider("ttng_fault");
const burst = fault.event("burst", {
  logLevel: "INFO",
  fields: [u32("heartbeat"), u64("seq"), f64("ratio"), string("text")],
});
const beat = fault.event("heartbeat", { fields: [u32("n")] });

const session = await startSession({
  output,
  channels: [{ name: "c", subbufSize: 16384, numSubbuf: 4, mode: "discard", switchTimerUs: 50_000 }],
  events: [{ name: "ttng_fault:*", channel: "c" }],
  contexts: ["vpid", "vtid", "procname"],
});

const TEXT = "a line of text long enough that a few thousand events fill several sub-buffers";
let seq = 0;
for (let n = 1; n <= heartbeats; n++) {
  for (let i = 0; i < 2000; i++) {
    burst(n, seq, seq / 7, TEXT);
    seq++;
  }
  beat(n);
  console.log(`heartbeat ${n}`);
  if (mode === "kill-consumer" && heartbeats === Number.POSITIVE_INFINITY && n >= 3 && packetWritten(output)) {
    if (workers.length === 0) {
      console.log("no consumer worker found: the tracer created no worker_threads Worker");
      process.exit(3);
    }
    await Promise.all(workers.map((w) => w.terminate()));
    console.log(
      `consumer killed at heartbeat ${n} (${workers.length} worker${workers.length === 1 ? "" : "s"} terminated)`,
    );
    heartbeats = n + Number(heartbeatsText);
  }
  if (mode === "kill-consumer" && heartbeats === Number.POSITIVE_INFINITY && n >= 400) {
    console.log("the consumer wrote no packet in 400 heartbeats");
    process.exit(5);
  }
  await sleep(20);
}
try {
  const result = await session.stop();
  console.log(JSON.stringify(result));
} catch (e) {
  console.log(`session.stop() rejected: ${e?.stack ?? e}`);
  process.exit(4);
}
