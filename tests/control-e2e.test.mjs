// The control plane end to end: the real `ttng` commands against a real ttng-sessiond (each test
// in its own TTNG_HOME, every daemon killed at the end), apps instrumented with @ttng/tracer
// registering by themselves, and the traces they write read back with babeltrace2 (the oracle)
// and `ttng view`.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { haveTool, root, skipReason } from "./helpers.mjs";
import { babeltrace, countByName, filesUnder, Home, sleep } from "./lib/control.mjs";

const skip = haveTool("babeltrace2") ? false : skipReason("babeltrace2");
const uid = process.getuid();

function tracePath(createOut) {
  const m = /Traces will be (?:output|written) to (\S+)/.exec(createOut);
  assert.ok(m, createOut);
  return m[1];
}

/** babeltrace2 and ttng view agree on the trace; returns babeltrace2's text. */
function readBoth(home, path) {
  const bt = babeltrace(path);
  const tv = home.ok("view", path);
  assert.equal(tv, bt, "ttng view prints what babeltrace2 prints");
  return bt;
}

test(
  "quick start with a running app: create, enable-event, start, stop, view, destroy (per-UID)",
  { skip },
  async () => {
    const home = new Home();
    try {
      const app = await home.app();
      assert.deepEqual(app.registration, { linked: false, recording: false }, "no daemon yet");
      const out = home.ok("create", "qs");
      assert.match(out, /Spawning a session daemon/);
      const path = tracePath(out);
      home.ok("enable-event", "-u", "ctlapp:*");
      home.ok("add-context", "-u", "-t", "vpid");
      home.ok("start");
      // The app notices the daemon and registers (it checks every second) and records.
      await home.waitRegistered(app.pid);
      await sleep(100);
      home.ok("stop");
      const files = filesUnder(path);
      const dir = `ust/uid/${uid}/64-bit`;
      assert.ok(files.includes(`${dir}/metadata`), files.join(" "));
      assert.ok(
        files.some((f) => /^ust\/uid\/\d+\/64-bit\/channel0_\d+$/.test(f)),
        files.join(" "),
      );
      const text = readBoth(home, path);
      const counts = countByName(text);
      assert.ok(counts["ctlapp:a"] > 10, JSON.stringify(counts));
      assert.equal(counts["ctlapp:a"], counts["ctlapp:b"]);
      assert.match(text, new RegExp(`vpid = ${app.pid}`));
      home.ok("destroy");
      assert.equal(await app.finish(), 0);
      assert.equal(app.stderr, "");
    } finally {
      await home.cleanup();
    }
  },
);

test("apps started after the session, two at once: one per-UID trace, one metadata stream", { skip }, async () => {
  const home = new Home();
  try {
    const path = tracePath(home.ok("create", "two"));
    home.ok("enable-event", "-u", "-a");
    home.ok("add-context", "-u", "-t", "vpid", "-t", "procname");
    home.ok("start");
    const [a1, a2] = await Promise.all([home.app(), home.app()]);
    // Registered before main() ran: the session records them from their first event.
    assert.deepEqual(a1.registration, { linked: true, recording: true });
    assert.deepEqual(a2.registration, { linked: true, recording: true });
    await sleep(200);
    home.ok("stop");
    home.ok("destroy");
    const files = filesUnder(path);
    assert.deepEqual(
      files.filter((f) => f.endsWith("metadata")),
      [`ust/uid/${uid}/64-bit/metadata`],
    );
    assert.equal(files.filter((f) => /channel0_\d+$/.test(f)).length, 2, files.join(" "));
    const text = readBoth(home, path);
    for (const a of [a1, a2]) {
      assert.match(text, new RegExp(`vpid = ${a.pid}, procname = "node" }, { n = 0 }`), "first event recorded");
    }
    // One event class per (name, fields) for both processes.
    const meta = babeltraceMetadata(join(path, `ust/uid/${uid}/64-bit`));
    assert.equal((meta.match(/name = "ctlapp:a";/g) ?? []).length, 1);
    assert.equal(await a1.finish(), 0);
    assert.equal(await a2.finish(), 0);
  } finally {
    await home.cleanup();
  }
});

function babeltraceMetadata(dir) {
  return new Home().ttng("convert", "-o", "ctf-metadata", dir).stdout;
}

