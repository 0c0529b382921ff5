// The generated fast path (`compileField`) against its reference interpreter (`interpretField`):
// the same field classes (parsed from TSDL), the same random bytes, the same start state; the
// value or error, the bit position and every piece of state decoding touches must be equal.
// The skippers (`compileSkipper`) against the compiled readers, on the same inputs: the same
// error or none, and the same bit position and state, down to the last byte order recorded.
import assert from "node:assert/strict";
import { test } from "node:test";
import { mulberry32, TtngError } from "@ttng/base";
import type { StructFC } from "../model.js";
import { traceClassFromTsdl } from "../tsdl/visitor.js";
import { compileField } from "./compile.js";
import { interpretField } from "./interpret.js";
import { compileSkipper } from "./skip.js";
import { generateSkipper } from "./skip-gen.js";
import { DecodeState } from "./state.js";

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

function traceTsdl(byteOrder: "le" | "be", members: string): string {
  return `/* CTF 1.8 */
trace { major = 1; minor = 8; byte_order = ${byteOrder}; };
clock { name = c; freq = 1000000000; };
event { name = e; fields := struct { ${members} }; };
`;
}

/** Random TSDL members: every field class kind, packed and aligned, with lengths and tags before their users. */
class MemberGen {
  private k = 0;
  constructor(private readonly rng: Rng) {}

  members(depth: number, count: number): string {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(this.member(depth));
    return out.join("\n");
  }

  private name(prefix: string): string {
    return `${prefix}${this.k++}`;
  }

  private intType(maxSize = 64): string {
    const r = this.rng;
    const size = pick(
      r,
      [1, 2, 3, 5, 7, 8, 9, 12, 16, 17, 24, 31, 32, 33, 40, 48, 53, 54, 63, 64].filter((s) => s <= maxSize),
    );
    const align = pick(r, [1, 1, 2, 4, 8, 8, 16, 32, 64]);
    const signed = r() < 0.5 ? " signed = true;" : "";
    const bo = pick(r, ["", "", " byte_order = le;", " byte_order = be;"]);
    const map = r() < 0.05 ? " map = clock.c.value;" : "";
    const base = pick(r, ["", "", " base = 16;"]);
    return `integer { size = ${size}; align = ${align};${signed}${bo}${map}${base} }`;
  }

  private fieldClass(depth: number): { before: string[]; fc: string; suffix: string } {
    const r = this.rng;
    const kinds = ["int", "int", "int", "float", "string", "enum"];
    if (depth > 0) kinds.push("struct", "array", "sequence", "variant", "text");
    switch (pick(r, kinds)) {
      case "int":
        return { before: [], fc: this.intType(), suffix: "" };
      case "enum":
        return {
          before: [],
          fc: `enum : integer { size = ${int(r, 2, 8)}; align = ${pick(r, [1, 8])}; } { A = 0, B = 1, C = 2 ... 3 }`,
          suffix: "",
        };
      case "float": {
        const [exp, mant] = pick(r, [
          [8, 24],
          [11, 53],
        ]);
        const bo = pick(r, ["", " byte_order = le;", " byte_order = be;"]);
        return {
          before: [],
          fc: `floating_point { exp_dig = ${exp}; mant_dig = ${mant}; align = ${pick(r, [1, 8, 32])};${bo} }`,
          suffix: "",
        };
      }
      case "string":
        return { before: [], fc: "string", suffix: "" };
      case "text": {
        const elem = "integer { size = 8; align = 8; encoding = UTF8; }";
        if (r() < 0.5) return { before: [], fc: elem, suffix: `[${int(r, 0, 6)}]` };
        const len = this.name("len");
        return { before: [`integer { size = ${int(r, 2, 4)}; align = 1; } ${len};`], fc: elem, suffix: `[${len}]` };
      }
      case "struct": {
        const align = r() < 0.3 ? ` align(${pick(r, [1, 8, 16, 64])})` : "";
        return { before: [], fc: `struct { ${this.members(depth - 1, int(r, 0, 3))} }${align}`, suffix: "" };
      }
      case "array": {
        const e = this.fieldClass(depth - 1);
        return { before: e.before, fc: e.fc, suffix: `${e.suffix}[${int(r, 0, 3)}]` };
      }
      case "sequence": {
        const len = this.name("len");
        const e = this.fieldClass(depth - 1);
        // A small length (2-3 bits) keeps random sequences short; sometimes a byte, to reach "not enough data".
        const lenFc = r() < 0.8 ? `integer { size = ${int(r, 2, 3)}; align = 1; }` : "integer { size = 8; align = 8; }";
        return { before: [`${lenFc} ${len};`, ...e.before], fc: e.fc, suffix: `[${len}]${e.suffix}` };
      }
      default: {
        const tag = this.name("tag");
        // Tag value 3 has no label: the "no option selected" error.
        const tagFc = `enum : integer { size = 2; align = ${pick(r, [1, 8])}; } { A = 0, B = 1, C = 2 }`;
        const opts = ["A", "B", "C"].map((o) => {
          const e = this.fieldClass(depth - 1);
          return { o, e };
        });
        const before = [`${tagFc} ${tag};`, ...opts.flatMap((x) => x.e.before)];
        // Option members cannot have lengths of their own inside the variant: they were hoisted before it.
        const body = opts.map(({ o, e }) => `${e.fc} ${o}${e.suffix};`).join(" ");
        return { before, fc: `variant <${tag}> { ${body} }`, suffix: "" };
      }
    }
  }

