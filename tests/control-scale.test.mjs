// Scale: 50 registered apps at once, each enabled and disabled while running (enable-event /
// disable-event reach every app, and the command returns once all of them applied it); the
// daemon's memory stays bounded and its CPU is near zero while idle.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { haveTool, skipReason } from "./helpers.mjs";
import { babeltrace, filesUnder, Home, sleep } from "./lib/control.mjs";

const skip = haveTool("babeltrace2") ? false : skipReason("babeltrace2");
const APPS = 50;

function rssKiB(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
}
/** utime + stime of a process, in clock ticks (10 ms here). */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(f[11]) + Number(f[12]);
}

test(
  `${APPS} registered apps enabled and disabled while running; daemon memory bounded, idle CPU ~0`,
  { skip, timeout: 240000 },
  async (t) => {
    const home = new Home();
    try {
      const daemon = home.startDaemon();
      const rss0 = rssKiB(daemon);
      const m = /Traces will be output to (\S+)/.exec(home.ok("create", "scale"));
      const path = m[1];
      home.ok("enable-event", "-u", "ctlapp:a");
      home.ok("add-context", "-u", "-t", "vpid");
      home.ok("start");
      const apps = [];
      for (let k = 0; k < APPS; k += 10)
        apps.push(...(await Promise.all(Array.from({ length: 10 }, () => home.app({ CTLAPP_PERIOD_MS: "20" })))));
      const listed = home.ok("list", "-u");
      assert.equal((listed.match(/PID: \d+ - Name: node/g) ?? []).length, APPS);
      const rssRegistered = rssKiB(daemon);
      const latencies = [];
      for (let round = 0; round < 3; round++) {
        let t0 = performance.now();
        home.ok("enable-event", "-u", "ctlapp:b");
        latencies.push(performance.now() - t0);
        await sleep(150);
        t0 = performance.now();
        home.ok("disable-event", "-u", "ctlapp:b");
        latencies.push(performance.now() - t0);
        await sleep(100);
      }
      const rssAfter = rssKiB(daemon);
      home.ok("stop");
      // Idle: apps registered, nothing changing.
      const c0 = cpuTicks(daemon);
      await sleep(2000);
      const idleTicks = cpuTicks(daemon) - c0;
      home.ok("destroy");
      const text = babeltrace(path);
      const bPids = new Set([...text.matchAll(/ctlapp:b: \{ cpu_id = \d+ \}, \{ vpid = (\d+) \}/g)].map((x) => x[1]));
      const aPids = new Set([...text.matchAll(/ctlapp:a: \{ cpu_id = \d+ \}, \{ vpid = (\d+) \}/g)].map((x) => x[1]));
      assert.equal(aPids.size, APPS, "every app recorded");
      assert.equal(bPids.size, APPS, "every app recorded the event enabled while it ran");
      assert.equal(filesUnder(path).filter((f) => f.endsWith("metadata")).length, 1);
      const statuses = await Promise.all(apps.map((a) => a.finish()));
      assert.deepEqual(new Set(statuses), new Set([0]));
      t.diagnostic(
        `daemon RSS: ${rss0} KiB idle, ${rssRegistered} KiB with ${APPS} apps, ${rssAfter} KiB after 6 changes; ` +
          `idle CPU ${idleTicks * 10} ms over 2 s; enable/disable-event with ${APPS} apps: ` +
          `${latencies.map((l) => l.toFixed(0)).join(", ")} ms`,
      );
      assert.ok(rssAfter < 200 * 1024, `daemon RSS ${rssAfter} KiB`);
      assert.ok(rssAfter - rssRegistered < 20 * 1024, "no growth per change");
      assert.ok(idleTicks <= 5, `idle daemon used ${idleTicks * 10} ms of CPU in 2 s`);
    } finally {
      await home.cleanup();
    }
  },
);
