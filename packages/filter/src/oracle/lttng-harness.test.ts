/**
 * Test helper (named `.test.ts` so it may use node:*; it defines no tests):
 * runs real LTTng 2.13 tools against a private lttng-sessiond.
 *
 * As root, lttng-sessiond always uses /var/run/lttng, so every run happens in
 * a private mount namespace with its own tmpfs on /var/run/lttng and /dev/shm
 * and its own HOME: parallel test files never share sockets or ~/.lttngrc.
 * The daemon is stopped by pid at the end of the script.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Why the oracle cannot run here, or undefined when it can. */
export function oracleUnavailable(tools: string[] = ["lttng", "lttng-sessiond"]): string | undefined {
  for (const tool of [...tools, "unshare"]) {
    const r = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
    if (r.status !== 0) return `${tool} is not installed`;
  }
  if (process.getuid?.() !== 0) return "needs root for a private mount namespace";
  return undefined;
}

/**
 * `test()` options: skip with a reason outside CI; in CI (CI=true) a missing
 * tool is a failure, so the caller gets `undefined` and the test runs and fails.
 */
export function skipUnlessOracle(tools?: string[]): { skip?: string } {
  const why = oracleUnavailable(tools);
  if (why === undefined || process.env["CI"] === "true") return {};
  return { skip: `LTTng oracle unavailable: ${why}` };
}

/** Single-quotes `s` for sh. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  status: number;
}

export interface PrivateLttng {
  /** Scratch directory (also HOME inside the namespace). */
  dir: string;
  /**
   * Runs `body` (sh) with a private sessiond up; `run N cmd...` inside the body
   * records the command's stdout/stderr/status as result N.
   */
  run(body: string, timeoutMs?: number): { results: Map<number, CommandResult>; log: string };
  cleanup(): void;
}

export function privateLttng(): PrivateLttng {
  const dir = mkdtempSync(join(tmpdir(), "ttng-filter-oracle-"));
  return {
    dir,
    run(body, timeoutMs = 170_000) {
      const script = `set -u
mkdir -p /var/run/lttng
mount -t tmpfs none /var/run/lttng || exit 90
mount -t tmpfs none /dev/shm || exit 91
export HOME=${shq(dir)} LTTNG_HOME=${shq(dir)}
mkdir -p ${shq(dir)}/out
run() { n=$1; shift; "$@" >${shq(dir)}/out/$n.stdout 2>${shq(dir)}/out/$n.stderr; echo $? >${shq(dir)}/out/$n.status; }
lttng-sessiond --daemonize --no-kernel >${shq(dir)}/sessiond.log 2>&1 || exit 92
SESSIOND_PID=$(cat /var/run/lttng/lttng-sessiond.pid 2>/dev/null)
${body}
[ -n "$SESSIOND_PID" ] && kill "$SESSIOND_PID" 2>/dev/null
exit 0
`;
      writeFileSync(join(dir, "script.sh"), script);
      const r = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", join(dir, "script.sh")], {
        encoding: "utf8",
        timeout: timeoutMs,
      });
      if (r.status !== 0) {
        throw new Error(`private lttng run failed (status ${r.status}): ${r.stderr}\n${r.error ?? ""}`);
      }
      const results = new Map<number, CommandResult>();
      const out = join(dir, "out");
      for (let n = 0; ; n++) {
        let status: string;
        try {
          status = readFileSync(join(out, `${n}.status`), "utf8");
        } catch {
          if (n > 0) break;
          continue;
        }
        results.set(n, {
          stdout: readFileSync(join(out, `${n}.stdout`), "utf8"),
          stderr: readFileSync(join(out, `${n}.stderr`), "utf8"),
          status: Number.parseInt(status, 10),
        });
      }
      return { results, log: r.stdout + r.stderr };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
