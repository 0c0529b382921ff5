/**
 * Generated event writers: one function per (event class, ring), built once with `new Function`
 * from the event's declaration. The generated source holds numeric literals, fixed identifiers
 * and slot indexes only; names, labels and every other user string stay out of it (values are
 * passed in as closure parameters). Shape of a writer (why: the hot path must be monomorphic,
 * allocation-free and do one clock read):
 *
 *   [filter: fill the preallocated argument array, evaluate, return early]
 *   clock read -> (hi, lo) 32-bit words;  coerce strings/sequences;  upper bound of the size
 *   fast check against the open sub-buffer (else Ring.slow: exact size, switch, or drop)
 *   event header (large: compact u16 id + u32 ts, or extended when 2^27 ns or more passed)
 *   contexts, payload (packed, little-endian unless network), commit (pos, COMMIT, lastHigh, lastLow)
 *
 * Wrong argument types never throw out of a writer: DataView setters coerce numbers; anything
 * that throws anyway (a Symbol, a bigint into a 32-bit field) is caught and the event is written
 * again once with sanitized values (see sanitize()).
 */
import type { Field, IntType } from "./fields.js";
import { intBits } from "./fields.js";
import type { Ring } from "./ring.js";
import { PROCESS_CONTEXTS } from "./process-ids.js";
import type { ContextSpec } from "./tsdl.js";

/** Where PROCESS_CONTEXTS' values start in `WriterEnv.ctxValues` (after vpid ... worker_id). */
export const CTX_PROCESS_BASE = 5;

export interface WriterHelpers {
  str(v: unknown): string;
  utf8(u8: Uint8Array, s: string, from: number, at: number, stopAtNul: boolean): number;
  ulen(s: string): number;
  textArr(u8: Uint8Array, s: string, from: number, at: number, length: number): void;
  w64(dv: DataView, at: number, v: unknown, le: boolean): void;
  seqLen(v: unknown, max: number): number;
  app(fns: ReadonlyArray<() => unknown>, k: number): unknown;
  warn(eventIndex: number, fieldIndex: number, value: unknown): void;
  fail(eventIndex: number, error: unknown, args: unknown[]): void;
}

const encoder = new TextEncoder();

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

export function toNum(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(BigInt.asIntN(64, v));
  try {
    const n = Number(v);
    return Number.isNaN(n) ? 0 : n;
  } catch {
    return 0;
  }
}

export function toStr(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "(null)"; // LTTng-UST's NULL string
  try {
    return String(v);
  } catch {
    return "";
  }
}

export const baseHelpers: Omit<WriterHelpers, "warn" | "fail"> = {
  str: toStr,
  utf8(u8, s, from, at, stopAtNul) {
    let rest = s.slice(from);
    if (stopAtNul) {
      const z = rest.indexOf("\0");
      if (z >= 0) rest = rest.slice(0, z);
    }
    // Non-ASCII only: the one place that allocates a view (research note §3: encodeInto on a subarray).
    return at + encoder.encodeInto(rest, u8.subarray(at)).written;
  },
  ulen: utf8Length,
  textArr(u8, s, from, at, length) {
    const bytes = encoder.encode(s);
    let i = from;
    for (; i < length && i < bytes.length; i++) u8[at + i] = bytes[i]!;
    for (; i < length; i++) u8[at + i] = 0;
  },
  w64(dv, at, v, le) {
    if (typeof v === "bigint") {
      dv.setBigUint64(at, BigInt.asUintN(64, v), le);
      return;
    }
    const n = Math.trunc(toNum(v));
    const hi = Math.floor(n / 4294967296);
    const lo = n - hi * 4294967296;
    dv.setUint32(le ? at : at + 4, lo, le);
    dv.setUint32(le ? at + 4 : at, hi, le);
  },
  seqLen(v, max) {
    if (v === null || typeof v !== "object") return 0;
    const n = (v as ArrayLike<unknown>).length;
    if (typeof n !== "number" || !(n > 0)) return 0;
    return n > max ? max : n >>> 0;
  },
  app(fns, k) {
    try {
      return fns[k]!();
    } catch {
      return undefined;
    }
  },
};

