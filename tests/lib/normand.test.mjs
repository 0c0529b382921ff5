import assert from "node:assert/strict";
import { test } from "node:test";
import { EMPTY, parseYaml } from "./mini-yaml.mjs";
import { parseNormand } from "./normand.mjs";

const hex = (bytes) => Buffer.from(bytes).toString("hex");

test("parseNormand() reads bytes, decimal and binary bytes, strings, comments", () => {
  assert.equal(hex(parseNormand("ff 01 # comment\n$42 $-1 %1011_0010 %\n 1 1 1 1 # bits\n 0 0 0 0")), "ff012affb2f0");
  assert.equal(hex(parseNormand('"hé\\0" "a\\n"')), "68c3a900610a");
  assert.equal(hex(parseNormand("aa # a # bb")), "aabb");
});

test("parseNormand() writes fixed-length numbers in the current or given byte order", () => {
  assert.equal(hex(parseNormand("!le [0x1234:16] [0x1234:16be] !be [0x1234:16]")), "341212341234");
  assert.equal(hex(parseNormand("[2**64 - 1 : 64le]")), "ffffffffffffffff");
  assert.equal(hex(parseNormand("[-2**7 : 8le] [-1:16be]")), "80ffff");
  assert.equal(hex(parseNormand("[(5 << 21) | ((-10 & 0x7f) << 14) | (42 << 8) | (-1 & 0xff) : 24be]")), "bdaaff");
  assert.equal(hex(parseNormand("[-2.5:32be] [1.5:64le]")), "c0200000000000000000f83f");
  assert.equal(hex(parseNormand("[7 // 2 : 8le] [-7 // 2 : 8le] [-7 % 3 : 8le] [0o17 ^ 0b1 : 8le]")), "03fc020e");
});

test("parseNormand() aligns, groups and repeats", () => {
  assert.equal(hex(parseNormand("$1 @32 $2")), "0100000002");
  assert.equal(hex(parseNormand("$1 @16~0xaa (01 02)*2 ff*3")), "01aa01020102ffffff");
});

test("parseNormand() rejects what it does not understand", () => {
  assert.throws(() => parseNormand("[1:16]"), /without a byte order/);
  assert.throws(() => parseNormand("!le [256:8]"), /does not fit/);
  assert.throws(() => parseNormand("f"), /second hexadecimal digit/);
  assert.throws(() => parseNormand("$300"), /out of range/);
  assert.throws(() => parseNormand('"abc'), /unterminated/);
});

test("parseYaml() reads maps, lists, lists of maps and scalars", () => {
  const text = `len: 2
arr:
  - tag: 0
    var: "x: y"
  - tag: 1
    var: ∅
nested:
  -
    - 1
    - -2
f: -2.500000
h: 0xdeadbeef
big: 18446744073709551615
`;
  assert.deepEqual(parseYaml(text), {
    len: 2n,
    arr: [
      { tag: 0n, var: "x: y" },
      { tag: 1n, var: EMPTY },
    ],
    nested: [[1n, -2n]],
    f: -2.5,
    h: { base: 16, value: 0xdeadbeefn },
    big: 18446744073709551615n,
  });
  assert.deepEqual(parseYaml('"café 日本語 🎉"'), "café 日本語 🎉");
  assert.deepEqual(parseYaml("- a: 1\n  b: {}\n- 3"), [{ a: 1n, b: EMPTY }, 3n]);
});
