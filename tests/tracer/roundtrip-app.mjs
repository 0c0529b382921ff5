// Round-trip app for tests/tracer-roundtrip.test.mjs: declares random events (every field kind)
// from a seed, records random values from the main thread and two workers into an in-process
// session, and prints one JSON line: the trace path and, per thread index (cpu_id), the payloads
// as babeltrace2's pretty sink prints them, in emission order.
//   node tests/tracer/roundtrip-app.mjs SEED OUTPUT_DIR [EVENTS_PER_THREAD]
import { isMainThread, parentPort, threadId, Worker, workerData } from "node:worker_threads";
import { mulberry32 } from "@ttng/base";
import * as T from "@ttng/tracer";

const [seed, output, perThread] = isMainThread
  ? [Number(process.argv[2] ?? 1), process.argv[3], Number(process.argv[4] ?? 300)]
  : [workerData.seed, "", workerData.perThread];

// ---- declarations: identical in every thread (same seed) ----
const rd = mulberry32(seed);
const ri = (n) => Math.floor(rd() * n);
const pick = (a) => a[ri(a.length)];
const INTS = ["u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64"];
const BASES = [10, 10, 16, 8, 2];

function intSpec() {
  return { t: pick(INTS), base: pick(BASES), be: rd() < 0.25 };
}
function intField(name, s) {
  const INT_CTORS = { u8: T.u8, u16: T.u16, u32: T.u32, u64: T.u64, s8: T.s8, s16: T.s16, s32: T.s32, s64: T.s64 };
  let f = INT_CTORS[s.t](name);
  if (s.base === 16) f = T.hex(f);
  else if (s.base === 8) f = T.oct(f);
  else if (s.base === 2) f = T.bin(f);
  if (s.be) f = T.network(f);
  return f;
}
function elemSpec() {
  return rd() < 0.25 ? { float: pick([32, 64]) } : intSpec();
}
function elemField(s) {
  return s.float ? (s.float === 32 ? T.f32("") : T.f64("")) : intField("", s);
}

const KINDS = ["int", "float", "string", "array", "sequence", "textArray", "textSequence", "enum"];
const events = [];
const prov = T.provider("rt");
for (let e = 0; e < 8; e++) {
  const n = 1 + ri(6);
  const specs = [];
  const fields = [];
  for (let k = 0; k < n; k++) {
    const kind = e < KINDS.length && k === 0 ? KINDS[e] : pick(KINDS);
    const name = `f${k}`;
    let s;
    let f;
    switch (kind) {
      case "int":
        s = { kind, ...intSpec() };
        f = intField(name, s);
        break;
      case "float":
        s = { kind, bits: pick([32, 64]) };
        f = s.bits === 32 ? T.f32(name) : T.f64(name);
        break;
      case "string":
        s = { kind };
        f = T.string(name);
        break;
      case "array": {
        s = { kind, el: elemSpec(), len: ri(4) };
        f = T.array(name, elemField(s.el), s.len);
        break;
      }
      case "sequence":
        s = { kind, el: elemSpec(), lt: pick(["u8", "u16", "u32", "u64"]) };
        f = T.sequence(name, elemField(s.el), { lengthType: s.lt });
        break;
      case "textArray":
        s = { kind, len: 1 + ri(6) };
        f = T.textArray(name, s.len);
        break;
      case "textSequence":
        s = { kind, lt: pick(["u8", "u16", "u32"]) };
        f = T.textSequence(name, { lengthType: s.lt });
        break;
      case "enum": {
        const t = pick(["u8", "s16", "s32", "u64", "s64"]);
        s = {
          kind,
          t,
          map: [
            ["ZERO", 0, 0],
            ["LOW", 1, 5],
            ["TEN", 10, 10],
            ["HIGH", 20, 29],
          ],
        };
        f = T.enumeration(name, { ZERO: 0, LOW: [1, 5], TEN: 10, HIGH: [20, 29] }, { type: t });
        break;
      }
    }
    if (rd() < 0.08) {
      s.nowrite = true;
      f = T.nowrite(f);
    }
    specs.push(s);
    fields.push(f);
  }
  events.push({ name: `rt:e${e}`, specs, tp: prov.event(`e${e}`, { fields }) });
}

// ---- values and their babeltrace2 text ----
const bitsOf = (t) => Number(t.slice(1));
function randInt(t, r) {
  const bits = bitsOf(t);
  const signed = t[0] === "s";
  if (bits === 64) {
    let v = (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32));
    if (signed) v = BigInt.asIntN(64, v);
    if (r() < 0.3) v = BigInt(Math.floor((r() - (signed ? 0.5 : 0)) * 2 ** 40));
    return r() < 0.5 && v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
  }
  const u = Math.floor(r() * 2 ** bits);
  return signed && u >= 2 ** (bits - 1) ? u - 2 ** bits : u;
}
function fmtInt(s, v) {
  const bits = bitsOf(s.t);
  const b = BigInt(v);
  if (s.base === 10) return String(b);
  const u = BigInt.asUintN(bits, b);
  if (s.base === 16) return `0x${u.toString(16).toUpperCase()}`;
  // babeltrace2 2.0 masks a negative value to whole octal digits (ceil(bits / 3) * 3 bits).
  if (s.base === 8) return `0${BigInt.asUintN(Math.min(64, Math.ceil(bits / 3) * 3), b).toString(8)}`;
  return `0b${u.toString(2).padStart(bits, "0")}`;
}
// Quarters within ±1024: at most 6 significant digits, so babeltrace2's %g prints them exactly.
const randFloat = (r) => (Math.floor(r() * 8192) - 4096) / 4;
const fmtFloat = (v) => String(v);
const CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-./:;é日本ß";
function randStr(r, max) {
  let s = "";
  // Never empty: babeltrace2 2.0.4 prints an earlier event's text for an empty string (fixed in 2.1).
  const n = 1 + Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += CHARS[Math.floor(r() * (r() < 0.9 ? 62 : CHARS.length))];
  return s;
}
const utf8 = new TextEncoder();
const dec = new TextDecoder();
function elemValue(el, r) {
  return el.float ? randFloat(r) : randInt(el.t, r);
}
function fmtElem(el, v) {
  return el.float ? fmtFloat(el.float === 32 ? Math.fround(v) : v) : fmtInt(el, v);
}
function fmtArray(el, vals) {
  if (vals.length === 0) return "[ ]";
  return `[ ${vals.map((v, i) => `[${i}] = ${fmtElem(el, v)}`).join(", ")} ]`;
}
function textOf(bytes) {
  const z = bytes.indexOf(0);
  return dec.decode(z >= 0 ? bytes.subarray(0, z) : bytes);
}

