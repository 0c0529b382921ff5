/**
 * The generated printers (and the ByteWriter fast paths they use) against
 * the closure printers and the string formatters they replace: random
 * field-class trees with random values, every option combination (names,
 * multi-label braces, colors), must print the same bytes.
 */
import assert from "node:assert/strict";
import { mulberry32 } from "@ttng/base";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import type { IrEnumMapping, IrFieldClass } from "@ttng/graph";
import { ByteWriter } from "./byte-writer.js";
import { prettyColors, terminalColors } from "./colors.js";
import { escapeString, formatG, formatInt } from "./format.js";
import { compilePrinter, type Printer } from "./printer.js";
import { captureBytes, generatePrinter } from "./printer-gen.js";

const SEED = Number(process.env.TTNG_PRINTER_SEED ?? 20261126);
const CASES = Number(process.env.TTNG_PRINTER_CASES ?? 400);

// One writer for all checks (a fresh one per check would allocate its whole buffer each time).
let chunks: Uint8Array[] = [];
const writer = new ByteWriter((b) => chunks.push(b.slice()));

function bytesOf(write: (w: ByteWriter) => void): string {
  chunks = [];
  write(writer);
  writer.flush();
  return Buffer.concat(chunks).toString("latin1");
}

class Random {
  constructor(readonly r: () => number) {}
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  /** Byte strings with escapes, NULs, high bytes and long runs. */
  str(): string {
    const n = this.pick([0, 1, 3, 8, 40, 300]);
    let s = "";
    for (let i = 0; i < n; i++) {
      const k = this.int(10);
      s += String.fromCharCode(
        k === 0
          ? this.int(32)
          : k === 1
            ? this.pick([0x5c, 0x27, 0x22, 0x3f, 0x7f])
            : k === 2
              ? 128 + this.int(128)
              : 32 + this.int(95),
      );
    }
    return s;
  }
  intValue(signed: boolean, length: number): number | bigint {
    const k = this.int(8);
    if (length > 53 && k === 0) {
      const big = BigInt.asUintN(length, (BigInt(Math.floor(this.r() * 2 ** 32)) << 32n) | BigInt(this.int(2 ** 32)));
      const v = signed ? BigInt.asIntN(length, big) : big;
      return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
    }
    const bits = Math.min(length, 53) - (signed ? 1 : 0);
    const mag =
      k === 1 ? this.int(10) : k === 2 ? 2 ** Math.max(0, bits) - 1 : Math.floor(this.r() * 2 ** Math.max(0, bits));
    return signed && this.r() < 0.5 ? -mag : mag;
  }
  real(): number {
    const k = this.int(12);
    if (k === 0)
      return this.pick([
        0,
        -0,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        1e-4,
        1e5,
        99999.95,
        0.5,
        12345.25,
      ]);
    if (k === 1) return (this.int(2000000) - 1000000) / this.pick([1, 2, 4, 8, 16, 1024]);
    if (k === 2) return Math.fround((this.r() - 0.5) * 10 ** (this.int(12) - 6));
    const v = (this.r() - 0.5) * 10 ** (this.int(30) - 10);
    return v;
  }
  mappings(signed: boolean, length: number): IrEnumMapping[] {
    const n = this.int(5);
    const out: IrEnumMapping[] = [];
    for (let i = 0; i < n; i++) {
      const lo = this.int(20) - (signed ? 5 : 0);
      out.push({ label: this.str(), ranges: [[lo, lo + this.int(4)]] });
      if (this.r() < 0.3) out[i]!.ranges.push([lo + 10, lo + 12]);
      if (length > 8 && this.r() < 0.2) out[i]!.ranges.push([100, 2 ** Math.min(length - 1, 40)]);
    }
    return out;
  }
}

