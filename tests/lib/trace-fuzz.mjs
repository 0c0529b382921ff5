// Mutation fuzzing of CTF 1.8 traces (used by tests/fuzz-traces.test.mjs).
//
// `writeBaseTraces()` writes valid traces (generator traces and, when present, copies of the
// Babeltrace corpus); `makeCase(bases, seed, index, dir)` copies one of them to `dir` and mutates
// it (bit flips, byte overwrites, truncations of data files and metadata, TSDL token edits, huge
// numbers, deep nesting, huge array lengths); the same (seed, index) always makes the same case.
// When loaded as a worker (`workerData.role === "fuzz-traces"`) it runs cases through the graph
// API in-process and reports each outcome to its parent, which owns the timeout and memory bound.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { createRng, kitchenSink, randomEvents, randomTraceDescription, writeTrace } from "./ctf-gen.mjs";

/** Writes the valid traces to mutate under `dir`; returns their directories. */
export function writeBaseTraces(dir, corpusSucceedDir) {
  const bases = [];
  const ks = kitchenSink({ byteOrder: "le" });
  writeTrace(join(dir, "ks-le"), ks.description, ks.events, { packetSizeBytes: 512 });
  bases.push(join(dir, "ks-le"));
  const ksb = kitchenSink({ byteOrder: "be" });
  writeTrace(join(dir, "ks-be"), ksb.description, ksb.events, { packetSizeBytes: 1024, metadata: "packetized" });
  bases.push(join(dir, "ks-be"));
  for (let k = 0; k < 4; k++) {
    const rng = createRng(0x5eed + k);
    const d = randomTraceDescription(rng, { maxDepth: 3 });
    const ev = randomEvents(rng, d, 40, { discardChance: 0.05, seqGapChance: 0.05, packetBreakChance: 0.1 });
    const p = join(dir, `random-${k}`);
    writeTrace(p, d, ev, { packetSizeBytes: 256 << (k % 3), metadata: k === 3 ? "packetized" : "plain" });
    bases.push(p);
  }
  if (corpusSucceedDir && existsSync(corpusSucceedDir)) {
    for (const name of readdirSync(corpusSucceedDir).sort()) {
      const src = join(corpusSucceedDir, name);
      // Small single-directory traces only: they keep each case cheap.
      if (!existsSync(join(src, "metadata")) || dirBytes(src) > 200_000) continue;
      const p = join(dir, `corpus-${name}`);
      cpSync(src, p, { recursive: true });
      bases.push(p);
    }
  }
  return bases;
}

function dirBytes(dir) {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const st = statSync(join(dir, name));
    n += st.isDirectory() ? dirBytes(join(dir, name)) : st.size;
  }
  return n;
}

function dataFiles(dir) {
  return readdirSync(dir)
    .filter((n) => n !== "metadata" && !n.startsWith(".") && statSync(join(dir, n)).isFile())
    .sort();
}

const HUGE = [
  "0",
  "1",
  "-1",
  "65",
  "4294967295",
  "4294967296",
  "9007199254740993",
  "18446744073709551615",
  "18446744073709551616",
  "99999999999999999999999999999999999999",
  "0xFFFFFFFFFFFFFFFFFFFF",
  "0x7FFFFFFF",
  "2147483648",
  "-9223372036854775809",
  "077777777777777777777777",
  "1e309",
];

const TOKENS = [
  "{",
  "}",
  ";",
  "=",
  ":=",
  "[",
  "]",
  "<",
  ">",
  ",",
  "...",
  "struct",
  "variant",
  "enum",
  "integer",
  "floating_point",
  "string",
  "typealias",
  "typedef",
  "event",
  "stream",
  "trace",
  "clock",
  "env",
  "fields",
  "size",
  "align",
  "signed",
  "id",
  "stream_id",
  '"x"',
  "x",
  "0",
  "-",
  "+",
  ".",
  "->",
];

