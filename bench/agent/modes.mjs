// The servers the agent benches compare (run.mjs, instructions.mjs, shared-core.mjs):
// hello-server.cjs with each preload, whether the tracer is built and OpenTelemetry installed,
// and what the benches share: their numeric and list options, a tool on PATH, a process's CPU
// time per thread, quantiles.
import { fork, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const here = new URL(".", import.meta.url).pathname;

/** Exits with a message when the tracer's bundle is missing. */
export function requireTracerBuilt(who) {
  if (!existsSync(join(here, "../../packages/tracer/dist/bundle/agent.js"))) {
    console.error(`${who}: the tracer is not built (npm run build)`);
    process.exit(1);
  }
}

/** OpenTelemetry is installed in bench/agent/node_modules (never a ttng dependency). */
export const haveOtel = existsSync(join(here, "node_modules/@opentelemetry/instrumentation-http"));

/** node arguments and environment of a server preloaded with with-ttng.mjs (TTNG_BENCH_AGENT etc.). */
export const withTtng = (env) => ({ execArgv: ["--import", join(here, "with-ttng.mjs")], ...(env ? { env } : {}) });

/**
 * none, off, ttng (node_http:*: a start and a finish event per request), ttng1 (only
 * node_http:server_response_finish, one event per request carrying the method, url, status code
 * and duration: what an OpenTelemetry span records), then otel when installed.
 */
export const mainModes = [
  { name: "none", execArgv: [] },
  { name: "off", ...withTtng({ TTNG_BENCH_AGENT: "off" }) },
  { name: "ttng", ...withTtng() },
  {
    name: "ttng1",
    ...withTtng({ TTNG_BENCH_EVENTS: "node_http:server_response_finish", TTNG_BENCH_EVENTS_PER_REQUEST: "1" }),
  },
  ...(haveOtel ? [{ name: "otel", execArgv: ["--require", join(here, "with-otel.cjs")] }] : []),
];

/**
 * `--NAME N` from `args` (the default when absent), exiting with a message when N is not a
 * positive number (a positive integer with `integer`).
 */
export function numberOption(who, args, name, dflt, integer = false) {
  const k = args.indexOf(`--${name}`);
  if (k < 0) return dflt;
  const n = Number(args[k + 1]);
  if (!(n > 0) || (integer && !Number.isInteger(n))) {
    console.error(`${who}: --${name} needs a positive ${integer ? "integer" : "number"}`);
    process.exit(2);
  }
  return n;
}

/** `--NAME a,b,c` from `args` as a list, null when absent. */
export function listOption(args, name) {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && k + 1 < args.length ? args[k + 1].split(",") : null;
}

/**
 * Forks hello-server.cjs with `mode`'s preload (its trace, if it records one, under `output`) and
 * waits until it listens: { server, port, next } (`next()`: the server's next IPC message).
 */
export async function forkServer(mode, output) {
  const server = fork(join(here, "hello-server.cjs"), [], {
    execArgv: mode.execArgv,
    env: { ...process.env, ...mode.env, TTNG_BENCH_OUTPUT: output },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = () => new Promise((resolve) => server.once("message", resolve));
  const { port } = await next();
  return { server, port, next };
}

/** Pins every thread of process `pid` to CPU 0 (taskset). */
export const pinToCpu0 = (pid) => spawnSync("taskset", ["-a", "-c", "-p", "0", String(pid)], { stdio: "ignore" });

/** Whether `cmd` is on PATH. */
export const onPath = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

/**
 * CPU time of each thread of a process, from Linux's /proc/PID/task/TID/schedstat (ns on CPU,
 * exact, unlike the 10 ms ticks of getrusage): the main thread apart from the others (the
 * tracer's consumer worker, OpenTelemetry's exporter timer runs on the main thread, V8's GC
 * helpers, libuv's pool). null where /proc is not there.
 */
export function threadCpuNs(pid) {
  try {
    let main = 0;
    let others = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      let ns = 0;
      try {
        ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        continue; // the thread ended meanwhile
      }
      if (Number(tid) === pid) main += ns;
      else others += ns;
    }
    return { main, others };
  } catch {
    return null;
  }
}

/** The q-quantile of `xs` (0.5: the median), interpolated between the two nearest values. */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const at = q * (s.length - 1);
  const lo = Math.floor(at);
  return lo + 1 < s.length ? s[lo] + (at - lo) * (s[lo + 1] - s[lo]) : s[lo];
}