function randomFc(R: Random, depth: number): IrFieldClass {
  const k = R.int(depth > 3 ? 7 : 12);
  switch (k) {
    case 0:
    case 1: {
      const signed = R.r() < 0.5;
      const length = R.pick([1, 5, 8, 16, 27, 32, 33, 52, 53, 64]);
      const base = R.pick([10, 10, 16, 8, 2] as const);
      return { kind: "int", signed, length, base, mappings: R.r() < 0.25 ? R.mappings(signed, length) : undefined };
    }
    case 2:
      return { kind: "real", single: false };
    case 3:
      return { kind: "string" };
    case 4:
      return { kind: "bool" };
    case 5: {
      const length = R.pick([3, 8, 32, 64]);
      if (R.r() < 0.5) return { kind: "bit-array", length };
      const flags = Array.from({ length: 1 + R.int(3) }, () => {
        const b = R.int(length);
        return { label: R.str(), ranges: [[b, Math.min(length - 1, b + R.int(3))]] as Array<[number, number]> };
      });
      return { kind: "bit-array", length, flags };
    }
    case 6:
      return { kind: "blob", mediaType: "application/octet-stream", length: undefined, lengthPath: undefined };
    case 7:
    case 8: {
      const n = R.int(5);
      const members = Array.from({ length: n }, (_, i) => ({ name: R.str(), fc: randomFc(R, depth + 1), slot: i }));
      // Slots need not follow member order (hidden members take slots too).
      if (n > 1 && R.r() < 0.3) members.reverse();
      return { kind: "struct", members };
    }
    case 9:
      return R.r() < 0.5
        ? { kind: "static-array", element: randomFc(R, depth + 1), length: 0 }
        : { kind: "dynamic-array", element: randomFc(R, depth + 1), lengthPath: undefined };
    case 10:
      return {
        kind: "variant",
        options: Array.from({ length: 1 + R.int(3) }, () => ({
          name: R.str(),
          fc: randomFc(R, depth + 1),
          ranges: [],
        })),
        selectorPath: undefined,
        selectorSigned: false,
      };
    default:
      return { kind: "option", content: randomFc(R, depth + 1), selectorPath: undefined };
  }
}

function randomValue(R: Random, fc: IrFieldClass): unknown {
  switch (fc.kind) {
    case "int":
      return R.intValue(fc.signed, fc.length);
    case "real":
      return R.real();
    case "string":
      return R.str();
    case "bool":
      return R.r() < 0.5;
    case "bit-array":
      return R.intValue(false, fc.length);
    case "blob":
      return Uint8Array.from({ length: R.int(6) }, () => R.int(256));
    case "struct": {
      const out: unknown[] = [];
      for (const m of fc.members) out[m.slot] = randomValue(R, m.fc);
      return out;
    }
    case "static-array":
    case "dynamic-array":
      return Array.from({ length: R.pick([0, 1, 2, 5, 12, 40]) }, () => randomValue(R, fc.element));
    case "variant": {
      const option = R.int(fc.options.length);
      return { option, value: randomValue(R, fc.options[option]!.fc) };
    }
    case "option":
      return R.r() < 0.3 ? (R.r() < 0.5 ? null : undefined) : randomValue(R, fc.content);
  }
}

const COLORS = prettyColors(terminalColors({ colorCodes: true, brightMeansBold: false }));

test("generated printers print what the closure printers print (random classes and values)", () => {
  const R = new Random(mulberry32(SEED));
  for (let c = 0; c < CASES; c++) {
    const fc: IrFieldClass = { kind: "struct", members: [] };
    for (let i = 0, n = 1 + R.int(6); i < n; i++) fc.members.push({ name: R.str(), fc: randomFc(R, 1), slot: i });
    const names = R.r() < 0.7;
    const brace = R.r() < 0.5;
    const colors = R.r() < 0.3 ? COLORS : undefined;
    const ref = compilePrinter(fc, names, brace, colors);
    const gen = generatePrinter(fc, names, brace, colors);
    for (let k = 0; k < 5; k++) {
      const v = randomValue(R, fc);
      const want = bytesOf((w) => ref(w, v));
      assert.equal(
        bytesOf((w) => gen(w, v)),
        want,
        `case ${c} (seed ${SEED}), value ${k}`,
      );
      // The same printer twice (memoized enumerations): same text.
      assert.equal(
        bytesOf((w) => gen(w, v)),
        want,
      );
      assert.equal(Buffer.from(captureBytes(gen, v)).toString("latin1"), want);
    }
  }
});

