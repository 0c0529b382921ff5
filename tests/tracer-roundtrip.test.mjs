// @ttng/tracer round trip: random event declarations covering every field kind, random values
// recorded from the main thread and two workers (tests/tracer/roundtrip-app.mjs, fixed seeds);
// the installed babeltrace2 (2.0.4) and ttng's reader must both print exactly the emitted
// values, in emission order per thread (cpu_id is the thread index).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { haveTool, root, skipReason, ttngBin } from "./helpers.mjs";

const app = join(root, "tests/tracer/roundtrip-app.mjs");
const dir = mkdtempSync(join(tmpdir(), "ttng-tracer-rt-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const LINE = /^\[[^\]]*\] \([^)]*\) \S+ (\S+): \{ cpu_id = (\d+) \}(?:, (\{.*\}))?$/;

function perThread(text) {
  const out = {};
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const m = LINE.exec(line);
    assert.ok(m, `unexpected line: ${line}`);
    (out[m[2]] ??= []).push(`${m[1]}: ${m[3] ?? "{ }"}`);
  }
  return out;
}

function record(seed, events) {
  const r = spawnSync(process.execPath, [app, String(seed), join(dir, `s${seed}`), String(events)], {
    encoding: "utf8",
    timeout: 60000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "");
  return JSON.parse(r.stdout);
}

for (const seed of [1, 2, 3]) {
  test(`tracer round trip, seed ${seed}: babeltrace2 and ttng read exactly the emitted values per thread`, (t) => {
    const { result, expected } = record(seed, 400);
    assert.deepEqual(result.errors, []);
    assert.equal(result.discardedEvents, 0);
    assert.equal(Object.keys(expected).length, 3);
    for (const lines of Object.values(expected)) assert.equal(lines.length, 400);
    const ttng = spawnSync(process.execPath, [ttngBin, "view", result.path], {
      encoding: "utf8",
      env: { ...process.env, TZ: "UTC" },
    });
    assert.equal(ttng.status, 0, ttng.stderr);
    assert.deepEqual(perThread(ttng.stdout), expected);
    if (!haveTool("babeltrace2")) {
      t.skip(skipReason("babeltrace2"));
      return;
    }
    const bt = spawnSync("babeltrace2", [result.path], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
    assert.equal(bt.status, 0, bt.stderr);
    assert.equal(bt.stderr, "");
    assert.deepEqual(perThread(bt.stdout), expected);
    assert.equal(ttng.stdout, bt.stdout);
  });
}
