// Contexts in daemon sessions: `add-context -u -t TYPE` of every type ttng's tracer records
// (ids, namespaces, vpid/vtid/procname/pthread_id) lands in per-UID and per-PID traces with the
// running app's values, read back identically by babeltrace2 and `ttng view`, declared with
// LTTng-UST's types in the metadata (the daemon's, per-UID); types a Node.js process cannot read
// (ip, perf counters) are refused at add-context.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { haveTool, skipReason } from "./helpers.mjs";
import { babeltrace, filesUnder, Home, sleep } from "./lib/control.mjs";

const skip = haveTool("babeltrace2") ? false : skipReason("babeltrace2");
const IDS = ["vuid", "veuid", "vsuid", "vgid", "vegid", "vsgid"];
const NS = ["cgroup_ns", "ipc_ns", "mnt_ns", "net_ns", "pid_ns", "time_ns", "user_ns", "uts_ns"];
const TYPES = ["vpid", "vtid", "procname", "pthread_id", ...IDS, ...NS];

/** What /proc says about `pid`: each context's expected value. */
function expected(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const ids = (k) =>
    /^\w+:\s+(\d+)\s+(\d+)\s+(\d+)/m
      .exec(status.split("\n").find((l) => l.startsWith(`${k}:`)))
      ?.slice(1)
      .map(Number);
  const [ruid, euid, suid] = ids("Uid");
  const [rgid, egid, sgid] = ids("Gid");
  const want = { vpid: pid, vtid: pid, vuid: ruid, veuid: euid, vsuid: suid, vgid: rgid, vegid: egid, vsgid: sgid };
  for (const n of NS) {
    try {
      want[n] = statSync(`/proc/${pid}/ns/${n.slice(0, -3)}`).ino;
    } catch {
      want[n] = 0; // that namespace kind is not in this kernel: LTTng-UST's "unavailable"
    }
  }
  return want;
}

test("add-context -u: every recorded context type, per-UID and per-PID, with the app's values", { skip }, async () => {
  const home = new Home();
  try {
    const app = await home.app();
    home.startDaemon();
    await home.waitRegistered(app.pid);
    const want = expected(app.pid);

    // What the tracer cannot read is refused, clearly, and the session is unchanged.
    home.ok("create", "refuse", "--no-output");
    for (const t of ["ip", "perf:thread:cycles"]) {
      const r = home.ttng("add-context", "-u", "-t", t);
      assert.equal(r.status, 4, r.stderr);
      assert.match(r.stderr, new RegExp(`^Error: ${t}: Context ${t} is not built yet in ttng-sessiond`));
    }
    home.ok("destroy", "refuse");

    for (const pidBuffers of [false, true]) {
      const name = pidBuffers ? "ctx-pid" : "ctx-uid";
      const out = home.ok("create", name);
      const base = /Traces will be (?:output|written) to (\S+)/.exec(out)[1];
      home.ok("enable-channel", "-u", ...(pidBuffers ? ["--buffers-pid"] : []), "ch");
      home.ok("enable-event", "-u", "ctlapp:a", "-c", "ch");
      const added = home.ok("add-context", "-u", ...TYPES.flatMap((t) => ["-t", t]));
      assert.equal(added, TYPES.map((t) => `ust context ${t} added to all channels\n`).join(""));
      home.ok("start");
      await sleep(300);
      home.ok("stop");
      home.ok("destroy");

      const meta = filesUnder(base).find((f) => f.endsWith("/metadata"));
      assert.ok(meta, filesUnder(base).join(" "));
      const dump = spawnSync("babeltrace2", ["-o", "ctf-metadata", join(base, meta, "..")], { encoding: "utf8" });
      assert.equal(dump.status, 0, dump.stderr);
      const text = dump.stdout;
      // LTTng-UST's declarations (as lttng 2.13's metadata has them).
      for (const t of IDS)
        assert.match(
          text,
          new RegExp(`integer \\{ size = 32; align = 8; signed = 0; encoding = none; base = 10; \\} _${t};`),
        );
      for (const t of NS)
        assert.match(
          text,
          new RegExp(`integer \\{ size = 64; align = 8; signed = 0; encoding = none; base = 10; \\} _${t};`),
        );

      const bt = babeltrace(base);
      assert.equal(home.ok("view", base), bt, "ttng view prints what babeltrace2 prints");
      const first = bt.split("\n").find((l) => l.includes("ctlapp:a:"));
      assert.ok(first, `${name}: no ctlapp:a event\n${bt.slice(0, 500)}`);
      const ctx = /ctlapp:a: \{ cpu_id = \d+ \}, \{ (.*?) \}, \{ n = \d+ \}$/.exec(first)?.[1];
      assert.ok(ctx, first);
      const got = Object.fromEntries(ctx.split(", ").map((kv) => kv.split(" = ")));
      assert.deepEqual(Object.keys(got), TYPES, first);
      assert.equal(got.procname, '"node"');
      assert.ok(Number(got.pthread_id) > 0, first);
      for (const [k, v] of Object.entries(want)) assert.equal(Number(got[k]), v, `${name}: ${k} in ${first}`);
    }
    assert.equal(await app.finish(), 0);
    assert.equal(app.stderr, "", "the app reported nothing (every context recorded)");
  } finally {
    await home.cleanup();
  }
});
