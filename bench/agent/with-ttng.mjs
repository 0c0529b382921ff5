// `node --import` preload for the "ttng" run: the Node agent recording every request
// (node_http:*, two events per request) in an in-process session, as `ttng trace` would with
// `enable-event -u 'node_http:*'`. On the bench's "stop" message it stops the session and
// reports what was recorded, so the bench can check that every request was.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSession } from "../../packages/tracer/dist/index.js";
import { installAgent } from "../../packages/tracer/dist/agent/index.js";

installAgent();
// TTNG_BENCH_AGENT=off: the agent is loaded but no session enables anything (what an app
// preloaded by `ttng trace` costs while nothing is traced).
const off = process.env.TTNG_BENCH_AGENT === "off";
const output = process.env.TTNG_BENCH_OUTPUT ?? mkdtempSync(join(tmpdir(), "ttng-bench-agent-"));
const session = off
  ? null
  : await startSession({
      output,
      // TTNG_BENCH_EVENTS: the bench's diagnostic "session" run records an event that never
      // fires here, to show what a session costs without per-request work.
      events: [{ name: process.env.TTNG_BENCH_EVENTS ?? "node_http:*" }],
      channels: [{ name: "channel0", subbufSize: 262144, numSubbuf: 4 }],
    });
process.on("message", async (m) => {
  if (m !== "stop") return;
  const r = session === null ? { recordedEvents: 0, discardedEvents: 0, errors: [] } : await session.stop();
  process.send({ recorded: r.recordedEvents / 2, discarded: r.discardedEvents, errors: r.errors });
  process.exit(0);
});
