// Discarded-items counters that go backwards (seen in real LTTng overwrite-mode traces): babeltrace2
// subtracts the packet-context counters in uint64, so a lower `events_discarded` or `packet_seq_num`
// than the previous packet's reads as a wrapped-around, huge count. ttng prints what babeltrace2
// prints, keeps the count exact, and sink.ctf.fs writes it back so the copy reads the same.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { kitchenSink, writeTrace } from "./lib/ctf-gen.mjs";
import { haveTool, run, skipReason, ttng } from "./helpers.mjs";

const bt = haveTool("babeltrace2");
let work;
let trace;

before(() => {
  work = mkdtempSync(join(tmpdir(), "ttng-discwrap-"));
  trace = join(work, "trace");
  const { description } = kitchenSink();
  const ev = (ts) => ({ name: "demo:empty", ts, streamContext: { vtid: 7 } });
  const chan0 = [];
  for (let i = 0; i < 30; i++) {
    chan0.push(ev(1000 + i * 500));
    if (i % 3 === 2) chan0.push({ packetBreak: true });
    if (i === 5) chan0.push({ discard: 7 });
    if (i === 11) chan0.push({ discard: -4 }); // the counter goes backwards
    if (i === 17) chan0.push({ skipPackets: -2 }); // the sequence number goes backwards
    if (i === 23) chan0.push({ skipPackets: 3 });
  }
  writeTrace(trace, description, { chan_0: chan0 });
});
after(() => rmSync(work, { recursive: true, force: true }));

const warnings = (s) =>
  s
    .split("\n")
    .filter((l) => l.startsWith("WARNING"))
    .join("\n");

test(
  "counters going backwards give babeltrace2's wrapped-around counts",
  { skip: bt ? false : skipReason("babeltrace2") },
  () => {
    const want = run("babeltrace2", [trace]);
    const got = ttng(["view", "--compat=2.0", trace]);
    assert.equal(got.status, want.status);
    assert.match(want.stderr, /18446744073709551612 events/);
    assert.equal(warnings(got.stderr), warnings(want.stderr));
    assert.equal(got.stdout, want.stdout);
  },
);

test("the JSON sink gives a wrapped-around count as a string", () => {
  const got = ttng(["convert", "-o", "json", trace]);
  assert.equal(got.status, 0, got.stderr);
  const counts = got.stdout
    .split("\n")
    .filter((l) => l.includes('"discarded-'))
    .map((l) => JSON.parse(l).count);
  assert.ok(counts.includes("18446744073709551612"), JSON.stringify(counts));
});

test("sink.ctf.fs writes the backward counters back: the copy reads the same", () => {
  const out = join(work, "copy");
  const w = ttng(["convert", trace, "-o", "ctf", "-w", out]);
  assert.equal(w.status, 0, w.stderr);
  const a = ttng(["view", trace]);
  const b = ttng(["view", out]);
  // The copy is another trace (its own directory, name and UUID): compare what was discarded, and when.
  const what = (s) => warnings(s).replace(/ in trace .*$/gm, "");
  assert.equal(what(b.stderr), what(a.stderr));
  assert.match(what(a.stderr), /18446744073709551614 packets/);
  assert.equal(b.stdout, a.stdout);
});
