// @ttng/tracer and worker_threads (tests/tracer/workers-app.mjs): a worker started before the
// session joins it, a worker that exits before stop flushes its ring at exit, a worker whose
// thread is blocked at stop is flushed remotely by the consumer; each has its own stream
// (`ch_<threadId>`, cpu_id = threadId) and its own vtid; the switch timer closes packets.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { haveTool, root, skipReason } from "./helpers.mjs";

const dir = mkdtempSync(join(tmpdir(), "ttng-tracer-workers-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const needBabeltrace = { skip: haveTool("babeltrace2") ? false : skipReason("babeltrace2") };

/** Runs `node ARGS` from the project's root; fails the test unless it exits with 0. */
function runNode(args, timeout) {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", timeout });
  assert.equal(r.status, 0, r.stderr);
  return r;
}

/** babeltrace2's lines (one per event) for the trace under `out`. */
function babeltraceLines(out) {
  const bt = spawnSync("babeltrace2", [out], { encoding: "utf8" });
  assert.equal(bt.status, 0, bt.stderr);
  return bt.stdout.trim().split("\n");
}

test("workers: joined before or after the session, flushed at exit or remotely", needBabeltrace, () => {
  const r = runNode([join(root, "tests/tracer/workers-app.mjs"), dir], 30000);
  const { result, busy, done } = JSON.parse(r.stdout);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(new Set(result.streams), new Set(["ch_0", `ch_${busy}`, `ch_${done}`]));
  const per = {};
  const vtids = {};
  for (const line of babeltraceLines(result.path)) {
    const m = /wk:tick: \{ cpu_id = (\d+) \}, \{ vtid = (\d+), worker_id = (\d+) \}, \{ v = (\d+) \}$/.exec(line);
    assert.ok(m, line);
    assert.equal(m[1], m[3]);
    (per[m[1]] ??= []).push(Number(m[4]));
    vtids[m[1]] = m[2];
  }
  assert.deepEqual(per[0], [...Array(10).keys()]);
  assert.deepEqual(
    per[busy],
    [...Array(100).keys()].map((i) => 1000 * busy + i),
  );
  assert.deepEqual(
    per[done],
    [...Array(50).keys()].map((i) => 1000 * done + i),
  );
  assert.equal(new Set(Object.values(vtids)).size, 3, "one vtid per thread");
  assert.equal(result.discardedEvents, 0);
});

test(
  "stop() waits for the rings of workers that joined, even when their messages are still queued",
  needBabeltrace,
  () => {
    const out = join(dir, "late");
    const { streams, errors } = JSON.parse(
      runNode([join(root, "tests/tracer/workers-late-app.mjs"), out], 30000).stdout,
    );
    assert.deepEqual(errors, []);
    assert.equal(streams.length, 5, `the main thread's stream and the 4 workers': ${streams}`);
    assert.equal(babeltraceLines(out).length, 40);
  },
);

test("an app that never calls stop() exits on its own, and its trace is complete", needBabeltrace, () => {
  const out = join(dir, "nostop");
  runNode([join(root, "tests/tracer/nostop-app.mjs"), out], 20000);
  assert.equal(babeltraceLines(out).length, 10);
});

test("a session started from node --eval (whose flags a worker cannot take) records", needBabeltrace, () => {
  const out = join(dir, "eval");
  const script = `import { provider, s32, startSession } from "@ttng/tracer";
const tick = provider("x").event("tick", { fields: [s32("v")] });
const s = await startSession({ output: ${JSON.stringify(out)} });
for (let i = 0; i < 10; i++) tick(i);
const r = await s.stop();
if (r.errors.length > 0) throw new Error(r.errors.join("; "));`;
  const r = runNode(["--input-type=module", "-e", script], 20000);
  assert.equal(r.stderr, "");
  assert.equal(babeltraceLines(out).length, 10);
});

test("without code generation from strings, declaring and calling tracepoints works and the session says why it records nothing", () => {
  const r = runNode(
    ["--disallow-code-generation-from-strings", join(root, "examples/hello.mjs"), join(dir, "nocodegen")],
    20000,
  );
  assert.match(r.stdout, /ust\/pid\//);
  assert.equal(
    r.stderr,
    "ttng: cannot generate event writers (EvalError: Code generation from strings disallowed for this context); nothing recorded\n",
  );
});
