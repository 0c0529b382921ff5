// A session daemon's session started while an app runs: the app's consumer thread is started by
// the daemon link's thread, so the app's main thread makes no Worker (an EventEmitter of a new
// kind, with two stdio streams that are too) in the middle of its run. Such a late kind of
// emitter made V8 compile Node's EventEmitter.init generically into every HTTP response's
// constructor (docs/agent.md, "Costs"); the trace is still complete.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { haveTool, root, skipReason } from "./helpers.mjs";
import { babeltrace, countByName, Home, sleep } from "./lib/control.mjs";

const skip = haveTool("babeltrace2") ? false : skipReason("babeltrace2");

test(
  "a daemon session started while the app runs makes no EventEmitter in the app's main thread",
  { skip },
  async () => {
    const home = new Home();
    try {
      home.startDaemon();
      const log = join(home.dir, "emitters.json");
      const app = await home.app({
        NODE_OPTIONS: `--require ${join(root, "tests/control/ee-watch.cjs")}`,
        TTNG_TEST_EE_LOG: log,
      });
      await home.waitRegistered(app.pid);
      const path = join(home.dir, "trace");
      home.ok("create", "late", "-o", path);
      home.ok("enable-event", "-u", "ctlapp:a");
      const startedMs = Date.now();
      home.ok("start");
      await sleep(300);
      home.ok("stop");
      assert.equal(await app.finish(), 0, app.stderr);
      const late = JSON.parse(readFileSync(log, "utf8"))
        .filter((e) => e.atMs >= startedMs)
        .map((e) => e.name);
      assert.deepEqual(late, [], "EventEmitters made after the session started");
      const counts = countByName(babeltrace(path));
      assert.ok(counts["ctlapp:a"] > 10, JSON.stringify(counts));
      home.ok("destroy", "-a");
    } finally {
      await home.cleanup();
    }
  },
);
