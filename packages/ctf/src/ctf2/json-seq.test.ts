// CTF 2 metadata integers beyond 2^53: the JSON text sequence keeps them exact (bigints), and
// integer-mapping ranges of fixed- and variable-length integer classes, both signs, stay exact.
import assert from "node:assert/strict";
import { test } from "node:test";
import { TtngError } from "@ttng/base";
import type { IntFC } from "../model.js";
import { convertFc, type FcContext, type Json } from "./field-classes.js";
import { parseJsonSequence } from "./json-seq.js";

/** One fragment (JSON text written by hand: `JSON.stringify` cannot write the big literals). */
const seq = (text: string): unknown[] => parseJsonSequence(`\x1e${text}\n`);

function intFc(text: string): IntFC {
  const ctx: FcContext = { aliases: new Map(), nodes: 0 };
  const fc = convertFc(ctx, seq(text)[0] as Json, "test");
  assert.equal(fc.kind, "int");
  return fc as IntFC;
}

test("integer literals beyond 2^53 are bigints; safe integers, floats and strings are unchanged", () => {
  const [v] = seq(
    '{"a": 18446744073709551615, "b": -9223372036854775808, "c": 9007199254740991, "d": 9007199254740993,' +
      ' "e": 12345678901234567890.5, "f": 1e300, "g": "18446744073709551615", "h": [-9007199254740992, 42]}',
  );
  assert.deepEqual(v, {
    a: 18446744073709551615n,
    b: -9223372036854775808n,
    c: 9007199254740991,
    d: 9007199254740993n,
    e: Number("12345678901234567890.5"),
    f: 1e300,
    g: "18446744073709551615",
    h: [-9007199254740992n, 42],
  });
});

test("a string that escapes a marker character stays a string, its big integers still exact", () => {
  const [v] = seq('{"s": "\\u0000123", "t": "\\u0001x", "n": 18446744073709551614}');
  assert.deepEqual(v, { s: "\u0000123", t: "\u0001x", n: 18446744073709551614n });
});

test("integer literals far longer than 64 bits are left to JSON.parse (bounded work)", () => {
  const digits = "9".repeat(100_000);
  const [v] = seq(`[${digits}, -${digits}]`);
  assert.deepEqual(v, [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
});

test("unsigned 64-bit mapping ranges beyond 2^53 are exact", () => {
  const fc = intFc(
    '{"type": "fixed-length-unsigned-integer", "length": 64, "byte-order": "little-endian",' +
      ' "mappings": {"low": [[0, 9007199254740991]], "high": [[9007199254740992, 18446744073709551614]],' +
      ' "max": [[18446744073709551615, 18446744073709551615]]}}',
  );
  assert.deepEqual(fc.mappings, [
    { label: "low", ranges: [[0, 9007199254740991]] },
    { label: "high", ranges: [[9007199254740992n, 18446744073709551614n]] },
    { label: "max", ranges: [[18446744073709551615n, 18446744073709551615n]] },
  ]);
  const v = intFc(
    '{"type": "variable-length-unsigned-integer", "mappings": {"x": [[18446744073709551610, 18446744073709551615]]}}',
  );
  assert.deepEqual(v.mappings, [{ label: "x", ranges: [[18446744073709551610n, 18446744073709551615n]] }]);
});

test("signed 64-bit mapping ranges beyond 2^53 are exact", () => {
  const fc = intFc(
    '{"type": "fixed-length-signed-integer", "length": 64, "byte-order": "big-endian",' +
      ' "mappings": {"min": [[-9223372036854775808, -9223372036854775807]], "mid": [[-1, 1]],' +
      ' "top": [[9223372036854775806, 9223372036854775807]]}}',
  );
  assert.deepEqual(fc.mappings, [
    { label: "min", ranges: [[-9223372036854775808n, -9223372036854775807n]] },
    { label: "mid", ranges: [[-1, 1]] },
    { label: "top", ranges: [[9223372036854775806n, 9223372036854775807n]] },
  ]);
  const v = intFc(
    '{"type": "variable-length-signed-integer", "mappings": {"y": [[-9223372036854775808, 9007199254740993]]}}',
  );
  assert.deepEqual(v.mappings, [{ label: "y", ranges: [[-9223372036854775808n, 9007199254740993n]] }]);
});

test("mapping ranges beyond 64-bit integers, or reversed, are typed errors", () => {
  for (const [ranges, re] of [
    ["[[0, 18446744073709551616]]", /beyond 64-bit integers/],
    ["[[-9223372036854775809, 0]]", /beyond 64-bit integers/],
    ["[[18446744073709551615, 18446744073709551614]]", /greater than its upper bound/],
  ] as const) {
    assert.throws(
      () =>
        intFc(
          `{"type": "fixed-length-signed-integer", "length": 64, "byte-order": "little-endian", "mappings": {"m": ${ranges}}}`,
        ),
      (e: unknown) => e instanceof TtngError && e.code === "ERR_METADATA" && re.test(e.message),
    );
  }
});

test("a big integer where a small one is expected is a typed error, not a TypeError", () => {
  assert.throws(
    () =>
      intFc('{"type": "fixed-length-unsigned-integer", "length": 18446744073709551615, "byte-order": "little-endian"}'),
    (e: unknown) => e instanceof TtngError && e.code === "ERR_METADATA" && /18446744073709551615/.test(e.message),
  );
});
