// source.ctf.fs queries: babeltrace.support-info, metadata-info, babeltrace.trace-infos.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { corpus, hasCorpus, root, skipReason } from "./helpers.mjs";

const { ctfFsSourceClass } = await import(join(root, "packages/plugin-ctf/dist/index.js"));
const { vArray, vMap, vString } = await import(join(root, "packages/graph/dist/index.js"));
const ctx = { name: "q", logger: undefined, stderr() {}, stdout() {}, stdoutBytes() {}, mipVersion: 1 };
const skip = hasCorpus ? false : skipReason("corpus");

test("babeltrace.support-info: weight 0.75 and the UUID as group for a trace directory, 0 elsewhere", { skip }, () => {
  const dir = join(corpus, "ctf-traces/1/succeed/2packets");
  const r = ctfFsSourceClass.query(
    "babeltrace.support-info",
    vMap({ input: vString(dir), type: vString("directory") }),
    ctx,
  );
  assert.equal(r.entries.get("weight").value, 0.75);
  assert.match(r.entries.get("group").value, /^[0-9a-f-]{36}$/);
  const none = ctfFsSourceClass.query(
    "babeltrace.support-info",
    vMap({ input: vString(corpus), type: vString("directory") }),
    ctx,
  );
  assert.equal(none.entries.get("weight").value, 0);
});

test("metadata-info: CRLF and LF metadata texts are returned unchanged", { skip }, () => {
  for (const name of ["crlf-metadata", "lf-metadata"]) {
    const dir = join(corpus, "ctf-traces/1/succeed", name);
    const r = ctfFsSourceClass.query("metadata-info", vMap({ path: vString(dir) }), ctx);
    assert.equal(r.entries.get("is-packetized").value, false);
    assert.equal(r.entries.get("text").value, readFileSync(join(dir, "metadata"), "latin1"));
  }
});

test("babeltrace.trace-infos: one stream info per port with its time range", { skip }, () => {
  const dir = join(corpus, "ctf-traces/1/intersection/3eventsintersect");
  const r = ctfFsSourceClass.query("babeltrace.trace-infos", vMap({ inputs: vArray([vString(dir)]) }), ctx);
  assert.equal(r.items.length, 1);
  const infos = r.items[0].entries.get("stream-infos").items;
  assert.equal(infos.length, 2);
  for (const i of infos) {
    const range = i.entries.get("range-ns");
    assert.ok(range.entries.get("begin").value <= range.entries.get("end").value);
    assert.match(i.entries.get("port-name").value, / \| 0 \| /);
  }
});
