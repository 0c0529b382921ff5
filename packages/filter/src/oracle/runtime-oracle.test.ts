/**
 * Differential runtime test: a C tracepoint provider (built here with
 * liblttng-ust-dev) emits the same rows through real LTTng-UST 2.13, once per
 * filter, each filter in its own recording session; babeltrace2 reads back
 * which rows were recorded; @ttng/filter must select exactly those rows.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { compileFilter } from "../compile-filter.js";
import type { FieldLayout, FieldType } from "../field-layout.js";
import { parseFilterExpression } from "../filter-expression.js";
import { privateLttng, shq, skipUnlessOracle } from "./lttng-harness.test.js";

interface Row {
  v: bigint;
  u: bigint;
  i: number;
  d: number;
  s: string;
  arr: [number, number, number, number];
  seq: number[];
  txt: string;
  e: number;
}

const ROWS: Row[] = [
  { v: 0n, u: 0n, i: 0, d: 0, s: "", arr: [0, 0, 0, 0], seq: [], txt: "", e: 0 },
  { v: 1n, u: 1n, i: 1, d: 0.5, s: "alpha", arr: [1, 2, 3, 4], seq: [5], txt: "abc", e: 1 },
  {
    v: -1n,
    u: 18446744073709551615n,
    i: -1,
    d: -1.5,
    s: "abc",
    arr: [255, 128, 0x13, 7],
    seq: [-1, 2],
    txt: "a*c",
    e: 2,
  },
  {
    v: 5n,
    u: 9223372036854775808n,
    i: 5,
    d: 5,
    s: "a*b",
    arr: [0x0f, 0xf0, 0x23, 1],
    seq: [1, 2, 3],
    txt: "xyz",
    e: 1,
  },
  {
    v: -9223372036854775808n,
    u: 42n,
    i: 2147483647,
    d: 1e300,
    s: "charlie delta",
    arr: [9, 9, 0x03, 9],
    seq: [7, 7, 7, 7],
    txt: "hello",
    e: 0,
  },
  {
    v: 9223372036854775807n,
    u: 4294967296n,
    i: -2147483648,
    d: 2.5,
    s: "hi ev every onyx one",
    arr: [1, 1, 1, 1],
    seq: [0, 0, 0, 0, 0],
    txt: "b",
    e: 2,
  },
  { v: 4096n, u: 4096n, i: 64, d: 4096, s: "a\\b", arr: [2, 4, 8, 16], seq: [100], txt: "*", e: 1 },
  { v: -42n, u: 3n, i: 3, d: -0.25, s: "aXbYc", arr: [3, 3, 0x33, 3], seq: [3, 3, 3], txt: "abcdefg", e: 0 },
  { v: 63n, u: 63n, i: 63, d: 63.9, s: "b", arr: [0, 1, 0xf3, 2], seq: [-32768, 32767], txt: "ab", e: 2 },
  { v: 7n, u: 7n, i: 7, d: 7, s: "ábc", arr: [7, 7, 0x43, 7], seq: [7], txt: "zz", e: 1 },
];

export const RUNTIME_EXPRESSIONS = [
  "v < 0",
  "v >= 0",
  "v == -1",
  "v == 0xFFFFFFFFFFFFFFFF",
  "u == -1",
  "u < 0",
  "u > 100",
  "i == -1",
  "i > 5",
  "(arr[2] & 0xF) == 0x3",
  "arr[0] == 255",
  "arr[3] > 5",
  "arr[4] == 0",
  "arr[100] == 0",
  "seq[0] == 7",
  "seq[1] == 2",
  "seq[3] == 7",
  "seq[0] < 0",
  "v & 1",
  "(v & 1) == 1",
  "(v | 2) == 7",
  "(v ^ 1) == 4",
  "~v == 0",
  "-v == 1",
  "!v",
  "1 << v < 0",
  "(1 << i) == 4096",
  "(v >> 1) == 2",
  "(u >> 63) == 1",
  "(v << 1) == -2",
  "1 << 64",
  "1 << -1 || 1",
  "(1 << 63) < 0",
  "-1 == ~0",
  "v & 1 == 1",
  "v > 1 > 0",
  "(1 && 5) == 5",
  "(v && 7) == 7",
  "(0 || v) == 5",
  "(v || 0) == 1",
  "d && 1",
  "d == 0.5",
  "d > 1",
  "d < v",
  "i == 5.0",
  "d == 5",
  "d != d",
  "-d > 1",
  "!d",
  "d & 1",
  "0 && (d & 1)",
  "1 || (d & 1)",
  'name == "x"',
  "nonexistent == 1 || v >= -5",
  "!(nonexistent == 1)",
  's == "alpha"',
  's == "a*"',
  's == "*a"',
  's == "a*b*c"',
  's == "a\\*b"',
  's != "*"',
  's == "*"',
  's < "b"',
  's >= "abc"',
  's == "hi*every*one"',
  's == "a\\\\b"',
  's == ""',
  'txt == "abc"',
  'txt == "a\\*c"',
  'txt == "a*c"',
  'txt == "ab*"',
  'txt > "h"',
  "txt[0] == 97",
  "arr[1] && 1",
  "~arr[1] && 1",
  "!arr[1] && 1",
  "seq[0] && 1",
  "e == 1",
  "e > 0 && i < 10",
  "s && 1",
  "s == 1",
  '$ctx.procname == "ttng-filt*"',
  '$ctx.procname == "xyz"',
  "$ctx.vpid > 0",
  "$ctx.vtid == $ctx.vpid",
  "$ctx.nonexistent == 1",
  "$app.foo:bar == 1",
  "arr == 1",
  "seq == 1",
];

const TYPES: Record<string, FieldType> = {
  v: { kind: "integer", signed: true },
  u: { kind: "integer", signed: false },
  i: { kind: "integer", signed: true },
  d: { kind: "float" },
  s: { kind: "string" },
  arr: { kind: "array", length: 4, element: { signed: false }, text: false },
  seq: { kind: "sequence", element: { signed: true }, text: false },
  txt: { kind: "array", length: 8, element: { signed: true }, text: true },
  e: { kind: "enum", signed: true },
  idx: { kind: "integer", signed: true },
};
const NAMES = Object.keys(TYPES);

function cString(s: string): string {
  const bytes = Buffer.from(s, "utf8");
  return `"${[...bytes].map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("")}"`;
}

const TP_H = `#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ttng_filter
#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./tp.h"
#if !defined(TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define TP_H
#include <lttng/tracepoint.h>
#include <stdint.h>
LTTNG_UST_TRACEPOINT_ENUM(ttng_filter, kind, LTTNG_UST_TP_ENUM_VALUES(
  lttng_ust_field_enum_value("ZERO", 0) lttng_ust_field_enum_value("ONE", 1) lttng_ust_field_enum_value("TWO", 2)))
LTTNG_UST_TRACEPOINT_EVENT(ttng_filter, ev,
  LTTNG_UST_TP_ARGS(int64_t, v, uint64_t, u, int32_t, i, double, d, const char *, s,
    const uint8_t *, arr, const int16_t *, seq, size_t, n, const char *, txt, int, e),
  LTTNG_UST_TP_FIELDS(
    lttng_ust_field_integer(int64_t, v, v)
    lttng_ust_field_integer(uint64_t, u, u)
    lttng_ust_field_integer(int32_t, i, i)
    lttng_ust_field_float(double, d, d)
    lttng_ust_field_string(s, s)
    lttng_ust_field_array(uint8_t, arr, arr, 4)
    lttng_ust_field_sequence(int16_t, seq, seq, size_t, n)
    lttng_ust_field_array_text(char, txt, txt, 8)
    lttng_ust_field_enum(ttng_filter, kind, int, e, e)
  ))
#endif
#include <lttng/tracepoint-event.h>
`;

function appSource(): string {
  const rows = ROWS.map((r, n) => {
    const txt = Buffer.alloc(8);
    txt.write(r.txt);
    const seq = r.seq.length > 0 ? r.seq : [0];
    return `{ static const uint8_t arr[4] = {${r.arr.join(",")}}; static const int16_t seq[] = {${seq.join(",")}};
    static const char txt[8] = {${[...txt].join(",")}};
    lttng_ust_tracepoint(ttng_filter, ev, (int64_t)${r.v === -9223372036854775808n ? "(-9223372036854775807LL-1)" : `${r.v}LL`}, ${r.u}ULL, ${r.i === -2147483648 ? "(-2147483647-1)" : r.i}, ${r.d}, ${cString(r.s)}, arr, seq, ${r.seq.length}, txt, ${r.e}); /* row ${n} */ }`;
  });
  return `#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#include "tp.h"
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv) {
  FILE *f = fopen(argv[1], "w"); fprintf(f, "%d\\n", (int) getpid()); fclose(f);
  ${rows.join("\n  ")}
  return 0;
}
`;
}

const skip = skipUnlessOracle(["lttng", "lttng-sessiond", "babeltrace2", "gcc"]);
const oracle = skip.skip === undefined ? privateLttng() : undefined;
after(() => oracle?.cleanup());

test("compileFilter() records the same events as LTTng-UST 2.13 for every runtime expression", skip, () => {
  assert.ok(RUNTIME_EXPRESSIONS.length >= 60);
  const dir = oracle!.dir;
  writeFileSync(join(dir, "tp.h"), TP_H);
  writeFileSync(join(dir, "ttng-filter-app.c"), appSource());
  const cc = spawnSync(
    "gcc",
    ["-O1", "-I", dir, "-o", join(dir, "ttng-filter-app"), join(dir, "ttng-filter-app.c"), "-llttng-ust", "-ldl"],
    {
      encoding: "utf8",
    },
  );
  assert.equal(cc.status, 0, cc.stderr);
  const lines: string[] = [];
  RUNTIME_EXPRESSIONS.forEach((expr, n) => {
    lines.push(`lttng create r${n} --output=${shq(join(dir, "traces", String(n)))} >/dev/null`);
    lines.push(`lttng enable-channel -u -s r${n} --subbuf-size=4096 --num-subbuf=2 c >/dev/null`);
    lines.push(`run ${n} lttng enable-event -u -s r${n} -c c ttng_filter:ev --filter ${shq(expr)}`);
    lines.push(`lttng start r${n} >/dev/null`);
  });
  lines.push(`run ${RUNTIME_EXPRESSIONS.length} ${shq(join(dir, "ttng-filter-app"))} ${shq(join(dir, "pid"))}`);
  RUNTIME_EXPRESSIONS.forEach((_, n) => {
    lines.push(`lttng destroy r${n} >/dev/null`);
  });
  RUNTIME_EXPRESSIONS.forEach((_, n) => {
    lines.push(`run ${RUNTIME_EXPRESSIONS.length + 1 + n} babeltrace2 ${shq(join(dir, "traces", String(n)))}`);
  });
  const { results } = oracle!.run(lines.join("\n"));
  const app = results.get(RUNTIME_EXPRESSIONS.length);
  assert.equal(app?.status, 0, `app failed: ${app?.stderr}`);
  const pid = Number.parseInt(readFileSync(join(dir, "pid"), "utf8"), 10);

  const layout: FieldLayout = {
    payload: (name) => {
      const type = TYPES[name];
      return type === undefined ? undefined : { index: NAMES.indexOf(name), type };
    },
    context: (name) =>
      name === "procname"
        ? { index: 0, type: { kind: "string" } }
        : name === "vpid" || name === "vtid"
          ? { index: 1, type: { kind: "integer", signed: true } }
          : undefined,
  };
  const contexts = ["ttng-filter-app", pid];
  const mismatches: string[] = [];
  let checked = 0;
  RUNTIME_EXPRESSIONS.forEach((expr, n) => {
    const enabled = results.get(n);
    let evaluator: ((row: Row) => boolean) | undefined;
    try {
      const f = compileFilter(parseFilterExpression(expr), layout);
      evaluator = (r) =>
        f([r.v, r.u, r.i, r.d, r.s, r.arr, r.seq, r.txt, r.e, 0], (k) => contexts[k] as string | number);
    } catch {
      evaluator = undefined;
    }
    if (enabled?.status !== 0) {
      if (evaluator !== undefined) mismatches.push(`${expr}: lttng rejected it, ttng accepted`);
      return;
    }
    const bt = results.get(RUNTIME_EXPRESSIONS.length + 1 + n);
    const recorded = new Set<number>();
    for (const m of (bt?.stdout ?? "").matchAll(/ttng_filter:ev:.*?v = (-?\d+), u = (\d+)/g)) {
      recorded.add(ROWS.findIndex((r) => r.v === BigInt(m[1]!) && r.u === BigInt(m[2]!)));
    }
    const want = [...recorded].sort((a, b) => a - b);
    const got = ROWS.flatMap((r, k) => (evaluator?.(r) ? [k] : []));
    checked++;
    if (want.join() !== got.join()) mismatches.push(`${expr}: lttng recorded [${want}], ttng selects [${got}]`);
  });
  assert.ok(checked >= 60, `${checked} expressions compared`);
  assert.deepEqual(mismatches, []);
});