/** Values a bad argument is replaced with when a writer threw (documented coercions). */
export function sanitize(field: Field, v: unknown): unknown {
  switch (field.kind) {
    case "int":
    case "enum": {
      const t = field.kind === "int" ? field.type : field.container.type;
      if (intBits(t) === 64) return typeof v === "bigint" ? v : Math.trunc(toNum(v));
      return Math.trunc(toNum(v));
    }
    case "float":
      return toNum(v);
    case "string":
    case "textArray":
    case "textSequence":
      return toStr(v);
    case "array":
    case "sequence": {
      let len = 0;
      try {
        len = v !== null && typeof v === "object" ? Math.trunc(Number((v as ArrayLike<unknown>).length)) : 0;
      } catch {
        len = 0;
      }
      if (!(len > 0)) len = 0;
      if (field.kind === "array") len = field.length;
      else len = Math.min(len, MAX_LEN[field.lengthType]!);
      const e = field.element;
      const out: unknown[] = [];
      for (let i = 0; i < Math.min(len, 1 << 20); i++) {
        let x: unknown;
        try {
          x = (v as ArrayLike<unknown>)[i];
        } catch {
          x = 0;
        }
        out.push(e.kind === "int" && intBits(e.type) === 64 && typeof x === "bigint" ? x : toNum(x));
      }
      return out;
    }
  }
}

const MAX_LEN: Record<string, number> = { u8: 255, u16: 65535, u32: 1 << 24, u64: 1 << 24 };

function intWrite(t: IntType, be: boolean, at: string, v: string): string {
  const le = be ? "false" : "true";
  switch (t) {
    case "u8":
    case "s8":
      return `u8[${at}] = ${v};`;
    case "u16":
      return `dv.setUint16(${at}, ${v}, ${le});`;
    case "s16":
      return `dv.setInt16(${at}, ${v}, ${le});`;
    case "u32":
      return `dv.setUint32(${at}, ${v}, ${le});`;
    case "s32":
      return `dv.setInt32(${at}, ${v}, ${le});`;
    default: {
      // 64-bit: numbers split without BigInt; bigints through the helper.
      const lo = be ? `${at} + 4` : at;
      const hi = be ? at : `${at} + 4`;
      return `if (typeof ${v} === "number") { var h_ = Math.floor(${v} / 4294967296); dv.setUint32(${lo}, ${v} - h_ * 4294967296, ${le}); dv.setUint32(${hi}, h_, ${le}); } else H.w64(dv, ${at}, ${v}, ${le});`;
    }
  }
}

function elemWrite(f: Field & { kind: "array" | "sequence" }, at: string, v: string): string {
  const e = f.element;
  if (e.kind === "float")
    return e.bits === 32 ? `dv.setFloat32(${at}, ${v}, true);` : `dv.setFloat64(${at}, ${v}, true);`;
  return intWrite(e.type, e.byteOrder === "be", at, v);
}

function elemSize(f: Field & { kind: "array" | "sequence" }): number {
  return f.element.kind === "float" ? f.element.bits / 8 : intBits(f.element.type) / 8;
}

function lenWrite(t: "u8" | "u16" | "u32" | "u64", at: string, v: string): string {
  return intWrite(t, false, at, v);
}

export interface WriterSpec {
  fields: readonly Field[];
  id: number;
  eventIndex: number;
  contexts: readonly ContextSpec[];
  hasFilter: boolean;
  debug: boolean;
}

export type Writer = (...args: unknown[]) => void;

export interface WriterEnv {
  ring: Ring;
  perf: { now(): number };
  baseHi: number;
  baseLo: number;
  /** vpid, vtid, pthread_id lo, pthread_id hi, worker_id, then PROCESS_CONTEXTS' values from CTX_PROCESS_BASE */
  ctxValues: readonly number[];
  procname: Uint8Array;
  appFns: ReadonlyArray<() => unknown>;
  helpers: WriterHelpers;
  filter: ((payload: unknown[]) => boolean) | null;
}