  private member(depth: number): string {
    const { before, fc, suffix } = this.fieldClass(depth);
    return [...before, `${fc} ${this.name("f")}${suffix};`].join("\n");
  }
}

/** Hand-picked field classes: packed bit fields, byte order changes, effects, edge sizes. */
const FIXED: string[] = [
  "integer { size = 5; align = 1; byte_order = be; } a; integer { size = 3; align = 1; byte_order = le; } b;",
  "integer { size = 5; align = 1; byte_order = le; } a; integer { size = 3; align = 1; byte_order = be; } b;",
  "integer { size = 3; align = 1; byte_order = le; } a; integer { size = 4; align = 4; byte_order = be; } b;",
  "integer { size = 3; align = 1; byte_order = le; } a; floating_point { exp_dig = 8; mant_dig = 24; align = 1; byte_order = be; } b;",
  "integer { size = 3; align = 1; byte_order = le; } a; integer { size = 8; align = 8; byte_order = be; } b; integer { size = 3; align = 1; byte_order = be; } c; integer { size = 3; align = 1; byte_order = le; } d;",
  "integer { size = 4; align = 1; byte_order = be; } a; struct { } e; integer { size = 4; align = 1; byte_order = le; } b;",
  "integer { size = 64; align = 1; signed = true; } a; integer { size = 63; align = 1; } b; integer { size = 1; align = 1; signed = true; } c;",
  "integer { size = 27; align = 1; map = clock.c.value; } t; integer { size = 64; align = 8; map = clock.c.value; } u;",
  "integer { size = 8; align = 8; } n; integer { size = 16; align = 16; } s[n];",
  "integer { size = 8; align = 8; } n; struct { } s[n]; integer { size = 8; align = 8; } m; integer { size = 3; align = 1; } z[n][m];",
  "integer { size = 8; align = 8; } n; string s[n];",
  "enum : integer { size = 8; align = 8; } { X = 0, Y = 1 } t; variant <t> { integer { size = 32; align = 32; } X; string Y; } v;",
  "integer { size = 8; align = 8; } n; integer { size = 8; align = 8; encoding = UTF8; } s[n]; integer { size = 8; align = 8; encoding = UTF8; } u[5];",
  "floating_point { exp_dig = 11; mant_dig = 53; align = 1; } a; floating_point { exp_dig = 8; mant_dig = 24; align = 8; byte_order = be; } b;",
  // Static runs (one bounds check in the skippers) and what breaks them.
  "integer { size = 8; align = 8; } a; integer { size = 16; align = 8; } b; integer { size = 32; align = 8; } c; floating_point { exp_dig = 11; mant_dig = 53; align = 8; } d; integer { size = 8; align = 8; encoding = UTF8; } t[3];",
  "integer { size = 16; align = 16; } a; integer { size = 64; align = 64; } b; integer { size = 8; align = 8; } c; integer { size = 32; align = 32; } d;",
  "integer { size = 8; align = 8; } n; struct { integer { size = 16; align = 16; } a; integer { size = 8; align = 8; } b[3]; } s[n]; integer { size = 24; align = 8; } z;",
  "integer { size = 3; align = 1; byte_order = be; } a; integer { size = 8; align = 8; byte_order = le; } b; integer { size = 5; align = 1; byte_order = be; } c; integer { size = 8; align = 8; } d[2];",
  "integer { size = 8; align = 8; } n; struct { } align(8) e[n]; struct { } align(8) f[70000]; integer { size = 8; align = 8; } g;",
];

