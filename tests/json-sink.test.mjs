// sink.text.json (`convert -o json`): every line is JSON, one object per event (as many as
// `ttng view` prints) and per discarded-items message (as many as its warnings), with values
// matching what sink.text.pretty shows: 64-bit extremes, negatives, enums, escaped strings.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { corpus, hasCorpus, skipReason, ttng } from "./helpers.mjs";
import { ft, kitchenSink, writeTrace } from "./lib/ctf-gen.mjs";

const succeed = join(corpus, "ctf-traces/1/succeed");
const skipCorpus = hasCorpus && existsSync(succeed) ? false : skipReason("../shared/conformance");
const dir = mkdtempSync(join(tmpdir(), "ttng-json-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Parses JSON Lines output (UTF-8 bytes read as latin1 by the helpers). */
function parseLines(latin1) {
  const text = Buffer.from(latin1, "latin1").toString("utf8");
  if (text === "") return [];
  assert.ok(text.endsWith("\n"), "output ends with a newline");
  return text
    .slice(0, -1)
    .split("\n")
    .map((l) => JSON.parse(l));
}

const traces = skipCorpus ? [] : readdirSync(succeed).filter((n) => statSync(join(succeed, n)).isDirectory());

for (const name of traces) {
  test(`-o json on ${name}: one JSON object per event and per discarded-items warning`, () => {
    const path = join(succeed, name);
    const pretty = ttng(["view", path]);
    const json = ttng(["convert", "-o", "json", path]);
    assert.equal(json.status, pretty.status, json.stderr);
    if (pretty.status !== 0) return;
    const objs = parseLines(json.stdout);
    const events = objs.filter((o) => o.type === "event");
    const prettyLines = pretty.stdout === "" ? 0 : pretty.stdout.split("\n").length - 1;
    assert.equal(events.length, prettyLines);
    const warnings = (pretty.stderr.match(/WARNING/g) ?? []).length;
    assert.equal(objs.length - events.length, warnings);
    for (const d of objs.filter((o) => o.type !== "event")) {
      const what = d.type === "discarded-events" ? "event" : "packet";
      const said = d.count === null ? `may have discarded ${what}s` : `discarded ${d.count} ${what}`;
      assert.ok(pretty.stderr.includes(said), said);
    }
    // Same events in the same order: each pretty line shows its event's name.
    const lines = pretty.stdout.split("\n");
    for (let i = 0; i < events.length; i++) {
      if (events[i].name !== null) assert.ok(` ${lines[i]}`.includes(` ${events[i].name}: `), lines[i]);
    }
  });
}

test("-o json values match the pretty output on a trace with every field kind", () => {
  const trace = join(dir, "ks");
  const { description, events } = kitchenSink();
  writeTrace(trace, description, events);
  const json = ttng(["convert", "-o", "json", trace]);
  assert.equal(json.status, 0, json.stderr);
  const objs = parseLines(json.stdout);
  const pretty = ttng(["view", trace]);
  assert.equal(objs.length, pretty.stdout.split("\n").length - 1);
  const ints = objs[0];
  assert.equal(ints.name, "demo:ints");
  assert.deepEqual(ints.timestamp, { ns: "1700000000500001100", cycles: 1100 });
  assert.equal(ints.trace, "demohost");
  assert.equal(ints.trace_uuid, "2a6422d0-6cee-11e0-8c08-cb07d7b3a564");
  assert.equal(ints.stream_class_id, 0);
  assert.deepEqual(ints.packet_context, { cpu_id: 0, pc_user: 7 });
  assert.deepEqual(ints.common_context, { vtid: 11 });
  assert.deepEqual(ints.specific_context, { ctx_flag: 1 });
  const p = ints.payload;
  // Pretty: u64max = 18446744073709551615, s64min = -9223372036854775808, hex16 = 0xFFFE (-2).
  assert.match(pretty.stdout, /u64max = 18446744073709551615, s64min = -9223372036854775808/);
  assert.equal(p.u64max, "18446744073709551615");
  assert.equal(p.s64min, "-9223372036854775808");
  assert.equal(p.s5, -3);
  assert.equal(p.other_s7, -9);
  assert.equal(p.hex16, -2);
  assert.equal(p.oct, 8);
  assert.equal(p.bin, 5);
  const c = objs[1];
  assert.equal(c.name, "demo:compound");
  // Pretty: en = ( { "RANGE", "OVERLAP" } : container = 15 ), sen = ( "NEG" : container = -1 ).
  assert.deepEqual(c.payload.en, { value: 15, labels: ["RANGE", "OVERLAP"] });
  assert.deepEqual(c.payload.sen, { value: -1, labels: ["NEG"] });
  assert.equal(c.payload.str, "tab\there \"q\" 'a' back\\slash nl\n bel\x07 esc\x1b ctl\x01 café ☃");
  assert.equal(c.payload.dbl, 3.25);
  assert.deepEqual(c.payload.nested, { a: 7, inner: { b: -300, c: "in" } });
  assert.deepEqual(c.payload.arr, [1, -2, 3]);
  assert.deepEqual(c.payload.seq, [10, 20, 65535]);
  assert.equal(c.payload.v, "green!");
  assert.equal(c.payload.txt, "ABC");
  assert.deepEqual(c.payload.arr_st, [
    { x: 1, y: "p" },
    { x: 6, y: "q" },
  ]);
  assert.deepEqual(c.payload.empty_arr, []);
  const byTs = objs.map((o) => [o.name, o.timestamp.cycles, o.stream_id]);
  assert.deepEqual(byTs, [
    ["demo:ints", 1100, 0],
    ["demo:compound", 1200, 0],
    ["demo:compound", 1250, 1],
    ["demo:compound", 1300, 0],
    ["demo:empty", 1400, 0],
  ]);
  assert.equal(objs[2].payload.v, -1.2345e-5);
  assert.deepEqual(objs[3].payload.en, { value: 99, labels: [] });
  assert.equal(objs[3].payload.v, -256);
  assert.deepEqual(objs[4].payload, {});
});

test("-o json -w FILE writes the same lines to FILE", () => {
  const trace = join(dir, "ks2");
  const { description, events } = kitchenSink({ byteOrder: "be" });
  writeTrace(trace, description, events);
  const out = join(dir, "out.jsonl");
  const r = ttng(["convert", "-o", "json", "-w", out, trace]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "");
  const std = ttng(["convert", "-o", "json", trace]);
  assert.equal(readFileSync(out, "latin1"), std.stdout);
  assert.equal(parseLines(std.stdout).length, 5);
});

test("-o json decodes strings as UTF-8 and replaces invalid bytes with U+FFFD", () => {
  const trace = join(dir, "bytes");
  writeTrace(
    trace,
    {
      byteOrder: "le",
      clocks: [{ name: "c", freq: 1e9 }],
      streamClasses: [{ id: 0, clock: "c", eventHeader: "lttng-large" }],
      eventClasses: [{ id: 0, name: "s", payload: [["s", ft.string()]] }],
      streams: [{ name: "chan", streamClassId: 0 }],
    },
    { chan: [{ name: "s", ts: 1, fields: { s: Buffer.from([0x61, 0xff, 0x62, 0xc3, 0xa9, 0xe2, 0x82]) } }] },
  );
  const r = ttng(["convert", "-o", "json", trace]);
  if (r.status !== 0) assert.fail(r.stderr);
  const [o] = parseLines(r.stdout);
  assert.equal(o.payload.s, "a\uFFFDbé\uFFFD");
});
