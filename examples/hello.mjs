#!/usr/bin/env node
// A tiny app instrumented with @ttng/tracer: declare tracepoints and record a few events.
// Under a session daemon (`ttng trace -- node examples/hello.mjs`, or a session started with
// `ttng create/enable-event/start`) the daemon's session records them. Run alone, it records
// into an in-process session (no daemon), stops, and prints the trace directory. Read it with
//   babeltrace2 <path>     or     node packages/cli/dist/bin/ttng.js view <path>
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { enumeration, f64, provider, registration, startSession, string, tracef, u32 } from "@ttng/tracer";

const app = provider("hello");
const request = app.event("request", {
  logLevel: "INFO",
  fields: [u32("status"), f64("duration_ms"), string("path")],
});
const state = app.event("state", {
  fields: [enumeration("state", { IDLE: 0, BUSY: [1, 9] })],
});

// A daemon's session already records this process: no in-process session then.
const session = registration().recording
  ? null
  : await startSession({
      output: process.argv[2] ?? mkdtempSync(join(tmpdir(), "ttng-hello-")),
      contexts: ["vpid", "vtid", "procname"],
    });

state(0);
for (let i = 0; i < 5; i++) {
  state(1 + i);
  request(200 + i, 12.5 * i, `/index/${i}`);
}
tracef("done after %d requests", 5);
state(0);

if (session !== null) {
  const { path, discardedEvents } = await session.stop();
  console.log(path);
  if (discardedEvents > 0) console.error(`${discardedEvents} events discarded`);
}