/** Splits TSDL into tokens (identifiers, numbers, strings, comments, punctuation, spaces). */
function tokenize(text) {
  return (
    text.match(/\/\*[\s\S]*?\*\/|"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|[0-9][0-9A-Za-z]*|:=|\.\.\.|->|\s+|./g) ?? []
  );
}

function nestedStruct(depth) {
  return `${"struct { ".repeat(depth)}integer { size = 8; } x; ${"} n; ".repeat(depth)}`;
}

/** One mutation of TSDL text; returns [text, description]. */
function mutateText(rng, text) {
  const toks = tokenize(text);
  const sig = [];
  toks.forEach((t, i) => {
    if (!/^\s+$/.test(t) && !t.startsWith("/*")) sig.push(i);
  });
  const at = () => sig[rng.int(0, sig.length - 1)] ?? 0;
  const kind = rng.weighted({
    deleteToken: 3,
    insertToken: 3,
    duplicateSpan: 1,
    swapTokens: 1,
    hugeNumber: 4,
    arrayLength: 2,
    attribute: 3,
    deepNesting: 1,
    aliasChain: 1,
    manyDimensions: 1,
    deepBraces: 1,
    deepUnary: 1,
    truncate: 2,
    nulByte: 1,
  });
  switch (kind) {
    case "deleteToken": {
      const n = rng.int(1, 3);
      const descs = [];
      for (let k = 0; k < n; k++) {
        const i = at();
        descs.push(JSON.stringify(toks[i]));
        toks[i] = "";
      }
      return [toks.join(""), `delete tokens ${descs.join(" ")}`];
    }
    case "insertToken": {
      const i = at();
      const t = rng.pick(TOKENS);
      toks[i] = rng.chance(0.5) ? `${t} ${toks[i]}` : `${toks[i]} ${t}`;
      return [toks.join(""), `insert ${JSON.stringify(t)} at token ${i}`];
    }
    case "duplicateSpan": {
      const i = at();
      const j = Math.min(toks.length, i + rng.int(1, 40));
      toks.splice(j, 0, ...toks.slice(i, j));
      return [toks.join(""), `duplicate tokens ${i}..${j}`];
    }
    case "swapTokens": {
      const i = at();
      const j = at();
      [toks[i], toks[j]] = [toks[j], toks[i]];
      return [toks.join(""), `swap tokens ${i} and ${j}`];
    }
    case "hugeNumber": {
      const nums = sig.filter((i) => /^[0-9]/.test(toks[i]));
      if (nums.length === 0) return [`${text} 99999999999999999999`, "append huge number"];
      const i = rng.pick(nums);
      const h = rng.pick(HUGE);
      const before = toks[i];
      toks[i] = h;
      return [toks.join(""), `number ${before} -> ${h} at token ${i}`];
    }
    case "arrayLength": {
      const m = [...text.matchAll(/\[\s*([^\]]*)\]/g)];
      const h = rng.pick(["4294967295", "4294967296", "99999999999", "18446744073709551615", "0", "100000000", "-1"]);
      if (m.length === 0) {
        const i = text.indexOf("fields := struct {");
        if (i < 0) return [text, "no array"];
        const j = i + "fields := struct {".length;
        return [`${text.slice(0, j)} integer { size = 8; } huge[${h}]; ${text.slice(j)}`, `add array [${h}]`];
      }
      const x = rng.pick(m);
      return [`${text.slice(0, x.index)}[${h}]${text.slice(x.index + x[0].length)}`, `array length ${x[0]} -> [${h}]`];
    }
    case "attribute": {
      const m = [...text.matchAll(/\b(size|align|base|freq|offset|offset_s|precision|id|stream_id)\s*=\s*([^;]*);/g)];
      if (m.length === 0) return [text, "no attribute"];
      const x = rng.pick(m);
      const v = rng.pick(["0", "3", "65", "128", "1000", "2147483648", "1099511627776", "-8", ...HUGE]);
      return [`${text.slice(0, x.index)}${x[1]} = ${v};${text.slice(x.index + x[0].length)}`, `${x[0]} -> ${v}`];
    }
    case "deepNesting": {
      const depth = rng.pick([64, 500, 5000, 50000]);
      const i = text.indexOf("fields := struct {");
      if (i < 0) return [`${text}${nestedStruct(depth)}`, `nested struct depth ${depth} (appended)`];
      const j = i + "fields := struct {".length;
      return [`${text.slice(0, j)} ${nestedStruct(depth)} ${text.slice(j)}`, `nested struct depth ${depth}`];
    }
    case "aliasChain": {
      // Nesting the parser never sees: each type alias wraps the previous one in a structure.
      const depth = rng.pick([300, 1200, 5000]);
      let chain = "typealias integer { size = 8; align = 8; signed = false; } := fz0;\n";
      for (let k = 1; k <= depth; k++) chain += `typealias struct { fz${k - 1} a; } := fz${k};\n`;
      const e = text.indexOf("event {");
      if (e < 0) return [`${text}\n${chain}`, `alias chain of ${depth} structures (appended)`];
      const f = text.indexOf("fields := struct {", e);
      const j = f < 0 ? -1 : f + "fields := struct {".length;
      const body = j < 0 ? text.slice(e) : `${text.slice(e, j)} fz${depth} deep; ${text.slice(j)}`;
      return [`${text.slice(0, e)}${chain}${body}`, `alias chain of ${depth} structures`];
    }
    case "manyDimensions": {
      const dims = rng.pick([100, 1500, 100000]);
      const i = text.indexOf("fields := struct {");
      const decl = `integer { size = 8; } dims${rng.pick(["[1]", "[0]", "[2]"]).repeat(dims)};`;
      if (i < 0) return [`${text}${decl}`, `${dims} array dimensions (appended)`];
      const j = i + "fields := struct {".length;
      return [`${text.slice(0, j)} ${decl} ${text.slice(j)}`, `${dims} array dimensions`];
    }
    case "deepBraces": {
      const depth = rng.pick([1000, 100000]);
      const i = at();
      toks[i] = `${"{".repeat(depth)}${toks[i]}${rng.chance(0.5) ? "}".repeat(depth) : ""}`;
      return [toks.join(""), `${depth} braces at token ${i}`];
    }
    case "deepUnary": {
      const depth = rng.pick([1000, 100000]);
      const nums = sig.filter((i) => /^[0-9]/.test(toks[i]));
      const i = nums.length > 0 ? rng.pick(nums) : at();
      toks[i] = `${rng.pick(["-", "+", "("]).repeat(depth)}${toks[i]}`;
      return [toks.join(""), `${depth} unary operators at token ${i}`];
    }
    case "truncate": {
      const n = rng.int(0, text.length);
      return [text.slice(0, n), `truncate metadata to ${n} chars`];
    }
    default: {
      const n = rng.int(0, text.length);
      return [`${text.slice(0, n)}\0${text.slice(n)}`, `NUL byte at ${n}`];
    }
  }
}