function valueAndText(s, name, r) {
  switch (s.kind) {
    case "int": {
      const v = randInt(s.t, r);
      return [v, `${name} = ${fmtInt(s, v)}`];
    }
    case "float": {
      const v = randFloat(r);
      return [v, `${name} = ${fmtFloat(s.bits === 32 ? Math.fround(v) : v)}`];
    }
    case "string": {
      const v = randStr(r, 12);
      return [v, `${name} = "${v}"`];
    }
    case "array": {
      const v = Array.from({ length: s.len }, () => elemValue(s.el, r));
      return [v, `${name} = ${fmtArray(s.el, v)}`];
    }
    case "sequence": {
      const v = Array.from({ length: Math.floor(r() * 5) }, () => elemValue(s.el, r));
      return [v, `_${name}_length = ${v.length}, ${name} = ${fmtArray(s.el, v)}`];
    }
    case "textArray": {
      const v = randStr(r, s.len + 2);
      const bytes = new Uint8Array(s.len);
      const all = utf8.encode(v);
      bytes.set(all.subarray(0, s.len));
      // Cutting a multi-byte character leaves invalid UTF-8: keep ASCII only for text arrays.
      const ascii = [...v].every((c) => c.charCodeAt(0) < 128);
      const w = ascii ? v : v.replace(/[^\x00-\x7f]/g, "x");
      const b2 = new Uint8Array(s.len);
      b2.set(utf8.encode(w).subarray(0, s.len));
      return [w, `${name} = "${textOf(b2)}"`];
    }
    case "textSequence": {
      const v = randStr(r, 10);
      const bytes = utf8.encode(v);
      // babeltrace2 2.0.4 prints an earlier event's text for an empty text sequence (fixed in 2.1).
      const w = bytes.length === 0 ? "x" : v;
      return [w, `_${name}_length = ${utf8.encode(w).length}, ${name} = "${w}"`];
    }
    case "enum": {
      const v = Math.floor(r() * 32);
      const labels = s.map.filter(([, lo, hi]) => v >= lo && v <= hi).map(([l]) => `"${l}"`);
      const text = labels.length === 0 ? "<unknown>" : labels.join(", ");
      return [s.t.endsWith("64") && r() < 0.5 ? BigInt(v) : v, `${name} = ( ${text} : container = ${v} )`];
    }
  }
}

async function emitAll(seedOffset) {
  const r = mulberry32(seed * 1000 + seedOffset);
  const expected = [];
  for (let i = 0; i < perThread; i++) {
    const ev = events[Math.floor(r() * events.length)];
    const args = [];
    const texts = [];
    ev.specs.forEach((s, k) => {
      const [v, t] = valueAndText(s, `f${k}`, r);
      args.push(v);
      if (!s.nowrite) texts.push(t);
    });
    ev.tp(...args);
    expected.push(texts.length === 0 ? `${ev.name}: { }` : `${ev.name}: { ${texts.join(", ")} }`);
    if (i % 50 === 49) await new Promise((res) => setImmediate(res));
  }
  return expected;
}

if (isMainThread) {
  const session = await T.startSession({
    output,
    channels: [{ name: "chan", subbufSize: 4096, numSubbuf: 8, mode: "blocking", blockingTimeoutUs: 5_000_000 }],
    events: [{ name: "rt:*" }],
    // Optional 4th argument: the trace format (tests/ctf2-write-tracer.test.mjs records both).
    ...(process.argv[5] ? { traceFormat: process.argv[5] } : {}),
  });
  const workers = [0, 1].map((k) => new Worker(new URL(import.meta.url), { workerData: { seed, perThread, k } }));
  const exited = workers.map((w) => new Promise((res) => w.on("exit", res)));
  const fromWorkers = workers.map(
    (w) =>
      new Promise((resolve, reject) => {
        w.on("message", (m) => resolve(m));
        w.on("error", reject);
      }),
  );
  const main = await emitAll(0);
  const results = await Promise.all(fromWorkers);
  await Promise.all(exited);
  const result = await session.stop();
  const expected = { 0: main };
  for (const m of results) expected[m.tid] = m.expected;
  process.stdout.write(`${JSON.stringify({ result, expected })}\n`);
} else {
  const ok = await T.sessionReady(5000);
  const expected = ok ? await emitAll(1 + workerData.k) : [];
  parentPort.postMessage({ tid: threadId, expected });
}
