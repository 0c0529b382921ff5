// Runs command sequences with the installed `lttng` 2.13 against a private
// lttng-sessiond: its own mount namespace (tmpfs on /var/run/lttng and
// /dev/shm) and its own HOME/LTTNG_HOME, so nothing leaks to or from the
// machine's real LTTng. Used by the control-command oracle tests.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/**
 * Runs each argument vector as `lttng ARGS...` in order, in one private
 * session daemon's lifetime. `home` is the HOME/LTTNG_HOME directory (it must
 * exist). Entries may also be `{ sh: "shell text" }` for setup steps.
 * `sessiond: false` runs without any session daemon.
 * Returns one `{ status, stdout, stderr }` per entry.
 */
export function runLttng(home, steps, { timeoutMs = 60_000, sessiond = true } = {}) {
  const out = join(home, ".oracle");
  mkdirSync(out, { recursive: true });
  let body = "";
  steps.forEach((s, i) => {
    const cmd = Array.isArray(s) ? `lttng ${s.map(q).join(" ")}` : s.sh;
    body += `${cmd} >${q(join(out, `${i}.out`))} 2>${q(join(out, `${i}.err`))} </dev/null; echo $? >${q(join(out, `${i}.rc`))}\n`;
  });
  const script = `set -u
mkdir -p /var/run/lttng
mount -t tmpfs none /var/run/lttng || exit 90
mount -t tmpfs none /dev/shm || exit 91
export HOME=${q(home)} LTTNG_HOME=${q(home)}
unset LTTNG_SESSION_CONFIG_XSD_PATH
${sessiond ? `lttng-sessiond --daemonize --no-kernel >${q(join(out, "sessiond.log"))} 2>&1 || exit 92` : ""}
cd ${q(home)}
${body}
[ -f /var/run/lttng/lttng-sessiond.pid ] && kill $(cat /var/run/lttng/lttng-sessiond.pid) 2>/dev/null
exit 0
`;
  writeFileSync(join(out, "script.sh"), script);
  const r = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", join(out, "script.sh")], {
    encoding: "utf8",
    timeout: timeoutMs,
    env: { ...process.env, TZ: "UTC", LANG: "C" },
  });
  if (r.status !== 0) throw new Error(`private lttng-sessiond script failed (${r.status}): ${r.stderr}`);
  return steps.map((_, i) => ({
    status: Number(readFileSync(join(out, `${i}.rc`), "utf8").trim()),
    stdout: readFileSync(join(out, `${i}.out`), "utf8"),
    stderr: readFileSync(join(out, `${i}.err`), "utf8"),
  }));
}