function packetStarts(bytes) {
  // The packet magic number 0xC1FC1FC1 or the metadata packet magic 0x75D11D57, in either byte order.
  const out = [];
  for (let i = 0; i + 4 <= bytes.length; i++) {
    const a = bytes[i];
    const b = bytes[i + 1];
    if (a === 0xc1 && bytes[i + 3] === 0xc1 && (b === 0x1f || b === 0xfc)) out.push(i);
    else if ((a === 0x75 && b === 0xd1 && bytes[i + 3] === 0x57) || (a === 0x57 && b === 0x1d && bytes[i + 3] === 0x75))
      out.push(i);
  }
  return out.length > 0 ? out : [0];
}

/** One mutation of binary bytes; returns [bytes, description]. */
function mutateBytes(rng, bytes) {
  if (bytes.length === 0) return [Uint8Array.of(rng.int(0, 255)), "empty file gets one byte"];
  const starts = packetStarts(bytes);
  // Half the time aim at a packet header/context, where sizes, ids and lengths live.
  const pos = () =>
    rng.chance(0.5) ? Math.min(bytes.length - 1, rng.pick(starts) + rng.int(0, 63)) : rng.int(0, bytes.length - 1);
  const kind = rng.weighted({ bitFlips: 4, overwrite: 4, ones: 2, truncate: 3, deleteRange: 1, extend: 1, digits: 1 });
  const b = Uint8Array.from(bytes);
  switch (kind) {
    case "digits": {
      // A run of ASCII digits becomes nines, in place: huge numbers inside packetized metadata too.
      const runs = [
        ...Buffer.from(b)
          .toString("latin1")
          .matchAll(/[0-9]+/g),
      ];
      if (runs.length === 0) return [b, "no digits"];
      const r = rng.pick(runs);
      b.fill(0x39, r.index, r.index + r[0].length);
      return [b, `digits ${r[0]} at ${r.index} -> nines`];
    }
    case "bitFlips": {
      const n = rng.int(1, 16);
      const where = [];
      for (let k = 0; k < n; k++) {
        const p = pos();
        const bit = rng.int(0, 7);
        b[p] ^= 1 << bit;
        where.push(`${p}.${bit}`);
      }
      return [b, `flip bits ${where.join(",")}`];
    }
    case "overwrite": {
      const p = pos();
      const n = rng.int(1, 8);
      const v = rng.pick(["random", "zero", "ff", "7f", "80"]);
      for (let k = 0; k < n && p + k < b.length; k++) {
        b[p + k] = v === "random" ? rng.int(0, 255) : { zero: 0, ff: 0xff, "7f": 0x7f, 80: 0x80 }[v];
      }
      return [b, `overwrite ${n} bytes at ${p} with ${v}`];
    }
    case "ones": {
      // A 32- or 64-bit all-ones value: huge packet sizes, sequence lengths, ids.
      const p = pos() & ~3;
      const n = rng.pick([4, 8]);
      for (let k = 0; k < n && p + k < b.length; k++) b[p + k] = 0xff;
      return [b, `${n * 8}-bit all-ones at ${p}`];
    }
    case "truncate": {
      const n = rng.chance(0.3) ? rng.int(0, Math.min(64, bytes.length)) : rng.int(0, bytes.length - 1);
      return [b.subarray(0, n), `truncate to ${n} bytes`];
    }
    case "deleteRange": {
      const p = pos();
      const n = rng.int(1, 16);
      return [Uint8Array.from([...b.subarray(0, p), ...b.subarray(p + n)]), `delete ${n} bytes at ${p}`];
    }
    default: {
      const n = rng.int(1, 300);
      const zero = rng.chance(0.5);
      const tail = Uint8Array.from({ length: n }, () => (zero ? 0 : rng.int(0, 255)));
      return [Uint8Array.from([...b, ...tail]), `append ${n} ${zero ? "zero" : "random"} bytes`];
    }
  }
}

