/**
 * Generated skippers: a scope's skipper as one function, built once per
 * trace class with `new Function`, so that skipping an event record costs a
 * few calls instead of one closure call per field. Same behaviour as the
 * closure skippers (`skip.ts`), which it calls for the cold parts (array
 * elements, the member-by-member path of a static run that does not fit,
 * variant options selected by several ranges).
 *
 * Nothing from the trace is spliced into the code but numbers the metadata
 * parser produced (sizes, alignments, slots, tag ranges), each checked to be
 * a finite number or a bigint; error messages are this module's constants.
 * A scope too large or of an unexpected shape gets the closure skipper.
 */
import { FormatError } from "@ttng/base";
import type { FieldClass, IntFC, StructFC } from "../model.js";
import { readRaw, readRawWord } from "./bits.js";
import { hasEffects, updateClock } from "./effects.js";
import { minSizeBits } from "./min-size.js";
import { compileSkipper, effectsOf, isCtf2Special, type Skipper, staticLayout } from "./skip.js";

class Bail extends Error {}

const MAX_SOURCE_CHARS = 60000;

function failVariant(tag: number): never {
  throw new FormatError("ERR_DECODE", `Cannot find variant field class's option for tag value: tag=${tag}`, {
    actor: "source.ctf.fs",
  });
}

const isPow2 = (n: number) => n >= 1 && n <= 1073741824 && (n & (n - 1)) === 0;
const roundUp = (n: number, a: number) => Math.ceil(n / a) * a;

class Gen {
  readonly refs: unknown[] = [];
  private ids = 0;
  chars = 0;

  num(n: unknown): string {
    if (typeof n !== "number" || !Number.isFinite(n)) throw new Bail();
    return String(n);
  }

  bound(v: unknown): string {
    if (typeof v === "bigint") return `${v.toString()}n`;
    return this.num(v);
  }

  ref(x: unknown): string {
    this.refs.push(x);
    return `K[${this.refs.length - 1}]`;
  }

  id(): number {
    return this.ids++;
  }

  /** `alignStep()`'s semantics. */
  align(a: number): string {
    if (a <= 1) return "";
    if (a <= 2147483648 && (a & (a - 1)) === 0)
      return `r = st.pos & ${this.num(a - 1)}; if (r !== 0) st.pos += ${this.num(a)} - r;\n`;
    return `r = st.pos % ${this.num(a)}; if (r !== 0) st.pos += ${this.num(a)} - r;\n`;
  }

  field(fc: FieldClass): string {
    const code = this.fieldInner(fc);
    this.chars += code.length;
    if (this.chars > MAX_SOURCE_CHARS) throw new Bail();
    return code;
  }

  private int(fc: IntFC): string {
    const n = this.num(fc.sizeBits);
    const le = fc.byteOrder === "le";
    const a = fc.alignBits;
    const bo = le ? 1 : 2;
    const mayStartMid = a % 8 !== 0;
    const mayEndMid = mayStartMid || fc.sizeBits % 8 !== 0;
    // The integer readers align with `pos & (align - 1)`, whatever the alignment.
    let s = a - 1 !== 0 ? `r = st.pos & ${this.num(a - 1)}; if (r !== 0) st.pos += ${this.num(a)} - r;\n` : "";
    s += `if (st.pos + ${n} > st.end) st.fail("integer field", ${n});\n`;
    if (mayStartMid)
      s += `if ((st.pos & 7) !== 0 && st.lastBo !== 0 && st.lastBo !== ${bo}) st.failByteOrderChange("integer field");\n`;
    if (mayEndMid) s += `st.lastBo = ${bo};\n`;
    if (hasEffects(fc)) {
      let read: string;
      if (fc.sizeBits > 32) read = `RR(st, ${n}, ${le});\n`;
      else if (le) read = `if ((st.pos & 7) + ${n} <= 32) ${this.readWordLe(fc.sizeBits)} else RR(st, ${n}, true);\n`;
      else read = `if ((st.pos & 7) + ${n} <= 32) RW(st, ${n}, false); else RR(st, ${n}, false);\n`;
      return `${s}${read}${this.effects(fc)}`;
    }
    return `${s}st.pos += ${n};\n`;
  }

