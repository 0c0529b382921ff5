// Shared by the @ttng/tracer oracle tests (tests/tracer-*.test.mjs) and
// bench/tracer: is the tracer built, a private LTTng session daemon, and the
// masking that makes two traces' babeltrace2 outputs comparable.
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { root } from "../helpers.mjs";

export const tracerDist = join(root, "packages/tracer/dist/bundle/index.js");

/** Why @ttng/tracer cannot be used yet (not built, or an empty package), or undefined when it can. */
export async function tracerUnavailable() {
  if (!existsSync(tracerDist)) return `@ttng/tracer is not built (${tracerDist} is missing; run npm run build)`;
  let m;
  try {
    m = await import(pathToFileURL(tracerDist).href);
  } catch (e) {
    return `@ttng/tracer is not built: cannot import ${tracerDist}: ${e.message}`;
  }
  const missing = ["provider", "startSession", "u32", "string"].filter((name) => typeof m[name] !== "function");
  if (missing.length > 0) {
    return `@ttng/tracer is not built yet: packages/tracer/dist/bundle/index.js exports no ${missing.join(", ")}`;
  }
  return undefined;
}

/**
 * `test()` skip value: false when everything is here; a reason outside CI;
 * in CI (CI=true) false as well, so that the test runs and fails with the reason.
 */
export function skipOrFail(reason) {
  if (reason === undefined || process.env.CI === "true") return false;
  return reason;
}

export function have(tool) {
  return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

/** Missing oracle tools (and root, needed for private mount namespaces), as one sentence, or undefined. */
export function oracleUnavailable(tools) {
  const missing = [...tools, "unshare"].filter((t) => !have(t));
  if (missing.length > 0)
    return `${missing.join(", ")} not installed (apt-get install lttng-tools liblttng-ust-dev babeltrace2 gcc)`;
  if (process.getuid?.() !== 0) return "needs root (private mount namespace for lttng-sessiond and tmpfs)";
  return undefined;
}

export function shq(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs `body` (sh) in a private mount namespace: own tmpfs on /var/run/lttng
 * and /dev/shm, HOME and LTTNG_HOME in `dir`, and, with `sessiond`, a private
 * lttng-sessiond stopped by its pid at the end. Returns spawnSync's result.
 */
export function inPrivateNamespace(dir, body, { sessiond = true, timeoutMs = 120_000 } = {}) {
  const script = `set -u
mkdir -p /var/run/lttng
mount -t tmpfs none /var/run/lttng || exit 90
mount -t tmpfs none /dev/shm || exit 91
export HOME=${shq(dir)} LTTNG_HOME=${shq(dir)}
${sessiond ? `lttng-sessiond --daemonize --no-kernel >${shq(join(dir, "sessiond.log"))} 2>&1 || exit 92\nSESSIOND_PID=$(cat /var/run/lttng/lttng-sessiond.pid)` : "SESSIOND_PID="}
( ${body}
) ; status=$?
[ -n "$SESSIOND_PID" ] && kill "$SESSIOND_PID" 2>/dev/null
exit $status
`;
  const file = join(dir, `script-${Date.now()}-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, script);
  return spawnSync("unshare", ["--mount", "--propagation", "private", "sh", file], {
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 1 << 28,
  });
}

/**
 * babeltrace2's text output with what legitimately differs between two
 * recordings masked: timestamps, deltas, trace names (they hold procname, pid
 * and date), hostnames, procnames, vpid/vtid/pid values, cpu_id, and
 * tracelog's call site (line, file, func).
 * Works for the default fields and for --fields=all.
 */
export function maskPretty(text) {
  return text
    .split("\n")
    .map((line) =>
      line
        .replace(/^\[[^\]]*\] \(\+[^)]*\) /, "[TIME] (+DELTA) ")
        // --fields=all: trace name (<host>/ust/pid/<procname>-<pid>-<date>-<time>) glued to the hostname.
        .replace(/^(\[TIME\] \(\+DELTA\) )\S*?\/ust\/pid\/\S+?-\d+-\d{8}-\d{6}/, "$1TRACE ")
        // hostname[:domain]:procname:(vpid)
        .replace(/^(\[TIME\] \(\+DELTA\) (?:TRACE )?)[^: ]+:(ust:)?[^: ]*:\(\d+\)/, "$1HOST:$2PROC:(PID)")
        .replace(/\bcpu_id = \d+/g, "cpu_id = N")
        .replace(/\b(vpid|vtid|pid|tid|pthread_id) = \d+/g, "$1 = N")
        .replace(/\bprocname = "[^"]*"/g, 'procname = "P"')
        // tracelog's call site: a C file and function against a JavaScript one.
        .replace(/\{ line = \d+, file = "[^"]*", func = "[^"]*", /, '{ line = N, file = "F", func = "F", '),
    )
    .join("\n");
}