/** Changes the trace directory's layout: empty or missing files, directories instead of files, junk. */
function mutateLayout(rng, dir) {
  const files = dataFiles(dir);
  const kind = rng.pick(["emptyMetadata", "metadataDir", "dataDir", "junkFile", "noData", "duplicateData"]);
  const data = files.length > 0 ? rng.pick(files) : undefined;
  switch (kind) {
    case "emptyMetadata":
      writeFileSync(join(dir, "metadata"), "");
      break;
    case "metadataDir":
      rmSync(join(dir, "metadata"));
      mkdirSync(join(dir, "metadata"));
      break;
    case "dataDir":
      if (data === undefined) return "layout: no data file";
      rmSync(join(dir, data));
      mkdirSync(join(dir, data));
      break;
    case "junkFile":
      writeFileSync(
        join(dir, "junk"),
        Uint8Array.from({ length: rng.int(1, 200) }, () => rng.int(0, 255)),
      );
      break;
    case "noData":
      for (const f of files) rmSync(join(dir, f));
      break;
    default:
      if (data === undefined) return "layout: no data file";
      cpSync(join(dir, data), join(dir, `${data}-copy`));
  }
  return `layout: ${kind}${data !== undefined && /data/i.test(kind) ? ` (${data})` : ""}`;
}

/**
 * Copies one base trace to `dir` and applies 1-3 mutations. Returns
 * `{ dir, base, mutations: string[] }`.
 */
