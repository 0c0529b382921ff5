// `filter.utils.filter` (`ttng convert --filter EXPR`) against a straightforward reference: every
// event of the unfiltered JSON output is judged by a tree-walking evaluator written here (BigInt
// arithmetic, LTTng's rules from docs/filter.md), and the filtered output must be exactly the events
// it keeps, in order, with every discarded-items record kept. Generated traces (known field types)
// and corpus traces (integer and string fields found in the output).
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ft, mulberry32, writeTrace } from "./lib/ctf-gen.mjs";
import { corpus, hasCorpus, root, skipReason, ttng } from "./helpers.mjs";

const { parseFilterExpression } = await import(join(root, "packages/filter/dist/index.js"));

let work;
let trace;
/** Field types by event name, then field name (the reference knows the trace it wrote). */
const types = new Map();

const STATES = ["IDLE", "BUSY", "DONE"];
const PATHS = ["/api/v1/users", "/api/v2/items", "/health", "/a*b", "/static/app.js", "/b", "", "/café/☃"];

function description() {
  const req = [
    ["id", ft.uint(64)],
    ["lat", ft.sint(32)],
    ["flags", ft.uint(16, { base: 16 })],
    ["path", ft.string()],
    ["ratio", ft.float(64)],
    [
      "state",
      ft.enum(
        ft.uint(8),
        STATES.map((label, value) => ({ label, value })),
      ),
    ],
    ["arr", ft.array(ft.sint(16), 4)],
    ["n", ft.uint(8)],
    ["seq", ft.sequence(ft.uint(32), "n")],
    ["big", ft.uint(64)],
    ["neg", ft.sint(64)],
    [
      "nested",
      ft.struct([
        ["a", ft.uint(8)],
        ["b", ft.string()],
      ]),
    ],
    ["txt", ft.textArray(8)],
  ];
  return {
    byteOrder: "le",
    uuid: "5d1c3f7a-1b2c-4d5e-8f90-a1b2c3d4e5f6",
    env: { hostname: "filterhost", domain: "ust", tracer_name: "lttng-ust", tracer_major: 2, tracer_minor: 13 },
    clocks: [{ name: "monotonic", freq: 1_000_000_000, offsetS: 1_700_000_000 }],
    streamClasses: [
      {
        id: 0,
        clock: "monotonic",
        eventHeader: "lttng-large",
        eventContext: [
          ["vtid", ft.sint(32)],
          ["procname", ft.textArray(16)],
        ],
      },
    ],
    eventClasses: [
      { id: 0, name: "app:req", context: [["prio", ft.uint(8)]], payload: req },
      // Same names, other types: the filter binds per event class.
      {
        id: 1,
        name: "app:tick",
        payload: [
          ["id", ft.string()],
          ["lat", ft.float(64)],
          ["count", ft.uint(32)],
        ],
      },
      { id: 2, name: "sys:other", payload: [["count", ft.uint(32)]] },
    ],
    streams: [
      { name: "chan_0", streamClassId: 0, instanceId: 0, cpuId: 0 },
      { name: "chan_1", streamClassId: 0, instanceId: 1, cpuId: 1 },
    ],
  };
}

/** Reference types: "int" (with signedness), "float", "string", "array" (length), "sequence", "struct". */
function refType(fc) {
  switch (fc.type) {
    case "int":
      return { kind: "int" };
    case "enum":
      return { kind: "int" };
    case "float":
      return { kind: "float" };
    case "string":
      return { kind: "string" };
    case "array":
      if (fc.element.encoding) return { kind: "string" };
      return { kind: "array", length: fc.length };
    case "sequence":
      return { kind: "sequence" };
    case "struct":
      return { kind: "struct", members: new Map(fc.members.map(([n, m]) => [n, refType(m)])) };
  }
  throw new Error(`no reference type for ${fc.type}`);
}

