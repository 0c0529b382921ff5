import assert from "node:assert/strict";
import { test } from "node:test";
import { compileStarGlob, starGlobMatch } from "./glob.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function randomText(r: () => number, alphabet: string, maxLength: number): string {
  let s = "";
  const n = Math.floor(r() * (maxLength + 1));
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

test("compileStarGlob() agrees with starGlobMatch() on random patterns and candidates", () => {
  const r = rng(7);
  let matches = 0;
  for (let n = 0; n < 4000; n++) {
    const pattern = randomText(r, "ab**\\\\c\0", 8);
    const match = compileStarGlob(pattern);
    for (let k = 0; k < 30; k++) {
      const candidate = randomText(r, "abc*\\\0", 10);
      const want = starGlobMatch(pattern, candidate);
      if (want) matches++;
      assert.equal(match(candidate), want, `${JSON.stringify(pattern)} vs ${JSON.stringify(candidate)}`);
    }
  }
  assert.ok(matches > 1000, `only ${matches} matching pairs: the generator is too weak`);
});

test("compileStarGlob() matches the cases LTTng documents", () => {
  const cases: Array<[string, string, boolean]> = [
    ["a*b*c", "a-b-c", true],
    ["a*b*c", "alpha beta gamma", false],
    ["a*b*c", "abc", true],
    ["a*b*c", "ac", false],
    ["*ab", "abab", true],
    ["hi*every*one", "hi ev every onyx one", true],
    ["a\\*b", "a*b", true],
    ["a\\*b", "axb", false],
    ["a\\\\b", "a\\b", true],
    ["ab*", "ab", true],
    ["*", "", true],
    ["", "", true],
    ["x", "x\0y", true],
    ["a**", "a", false],
  ];
  for (const [pattern, candidate, want] of cases) {
    assert.equal(compileStarGlob(pattern)(candidate), want, `${pattern} vs ${candidate}`);
    assert.equal(starGlobMatch(pattern, candidate), want, `reference: ${pattern} vs ${candidate}`);
  }
});
