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

  /**
   * The generated code keeps the cursor in the local `p` (and `st.end`, `st.buf` in `E`, `B`):
   * `st.pos` is written back before anything that reads it (a closure skipper, a bit reader, an
   * error) and read back after anything that moves it.
   */
  call(code: string): string {
    // A closure may store values: the locals below no longer hold them.
    this.storedLocals.clear();
    return `st.pos = p; ${code} p = st.pos;\n`;
  }

  /**
   * The locals holding the stored values this function wrote in the code emitted so far, by
   * slot, where a later read in the same block can use the local instead of `st.stored` (a
   * variant's tag, a sequence's length read right after it). Cleared by anything that may store
   * through `st.stored` (`call`), and around the branches of a variant.
   */
  private readonly storedLocals = new Map<number, string>();

  private storedRead(slot: number): string {
    return this.storedLocals.get(slot) ?? `st.stored[${this.num(slot)}]`;
  }

  /** `code` throws: the cursor is where the closure skipper has it when it throws. */
  throwing(code: string): string {
    return `{ st.pos = p; ${code} }`;
  }

  /** `alignStep()`'s semantics. */
  align(a: number): string {
    if (a <= 1) return "";
    if (a <= 2147483648 && (a & (a - 1)) === 0)
      return `r = p & ${this.num(a - 1)}; if (r !== 0) p += ${this.num(a)} - r;\n`;
    return `r = p % ${this.num(a)}; if (r !== 0) p += ${this.num(a)} - r;\n`;
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
    let s = a - 1 !== 0 ? `r = p & ${this.num(a - 1)}; if (r !== 0) p += ${this.num(a)} - r;\n` : "";
    s += `if (p + ${n} > E) ${this.throwing(`st.fail("integer field", ${n});`)}\n`;
    if (mayStartMid)
      s += `if ((p & 7) !== 0 && st.lastBo !== 0 && st.lastBo !== ${bo}) ${this.throwing(`st.failByteOrderChange("integer field");`)}\n`;
    if (mayEndMid) s += `st.lastBo = ${bo};\n`;
    if (!hasEffects(fc)) return `${s}p += ${n};\n`;
    if (!inlineEffects(fc)) {
      // The closure reads the raw value from `st.hi`/`st.lo`, where the bit readers leave it.
      const read =
        fc.sizeBits <= 32
          ? `if ((p & 7) + ${n} <= 32) RW(st, ${n}, ${le}); else RR(st, ${n}, ${le});`
          : `RR(st, ${n}, ${le});`;
      return `${s}${this.call(`${read} ${this.ref(effectsOf(fc))}(st);`)}`;
    }
    const k = this.id();
    s += `let v${k} = 0;\n`;
    if (le) {
      s += `if ((p & 7) + ${n} <= 32) ${this.readWordLe(fc.sizeBits, `v${k}`)}
else { ${this.call(`RR(st, ${n}, true);`)} v${k} = st.lo; }\n`;
    } else
      s += `${this.call(`if ((p & 7) + ${n} <= 32) RW(st, ${n}, false); else RR(st, ${n}, false);`)}v${k} = st.lo;\n`;
    return `${s}${this.effects(fc, `v${k}`)}`;
  }

  /**
   * `readRawWord(st, n, true)`'s value inline (one event header has two of these: LTTng's 5-bit
   * ID and 27-bit timestamp): the bytes the `n` bits span, at most four, with no loop.
   */
  private readWordLe(n: number, v: string): string {
    const k = this.id();
    const mask = n === 32 ? "" : ` & ${this.num(2 ** n - 1)}`;
    return `{ const b${k} = p >>> 3; const e${k} = (p & 7) + ${this.num(n)};
let w${k} = B[b${k}];
if (e${k} > 8) { w${k} |= B[b${k} + 1] << 8; if (e${k} > 16) { w${k} |= B[b${k} + 2] << 16; if (e${k} > 24) w${k} |= B[b${k} + 3] << 24; } }
${v} = ((w${k} >>> (p & 7))${mask}) >>> 0; p += ${this.num(n)}; }`;
  }

  /**
   * `effectsOf(fc)(st)` inline for the value `v` of an unsigned integer of at most 32 bits that is
   * an event class ID or has no meaning (a compact timestamp, a stored length or tag):
   * `updateClock`'s n < 31 case spelled out.
   */
  private effects(fc: IntFC, v: string): string {
    const n = fc.sizeBits;
    let s = "";
    if (fc.meaning === "event-class-id") s += `st.eventClassId = ${v};\n`;
    if (fc.mappedClock !== undefined) {
      if (n < 31) {
        const mask = this.num(2 ** n - 1);
        s += `{ let lo = st.clockLo; let hi = st.clockHi;
if (${v} < (lo & ${mask})) { lo += ${this.num(2 ** n)}; if (lo >= 4294967296) { lo -= 4294967296; hi = (hi + 1) % 4294967296; } }
st.clockLo = lo - (lo & ${mask}) + ${v}; st.clockHi = hi; }\n`;
      } else s += `st.lo = ${v}; st.hi = 0; U(st, ${this.num(n)});\n`;
    }
    if (fc.storingIndex >= 0) {
      s += `st.stored[${this.num(fc.storingIndex)}] = ${v};\n`;
      this.storedLocals.set(fc.storingIndex, v);
    }
    return s;
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
        s += `if (p + ${n} > E) ${this.throwing(`st.fail("floating point number field", ${n});`)}\n`;
        if (fc.alignBits % 8 !== 0) {
          s += `if ((p & 7) !== 0 && st.lastBo !== 0 && st.lastBo !== ${bo}) ${this.throwing(`st.failByteOrderChange("floating point number field");`)}\n`;
          s += `st.lastBo = ${bo};\n`;
        }
        return `${s}p += ${n};\n`;
      }
      case "string": {
        // The terminating null byte: four bytes at a time (a word has a zero byte when
        // (w - 0x01010101) & ~w & 0x80808080 is not zero; its lowest set bit marks the first one),
        // then byte by byte, and past 64 bytes `indexOf`.
        const k = this.id();
        return `r = p & 7; if (r !== 0) p += 8 - r;
{ const s${k} = p >>> 3; const e${k} = E >>> 3; let z${k} = s${k}; let f${k} = -1;
const l${k} = Math.min(e${k}, s${k} + 64);
while (z${k} + 4 <= l${k}) { const w${k} = D.getUint32(z${k}, true); const t${k} = (w${k} - 16843009) & ~w${k} & -2139062144;
if (t${k} !== 0) { f${k} = z${k} + ((31 - Math.clz32(t${k} & -t${k})) >>> 3); break; } z${k} += 4; }
if (f${k} < 0) { while (z${k} < l${k} && B[z${k}] !== 0) z${k}++; if (z${k} < l${k}) f${k} = z${k}; else if (l${k} < e${k}) f${k} = B.indexOf(0, l${k}); }
if (f${k} < 0 || f${k} >= e${k}) ${this.throwing(`st.fail("string field (no terminating null byte)", 8);`)}
p = (f${k} + 1) * 8; }\n`;
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
          len = this.storedRead(fc.lengthFc.storingIndex);
        }
        s += `{ const n${k} = ${len};\n`;
        // `st.checkLength`'s test inline; it gives the error.
        const what = fc.isText ? "text array field" : "array field";
        s += `if (!(n${k} >= 0 && n${k} <= E - p + 65536)) ${this.throwing(`st.checkLength(n${k}, "${what}");`)}\n`;
        if (fc.isText) {
          return `${s}if (p + n${k} * 8 > E) ${this.throwing(`st.fail("text array field", n${k} * 8);`)}
p += n${k} * 8; }\n`;
        }
        const min = this.num(minSizeBits(fc.element));
        const elem = this.ref(compileSkipper(fc.element));
        s += `if (n${k} * ${min} > E - p) ${this.throwing(`st.fail("array field", n${k} * ${min});`)}\n`;
        const loop = `for (let i${k} = 0; i${k} < n${k}; i${k}++) ${elem}(st);`;
        const l = staticLayout(fc.element);
        if (l && isPow2(fc.alignBits) && l.alignBits <= fc.alignBits) {
          const stride = this.num(roundUp(l.sizeBits, l.alignBits));
          const size = this.num(l.sizeBits);
          return `${s}if (n${k} !== 0) { const t${k} = (n${k} - 1) * ${stride} + ${size};
if (p + t${k} <= E) p += t${k}; else { ${this.call(loop)}} } }\n`;
        }
        return `${s}${this.call(loop)}}\n`;
      }
      case "optional":
        throw new Bail();
      case "variant": {
        if (!fc.tagFc) throw new Bail();
        const k = this.id();
        let s = `{ const t${k} = ${this.storedRead(fc.tagFc.storingIndex)};\n`;
        const uses = new Array<number>(fc.options.length).fill(0);
        for (const r of fc.ranges) uses[r.option] = (uses[r.option] ?? 0) + 1;
        // Each option starts from the locals known before the variant; after it, none is known.
        const before = new Map(this.storedLocals);
        let first = true;
        for (const r of fc.ranges) {
          const o = fc.options[r.option];
          if (!o) throw new Bail();
          this.storedLocals.clear();
          for (const [slot, v] of before) this.storedLocals.set(slot, v);
          // An option selected by one range is inlined; one selected by several is called.
          const body = uses[r.option] === 1 ? this.field(o.fc) : this.call(`${this.ref(compileSkipper(o.fc))}(st);`);
          s += `${first ? "" : "else "}if (t${k} >= ${this.bound(r.lo)} && t${k} <= ${this.bound(r.hi)}) {\n${body}}\n`;
          first = false;
        }
        this.storedLocals.clear();
        return `${s}${first ? "" : "else "}${this.throwing(`V(t${k});`)} }\n`;
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
        s += `r = p & ${this.num(g.alignBits - 1)}; if (r !== 0) p += ${this.num(g.alignBits)} - r;
if (p + ${size} <= E) p += ${size}; else { ${this.call(slow)}}\n`;
      }
    }
    return s;
  }
}