export function makeCase(bases, seed, index, dir) {
  const rng = createRng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const base = bases[rng.int(0, bases.length - 1)];
  rmSync(dir, { recursive: true, force: true });
  cpSync(base, dir, { recursive: true });
  const mutations = [];
  const count = rng.chance(0.7) ? 1 : rng.int(2, 3);
  for (let m = 0; m < count; m++) {
    const files = dataFiles(dir);
    const onMetadata = files.length === 0 || rng.chance(0.45);
    const name = onMetadata ? "metadata" : rng.pick(files);
    const path = join(dir, name);
    const bytes = readFileSync(path);
    const packetized = bytes.length >= 4 && bytes.readUInt32LE(0) === 0x75d11d57;
    const packetizedBe = bytes.length >= 4 && bytes.readUInt32BE(0) === 0x75d11d57;
    if (onMetadata && !packetized && !packetizedBe && rng.chance(0.85)) {
      const [text, what] = mutateText(rng, bytes.toString("latin1"));
      writeFileSync(path, Buffer.from(text, "latin1"));
      mutations.push(`metadata: ${what}`);
    } else {
      const [out, what] = mutateBytes(rng, bytes);
      writeFileSync(path, out);
      mutations.push(`${name}: ${what}`);
    }
  }
  if (rng.chance(0.06)) mutations.push(mutateLayout(rng, dir));
  return { dir, base, mutations };
}

// ---------------------------------------------------------------------------------------------
// Worker: runs cases in-process through the graph API.
// ---------------------------------------------------------------------------------------------

function describeChain(e) {
  const out = [];
  const seen = new Set();
  for (let c = e; c !== undefined && c !== null && !seen.has(c); c = c.cause) {
    seen.add(c);
    out.push(c instanceof Error ? `${c.name}: ${c.message}` : String(c));
  }
  return out;
}

async function runInProcess(mods, dir, usePretty) {
  const { Graph, vMap, vArray, vString } = mods.graph;
  const g = new Graph({
    logger: mods.base.silentLogger,
    stderr: () => {},
    stdout: () => {},
    mipVersion: 1,
  });
  g.addComponent(mods.ctf.ctfFsSourceClass, "src", vMap({ inputs: vArray([vString(dir)]) }));
  g.addComponent(mods.utils.muxerClass, "muxer", vMap());
  for (const port of g.outputPorts("src")) {
    const free = g.inputPorts("muxer").find((p) => !g.isConnected("muxer", p, true));
    g.connect("src", port, "muxer", free);
  }
  const sink = usePretty ? mods.text.prettySinkClass : mods.utils.dummySinkClass;
  g.addComponent(sink, "sink", vMap());
  g.connect("muxer", g.outputPorts("muxer")[0], "sink", "in");
  await g.run();
}

/**
 * Classifies a thrown value: "typed" when every link of the cause chain is a
 * `TtngError` (a Node system error such as ENOENT may end it), else "untyped".
 */
function classify(e, TtngError, dir) {
  const chain = describeChain(e);
  let typed = e instanceof TtngError;
  const seen = new Set();
  for (let c = e; c !== undefined && c !== null && !seen.has(c); c = c.cause) {
    seen.add(c);
    const system = c instanceof Error && typeof c.code === "string" && typeof c.syscall === "string";
    if (!(c instanceof TtngError) && !system) typed = false;
  }
  const text = chain.join("\n");
  return { typed, chain, namesTrace: text.includes(dir) };
}

if (!isMainThread && workerData?.role === "fuzz-traces") {
  const root = workerData.root;
  const imp = (p) => import(join(root, p));
  const mods = {
    base: await imp("packages/base/dist/index.js"),
    graph: await imp("packages/graph/dist/index.js"),
    ctf: await imp("packages/plugin-ctf/dist/index.js"),
    utils: await imp("packages/plugin-utils/dist/index.js"),
    text: await imp("packages/plugin-text/dist/index.js"),
  };
  parentPort.on("message", async ({ index }) => {
    const dir = join(workerData.work, `case-${index}`);
    const c = makeCase(workerData.bases, workerData.seed, index, dir);
    parentPort.postMessage({ type: "start", index, mutations: c.mutations, base: c.base });
    const t0 = performance.now();
    let outcome;
    try {
      await runInProcess(mods, dir, index % 3 === 0);
      outcome = { ok: true };
    } catch (e) {
      outcome = { ok: false, ...classify(e, mods.base.TtngError, dir) };
    }
    const ms = performance.now() - t0;
    if (outcome.ok || (outcome.typed && outcome.namesTrace)) rmSync(dir, { recursive: true, force: true });
    parentPort.postMessage({ type: "done", index, ms, ...outcome });
  });
  parentPort.postMessage({ type: "ready" });
}