  /**
   * `readRawWord(st, n, true)` inline (one event header has two of these: LTTng's 5-bit ID and
   * 27-bit timestamp): the bytes the `n` bits span, at most four, with no loop.
   */
  private readWordLe(n: number): string {
    const k = this.id();
    const mask = n === 32 ? "" : ` & ${this.num(2 ** n - 1)}`;
    return `{ const p${k} = st.pos; const u${k} = st.buf; const b${k} = p${k} >>> 3; const e${k} = (p${k} & 7) + ${this.num(n)};
let w${k} = u${k}[b${k}];
if (e${k} > 8) { w${k} |= u${k}[b${k} + 1] << 8; if (e${k} > 16) { w${k} |= u${k}[b${k} + 2] << 16; if (e${k} > 24) w${k} |= u${k}[b${k} + 3] << 24; } }
st.lo = ((w${k} >>> (p${k} & 7))${mask}) >>> 0; st.hi = 0; st.pos = p${k} + ${this.num(n)}; }`;
  }

  /**
   * `effectsOf(fc)(st)` inline for the common integers (an unsigned event class ID, stored value
   * or clock value of at most 32 bits: `updateClock`'s n < 31 case spelled out); the closure for
   * the others.
   */
  private effects(fc: IntFC): string {
    const m = fc.meaning;
    const n = fc.sizeBits;
    if (fc.signed || n > 32 || (m !== "none" && m !== "event-class-id")) return `${this.ref(effectsOf(fc))}(st);\n`;
    let s = "{ const v = st.lo;\n";
    if (m === "event-class-id") s += "st.eventClassId = v;\n";
    if (fc.mappedClock !== undefined) {
      if (n < 31) {
        const mask = this.num(2 ** n - 1);
        s += `let lo = st.clockLo; let hi = st.clockHi;
if (v < (lo & ${mask})) { lo += ${this.num(2 ** n)}; if (lo >= 4294967296) { lo -= 4294967296; hi = (hi + 1) % 4294967296; } }
st.clockLo = lo - (lo & ${mask}) + v; st.clockHi = hi;\n`;
      } else s += `U(st, ${this.num(n)});\n`;
    }
    if (fc.storingIndex >= 0) s += `st.stored[${this.num(fc.storingIndex)}] = v;\n`;
    return `${s}}\n`;
  }

  private fieldInner(fc: FieldClass): string {
    // CTF 2 additions are skipped by the closure skipper (they read the field).
    if (isCtf2Special(fc)) throw new Bail();
    switch (fc.kind) {
      case "int":
        return this.int(fc);
      case "float": {
        const n = this.num(fc.sizeBits);
        const bo = fc.byteOrder === "le" ? 1 : 2;
        let s = this.align(fc.alignBits);
        s += `if (st.pos + ${n} > st.end) st.fail("floating point number field", ${n});\n`;
        if (fc.alignBits % 8 !== 0) {
          s += `if ((st.pos & 7) !== 0 && st.lastBo !== 0 && st.lastBo !== ${bo}) st.failByteOrderChange("floating point number field");\n`;
          s += `st.lastBo = ${bo};\n`;
        }
        return `${s}st.pos += ${n};\n`;
      }
      case "string": {
        const k = this.id();
        return `r = st.pos & 7; if (r !== 0) st.pos += 8 - r;
{ const b${k} = st.buf; const s${k} = st.pos >>> 3; const e${k} = st.end >>> 3; let z${k} = s${k};
const l${k} = Math.min(e${k}, s${k} + 32);
while (z${k} < l${k} && b${k}[z${k}] !== 0) z${k}++;
if (z${k} === l${k} && l${k} < e${k}) z${k} = b${k}.indexOf(0, l${k});
if (z${k} < 0 || z${k} >= e${k}) st.fail("string field (no terminating null byte)", 8);
st.pos = (z${k} + 1) * 8; }\n`;
      }
      case "struct":
        return this.align(fc.alignBits) + this.members(fc.members.map((m) => m.fc));
      case "array":
      case "sequence": {
        const k = this.id();
        let s = this.align(fc.alignBits);
        let len: string;
        if (fc.kind === "array") len = this.num(fc.length);
        else {
          if (!fc.lengthFc) throw new Bail();
          len = `st.stored[${this.num(fc.lengthFc.storingIndex)}]`;
        }
        s += `{ const n${k} = ${len};\n`;
        if (fc.isText) {
          return `${s}st.checkLength(n${k}, "text array field");
if (st.pos + n${k} * 8 > st.end) st.fail("text array field", n${k} * 8);
st.pos += n${k} * 8; }\n`;
        }
        const min = this.num(minSizeBits(fc.element));
        const elem = this.ref(compileSkipper(fc.element));
        s += `st.checkLength(n${k}, "array field");
if (n${k} * ${min} > st.end - st.pos) st.fail("array field", n${k} * ${min});\n`;
        const l = staticLayout(fc.element);
        if (l && isPow2(fc.alignBits) && l.alignBits <= fc.alignBits) {
          const stride = this.num(roundUp(l.sizeBits, l.alignBits));
          const size = this.num(l.sizeBits);
          return `${s}if (n${k} !== 0) { const t${k} = (n${k} - 1) * ${stride} + ${size};
if (st.pos + t${k} <= st.end) st.pos += t${k}; else for (let i${k} = 0; i${k} < n${k}; i${k}++) ${elem}(st); } }\n`;
        }
        return `${s}for (let i${k} = 0; i${k} < n${k}; i${k}++) ${elem}(st); }\n`;
      }
      case "optional":
        throw new Bail();
      case "variant": {
        if (!fc.tagFc) throw new Bail();
        const k = this.id();
        let s = `{ const t${k} = st.stored[${this.num(fc.tagFc.storingIndex)}];\n`;
        const uses = new Array<number>(fc.options.length).fill(0);
        for (const r of fc.ranges) uses[r.option] = (uses[r.option] ?? 0) + 1;
        let first = true;
        for (const r of fc.ranges) {
          const o = fc.options[r.option];
          if (!o) throw new Bail();
          // An option selected by one range is inlined; one selected by several is called.
          const body = uses[r.option] === 1 ? this.field(o.fc) : `${this.ref(compileSkipper(o.fc))}(st);\n`;
          s += `${first ? "" : "else "}if (t${k} >= ${this.bound(r.lo)} && t${k} <= ${this.bound(r.hi)}) {\n${body}}\n`;
          first = false;
        }
        return `${s}${first ? "" : "else "}V(t${k}); }\n`;
      }
    }
  }

