// Fixture for the control-plane tests: an app instrumented with @ttng/tracer that emits five
// `ctlapp:a {n}` and `ctlapp:b {n, s}` every 2 ms (CTLAPP_PERIOD_MS) until the file named by argv[2] exists
// (or for argv[3] ms), then prints `done <iterations>` and exits 0. It never starts a session
// itself: whatever it records is a session daemon's doing.
import { existsSync } from "node:fs";
import { provider, registration, string, u32 } from "@ttng/tracer";

const p = provider("ctlapp");
const a = p.event("a", { logLevel: "INFO", fields: [u32("n")] });
const b = p.event("b", { logLevel: "DEBUG", fields: [u32("n"), string("s")] });
const stopFile = process.argv[2] ?? "";
const maxMs = Number(process.argv[3] ?? "60000");
const periodMs = Number(process.env.CTLAPP_PERIOD_MS ?? "2");
const t0 = Date.now();
let n = 0;
process.stdout.write(`ready ${process.pid} ${JSON.stringify(registration())}\n`);
const timer = setInterval(() => {
  for (let k = 0; k < 5; k++) {
    a(n);
    b(n, `s${n}`);
    n++;
  }
  if ((stopFile !== "" && existsSync(stopFile)) || Date.now() - t0 > maxMs) {
    clearInterval(timer);
    process.stdout.write(`done ${n}\n`);
  }
}, periodMs);
