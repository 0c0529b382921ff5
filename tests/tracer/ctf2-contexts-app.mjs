// App for tests/ctf2-write-tracer.test.mjs: records the same events with every context kind
// (vpid, vtid, procname, pthread_id, worker_id, an app context of each type), an enumeration,
// a float, a log level, into an in-process session of the given trace format, then prints the
// session result as one JSON line.
//   node tests/tracer/ctf2-contexts-app.mjs OUTPUT_DIR ctf-1.8|ctf-2
import * as T from "@ttng/tracer";

const [output, traceFormat] = process.argv.slice(2);
const prov = T.provider("ctx2");
const tp = prov.event("ev", {
  logLevel: "WARNING",
  fields: [T.s32("i"), T.f64("d"), T.enumeration("e", { A: 0, B: [1, 3] }), T.string("s"), T.sequence("q", T.u16("x"))],
});
let n = 0;
const session = await T.startSession({
  output,
  traceFormat,
  contexts: ["vpid", "vtid", "procname", "pthread_id", "worker_id", "$app.kind"],
  // Each event gets the next dynamic type: none (undefined), int64, double, string.
  appContexts: { kind: () => [undefined, 7n, 2.5, "text"][n % 4] },
});
for (n = 0; n < 8; n++) tp(n, n / 3, n % 4, `s${n}`, [n, n + 1]);
process.stdout.write(`${JSON.stringify(await session.stop())}\n`);