function events(rng, streamIndex, count) {
  const out = [];
  let ts = 1000 + streamIndex * 7;
  for (let i = 0; i < count; i++) {
    ts += 1 + Math.floor(rng() * 900);
    const streamContext = { vtid: 1000 + streamIndex + (i % 3), procname: i % 5 === 0 ? "worker-2" : "app-main" };
    const r = rng();
    if (r < 0.6) {
      const n = Math.floor(rng() * 4);
      out.push({
        name: "app:req",
        ts,
        streamContext,
        context: { prio: Math.floor(rng() * 8) },
        fields: {
          id: i,
          lat: Math.floor((rng() - 0.3) * 200_000),
          flags: Math.floor(rng() * 65536),
          path: PATHS[Math.floor(rng() * PATHS.length)],
          ratio: rng() < 0.1 ? Math.floor(rng() * 10) : rng() * 20,
          state: Math.floor(rng() * 3),
          arr: Array.from({ length: 4 }, () => Math.floor((rng() - 0.5) * 60000)),
          seq: Array.from({ length: n }, () => Math.floor(rng() * 5000)),
          big: rng() < 0.2 ? 2n ** 64n - 1n - BigInt(Math.floor(rng() * 10)) : BigInt(Math.floor(rng() * 1e6)),
          neg: -BigInt(Math.floor(rng() * 1e12)),
          nested: { a: Math.floor(rng() * 256), b: rng() < 0.5 ? "xyz" : "abc" },
          txt: rng() < 0.5 ? "tx" : "other",
        },
      });
    } else if (r < 0.85) {
      out.push({
        name: "app:tick",
        ts,
        streamContext,
        fields: { id: rng() < 0.5 ? "x1" : "y2", lat: rng() * 3000 - 500, count: Math.floor(rng() * 100) },
      });
    } else {
      out.push({ name: "sys:other", ts, streamContext, fields: { count: Math.floor(rng() * 100) } });
    }
    if (i % 97 === 96) out.push({ packetBreak: true });
    if (i === 400) out.push({ discard: 5 });
  }
  return out;
}

before(() => {
  work = mkdtempSync(join(tmpdir(), "ttng-filter-comp-"));
  trace = join(work, "gen");
  const d = description();
  const rng = mulberry32(11);
  writeTrace(trace, d, { chan_0: events(rng, 0, 1500), chan_1: events(rng, 1, 1200) }, { packetSizeBytes: 4096 });
  const common = new Map(d.streamClasses[0].eventContext.map(([n, fc]) => [n, refType(fc)]));
  for (const ec of d.eventClasses) {
    types.set(ec.name, {
      payload: new Map(ec.payload.map(([n, fc]) => [n, refType(fc)])),
      specific: new Map((ec.context ?? []).map(([n, fc]) => [n, refType(fc)])),
      common,
      packet: new Map([["cpu_id", { kind: "int" }]]),
    });
  }
});
after(() => rmSync(work, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// The reference: LTTng's rules (docs/filter.md), written plainly over JSON-decoded events.
// ---------------------------------------------------------------------------------------------

/** Thrown when LTTng's interpreter fails an event (the event is dropped). */
const FAIL = Symbol("fail");
const s64 = (v) => BigInt.asIntN(64, v);
const u64 = (v) => BigInt.asUintN(64, v);

function globToRegExp(pattern) {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && (pattern[i + 1] === "*" || pattern[i + 1] === "\\")) {
      re += `\\${pattern[++i]}`;
    } else if (c === "*") re += ".*";
    else re += c.replace(/[.+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`${re}$`, "s");
}

function hasUnescapedStar(s) {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === "*") return true;
  }
  return false;
}

function unescapeLiteral(s) {
  return s.replace(/\\([*\\])/g, "$1");
}

/** The reference's view of a reference: { type, value } or undefined when the event class lacks it. */
function lookup(links, ev, t) {
  const head = links[0].name;
  let scopes;
  let rest = links;
  if (head === "$ctx") {
    scopes = [
      [t.specific, ev.specific_context],
      [t.common, ev.common_context],
      [t.packet, ev.packet_context],
    ];
    rest = links.slice(1);
  } else scopes = [[t.payload, ev.payload]];
  const name = rest.map((l) => l.name).join(".");
  for (const [typesOf, values] of scopes) {
    let type = typesOf.get(name);
    let value = values?.[name];
    if (type === undefined && name.includes(".")) {
      // A dotted name through nested structures.
      type = { kind: "struct", members: typesOf };
      value = values;
      for (const part of name.split(".")) {
        if (type?.kind !== "struct") {
          type = undefined;
          break;
        }
        type = type.members.get(part);
        value = value?.[part];
      }
    }
    if (type !== undefined && type.kind !== "struct") return { type, value, index: rest[rest.length - 1].indexes };
  }
  return undefined;
}

function intOf(v) {
  if (v !== null && typeof v === "object" && "value" in v) v = v.value; // enumeration
  return s64(BigInt(v));
}

