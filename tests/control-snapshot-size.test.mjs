// `snapshot record -m/--max-size` against a real ttng-sessiond and a running app: the size is
// split among the streams as lttng-sessiond does (each keeps its newest whole packets), and a
// size below one packet per stream is refused with lttng's words and status (compared with the
// installed lttng 2.13 against a private lttng-sessiond and a real LTTng-UST app).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { haveTool, root, skipReason } from "./helpers.mjs";
import { babeltrace, filesUnder, Home, sleep } from "./lib/control.mjs";
import { runLttng } from "./lib/lttng-oracle.mjs";

const missing = ["babeltrace2", "lttng", "lttng-sessiond", "gcc", "unshare"].find((t) => !haveTool(t));
const skip = missing === undefined ? false : skipReason(missing);

/** lttng's answer to `snapshot record -m 1` with a registered LTTng-UST app (per-UID buffers). */
function lttngRefusal() {
  const dir = mkdtempSync(join(tmpdir(), "ttng-snapsize-"));
  try {
    cpSync(join(root, "tests/lttng/tp.h"), join(dir, "tp.h"));
    const app = join(dir, "app");
    const cc = spawnSync(
      "gcc",
      ["-O1", "-I", dir, "-o", app, join(root, "tests/lttng/app.c"), "-llttng-ust", "-ldl", "-lpthread"],
      { encoding: "utf8" },
    );
    assert.equal(cc.status, 0, cc.stderr);
    const home = join(dir, "home");
    mkdirSync(home);
    const r = runLttng(home, [
      ["create", "sn", "--snapshot", "-o", join(home, "out")],
      ["enable-channel", "-u", "c", "--subbuf-size", "4k"],
      ["enable-event", "-u", "-a", "-c", "c"],
      ["start"],
      { sh: `${app} 2000` },
      ["snapshot", "record", "-m", "1"],
      ["snapshot", "record", "-m", "1M"],
      ["destroy"],
    ]);
    return { refused: r[5], recorded: r[6] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `ctlapp:a` numbers of a trace, per babeltrace2. */
function numbers(path) {
  const text = babeltrace(path);
  return [...text.matchAll(/ctlapp:a: .*\{ n = (\d+) \}/g)].map((m) => Number(m[1]));
}

test(
  "snapshot record -m: newest packets within the size, split among streams; too small refused as lttng does",
  {
    skip,
  },
  async () => {
    const oracle = lttngRefusal();
    const home = new Home();
    try {
      const app = await home.app();
      home.startDaemon();
      await home.waitRegistered(app.pid);
      const out = home.ok("create", "sn", "--snapshot");
      const base = /Default snapshot output set to (\S+)/.exec(out)[1];
      // Two channels: two streams in the app's per-UID trace, 4 KiB sub-buffers.
      for (const c of ["c1", "c2"]) home.ok("enable-channel", "-u", "--subbuf-size=4096", "--num-subbuf=8", c);
      home.ok("enable-event", "-u", "ctlapp:a", "-c", "c1");
      home.ok("enable-event", "-u", "ctlapp:b", "-c", "c2");
      home.ok("start");
      await sleep(1000);

      const refused = home.ttng("snapshot", "record", "-m", "1");
      assert.deepEqual(refused, oracle.refused, "the refusal is lttng's, word for word, same status");
      assert.equal(refused.status, 1);
      // Refused sizes are not snapshots: the next one is still number 0.
      assert.deepEqual(filesUnder(base), []);
      assert.deepEqual(home.ttng("snapshot", "record", "-m", "1M"), oracle.recorded);

      home.ok("snapshot", "record", "-m", "8k"); // -1: one packet per stream
      home.ok("snapshot", "record", "-m", "20k"); // -2: two per stream (3 x 8 KiB > 20 KiB)
      home.ok("destroy");

      const dirs = [...new Set(filesUnder(base).map((f) => f.split("/")[0]))];
      assert.equal(dirs.length, 3, dirs.join(" "));
      assert.match(dirs[0], /^snapshot-1-\d{8}-\d{6}-0$/);
      const streamSizes = (d) => {
        const t = join(base, d, "ust", "uid", String(process.getuid()), "64-bit");
        return ["c1_0", "c2_0"].map((f) => statSync(join(t, f)).size);
      };
      const full = streamSizes(dirs[0]);
      assert.ok(
        full.every((s) => s >= 3 * 4096),
        `the unbounded snapshot holds several packets per stream: ${full}`,
      );
      assert.deepEqual(streamSizes(dirs[1]), [4096, 4096], "-m 8k: the newest packet of each stream");
      assert.deepEqual(streamSizes(dirs[2]), [8192, 8192], "-m 20k: the newest two packets of each stream");

      const all = numbers(join(base, dirs[0]));
      const one = numbers(join(base, dirs[1]));
      const two = numbers(join(base, dirs[2]));
      assert.ok(
        all.length > 0 && one.length > 0 && two.length > one.length,
        `${all.length} ${one.length} ${two.length}`,
      );
      // The bounded snapshots drop the oldest packets, never the newest.
      assert.ok(one[0] > all[0] && one.at(-1) >= all.at(-1), "-m 8k keeps the end of the buffer");
      assert.ok(two[0] > all[0] && two.at(-1) >= one.at(-1), "-m 20k keeps the end of the buffer");
      for (const d of dirs) assert.equal(home.ok("view", join(base, d)), babeltrace(join(base, d)));
      assert.equal(await app.finish(), 0);
    } finally {
      await home.cleanup();
    }
  },
);
