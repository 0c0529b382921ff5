// @ttng/tracer buffering modes under a burst (tests/tracer/modes-app.mjs): discard counts every
// lost event exactly in events_discarded; overwrite keeps the most recent packets and shows lost
// ones as packet_seq_num gaps; blocking loses nothing. Read back by babeltrace2 (and the index
// files by @ttng/ctf's parser).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { parseIndexFile } from "@ttng/ctf";
import { haveTool, root, skipReason } from "./helpers.mjs";
import { indexFileBytes } from "./lib/ctf-gen.mjs";

const app = join(root, "tests/tracer/modes-app.mjs");
const dir = mkdtempSync(join(tmpdir(), "ttng-tracer-modes-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const hasBt = haveTool("babeltrace2");

function burst(mode, count, subbuf = 4096, num = 2) {
  const r = spawnSync(process.execPath, [app, join(dir, mode), mode, String(count), String(subbuf), String(num)], {
    encoding: "utf8",
    timeout: 60000,
  });
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.deepEqual(result.errors, []);
  return result;
}

/** Values recorded, in order, as babeltrace2 prints them. */
function recorded(path) {
  const bt = spawnSync("babeltrace2", [path], { encoding: "utf8", maxBuffer: 1 << 28 });
  assert.equal(bt.status, 0, bt.stderr);
  const values = [];
  for (const line of bt.stdout.split("\n")) {
    const m = /burst:tick: \{ cpu_id = 0 \}, \{ v = (\d+) \}$/.exec(line);
    if (m) values.push(Number(m[1]));
    else assert.equal(line, "");
  }
  return { values, stderr: bt.stderr };
}

/** Index entries, checked against tests/lib/ctf-gen.mjs's independent writer and the data file. */
function index(path) {
  const bytes = new Uint8Array(readFileSync(join(path, "index", "c_0.idx")));
  const entries = parseIndexFile(bytes);
  const again = indexFileBytes(
    entries.map((e) => ({ ...e, seqNum: e.packetSeqNum, streamInstanceId: e.streamInstanceId })),
  );
  assert.deepEqual(bytes, again);
  let offset = 0;
  for (const e of entries) {
    assert.equal(e.offsetBytes, offset);
    assert.ok(e.contentSizeBits <= e.packetSizeBits);
    assert.ok(e.tsBegin <= e.tsEnd);
    offset += e.packetSizeBits / 8;
  }
  assert.equal(readFileSync(join(path, "c_0")).length, offset);
  return entries;
}

test(
  "discard mode: emitted = recorded + discarded, exactly",
  { skip: hasBt ? false : skipReason("babeltrace2") },
  () => {
    const count = 300_000;
    const result = burst("discard", count);
    const { values } = recorded(result.path);
    assert.ok(result.discardedEvents > 0, "the burst should overflow 2 x 4 KiB");
    assert.equal(values.length + result.discardedEvents, count);
    assert.equal(result.recordedEvents, values.length);
    for (let i = 1; i < values.length; i++) assert.ok(values[i] > values[i - 1]);
    const entries = index(result.path);
    assert.equal(entries.at(-1).eventsDiscarded, result.discardedEvents);
    for (const [k, e] of entries.entries()) assert.equal(e.packetSeqNum, k); // discard mode loses events, never packets
  },
);

test(
  "overwrite mode keeps the most recent packets; lost ones are packet_seq_num gaps",
  { skip: hasBt ? false : skipReason("babeltrace2") },
  () => {
    const count = 1_000_000;
    const result = burst("overwrite", count, 4096, 4);
    const { values } = recorded(result.path);
    assert.equal(result.discardedEvents, 0);
    assert.equal(values.at(-1), count - 1, "the last event is kept");
    for (let i = 1; i < values.length; i++) assert.ok(values[i] > values[i - 1]);
    // The tail is whole: at least the last full packet's worth of consecutive values.
    let run = 1;
    while (run < values.length && values.at(-run - 1) === values.at(-run) - 1) run++;
    assert.ok(run >= Math.floor((4096 - 84) / 10), `tail run ${run}`);
    const entries = index(result.path);
    const gaps = entries.reduce(
      (n, e, k) => n + (k === 0 ? e.packetSeqNum : e.packetSeqNum - entries[k - 1].packetSeqNum - 1),
      0,
    );
    assert.equal(gaps, result.lostPackets);
    assert.ok(result.lostPackets > 0, "a 1M-event burst into 4 x 4 KiB should lap the consumer");
    assert.ok(values.length < count);
  },
);

test("blocking mode loses nothing", { skip: hasBt ? false : skipReason("babeltrace2") }, () => {
  const count = 200_000;
  const result = burst("blocking", count);
  assert.equal(result.discardedEvents, 0);
  const { values } = recorded(result.path);
  assert.equal(values.length, count);
  assert.equal(result.recordedEvents, count);
  for (const [i, v] of values.entries()) assert.equal(v, i);
});