/** Evaluates to { t: "int", v: bigint } | { t: "float", v } | { t: "str", v, glob }. */
function evaluate(node, ev, t) {
  switch (node.kind) {
    case "integer":
      return { t: "int", v: s64(node.value) };
    case "float":
      return { t: "float", v: node.value };
    case "string":
      // LTTng compares bytes: a literal is its UTF-8 bytes (field strings here are byte strings, latin1-decoded).
      return { t: "str", v: Buffer.from(node.value, "utf8").toString("latin1"), lit: true };
    case "reference": {
      const r = lookup(node.links, ev, t);
      if (r === undefined) throw FAIL;
      if (r.index.length > 0) {
        const i = Number(r.index[0].value);
        if (r.type.kind !== "array" && r.type.kind !== "sequence") throw FAIL;
        if (i >= r.value.length) throw FAIL;
        return { t: "int", v: intOf(r.value[i]) };
      }
      if (r.type.kind === "int") return { t: "int", v: intOf(r.value) };
      if (r.type.kind === "float") return { t: "float", v: Number(r.value) };
      if (r.type.kind === "string") return { t: "str", v: r.value, lit: false };
      throw FAIL;
    }
    case "unary": {
      let x = evaluate(node.operand, ev, t);
      for (let i = node.operators.length - 1; i >= 0; i--) {
        const op = node.operators[i];
        if (x.t === "str") throw FAIL;
        if (op === "-") x = x.t === "int" ? { t: "int", v: s64(-x.v) } : { t: "float", v: -x.v };
        else if (op === "!") x = { t: "int", v: truth(x) ? 0n : 1n };
        else if (op === "~") {
          if (x.t !== "int") throw FAIL;
          x = { t: "int", v: s64(~x.v) };
        }
      }
      return x;
    }
    case "binary": {
      const op = node.operator;
      if (op === "&&") {
        if (!truth(evaluate(node.left, ev, t))) return { t: "int", v: 0n };
        return { t: "int", v: truth(evaluate(node.right, ev, t)) ? 1n : 0n };
      }
      if (op === "||") {
        if (truth(evaluate(node.left, ev, t))) return { t: "int", v: 1n };
        return { t: "int", v: truth(evaluate(node.right, ev, t)) ? 1n : 0n };
      }
      const a = evaluate(node.left, ev, t);
      const b = evaluate(node.right, ev, t);
      if (["==", "!=", "<", ">", "<=", ">="].includes(op)) return { t: "int", v: compare(op, a, b) ? 1n : 0n };
      if (a.t !== "int" || b.t !== "int") throw FAIL;
      const ua = u64(a.v);
      const ub = u64(b.v);
      switch (op) {
        case "&":
          return { t: "int", v: s64(ua & ub) };
        case "|":
          return { t: "int", v: s64(ua | ub) };
        case "^":
          return { t: "int", v: s64(ua ^ ub) };
        case "<<":
          if (b.v < 0n || b.v > 63n) throw FAIL;
          return { t: "int", v: s64(u64(ua << b.v)) };
        case ">>":
          if (b.v < 0n || b.v > 63n) throw FAIL;
          return { t: "int", v: s64(ua >> b.v) };
      }
    }
  }
  throw new Error(`reference: unexpected node ${node.kind} ${node.operator ?? ""}`);
}

function truth(x) {
  if (x.t === "str") throw FAIL;
  return x.t === "int" ? x.v !== 0n : Math.trunc(x.v) !== 0;
}

function compare(op, a, b) {
  let c;
  if (a.t === "str" || b.t === "str") {
    if (a.t !== "str" || b.t !== "str") throw FAIL;
    const lit = a.lit ? a : b.lit ? b : undefined;
    const other = lit === a ? b : a;
    if (lit !== undefined && hasUnescapedStar(lit.v) && (op === "==" || op === "!=")) {
      const m = globToRegExp(lit.v).test(other.v);
      return op === "==" ? m : !m;
    }
    const x = a.lit ? unescapeLiteral(a.v) : a.v;
    const y = b.lit ? unescapeLiteral(b.v) : b.v;
    c = x < y ? -1 : x > y ? 1 : 0;
  } else if (a.t === "float" || b.t === "float") {
    const x = Number(a.v);
    const y = Number(b.v);
    c = x < y ? -1 : x > y ? 1 : 0;
  } else c = a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  return { "==": c === 0, "!=": c !== 0, "<": c < 0, ">": c > 0, "<=": c <= 0, ">=": c >= 0 }[op];
}

