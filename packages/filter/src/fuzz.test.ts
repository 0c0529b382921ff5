import assert from "node:assert/strict";
import { test } from "node:test";
import { FilterSyntaxError, FilterTypeError } from "./errors.js";
import { parseFilterExpression } from "./filter-expression.js";

const PIECES = [
  "a",
  "b[1]",
  "$ctx.x",
  "$app.p:q",
  "1",
  "0x1F",
  "08",
  "1.5e3",
  '"s*"',
  "'c'",
  "(",
  ")",
  "[",
  "]",
  "&&",
  "||",
  "==",
  "<",
  "<<",
  "&",
  "|",
  "^",
  "!",
  "~",
  "-",
  "+",
  "*",
  ".",
  "->",
  " ",
  "/*",
  "\\",
  "ESCSEQ",
  '"',
  "$",
  ":",
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

test("parseFilterExpression() only ever throws typed filter errors on random input", () => {
  const r = rng(42);
  for (let n = 0; n < 20000; n++) {
    let text = "";
    const len = 1 + Math.floor(r() * 12);
    for (let i = 0; i < len; i++) text += PIECES[Math.floor(r() * PIECES.length)];
    if (r() < 0.2) text = text.replace(/./, String.fromCharCode(Math.floor(r() * 128)));
    try {
      parseFilterExpression(text);
    } catch (e) {
      assert.ok(e instanceof FilterSyntaxError || e instanceof FilterTypeError, `${JSON.stringify(text)}: ${e}`);
    }
  }
});

test("parseFilterExpression() rejects a 1 MB expression in linear time", () => {
  for (const body of ["(".repeat(1 << 20), "a&&".repeat(1 << 18) + "a", `a == "${"x".repeat(1 << 20)}"`]) {
    const t0 = performance.now();
    assert.throws(() => parseFilterExpression(body), FilterSyntaxError);
    assert.ok(performance.now() - t0 < 2000);
  }
});
