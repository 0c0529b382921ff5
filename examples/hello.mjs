#!/usr/bin/env node
// A tiny app instrumented with @ttng/tracer: declare tracepoints, record a few events in an
// in-process session (no daemon), stop, print the trace directory. Read it with
//   babeltrace2 <path>     or     node packages/cli/dist/bin/ttng.js view <path>
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { enumeration, f64, provider, startSession, string, tracef, u32 } from "@ttng/tracer";

const app = provider("hello");
const request = app.event("request", {
  logLevel: "INFO",
  fields: [u32("status"), f64("duration_ms"), string("path")],
});
const state = app.event("state", {
  fields: [enumeration("state", { IDLE: 0, BUSY: [1, 9] })],
});

const output = process.argv[2] ?? mkdtempSync(join(tmpdir(), "ttng-hello-"));
const session = await startSession({ output, contexts: ["vpid", "vtid", "procname"] });

state(0);
for (let i = 0; i < 5; i++) {
  state(1 + i);
  request(200 + i, 12.5 * i, `/index/${i}`);
}
tracef("done after %d requests", 5);
state(0);

const { path, discardedEvents } = await session.stop();
console.log(path);
if (discardedEvents > 0) console.error(`${discardedEvents} events discarded`);