/** Every reference in the expression, for LTTng's link-time rule: one missing field rejects the class. */
function references(node, out = []) {
  if (node.kind === "reference") out.push(node);
  else if (node.kind === "unary") references(node.operand, out);
  else if (node.kind === "binary") {
    references(node.left, out);
    references(node.right, out);
  }
  return out;
}

function referenceKeeps(ast, ev, t) {
  for (const r of references(ast)) {
    const found = lookup(r.links, ev, t);
    if (found === undefined) return false;
    // An index past a fixed array's length does not link either.
    if (found.type.kind === "array" && r.links.at(-1).indexes.length > 0) {
      if (Number(r.links.at(-1).indexes[0].value) >= found.type.length) return false;
    }
  }
  try {
    return truth(evaluate(ast, ev, t));
  } catch (e) {
    if (e === FAIL) return false;
    throw e;
  }
}

const unfiltered = new Map();

function jsonLines(args) {
  const r = ttng(["convert", "-o", "json", ...args]);
  assert.equal(r.status, 0, `${args.join(" ")}: ${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l !== "");
}

/** The filtered run must output exactly what the reference keeps. */
function check(traceDir, expr, typesOf) {
  if (!unfiltered.has(traceDir)) unfiltered.set(traceDir, jsonLines([traceDir]));
  const all = unfiltered.get(traceDir);
  const ast = parseFilterExpression(expr).ast;
  const want = all.filter((line) => {
    const ev = JSON.parse(line);
    if (ev.type !== "event") return true;
    return referenceKeeps(ast, ev, typesOf(ev));
  });
  const got = jsonLines(["--filter", expr, traceDir]);
  assert.equal(got.length, want.length, `${expr}: ${got.length} records, reference keeps ${want.length}`);
  assert.deepEqual(got, want, expr);
  return { kept: want.filter((l) => l.startsWith('{"type":"event"')).length, total: all.length };
}

const EXPRESSIONS = [
  // numbers, signed 64-bit comparison, u64 patterns for bitwise operators
  "lat > 1000",
  "lat < 0",
  "id == 5",
  "id >= 100 && id < 200",
  "flags & 0x10",
  "(flags & 0xF) == 3",
  "flags & 0xF == 3",
  "flags | 0x8000 == 0xFFFF",
  "(flags ^ 0xFF) < 0x100",
  "~flags & 1",
  "flags >> 12 == 0xA",
  "1 << 3 == 8 && lat < 0",
  "flags << 70 == 0",
  "big > 0",
  "big == -1",
  "big >= -5 && big < 0",
  "neg < -500000000000",
  "-lat > 10000",
  "!(lat > 0)",
  // floats
  "ratio > 10.5",
  "ratio == 3",
  "lat < 100.25",
  // strings, globs, escapes
  'path == "/api/*"',
  'path == "*item*"',
  'path != "/health"',
  'path < "/b"',
  'path == "/a\\*b"',
  'path == ""',
  'path == "/café/☃"',
  'path == "*☃"',
  'path > "/c"',
  'txt == "t*"',
  'id == "x*"',
  'nested.b == "x*" && nested.a > 100',
  // enumerations
  "state == 1",
  "state != 2 && lat > 0",
  // arrays and sequences
  "arr[0] > 0",
  "arr[3] < -100",
  "arr[4] == 0",
  "seq[0] > 1000",
  "seq[2] >= 0",
  // contexts
  "$ctx.vtid == 1001",
  '$ctx.procname == "worker*"',
  "$ctx.prio > 3",
  "$ctx.cpu_id == 1",
  "$ctx.nope == 1",
  // missing fields, logical operators
  "nofield == 1",
  "nofield == 1 || 1",
  "count > 10",
  "!(count > 10)",
  'lat > 0 && (path == "/api*" || state == 2)',
  "lat > 0 || count < 5",
];

test("filter.utils.filter keeps exactly the events the reference evaluator keeps (generated trace)", () => {
  const typesOf = (ev) => types.get(ev.name);
  let selective = 0;
  for (const expr of EXPRESSIONS) {
    const { kept, total } = check(trace, expr, typesOf);
    if (kept > 0 && kept < total) selective++;
  }
  // The expressions must actually select: most keep some events and drop others.
  assert.ok(selective >= 30, `only ${selective} expressions were selective`);
});

test("filter.utils.filter's event-name pattern and expression together (-c with params)", () => {
  const all = jsonLines([trace]).map((l) => JSON.parse(l));
  const got = jsonLines([trace, "-c", "filter.utils.filter", "-p", 'event-name="app:t*",expression="count < 50"']);
  const want = all.filter((e) => e.type !== "event" || (e.name === "app:tick" && e.payload.count < 50));
  assert.deepEqual(
    got.map((l) => JSON.parse(l)),
    want,
  );
});

test("filter.utils.filter reports a bad expression with its column, no stack", () => {
  const r = ttng(["convert", "-o", "json", "--filter", "lat > = 3", trace]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /syntax error at column 7/);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
  const t = ttng(["convert", "-o", "json", "--filter", '"text"', trace]);
  assert.equal(t.status, 1);
  assert.match(t.stderr, /String cannot be root data type/);
  const p = ttng(["convert", "-o", "json", trace, "-c", "filter.utils.filter", "-p", "nope=1"]);
  assert.equal(p.status, 1);
  assert.match(p.stderr, /Unknown parameter: `nope`/);
});

test("convert --run-args shows the filter after the muxer and trimmer", () => {
  const r = ttng(["convert", "--run-args", "--filter", 'path == "/a*"', "--begin", "1", trace]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /--component filter:filter\.utils\.filter --params 'expression="path == \\"\/a\*\\""'/);
  assert.match(r.stdout, /--connect muxer:trimmer --connect trimmer:filter --connect filter:pretty/);
});

/** Corpus traces: integer and string fields as found in the output; comparisons built from their values. */
test(
  "filter.utils.filter agrees with the reference on corpus traces",
  { skip: hasCorpus ? false : skipReason("../shared/conformance") },
  () => {
    const dir = join(corpus, "ctf-traces/1/succeed");
    let checked = 0;
    for (const name of ["multi-domains", "debug-info", "wk-heartbeat-u", "succeed1", "trace-with-index"]) {
      if (!readdirSync(dir).includes(name)) continue;
      const traceDir = join(dir, name);
      if (!unfiltered.has(traceDir)) unfiltered.set(traceDir, jsonLines([traceDir]));
      const all = unfiltered
        .get(traceDir)
        .map((l) => JSON.parse(l))
        .filter((e) => e.type === "event");
      // Types from the values: integers (numbers or digit strings, enumerations), strings.
      const seen = new Map();
      const typeOfValue = (v) =>
        typeof v === "string" && /^-?\d+$/.test(v)
          ? "int"
          : typeof v === "string"
            ? "string"
            : Number.isInteger(v) || (v !== null && typeof v === "object" && "labels" in v)
              ? "int"
              : undefined;
      for (const e of all) {
        for (const [scope, values] of [
          ["payload", e.payload],
          ["ctx", e.common_context],
        ]) {
          for (const [k, v] of Object.entries(values ?? {})) {
            const ty = typeOfValue(v);
            if (ty === undefined) continue;
            const key = `${scope}:${k}`;
            if (!seen.has(key)) seen.set(key, { scope, name: k, type: ty, values: [] });
            if (seen.get(key).type === ty) seen.get(key).values.push(v);
          }
        }
      }
      const typesOf = (ev) => {
        const map = (values) => {
          const m = new Map();
          for (const [k, v] of Object.entries(values ?? {})) {
            const ty = typeOfValue(v);
            if (ty === "int") m.set(k, { kind: "int" });
            else if (ty === "string") m.set(k, { kind: "string" });
            else m.set(k, { kind: "opaque" });
          }
          return m;
        };
        return {
          payload: map(ev.payload),
          specific: map(ev.specific_context),
          common: map(ev.common_context),
          packet: map(ev.packet_context),
        };
      };
      const fields = [...seen.values()].slice(0, 6);
      for (const f of fields) {
        const ref = f.scope === "ctx" ? `$ctx.${f.name}` : f.name;
        let expr;
        if (f.type === "int") {
          const vals = f.values.map((v) => intOf(v)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          expr = `${ref} > ${vals[Math.floor(vals.length / 2)]}`;
        } else {
          const v = f.values[Math.floor(f.values.length / 2)];
          const prefix = v.slice(0, 2).replace(/[\\*"]/g, "");
          expr = `${ref} == "${prefix}*"`;
        }
        check(traceDir, expr, typesOf);
        checked++;
      }
    }
    assert.ok(checked >= 10, `only ${checked} corpus expressions checked`);
  },
);