/** The integers whose effects the generated code performs itself (`effects`). */
function inlineEffects(fc: IntFC): boolean {
  const m = fc.meaning;
  return !fc.signed && fc.sizeBits <= 32 && (m === "none" || m === "event-class-id");
}

/**
 * The skipper of a scope as one generated function, or the closure skipper when the scope is too
 * large or of an unexpected shape. Same cursor, checks, effects and errors as `compileField(fc)`.
 */
export function generateSkipper(fc: StructFC): Skipper {
  return generateSkipperOf([fc], false) ?? compileSkipper(fc);
}

/**
 * One function skipping several scopes in a row (an event record's common context, specific
 * context and payload), each starting with no previous byte order as `readEvent` does, or
 * undefined when one of them does not fit the generator. One call per event record instead of
 * one per scope, and the cursor stays in a local from the first field to the last.
 */
export function generateScopesSkipper(scopes: StructFC[]): Skipper | undefined {
  return generateSkipperOf(scopes, true);
}

function generateSkipperOf(scopes: StructFC[], resetByteOrder: boolean): Skipper | undefined {
  const g = new Gen();
  let body = "";
  try {
    for (const fc of scopes) body += (resetByteOrder ? "st.lastBo = 0;\n" : "") + g.field(fc);
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
  const make = new Function(
    "K",
    "RW",
    "RR",
    "V",
    "U",
    `"use strict"; return function skip(st) { let p = st.pos; const E = st.end; const B = st.buf; const D = st.dv; let r = 0;\n${body}st.pos = p; };`,
  );
  return make(g.refs, readRawWord, readRaw, failVariant, updateClock) as Skipper;
}
