// Real LTTng-UST 2.13 traces, recorded here by the installed lttng-tools from
// a C application using every lttng_ust_field_* macro (tests/lttng/tp.h):
// `ttng view --compat=2.0` must print what babeltrace2 2.0.4 prints, bytes
// and warnings, for per-UID and per-PID buffers, discard and overwrite modes,
// tracefile rotation, session rotation and snapshots. The session daemon runs
// in a private mount namespace (its own /var/run/lttng, /dev/shm and HOME).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { haveTool, root, run, skipReason, ttng } from "./helpers.mjs";

const tools = ["lttng", "lttng-sessiond", "babeltrace2", "gcc", "unshare"];
const missing = tools.filter((t) => !haveTool(t));
const canRun = missing.length === 0 && process.getuid?.() === 0;
const skip = canRun
  ? false
  : skipReason(missing.length > 0 ? `${missing.join(", ")}` : "root (private mount namespace)");

let dir;
const SESSIONS = {
  uid: "per-UID buffers, discard mode, small sub-buffers, contexts",
  pid: "per-PID buffers, tracefile rotation (size and count)",
  overwrite: "overwrite mode with tiny buffers (lost packets)",
  rotation: "session rotation: two trace chunks",
  snapshot: "snapshot session, snapshot record",
};

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

before(() => {
  if (!canRun) return;
  dir = mkdtempSync(join(tmpdir(), "ttng-lttng-real-"));
  cpSync(join(root, "tests/lttng/tp.h"), join(dir, "tp.h"));
  cpSync(join(root, "tests/lttng/app.c"), join(dir, "app.c"));
  const cc = spawnSync(
    "gcc",
    ["-O1", "-I", dir, "-o", join(dir, "app"), join(dir, "app.c"), "-llttng-ust", "-ldl", "-lpthread"],
    {
      encoding: "utf8",
    },
  );
  assert.equal(cc.status, 0, cc.stderr);
  const t = (name) => q(join(dir, "traces", name));
  const app = (n) => `${q(join(dir, "app"))} ${n}`;
  const script = `set -u
mkdir -p /var/run/lttng
mount -t tmpfs none /var/run/lttng || exit 90
mount -t tmpfs none /dev/shm || exit 91
export HOME=${q(dir)} LTTNG_HOME=${q(dir)}
lttng-sessiond --daemonize --no-kernel >${q(dir)}/sessiond.log 2>&1 || exit 92
L() { lttng "$@" >>${q(dir)}/lttng.log 2>&1; }
L create uid --output=${t("uid")}
L enable-channel -u -s uid --subbuf-size=4096 --num-subbuf=2 c
L enable-event -u -s uid -c c 'ttng_real:*'
L add-context -u -s uid -c c -t vpid -t vtid -t procname
L start uid
L create pid --output=${t("pid")}
L enable-channel -u -s pid --buffers-pid --subbuf-size=4096 --num-subbuf=4 --tracefile-size=8192 --tracefile-count=3 c
L enable-event -u -s pid -c c 'ttng_real:everything'
L start pid
L create overwrite --output=${t("overwrite")}
L enable-channel -u -s overwrite --overwrite --subbuf-size=4096 --num-subbuf=2 c
L enable-event -u -s overwrite -c c -a
L start overwrite
L create rotation --output=${t("rotation")}
L enable-event -u -s rotation 'ttng_real:small' --loglevel=TRACE_DEBUG
L start rotation
L create snapshot --snapshot --output=${t("snapshot")}
L enable-event -u -s snapshot 'ttng_real:*'
L start snapshot
${app(300)}
L rotate rotation
${app(50)}
L snapshot record -s snapshot
L destroy -a
kill $(cat /var/run/lttng/lttng-sessiond.pid) 2>/dev/null
exit 0
`;
  writeFileSync(join(dir, "script.sh"), script);
  const r = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", join(dir, "script.sh")], {
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `lttng script failed: ${r.stderr}`);
});

after(() => {
  if (dir && !process.env.TTNG_KEEP) rmSync(dir, { recursive: true, force: true });
});

function warnings(text) {
  return text
    .split("\n")
    .filter((l) => l.startsWith("WARNING:"))
    .join("\n");
}

for (const [name, what] of Object.entries(SESSIONS)) {
  test(`real LTTng trace (${what}): ttng view equals babeltrace2`, { skip }, () => {
    const trace = join(dir, "traces", name);
    assert.ok(readdirSync(trace).length > 0, "lttng wrote a trace");
    const ref = run("babeltrace2", [trace]);
    const got = ttng(["view", "--compat=2.0", trace]);
    assert.equal(got.status, ref.status, got.stderr);
    assert.ok(ref.stdout.length > 0, "babeltrace2 printed events");
    assert.equal(got.stdout, ref.stdout);
    assert.equal(warnings(got.stderr), warnings(ref.stderr));
  });
}
