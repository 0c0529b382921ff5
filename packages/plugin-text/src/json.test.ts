import assert from "node:assert/strict";
import { test } from "node:test";
import { compileEncoder, jsonByteString, jsonInt } from "./json.js";

test("jsonInt() writes numbers up to 2^53 - 1 and strings beyond", () => {
  assert.equal(jsonInt(9007199254740991), "9007199254740991");
  assert.equal(jsonInt(-9007199254740991), "-9007199254740991");
  assert.equal(jsonInt(9007199254740991n), "9007199254740991");
  assert.equal(jsonInt(9007199254740992n), '"9007199254740992"');
  assert.equal(jsonInt(-9007199254740992n), '"-9007199254740992"');
  assert.equal(jsonInt(18446744073709551615n), '"18446744073709551615"');
  assert.equal(jsonInt(0), "0");
});

test("jsonByteString() decodes UTF-8 and replaces invalid bytes with U+FFFD", () => {
  assert.equal(jsonByteString('plain "q" \n'), '"plain \\"q\\" \\n"');
  assert.equal(JSON.parse(jsonByteString("caf\xc3\xa9")), "café");
  assert.equal(JSON.parse(jsonByteString("a\xffb")), "a\uFFFDb");
  assert.equal(JSON.parse(jsonByteString("\xe2\x82")), "\uFFFD");
});

test("compileEncoder() writes reals, bools, options and enums as documented", () => {
  assert.equal(compileEncoder({ kind: "real", single: false })(Number.NaN), '"NaN"');
  assert.equal(compileEncoder({ kind: "real", single: false })(Number.NEGATIVE_INFINITY), '"-Infinity"');
  assert.equal(compileEncoder({ kind: "real", single: true })(1.5), "1.5");
  assert.equal(compileEncoder({ kind: "bool" })(1), "true");
  const opt = compileEncoder({ kind: "option", content: { kind: "string" }, selectorPath: undefined });
  assert.equal(opt(undefined), "null");
  assert.equal(opt("x"), '"x"');
  const en = compileEncoder({
    kind: "int",
    signed: false,
    length: 64,
    base: 10,
    mappings: [
      { label: "LOW", ranges: [[0, 10]] },
      { label: "HUGE", ranges: [[18446744073709551614n, 18446744073709551615n]] },
    ],
  });
  assert.equal(en(5), '{"value":5,"labels":["LOW"]}');
  assert.equal(en(18446744073709551615n), '{"value":"18446744073709551615","labels":["HUGE"]}');
  assert.equal(en(11), '{"value":11,"labels":[]}');
});