/** Builds the source of a writer; exported for tests (it must never contain user strings). */
export function writerSource(spec: WriterSpec): string {
  const { fields, id } = spec;
  const args = fields.map((_, k) => `a${k}`);
  let pre = "";
  let fixed = 0; // the header size (6 or 14) is added at run time
  const ubVar: string[] = [];
  const exVar: string[] = [];
  let ctxCode = "";
  let appIdx = 0;
  spec.contexts.forEach((c, k) => {
    switch (c.kind) {
      case "vpid":
        ctxCode += "dv.setInt32(p, X0, true); p += 4;\n";
        fixed += 4;
        break;
      case "vtid":
        ctxCode += "dv.setInt32(p, X1, true); p += 4;\n";
        fixed += 4;
        break;
      case "procname":
        ctxCode += "for (var i_ = 0; i_ < 17; i_++) u8[p + i_] = PN[i_]; p += 17;\n";
        fixed += 17;
        break;
      case "pthread_id":
        ctxCode += "dv.setUint32(p, X2, true); dv.setUint32(p + 4, X3, true); p += 8;\n";
        fixed += 8;
        break;
      case "worker_id":
        ctxCode += "dv.setInt32(p, X4, true); p += 4;\n";
        fixed += 4;
        break;
      case "vuid":
      case "veuid":
      case "vsuid":
      case "vgid":
      case "vegid":
      case "vsgid":
        ctxCode += `dv.setUint32(p, X[${CTX_PROCESS_BASE + PROCESS_CONTEXTS.indexOf(c.kind)}], true); p += 4;\n`;
        fixed += 4;
        break;
      case "cgroup_ns":
      case "ipc_ns":
      case "mnt_ns":
      case "net_ns":
      case "pid_ns":
      case "time_ns":
      case "user_ns":
      case "uts_ns": {
        const x = `X[${CTX_PROCESS_BASE + PROCESS_CONTEXTS.indexOf(c.kind)}]`;
        ctxCode += `dv.setUint32(p, ${x} >>> 0, true); dv.setUint32(p + 4, (${x} / 4294967296) >>> 0, true); p += 8;\n`;
        fixed += 8;
        break;
      }
      case "app": {
        const v = `c${k}`;
        pre += `var ${v} = H.app(A, ${appIdx++});\n`;
        ubVar.push(`(typeof ${v} === "string" ? ${v}.length * 3 + 2 : 9)`);
        exVar.push(`(typeof ${v} === "string" ? H.ulen(${v}) + 2 : 9)`);
        ctxCode +=
          `if (typeof ${v} === "string") { u8[p] = 3; p += 1; var n_ = ${v}.length, i_ = 0, k_ = 0; for (; i_ < n_; i_++) { k_ = ${v}.charCodeAt(i_); if (k_ - 1 >>> 0 >= 127) break; u8[p + i_] = k_; } p = i_ < n_ ? H.utf8(u8, ${v}, i_, p + i_, true) : p + n_; u8[p] = 0; p += 1; }\n` +
          `else if (typeof ${v} === "number" && Number.isSafeInteger(${v})) { u8[p] = 1; H.w64(dv, p + 1, ${v}, true); p += 9; }\n` +
          `else if (typeof ${v} === "bigint") { u8[p] = 1; H.w64(dv, p + 1, ${v}, true); p += 9; }\n` +
          `else if (typeof ${v} === "number") { u8[p] = 2; dv.setFloat64(p + 1, ${v}, true); p += 9; }\n` +
          `else { u8[p] = 0; p += 1; }\n`;
        break;
      }
    }
  });
  let body = "";
  let debug = "";
  fields.forEach((f, k) => {
    const a = `a${k}`;
    if (spec.debug) {
      const want =
        f.kind === "int" || f.kind === "enum"
          ? `typeof ${a} !== "number" && typeof ${a} !== "bigint"`
          : f.kind === "float"
            ? `typeof ${a} !== "number"`
            : f.kind === "string" || f.kind === "textArray" || f.kind === "textSequence"
              ? `typeof ${a} !== "string"`
              : `(${a} === null || typeof ${a} !== "object")`;
      debug += `if (${want}) H.warn(${spec.eventIndex}, ${k}, ${a});\n`;
    }
    if (f.nowrite) return;
    switch (f.kind) {
      case "int":
      case "enum": {
        const t = f.kind === "int" ? f.type : f.container.type;
        const be = (f.kind === "int" ? f.byteOrder : f.container.byteOrder) === "be";
        body += `${intWrite(t, be, "p", a)} p += ${intBits(t) / 8};\n`;
        fixed += intBits(t) / 8;
        break;
      }
      case "float":
        body += f.bits === 32 ? `dv.setFloat32(p, ${a}, true); p += 4;\n` : `dv.setFloat64(p, ${a}, true); p += 8;\n`;
        fixed += f.bits / 8;
        break;
      case "string": {
        const s = `s${k}`;
        pre += `var ${s} = typeof ${a} === "string" ? ${a} : H.str(${a});\n`;
        ubVar.push(`${s}.length * 3 + 1`);
        exVar.push(`H.ulen(${s}) + 1`);
        body += `var n_ = ${s}.length, i_ = 0, k_ = 0; for (; i_ < n_; i_++) { k_ = ${s}.charCodeAt(i_); if (k_ - 1 >>> 0 >= 127) break; u8[p + i_] = k_; }\np = i_ < n_ ? H.utf8(u8, ${s}, i_, p + i_, true) : p + n_; u8[p] = 0; p += 1;\n`;
        break;
      }
      case "array": {
        const es = elemSize(f);
        fixed += es * f.length;
        body += `var q_ = ${a}; if (q_ === null || q_ === undefined) q_ = E; for (var i_ = 0; i_ < ${f.length}; i_++) { var e_ = q_[i_]; if (e_ === undefined) e_ = 0; ${elemWrite(f, `p + i_ * ${es}`, "e_")} } p += ${es * f.length};\n`;
        break;
      }
      case "sequence": {
        const es = elemSize(f);
        const ls = intBits(f.lengthType as IntType) / 8;
        const len = `l${k}`;
        pre += `var ${len} = H.seqLen(${a}, ${MAX_LEN[f.lengthType]});\n`;
        fixed += ls;
        ubVar.push(`${len} * ${es}`);
        exVar.push(`${len} * ${es}`);
        body += `${lenWrite(f.lengthType, "p", len)} p += ${ls};\nvar q_ = ${a}; for (var i_ = 0; i_ < ${len}; i_++) { var e_ = q_[i_]; if (e_ === undefined) e_ = 0; ${elemWrite(f, `p + i_ * ${es}`, "e_")} } p += ${len} * ${es};\n`;
        break;
      }
      case "textArray": {
        const s = `s${k}`;
        const L = f.length;
        pre += `var ${s} = typeof ${a} === "string" ? ${a} : H.str(${a});\n`;
        fixed += L;
        body += `var n_ = ${s}.length < ${L} ? ${s}.length : ${L}, i_ = 0, k_ = 0; for (; i_ < n_; i_++) { k_ = ${s}.charCodeAt(i_); if (k_ >= 128) break; u8[p + i_] = k_; }\nif (i_ < n_) H.textArr(u8, ${s}, i_, p, ${L}); else for (; i_ < ${L}; i_++) u8[p + i_] = 0;\np += ${L};\n`;
        break;
      }
      case "textSequence": {
        const s = `s${k}`;
        const ls = intBits(f.lengthType as IntType) / 8;
        const max = MAX_LEN[f.lengthType]!;
        pre += `var ${s} = typeof ${a} === "string" ? ${a} : H.str(${a});\n`;
        fixed += ls;
        ubVar.push(`${s}.length * 3`);
        exVar.push(`H.ulen(${s})`);
        body += `var lp_ = p; p += ${ls}; var n_ = ${s}.length, i_ = 0, k_ = 0; for (; i_ < n_; i_++) { k_ = ${s}.charCodeAt(i_); if (k_ >= 128) break; u8[p + i_] = k_; }\nvar b_ = i_ < n_ ? H.utf8(u8, ${s}, i_, p + i_, false) - p : n_; if (b_ > ${max}) b_ = ${max};\n${lenWrite(f.lengthType, "lp_", "b_")} p += b_;\n`;
        break;
      }
    }
  });
  const filter = spec.hasFilter ? `${args.map((x, k) => `FA[${k}] = ${x};`).join(" ")}\nif (!F(FA)) return;\n` : "";
  const ub = [String(fixed), ...ubVar].join(" + ");
  const ex = [String(fixed), ...exVar].join(" + ");
  // The extended header is rare (a ring's first event, 2^27 ns or more since the last): out of line.
  const header =
    id >= 65535
      ? `p = R.extended(p, ${id}, hi, lo);\n`
      : `if (hs === 14) p = R.extended(p, ${id}, hi, lo);\nelse { dv.setUint16(p, ${id}, true); dv.setUint32(p + 2, lo, true); p += 6; }\n`;
  return `"use strict";
var X0 = X[0], X1 = X[1], X2 = X[2], X3 = X[3], X4 = X[4];
var E = [];
return function w(${args.join(", ")}) {
try {
${debug}${filter}var d_ = PF.now() * 1e6 + BLO; var lo = d_ >>> 0; var hi = BHI + Math.floor(d_ / 4294967296);
var hh = hi * 32 + (lo >>> 27), ll = lo & 134217727; var hs = ${id >= 65535 ? "14" : "hh === R.lastHigh ? 6 : R.headerBytes(hh, ll)"};
${pre}var p = R.pos;
if (p + hs + ${ub} > R.end) { p = R.slow(hs + ${ex}, hi, lo); if (p < 0) return; }
${header}${ctxCode}${body}R.pos = p; C[2] = p; R.lastHigh = hh; R.lastLow = ll; R.count++;
} catch (err) { H.fail(${spec.eventIndex}, err, [${args.join(", ")}]); }
};`.replace(/\n{2,}/g, "\n");
}

/** Compiles a writer for one ring. */
export function buildWriter(spec: WriterSpec, env: WriterEnv): Writer {
  const src = writerSource(spec);
  const factory = new Function("R", "u8", "dv", "C", "PF", "BHI", "BLO", "X", "PN", "A", "H", "F", "FA", src) as (
    ...p: unknown[]
  ) => Writer;
  const fa: unknown[] = new Array(spec.fields.length).fill(undefined);
  return factory(
    env.ring,
    env.ring.u8,
    env.ring.dv,
    env.ring.ctl,
    env.perf,
    env.baseHi,
    env.baseLo,
    env.ctxValues,
    env.procname,
    env.appFns,
    env.helpers,
    env.filter,
    fa,
  );
}