interface Outcome {
  value?: unknown;
  error?: { name: string; code: string; message: string };
  pos: number;
  lastBo: number;
  stored: number[];
  clockHi: number;
  clockLo: number;
}

function run(read: (st: DecodeState) => unknown, st: DecodeState): Outcome {
  const out: Outcome = { pos: 0, lastBo: 0, stored: [], clockHi: 0, clockLo: 0 };
  try {
    out.value = read(st);
  } catch (e) {
    // Only typed errors are expected failures; anything else (TypeError, RangeError) is a decoder bug.
    assert.ok(e instanceof TtngError, `untyped error: ${(e as Error)?.stack ?? String(e)}`);
    out.error = { name: e.name, code: e.code, message: e.message };
  }
  out.pos = st.pos;
  // The compiled decoders only record the byte order of fields that may end inside a byte: the
  // two agree on it where it matters, when the cursor is inside a byte.
  out.lastBo = (st.pos & 7) !== 0 ? st.lastBo : -1;
  out.stored = [...st.stored];
  out.clockHi = st.clockHi;
  out.clockLo = st.clockLo;
  return out;
}

function state(buf: Uint8Array, startBits: number, endBits: number, slots: number, seed: number[]): DecodeState {
  const st = new DecodeState();
  st.setBuffer(buf, 4096);
  st.pos = startBits;
  st.end = endBits;
  st.stored = new Array<number>(slots).fill(0);
  st.lastBo = seed[0]!;
  st.clockHi = seed[1]!;
  st.clockLo = seed[2]!;
  return st;
}

interface SkipOutcome {
  error?: { name: string; code: string; message: string };
  pos: number;
  lastBo: number;
  stored: number[];
  clockHi: number;
  clockLo: number;
}

function runSkipOrRead(go: (st: DecodeState) => unknown, st: DecodeState): SkipOutcome {
  const out: SkipOutcome = { pos: 0, lastBo: 0, stored: [], clockHi: 0, clockLo: 0 };
  try {
    go(st);
  } catch (e) {
    assert.ok(e instanceof TtngError, `untyped error: ${(e as Error)?.stack ?? String(e)}`);
    out.error = { name: e.name, code: e.code, message: e.message };
  }
  out.pos = st.pos;
  out.lastBo = st.lastBo;
  out.stored = [...st.stored];
  out.clockHi = st.clockHi;
  out.clockLo = st.clockLo;
  return out;
}

/**
 * Decodes `count` random inputs with both decoders, and skips them; returns how many decoded
 * without error.
 */
function compare(payload: StructFC, slots: number, rng: Rng, count: number, label: string): number {
  const compiled = compileField(payload);
  const skip = compileSkipper(payload);
  const gen = generateSkipper(payload);
  let ok = 0;
  for (let i = 0; i < count; i++) {
    const len = int(rng, 0, 48);
    const buf = new Uint8Array(len);
    // Mostly small bytes, so that sequence lengths and variant tags select something decodable.
    for (let j = 0; j < len; j++) buf[j] = rng() < 0.5 ? int(rng, 0, 3) : int(rng, 0, 255);
    const start = rng() < 0.7 ? 0 : int(rng, 0, 7);
    const end = rng() < 0.7 ? len * 8 : int(rng, start, len * 8);
    const seed = [int(rng, 0, 2), rng() < 0.5 ? 0 : int(rng, 0, 0xffffffff), int(rng, 0, 0xffffffff)];
    const a = run(compiled, state(buf, start, Math.max(start, end), slots, seed));
    const b = run((st) => interpretField(payload, st), state(buf, start, Math.max(start, end), slots, seed));
    assert.deepEqual(a, b, `${label}, input ${i}: bytes=${Array.from(buf).join(",")} start=${start} end=${end}`);
    const c = runSkipOrRead(compiled, state(buf, start, Math.max(start, end), slots, seed));
    const d = runSkipOrRead(skip, state(buf, start, Math.max(start, end), slots, seed));
    assert.deepEqual(d, c, `skip: ${label}, input ${i}: bytes=${Array.from(buf).join(",")} start=${start} end=${end}`);
    const g = runSkipOrRead(gen, state(buf, start, Math.max(start, end), slots, seed));
    assert.deepEqual(
      g,
      c,
      `generated skip: ${label}, input ${i}: bytes=${Array.from(buf).join(",")} start=${start} end=${end}`,
    );
    if (a.error === undefined) ok++;
  }
  return ok;
}

