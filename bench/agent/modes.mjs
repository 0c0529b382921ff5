// The servers the agent benches compare (run.mjs, instructions.mjs): hello-server.cjs with each
// preload, and whether the tracer is built and OpenTelemetry installed.
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
