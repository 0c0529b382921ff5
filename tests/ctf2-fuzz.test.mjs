// Fuzzing CTF 2 metadata: mutated JSON text sequences (from the corpus' CTF 2 metadata, with a
// fixed seed), deep nesting, huge lengths and bad field locations. Every input must either give
// a trace class or a typed error (`TtngError`, the whole cause chain), never a crash, within a
// bounded time and memory; trace classes that do build must decode a short packet the same way.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { TtngError } from "../packages/base/dist/index.js";
import { TraceDecoder, traceClassFromCtf2 } from "../packages/ctf/dist/index.js";
import { corpus, hasCorpus } from "./helpers.mjs";

const RS = "\x1e";
const frag = (o) => `${RS}${JSON.stringify(o)}\n`;
const head =
  frag({ type: "preamble", version: 2 }) + frag({ type: "trace-class" }) + frag({ type: "data-stream-class" });
const withPayload = (fc) =>
  head +
  frag({
    type: "event-record-class",
    "payload-field-class": { type: "structure", "member-classes": [{ name: "root", "field-class": fc }] },
  });

/** Text as the byte string `decodeMetadataStream` gives (UTF-8 bytes, one char each). */
const bytes = (s) => Buffer.from(s, "utf8").toString("latin1");

function assertTyped(e, what) {
  for (let x = e; x !== undefined && x !== null; x = x.cause) {
    assert.ok(x instanceof TtngError, `${what}: not a TtngError in the cause chain: ${x?.stack ?? x}`);
  }
}

/** Runs one input: a trace class or a typed error; then a short decode, typed errors only. */
function check(text, what) {
  const t0 = performance.now();
  let tc;
  try {
    tc = traceClassFromCtf2(bytes(text));
  } catch (e) {
    assertTyped(e, what);
  }
  if (tc) {
    for (const mode of ["compiled", "interpreted"]) {
      try {
        const d = new TraceDecoder(tc, mode);
        const st = d.newState();
        st.setBuffer(new Uint8Array(64).fill(0xa5), 0);
        const pre = d.readPreamble(st);
        d.readEvent(st, pre.streamClass);
      } catch (e) {
        assertTyped(e, `${what} (${mode} decode)`);
      }
    }
  }
  const ms = performance.now() - t0;
  // Generous: CI machines are loaded; unbounded work (an alias bomb) would take minutes.
  assert.ok(ms < 10000, `${what}: took ${ms.toFixed(0)} ms`);
}

let seed = 0x2545f491;
function rnd(n) {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
}

const sources = [];
if (hasCorpus) {
  const dir = join(corpus, "ctf-traces/2/succeed");
  for (const t of readdirSync(dir).sort()) {
    const p = join(dir, t, "metadata");
    if (existsSync(p)) sources.push(readFileSync(p, "utf8"));
  }
}

const JUNK = ['"', "{", "}", "[", "]", ",", ":", "null", "-1", "1e309", "18446744073709551617", RS, "\\u0000", "true"];

test("mutated CTF 2 metadata gives a trace class or a typed error", { skip: !hasCorpus && "corpus absent" }, () => {
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 1500; i++) {
    const src = sources[rnd(sources.length)];
    let s = src;
    const kind = rnd(4);
    const at = rnd(s.length);
    if (kind === 0) s = s.slice(0, at) + JUNK[rnd(JUNK.length)] + s.slice(at + 1);
    else if (kind === 1) s = s.slice(0, at);
    else if (kind === 2) s = s.slice(0, at) + s.slice(at + 1 + rnd(40));
    else {
      // Replace a number with an extreme one.
      s = s.replace(/\d+/g, (m) => (rnd(20) === 0 ? JUNK[4 + rnd(3)] : m));
    }
    check(s, `mutation #${i}`);
  }
  const grownMb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  assert.ok(grownMb < 512, `heap grew by ${grownMb.toFixed(0)} MiB`);
});