test("ByteWriter.g is C's %g as formatG prints it", () => {
  const R = new Random(mulberry32(SEED + 1));
  const check = (v: number) =>
    assert.equal(
      bytesOf((w) => w.g(v)),
      formatG(v),
      `v=${v}`,
    );
  for (let i = 0; i < 200000; i++) check(R.real());
  // Values next to powers of ten, rounding carries and ties in every decade of the fast path.
  for (let e = -5; e <= 5; e++) {
    const p = 10 ** e;
    for (const v of [p, p * (1 - 1e-16), p * (1 + 1e-16), p * 0.9999995, p * 0.99999949, p * 0.99999951]) {
      check(v);
      check(-v);
    }
    for (let k = 0; k < 2000; k++) {
      const d = (100000 + R.int(900000) + 0.5) * 10 ** (e - 5);
      check(d);
      check(-d);
      check((100000 + R.int(900000)) * 10 ** (e - 5));
    }
  }
});

test("ByteWriter.dec, hex32 and esc write what the string formatters return", () => {
  const R = new Random(mulberry32(SEED + 2));
  const ints: Array<number | bigint> = [
    0,
    9,
    10,
    99,
    100,
    2147483647,
    2147483648,
    -2147483648,
    -1,
    2 ** 53,
    -(2 ** 53),
    2n ** 63n,
    -(2n ** 63n),
  ];
  for (let i = 0; i < 20000; i++) ints.push(R.intValue(R.r() < 0.5, R.pick([8, 16, 32, 53, 64])));
  // Every digit count, at both ends (dec and hex32 split values into groups of digits).
  for (let k = 1; k <= 16; k++) for (const v of [10 ** k - 1, 10 ** k, 10 ** k + 1]) ints.push(v, -v);
  for (let k = 1; k <= 32; k++) ints.push(2 ** k - 1, 2 ** k);
  for (const v of [0, 1, 99999999, 100000000, 999999999, 123456789, 5000, 10000001])
    assert.equal(
      bytesOf((w) => w.digits9(v)),
      String(v).padStart(9, "0"),
    );
  for (const v of ints) {
    assert.equal(
      bytesOf((w) => w.dec(v)),
      String(v),
    );
    if (typeof v === "number" && v >= 0 && v <= 4294967295) {
      assert.equal(
        bytesOf((w) => w.hex32(v)),
        formatInt(v, false, 32, 16),
      );
      assert.equal(
        bytesOf((w) => w.udec(v)),
        String(v),
      );
    }
  }
  for (let i = 0; i < 5000; i++) {
    const s = R.str();
    assert.equal(
      bytesOf((w) => w.esc(s)),
      escapeString(s),
    );
  }
  // A string longer than the buffer.
  const long = "a?".repeat(400000);
  assert.equal(
    bytesOf((w) => w.esc(long)),
    escapeString(long),
  );
});

test("a printer of a deep, wide class builds (generated code stays valid)", () => {
  let fc: IrFieldClass = { kind: "int", signed: false, length: 8, base: 10, mappings: undefined };
  for (let d = 0; d < 30; d++) {
    fc = {
      kind: "struct",
      members: Array.from({ length: 3 }, (_, i) => ({ name: `m${i}`, fc: i === 0 ? fc : { kind: "string" }, slot: i })),
    };
  }
  const v = (function mk(d: number): unknown {
    return d === 0 ? 7 : [mk(d - 1), "x", "y"];
  })(30);
  const ref: Printer = compilePrinter(fc, true, true);
  assert.equal(
    bytesOf((w) => generatePrinter(fc, true, true)(w, v)),
    bytesOf((w) => ref(w, v)),
  );
});

test("without code generation from strings, the printers fall back to closures", () => {
  const printerGen = new URL("./printer-gen.js", import.meta.url).href;
  const script = `
    const { generatePrinter, generateFusedPrinter, captureBytes } = await import(${JSON.stringify(printerGen)});
    const fc = { kind: "struct", members: [
      { name: "a", fc: { kind: "int", signed: false, length: 8, base: 16, mappings: undefined }, slot: 0 },
      { name: "s", fc: { kind: "string" }, slot: 1 } ] };
    const p = generatePrinter(fc, true, true);
    const fused = generateFusedPrinter({ kind: "struct", alignBits: 8, inIr: true, members: [] }, { kind: "struct", members: [] }, true, true);
    process.stdout.write(Buffer.from(captureBytes(p, [255, "x?"])).toString("latin1") + "|" + String(fused));
  `;
  const r = spawnSync(
    process.execPath,
    ["--disallow-code-generation-from-strings", "--input-type=module", "-e", script],
    {
      encoding: "latin1",
    },
  );
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, '{ a = 0xFF, s = "x\\?" }|undefined');
});