  /** Members in order; a static run of several costs one bounds check (as in `skip.ts`). */
  private members(fcs: FieldClass[]): string {
    type Run = { alignBits: number; sizeBits: number; fcs: FieldClass[] };
    const groups: Array<FieldClass | Run> = [];
    let run: Run | undefined;
    for (const fc of fcs) {
      const l = staticLayout(fc);
      if (l && run && l.alignBits <= run.alignBits) {
        run.sizeBits = roundUp(run.sizeBits, l.alignBits) + l.sizeBits;
        run.fcs.push(fc);
        continue;
      }
      if (l && l.sizeBits < 2147483648) {
        run = { alignBits: l.alignBits, sizeBits: l.sizeBits, fcs: [fc] };
        groups.push(run);
        continue;
      }
      run = undefined;
      groups.push(fc);
    }
    let s = "";
    for (const g of groups) {
      if (!("fcs" in g)) s += this.field(g);
      else if (g.fcs.length === 1) s += this.field(g.fcs[0]!);
      else {
        const size = this.num(g.sizeBits);
        // Something does not fit: the member that does not gives the error.
        const slow = g.fcs.map((fc) => `${this.ref(compileSkipper(fc))}(st);`).join(" ");
        s += `r = st.pos & ${this.num(g.alignBits - 1)}; if (r !== 0) st.pos += ${this.num(g.alignBits)} - r;
if (st.pos + ${size} <= st.end) st.pos += ${size}; else { ${slow} }\n`;
      }
    }
    return s;
  }
}

/**
 * The skipper of a scope as one generated function, or the closure skipper when the scope is too
 * large or of an unexpected shape. Same cursor, checks, effects and errors as `compileField(fc)`.
 */
export function generateSkipper(fc: StructFC): Skipper {
  const g = new Gen();
  let body: string;
  try {
    body = g.field(fc);
  } catch (e) {
    if (e instanceof Bail) return compileSkipper(fc);
    throw e;
  }
  const make = new Function(
    "K",
    "RW",
    "RR",
    "V",
    "U",
    `"use strict"; return function skip(st) { let r = 0;\n${body}};`,
  );
  return make(g.refs, readRawWord, readRaw, failVariant, updateClock) as Skipper;
}
