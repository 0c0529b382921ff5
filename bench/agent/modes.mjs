// The servers the agent benches compare (run.mjs, instructions.mjs, shared-core.mjs):
// hello-server.cjs with each preload, whether the tracer is built and OpenTelemetry installed,
// and the benches' numeric and list options.
import { existsSync } from "node:fs";
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
