// Several daemon sessions tracing one running app at once, as LTTng allows: each with its own
// channels, rules, contexts, buffering scheme and output; one stops while the other goes on.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { haveTool, root, skipReason } from "./helpers.mjs";
import { babeltrace, Home, sleep } from "./lib/control.mjs";

const skip = haveTool("babeltrace2") ? false : skipReason("babeltrace2");

function tracePath(createOut) {
  const m = /Traces will be (?:output|written) to (\S+)/.exec(createOut);
  assert.ok(m, createOut);
  return m[1];
}

/** [name, n, context text] of each event, from babeltrace2 (checked equal to ttng view). */
function read(home, path) {
  const bt = babeltrace(path);
  assert.equal(home.ok("view", path), bt, "ttng view prints what babeltrace2 prints");
  return bt
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const m = /\) \S+ (ctlapp:\w+): \{ cpu_id = \d+ \}, \{ (.*?) \}, \{ n = (\d+)/.exec(l);
      assert.ok(m, l);
      return [m[1], Number(m[3]), m[2]];
    });
}

test("two sessions with different rules, contexts and buffers record one running app at once", { skip }, async () => {
  const home = new Home();
  try {
    const app = await home.app();
    home.startDaemon();
    await home.waitRegistered(app.pid);
    // "one": per-UID, ctlapp:a, vpid. "two": per-PID, ctlapp:b with even n only, procname.
    const one = tracePath(home.ok("create", "one"));
    home.ok("enable-event", "-u", "ctlapp:a", "-s", "one");
    home.ok("add-context", "-u", "-t", "vpid", "-s", "one");
    const two = tracePath(home.ok("create", "two"));
    home.ok("enable-channel", "-u", "--buffers-pid", "c2", "-s", "two");
    home.ok("enable-event", "-u", "ctlapp:b", "-c", "c2", "--filter", "(n & 1) == 0", "-s", "two");
    home.ok("add-context", "-u", "-t", "procname", "-s", "two");
    home.ok("start", "one");
    home.ok("start", "two");
    await sleep(400);
    home.ok("stop", "one");
    await sleep(300); // "two" goes on alone
    home.ok("stop", "two");
    home.ok("destroy", "-a");

    const a = read(home, one);
    const b = read(home, two);
    assert.ok(a.length > 20 && b.length > 20, `${a.length} ${b.length}`);
    assert.deepEqual([...new Set(a.map((e) => e[0]))], ["ctlapp:a"]);
    assert.deepEqual([...new Set(b.map((e) => e[0]))], ["ctlapp:b"]);
    assert.ok(
      a.every((e) => e[2] === `vpid = ${app.pid}`),
      a[0][2],
    );
    assert.ok(
      b.every((e) => e[2] === 'procname = "node"'),
      b[0][2],
    );
    // "one" has every n of its time span, "two" only the even ones, and went on after "one" stopped.
    for (let k = 1; k < a.length; k++) assert.equal(a[k][1], a[k - 1][1] + 1, "one: consecutive n");
    assert.ok(
      b.every((e) => e[1] % 2 === 0),
      "two: the filter applies to two only",
    );
    for (let k = 1; k < b.length; k++) assert.equal(b[k][1], b[k - 1][1] + 2, "two: consecutive even n");
    assert.ok(b.at(-1)[1] > a.at(-1)[1] + 50, `two recorded after one stopped: ${a.at(-1)[1]} ${b.at(-1)[1]}`);
    assert.equal(await app.finish(), 0);
    assert.equal(app.stderr, "", "the app reported nothing");
  } finally {
    await home.cleanup();
  }
});

test("worker_threads workers record into both of two sessions", { skip }, async () => {
  const home = new Home();
  try {
    const paths = ["w1", "w2"].map((name) => {
      const path = tracePath(home.ok("create", name));
      home.ok("enable-event", "-u", "-a", "-s", name);
      home.ok("start", name);
      return path;
    });
    const r = home.run(process.execPath, [join(root, "tests/control/workers-app.mjs")]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
    home.ok("destroy", "-a");
    for (const path of paths) {
      const text = babeltrace(path);
      assert.equal(home.ok("view", path), text);
      const perThread = {};
      for (const m of text.matchAll(/ctlwork:tick: \{ cpu_id = (\d+) \}, \{ thread = (\d+), n = \d+ \}/g))
        perThread[m[2]] = (perThread[m[2]] ?? 0) + 1;
      assert.deepEqual(Object.values(perThread), [20, 20, 20], `${path}: ${JSON.stringify(perThread)}`);
    }
  } finally {
    await home.cleanup();
  }
});