function parsePayload(tsdl: string): { payload: StructFC; slots: number } {
  const tc = traceClassFromTsdl(tsdl);
  const payload = tc.streamClasses[0]!.eventClasses[0]!.payload!;
  return { payload, slots: tc.storedValueCount };
}

test("compileField() and compileSkipper() agree with interpretField() on hand-picked field classes", () => {
  const rng = mulberry32(0x7e57);
  for (const [i, members] of FIXED.entries()) {
    for (const bo of ["le", "be"] as const) {
      const { payload, slots } = parsePayload(traceTsdl(bo, members));
      compare(payload, slots, rng, 300, `fixed case ${i} (${bo})`);
    }
  }
});

test("compileField() and compileSkipper() agree with interpretField() on random field classes", () => {
  const rng = mulberry32(0x5eed);
  let classes = 0;
  let decoded = 0;
  let failed = 0;
  for (let i = 0; i < 300; i++) {
    const gen = new MemberGen(rng);
    const tsdl = traceTsdl(rng() < 0.5 ? "le" : "be", gen.members(3, int(rng, 1, 6)));
    let parsed: { payload: StructFC; slots: number };
    try {
      parsed = parsePayload(tsdl);
    } catch (e) {
      assert.fail(`generated TSDL rejected: ${(e as Error).message}\n${tsdl}`);
    }
    classes++;
    const ok = compare(parsed.payload, parsed.slots, rng, 40, `random class ${i}:\n${tsdl}`);
    decoded += ok;
    failed += 40 - ok;
  }
  // Both outcomes must be well represented, or the comparison proves little.
  assert.equal(classes, 300);
  assert.ok(decoded > 1000, `decoded ${decoded}`);
  assert.ok(failed > 1000, `failed ${failed}`);
});

test("a byte order change inside a byte is a decoding error in both decoders", () => {
  const { payload, slots } = parsePayload(traceTsdl("le", FIXED[0]!));
  for (const read of [compileField(payload), (st: DecodeState) => interpretField(payload, st)]) {
    const st = state(new Uint8Array([0xff]), 0, 8, slots, [0, 0, 0]);
    assert.throws(() => read(st), {
      code: "ERR_DECODE",
      message: /byte order changes from big-endian to little-endian/,
    });
  }
  // At a byte boundary the change is fine; the next bit field inside a byte must keep the order.
  const members =
    "integer { size = 3; align = 1; byte_order = le; } a; integer { size = 8; align = 8; byte_order = be; } b; integer { size = 3; align = 1; byte_order = be; } c;";
  const ok = parsePayload(traceTsdl("le", members));
  for (const read of [compileField(ok.payload), (st: DecodeState) => interpretField(ok.payload, st)]) {
    assert.deepEqual(read(state(new Uint8Array([5, 7, 0xe0]), 0, 24, ok.slots, [0, 0, 0])), [5, 7, 7]);
  }
});

test("the generated skipper finds a string's null byte at every offset, within the content, past 64 bytes", () => {
  // Strings of 0 to 150 bytes (word-at-a-time scan, byte tail, indexOf past 64), each starting at
  // every byte offset 0 to 7 of the buffer, with bytes 0x01 and 0x80 (the word test's edge values)
  // and 0xff around; the content ending before, at and after the null byte.
  const { payload, slots } = parsePayload(traceTsdl("le", "string s; integer { size = 8; align = 8; } after;"));
  const compiled = compileField(payload);
  const gen = generateSkipper(payload);
  const fill = [0x01, 0x80, 0xff, 0x41, 0x7f, 0x81];
  let cases = 0;
  for (let len = 0; len <= 150; len++) {
    for (let start = 0; start < 8; start++) {
      const buf = new Uint8Array(start + len + 2 + 8);
      for (let j = 0; j < buf.length; j++) buf[j] = fill[(j * 7 + len) % fill.length]!;
      buf[start + len] = 0;
      for (const endByte of [start + len, start + len + 1, start + len + 2, buf.length]) {
        const expect = runSkipOrRead(compiled, state(buf, start * 8, endByte * 8, slots, [0, 0, 0]));
        const got = runSkipOrRead(gen, state(buf, start * 8, endByte * 8, slots, [0, 0, 0]));
        assert.deepEqual(got, expect, `len=${len} start=${start} end=${endByte}`);
        cases++;
      }
    }
  }
  assert.equal(cases, 151 * 8 * 4);
});