test("per-PID buffers: each process writes its own trace under ust/pid/", { skip }, async () => {
  const home = new Home();
  try {
    const path = tracePath(home.ok("create", "pid"));
    home.ok("enable-channel", "-u", "--buffers-pid", "channel0");
    home.ok("enable-event", "-u", "ctlapp:a");
    home.ok("start");
    const app = await home.app();
    await sleep(150);
    home.ok("stop");
    home.ok("destroy");
    const files = filesUnder(path);
    const re = new RegExp(`^ust/pid/node-${app.pid}-\\d{8}-\\d{6}/(metadata|channel0_0)$`);
    assert.equal(files.filter((f) => re.test(f)).length, 2, files.join(" "));
    const counts = countByName(readBoth(home, path));
    assert.ok(counts["ctlapp:a"] > 0);
    assert.equal(counts["ctlapp:b"], undefined, "only the enabled event");
    assert.equal(await app.finish(), 0);
  } finally {
    await home.cleanup();
  }
});

test("enable-event and disable-event apply to a running app; list -u shows its tracepoints", { skip }, async () => {
  const home = new Home();
  try {
    const path = tracePath(home.ok("create", "live"));
    home.ok("enable-event", "-u", "ctlapp:a");
    home.ok("start");
    const app = await home.app();
    const list = home.ok("list", "-u");
    assert.match(list, new RegExp(`PID: ${app.pid} - Name: node`));
    assert.match(list, /ctlapp:a \(loglevel: TRACE_INFO \(6\)\) \(type: tracepoint\)/);
    assert.match(list, /ctlapp:b \(loglevel: TRACE_DEBUG \(14\)\) \(type: tracepoint\)/);
    await sleep(100);
    home.ok("enable-event", "-u", "ctlapp:b");
    await sleep(100);
    home.ok("disable-event", "-u", "ctlapp:a");
    await sleep(100);
    home.ok("stop");
    home.ok("destroy");
    const lines = babeltrace(path).trim().split("\n");
    const firstB = lines.findIndex((l) => l.includes("ctlapp:b:"));
    const lastA = lines.findLastIndex((l) => l.includes("ctlapp:a:"));
    assert.ok(firstB > 0, "b recorded after it was enabled");
    assert.ok(
      lines.slice(0, firstB).every((l) => l.includes("ctlapp:a:")),
      "only a before b was enabled",
    );
    assert.ok(lastA < lines.length - 10, "a stopped after it was disabled");
    assert.ok(lines.slice(lastA + 1).every((l) => l.includes("ctlapp:b:")));
    assert.equal(await app.finish(), 0);
  } finally {
    await home.cleanup();
  }
});

test("filters, exclusions, log levels and trackers select what a running app records", { skip }, async () => {
  const home = new Home();
  try {
    const app = await home.app();
    home.startDaemon();
    await home.waitRegistered(app.pid);
    const run = (name, setup) => {
      const path = tracePath(home.ok("create", name));
      setup();
      home.ok("start");
      return path;
    };
    const finish = async (path) => {
      await sleep(150);
      home.ok("stop");
      home.ok("destroy");
      return babeltrace(path);
    };
    let p = run("excl", () => home.ok("enable-event", "-u", "ctlapp:*", "--exclude", "ctlapp:b"));
    let c = countByName(await finish(p));
    assert.ok(c["ctlapp:a"] > 0 && c["ctlapp:b"] === undefined, JSON.stringify(c));
    p = run("filt", () => home.ok("enable-event", "-u", "ctlapp:b", "--filter", 'n >= 100 && s != "s105"'));
    const text = await finish(p);
    const ns = [...text.matchAll(/n = (\d+), s = "s\d+"/g)].map((m) => Number(m[1]));
    assert.ok(ns.length > 0 && ns.every((n) => n >= 100 && n !== 105), ns.slice(0, 10).join(","));
    p = run("level", () => home.ok("enable-event", "-u", "ctlapp:*", "--loglevel", "INFO"));
    c = countByName(await finish(p));
    assert.ok(c["ctlapp:a"] > 0 && c["ctlapp:b"] === undefined, JSON.stringify(c));
    p = run("tracked-out", () => {
      home.ok("enable-event", "-u", "-a");
      home.ok("track", "-u", "--vpid", String(app.pid + 100000));
    });
    await sleep(150);
    home.ok("stop");
    home.ok("destroy");
    assert.deepEqual(
      filesUnder(p).filter((f) => /channel0_/.test(f)),
      [],
      "an untracked process records nothing",
    );
    p = run("tracked-in", () => {
      home.ok("enable-event", "-u", "-a");
      home.ok("track", "-u", "--vpid", String(app.pid));
    });
    c = countByName(await finish(p));
    assert.ok(c["ctlapp:a"] > 0 && c["ctlapp:b"] > 0, JSON.stringify(c));
    assert.equal(await app.finish(), 0);
    assert.equal(app.stderr, "");
  } finally {
    await home.cleanup();
  }
});