test("deeply nested CTF 2 field classes and JSON give typed errors", () => {
  const open = '{"type":"structure","member-classes":[{"name":"m","field-class":';
  const leaf = '{"type":"fixed-length-unsigned-integer","length":8,"byte-order":"little-endian"}';
  check(withPayload(null).replace("null", open.repeat(5000) + leaf + "}]}".repeat(5000)), "5000 nested structures");
  // Within the JSON nesting limit, but chained aliases nest field classes beyond theirs.
  let chain = head + frag({ type: "field-class-alias", name: "c0", "field-class": JSON.parse(leaf) });
  for (let i = 1; i < 400; i++) chain += frag({ type: "field-class-alias", name: `c${i}`, "field-class": `c${i - 1}` });
  check(chain, "400 chained aliases");
  check(withPayload(null).replace("null", "[".repeat(200000) + "]".repeat(200000)), "200000 nested arrays");
  // Aliases that each use the previous one many times: exponential expansion is bounded.
  let text = head;
  text += frag({
    type: "field-class-alias",
    name: "a0",
    "field-class": { type: "fixed-length-boolean", length: 8, "byte-order": "little-endian" },
  });
  for (let i = 1; i < 40; i++) {
    const members = Array.from({ length: 10 }, (_, k) => ({ name: `m${k}`, "field-class": `a${i - 1}` }));
    text += frag({
      type: "field-class-alias",
      name: `a${i}`,
      "field-class": { type: "structure", "member-classes": members },
    });
  }
  check(text, "alias bomb");
});

test("huge lengths in CTF 2 field classes give typed errors, never huge allocations", () => {
  const cases = [
    { type: "fixed-length-unsigned-integer", length: 65, "byte-order": "little-endian" },
    { type: "fixed-length-unsigned-integer", length: 1e300, "byte-order": "little-endian" },
    { type: "static-length-array", length: 2 ** 31, "element-field-class": { type: "null-terminated-string" } },
    { type: "static-length-array", length: 2 ** 40, "element-field-class": { type: "null-terminated-string" } },
    { type: "static-length-blob", length: 2 ** 31 },
    { type: "static-length-string", length: 2 ** 31 },
    { type: "fixed-length-bit-map", length: 8, "byte-order": "little-endian", flags: { f: [[0, 2 ** 40]] } },
    { type: "structure", "minimum-alignment": 2 ** 40, "member-classes": [] },
    { type: "structure", "minimum-alignment": 3, "member-classes": [] },
    { type: "fixed-length-floating-point-number", length: 128, "byte-order": "little-endian" },
  ];
  for (const fc of cases) check(withPayload(fc), JSON.stringify(fc).slice(0, 80));
  // A dynamic length read from the data: 0xa5a5a5a5 elements of nothing fail before allocation.
  check(
    withPayload({
      type: "structure",
      "member-classes": [
        {
          name: "n",
          "field-class": { type: "fixed-length-unsigned-integer", length: 32, "byte-order": "little-endian" },
        },
        {
          name: "a",
          "field-class": {
            type: "dynamic-length-array",
            "length-field-location": { path: ["n"] },
            "element-field-class": { type: "structure", "member-classes": [] },
          },
        },
      ],
    }),
    "dynamic array of empty structures",
  );
});

test("bad CTF 2 field locations give typed errors naming the location", () => {
  const u8 = { type: "fixed-length-unsigned-integer", length: 8, "byte-order": "little-endian" };
  const seq = (loc) => ({
    type: "structure",
    "member-classes": [
      { name: "len", "field-class": u8 },
      {
        name: "arr",
        "field-class": { type: "dynamic-length-array", "length-field-location": loc, "element-field-class": u8 },
      },
      { name: "after", "field-class": u8 },
    ],
  });
  const bad = [
    { path: ["nope"] },
    { path: [null, null, null, "len"] },
    { path: ["after"] },
    { path: ["arr"] },
    { path: [] },
    { path: ["len", null] },
    { origin: "event-record-payload", path: [null, "len"] },
    { origin: "event-record-payload", path: ["root", "after"] },
    { origin: "somewhere", path: ["len"] },
    { origin: "packet-header", path: ["len"] },
    { path: "len" },
  ];
  for (const loc of bad) {
    let error;
    try {
      traceClassFromCtf2(bytes(withPayload(seq(loc))));
    } catch (e) {
      error = e;
    }
    assert.ok(error, `location ${JSON.stringify(loc)} must be refused`);
    assertTyped(error, JSON.stringify(loc));
    assert.match(error.message, /location|path|origin/i);
  }
  // And the good one resolves.
  assert.ok(traceClassFromCtf2(bytes(withPayload(seq({ path: ["len"] })))));
});

test("unknown CTF 2 extensions are refused, empty ones accepted", () => {
  const ext = (o) =>
    frag({ type: "preamble", version: 2, ...o }) + frag({ type: "trace-class" }) + frag({ type: "data-stream-class" });
  assert.throws(
    () => traceClassFromCtf2(bytes(ext({ extensions: { "example.com": { x: {} } } }))),
    /unsupported extension/,
  );
  assert.ok(traceClassFromCtf2(bytes(ext({ extensions: {} }))));
  assert.throws(
    () => traceClassFromCtf2(bytes(head.replace('"trace-class"}', '"trace-class","extensions":{"x":{"y":1}}}'))),
    /unsupported extension/,
  );
});
