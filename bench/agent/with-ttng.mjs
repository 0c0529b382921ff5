// `node --import` preload for the "ttng" run: the Node agent recording every request
// (node_http:*, two events per request) in an in-process session, as `ttng trace` would with
// `enable-event -u 'node_http:*'`; TTNG_BENCH_EVENTS names other events, and
// TTNG_BENCH_EVENTS_PER_REQUEST how many of them a request records. On the bench's "stop"
// message it stops the session and reports what was recorded, so the bench can check that
// every request was.
// TTNG_BENCH_AGENT=off: the agent is loaded but no session enables anything (what an app
// preloaded by `ttng trace` costs while nothing is traced).
// TTNG_BENCH_AGENT=toggle: no session at first; the bench's "on" message starts one and "off"
// stops it (replying once done), so one server process is measured with and without recording.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSession } from "@ttng/tracer";
import { installAgent } from "@ttng/tracer/agent";

installAgent();
const mode = process.env.TTNG_BENCH_AGENT ?? "on";
const output = process.env.TTNG_BENCH_OUTPUT ?? mkdtempSync(join(tmpdir(), "ttng-bench-agent-"));
const start = () =>
  startSession({
    output,
    // TTNG_BENCH_EVENTS: the bench's diagnostic "session" run records an event that never
    // fires here, to show what a session costs without per-request work.
    events: [{ name: process.env.TTNG_BENCH_EVENTS ?? "node_http:*" }],
    channels: [{ name: "channel0", subbufSize: 262144, numSubbuf: 4 }],
  });
let session = mode === "on" ? await start() : null;
const total = { recorded: 0, discarded: 0, errors: [] };
async function stopSession() {
  if (session === null) return;
  const r = await session.stop();
  session = null;
  total.recorded += r.recordedEvents / Number(process.env.TTNG_BENCH_EVENTS_PER_REQUEST ?? 2);
  total.discarded += r.discardedEvents;
  total.errors.push(...r.errors);
}
process.on("message", async (m) => {
  if (m === "on" && mode === "toggle") {
    if (session === null) session = await start();
    process.send({ toggled: "on" });
  } else if (m === "off" && mode === "toggle") {
    await stopSession();
    process.send({ toggled: "off" });
  } else if (m === "stop") {
    await stopSession();
    process.send(total);
    process.exit(0);
  }
});