test(
  "snapshot sessions: snapshot record writes what the running app's buffers hold (per-UID and per-PID)",
  { skip },
  async () => {
    const home = new Home();
    try {
      const app = await home.app();
      home.startDaemon();
      await home.waitRegistered(app.pid);
      for (const pid of [false, true]) {
        const name = pid ? "snap-pid" : "snap-uid";
        const out = home.ok("create", name, "--snapshot");
        const base = /Default snapshot output set to (\S+)/.exec(out)[1];
        if (pid) home.ok("enable-channel", "-u", "--buffers-pid", "--subbuf-size=8192", "--num-subbuf=4", "channel0");
        else home.ok("enable-channel", "-u", "--subbuf-size=8192", "--num-subbuf=4", "channel0");
        home.ok("enable-event", "-u", "ctlapp:a");
        home.ok("start");
        await sleep(300);
        assert.match(home.ok("snapshot", "record"), /Snapshot recorded successfully for session/);
        await sleep(100);
        home.ok("snapshot", "record");
        home.ok("destroy");
        const files = filesUnder(base);
        const dirs = [...new Set(files.map((f) => f.split("/")[0]))];
        assert.equal(dirs.length, 2, files.join(" "));
        assert.match(dirs[0], /^snapshot-1-\d{8}-\d{6}-0$/);
        assert.match(dirs[1], /^snapshot-1-\d{8}-\d{6}-1$/);
        const layout = pid
          ? new RegExp(`/ust/pid/node-${app.pid}-\\d{8}-\\d{6}/channel0_0$`)
          : /\/ust\/uid\/\d+\/64-bit\/channel0_0$/;
        assert.ok(
          files.some((f) => layout.test(f)),
          files.join(" "),
        );
        const ns = [];
        for (const d of dirs) {
          const text = readBoth(home, join(base, d));
          const n = [...text.matchAll(/ctlapp:a: .*\{ n = (\d+) \}/g)].map((m) => Number(m[1]));
          // The buffers keep the latest packets only (4 x 8 KiB, overwrite): not the first events.
          assert.ok(n.length > 0 && n[0] > 0, `${d}: ${n.length} events from n=${n[0]}`);
          ns.push(n);
        }
        assert.ok(ns[1].at(-1) > ns[0].at(-1), "the second snapshot holds later events");
      }
      assert.equal(await app.finish(), 0);
    } finally {
      await home.cleanup();
    }
  },
);

test("worker_threads workers record into the per-UID trace with daemon-assigned ids", { skip }, async () => {
  const home = new Home();
  try {
    const path = tracePath(home.ok("create", "workers"));
    home.ok("enable-event", "-u", "-a");
    home.ok("start");
    const r = home.run(process.execPath, [join(root, "tests/control/workers-app.mjs")]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
    home.ok("stop");
    home.ok("destroy");
    const text = readBoth(home, path);
    const perThread = {};
    for (const m of text.matchAll(/ctlwork:tick: \{ cpu_id = (\d+) \}, \{ thread = (\d+), n = \d+ \}/g)) {
      assert.equal(m[1], m[2], "cpu_id is the emitting thread");
      perThread[m[1]] = (perThread[m[1]] ?? 0) + 1;
    }
    assert.deepEqual(Object.values(perThread), [20, 20, 20]);
    assert.equal(filesUnder(path).filter((f) => /channel0_\d+$/.test(f)).length, 3);
  } finally {
    await home.cleanup();
  }
});
