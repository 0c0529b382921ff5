// source.ctf.fs parses a trace's metadata once when the CLI first asked for its UUID (grouping).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "./helpers.mjs";
import { writeBenchTrace } from "./lib/ctf-gen.mjs";

const { metadataUuid, openMetadata } = await import(join(root, "packages/plugin-ctf/dist/node/fs-source.js"));

/** A small trace whose metadata has an unknown clock attribute (a warning). */
function traceDir(base, name) {
  const dir = join(base, name);
  writeBenchTrace(dir, { events: 50, streams: 2, seed: 3 });
  const md = readFileSync(join(dir, "metadata"), "utf8").replace(/clock \{/, "clock {\n\tzzz_unknown = 1;");
  writeFileSync(join(dir, "metadata"), md);
  return dir;
}

test("the trace class metadataUuid parsed goes to the next openMetadata of the directory, once", () => {
  const base = mkdtempSync(join(tmpdir(), "ttng-handover-"));
  try {
    const dir = traceDir(base, "a");
    const fresh = [];
    const expected = openMetadata(dir, {}, (w) => fresh.push(w));
    assert.ok(
      fresh.some((w) => w.includes("zzz_unknown")),
      fresh.join("\n"),
    );

    assert.equal(metadataUuid(dir), expected.tc.uuid);
    const replayed = [];
    const taken = openMetadata(join(dir, "."), { clockOffsetSeconds: 0, clockOffsetNs: 0 }, (w) => replayed.push(w));
    // The same parse (same warnings, same trace), under the path the taker gave.
    assert.deepEqual(replayed, fresh);
    assert.equal(taken.path, join(dir, "."));
    assert.deepEqual(taken.tc.uuid, expected.tc.uuid);
    assert.equal(taken.metadataText, expected.metadataText);
    // One taker: the next open parses again (a new trace class).
    const again = openMetadata(dir, {}, () => {});
    assert.notEqual(again.tc, taken.tc);
    assert.deepEqual(again.tc.streamClasses.length, taken.tc.streamClasses.length);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test("a kept trace class is not used for another configuration or a changed file", () => {
  const base = mkdtempSync(join(tmpdir(), "ttng-handover-"));
  try {
    const dir = traceDir(base, "a");
    metadataUuid(dir);
    const offset = openMetadata(dir, { clockOffsetSeconds: 5 }, () => {});
    const plain = openMetadata(dir, {}, () => {});
    assert.notEqual(offset.tc, plain.tc);
    // The configuration took effect: the offset trace class differs from the plain one.
    assert.notDeepEqual(offset.tc.clocks, plain.tc.clocks);

    metadataUuid(dir);
    // Another trace's metadata in its place: the new file is parsed.
    const other = traceDir(base, "b");
    const text = readFileSync(join(other, "metadata"), "utf8").replace(
      /uuid = "[^"]*"/,
      'uuid = "11111111-2222-3333-4444-555555555555"',
    );
    writeFileSync(join(dir, "metadata"), text);
    assert.equal(openMetadata(dir, {}, () => {}).tc.uuid, "11111111-2222-3333-4444-555555555555");
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
