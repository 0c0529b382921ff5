// Root's daemon under /var/run/ttng, used by members of the `tracing` group, as LTTng's root
// sessiond is: run in a private mount namespace (its own tmpfs on /var/run/ttng) so nothing on
// the machine is touched; a member (uid 65534 with the tracing gid) creates a session in root's
// daemon, a non-member falls back to its own (absent) daemon.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { haveTool, root, skipReason } from "./helpers.mjs";
import { sessiondBin } from "./lib/control.mjs";

const tools = ["unshare", "setpriv", "getent"];
const missing = tools.filter((t) => !haveTool(t));
const tracingGid = Number(spawnSync("getent", ["group", "tracing"], { encoding: "utf8" }).stdout.split(":")[2]);
const canRun = missing.length === 0 && process.getuid() === 0 && Number.isInteger(tracingGid);
const skip = canRun
  ? false
  : skipReason(missing.length > 0 ? missing.join(", ") : "root and a `tracing` group (private mount namespace)");

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

test("root's daemon in /var/run/ttng serves members of the tracing group only", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "ttng-root-"));
  chmodSync(dir, 0o755);
  // The mount point is made on the real file system (empty); removed after if we made it.
  const hadRunDir = existsSync("/var/run/ttng");
  try {
    const ttng = `${q(process.execPath)} ${q(join(root, "packages/cli/dist/bin/ttng.js"))}`;
    const user = (groups) => `setpriv --reuid=65534 --regid=65534 ${groups} env -u TTNG_HOME HOME=${q(join(dir, "u"))}`;
    writeFileSync(
      join(dir, "t.sh"),
      `set -u
mkdir -p /var/run/ttng ${q(join(dir, "u"))} && chown 65534:65534 ${q(join(dir, "u"))}
mount -t tmpfs none /var/run/ttng || exit 90
unset TTNG_HOME
export HOME=${q(dir)}
${q(process.execPath)} ${q(sessiondBin)} --daemonize || exit 91
echo "socket $(stat -c '%a %G' /var/run/ttng/client-ttng-sessiond)"
echo "app-socket $(stat -c '%a' /var/run/ttng/app-ttng-sessiond)"
${user(`--groups=${tracingGid}`)} ${ttng} create grp -o ${q(join(dir, "u", "out"))}; echo "member $?"
${user("--clear-groups")} ${ttng} list; echo "non-member $?"
${ttng} list; echo "root $?"
kill $(cat /var/run/ttng/ttng-sessiond.pid)
`,
    );
    const r = spawnSync("unshare", ["--mount", "bash", join(dir, "t.sh")], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^socket 660 tracing$/m);
    assert.match(r.stdout, /^app-socket 666$/m);
    assert.match(r.stdout, /Session grp created\.\n[\s\S]*^member 0$/m);
    assert.match(r.stdout, /^non-member 1$/m);
    assert.match(r.stderr, /Error: No session daemon is available/);
    assert.match(r.stdout, /1\) grp \[inactive\][\s\S]*^root 0$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (!hadRunDir) spawnSync("rmdir", ["/var/run/ttng"]);
  }
});
