// LTTng's tracefile rotation in the tracer's consumer (`--tracefile-size`, `--tracefile-count`):
// each stream is split into CHANNEL_N_0, CHANNEL_N_1, ... files of whole packets no larger than
// the size, each with its index; with a count, file numbers wrap and only the newest files stay.
// babeltrace2 reads the result as ttng does.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { haveTool, root, run, skipReason, ttng } from "./helpers.mjs";

const bt = haveTool("babeltrace2");
const work = mkdtempSync(join(tmpdir(), "ttng-tracefile-"));
after(() => rmSync(work, { recursive: true, force: true }));

function record(name, size, count) {
  const out = join(work, name);
  const r = spawnSync(
    process.execPath,
    [join(root, "tests/tracer/tracefile-app.mjs"), out, String(size), String(count)],
    {
      encoding: "utf8",
    },
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("tracefileSizeBytes splits a stream into files of whole packets, each indexed", () => {
  const res = record("split", 8192, 0);
  assert.deepEqual(res.errors, []);
  assert.equal(res.recorded, 3000);
  const files = readdirSync(res.path).filter((f) => f.startsWith("channel0_"));
  assert.ok(files.length >= 3, files.join(" "));
  for (let i = 0; i < files.length; i++) assert.ok(files.includes(`channel0_0_${i}`), files.join(" "));
  for (const f of files) {
    assert.ok(statSync(join(res.path, f)).size <= 8192, f);
    assert.ok(statSync(join(res.path, "index", `${f}.idx`)).size > 16, f);
  }
  const v = ttng(["view", res.path]);
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stdout.trimEnd().split("\n").length, 3000);
});

test("tracefileCount keeps the newest files, wrapping file numbers as LTTng", () => {
  const res = record("wrap", 8192, 2);
  assert.deepEqual(res.errors, []);
  const files = readdirSync(res.path)
    .filter((f) => f.startsWith("channel0_"))
    .sort();
  assert.deepEqual(files, ["channel0_0_0", "channel0_0_1"]);
  const v = ttng(["view", res.path]);
  assert.equal(v.status, 0, v.stderr);
  const lines = v.stdout.trimEnd().split("\n");
  assert.ok(lines.length > 0 && lines.length < 3000, String(lines.length));
  // The last event recorded survives; the first ones were in replaced files.
  assert.match(lines.at(-1), /x = 2999,/);
  assert.doesNotMatch(v.stdout, /x = 0,/);
});

test(
  "babeltrace2 reads split and wrapped streams as ttng does",
  { skip: bt ? false : skipReason("babeltrace2") },
  () => {
    for (const name of ["split", "wrap"]) {
      const path = join(work, name);
      const want = run("babeltrace2", [path]);
      const got = ttng(["view", "--compat=2.0", path]);
      assert.equal(got.status, want.status, name);
      assert.equal(got.stdout, want.stdout, name);
    }
  },
);
