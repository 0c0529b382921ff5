/**
 * Compiled skippers: the compiled readers (`compile.ts`) without the values.
 * A skipper moves the cursor exactly as the reader does and performs exactly
 * its checks and side effects (bounds, byte order changes inside a byte,
 * length plausibility, variant option selection, stored values, clock
 * updates, special fields), with the same error messages, but builds nothing.
 * source.ctf.fs skips event fields and decodes them only when a sink reads
 * them. Tested against `compileField` on the same bytes (`compile.test.ts`).
 *
 * Runs of members whose layout does not depend on the data ("static": plain
 * byte-sized integers and floats, fixed text arrays, and structures and
 * fixed arrays of those) are skipped with one bounds check; when that check
 * fails, the members are skipped one by one so that the error is the one the
 * reader gives.
 */
import { AssertionError, FormatError } from "@ttng/base";
import type { FieldClass, IntFC } from "../model.js";
import { readRaw, readRawWord } from "./bits.js";
import { alignStep, compileField } from "./compile.js";
import { applyEffects, hasEffects, updateClock } from "./effects.js";
import { minSizeBits } from "./min-size.js";
import type { DecodeState } from "./state.js";

export type Skipper = (st: DecodeState) => void;

/** Size and alignment of a field class whose layout does not depend on the data, or undefined. */
export interface StaticLayout {
  sizeBits: number;
  alignBits: number;
}

const isPow2 = (n: number) => n >= 1 && n <= 1073741824 && (n & (n - 1)) === 0;
const roundUp = (n: number, a: number) => Math.ceil(n / a) * a;

/**
 * A static field neither reads nor records the byte order of the previous bit array (the compiled
 * readers only do so for fields that may start or end inside a byte) and has no effects.
 */
export function staticLayout(fc: FieldClass): StaticLayout | undefined {
  if (isCtf2Special(fc)) return undefined;
  const a = fc.alignBits;
  if (!isPow2(a) || a % 8 !== 0) return undefined;
  switch (fc.kind) {
    case "int":
      if (hasEffects(fc) || fc.sizeBits % 8 !== 0) return undefined;
      return { sizeBits: fc.sizeBits, alignBits: a };
    case "float":
      return { sizeBits: fc.sizeBits, alignBits: a };
    case "string":
    case "sequence":
    case "variant":
      return undefined;
    case "struct": {
      let off = 0;
      for (const m of fc.members) {
        const l = staticLayout(m.fc);
        if (!l || l.alignBits > a) return undefined;
        off = roundUp(off, l.alignBits) + l.sizeBits;
      }
      return { sizeBits: off, alignBits: a };
    }
    case "array": {
      if (fc.isText) return { sizeBits: fc.length * 8, alignBits: a };
      const l = staticLayout(fc.element);
      if (!l || l.alignBits > a) return undefined;
      const n = fc.length;
      // More elements than that may fail `checkLength` where the single bounds check would not.
      if (n > 65536) return undefined;
      const size = n === 0 ? 0 : (n - 1) * roundUp(l.sizeBits, l.alignBits) + l.sizeBits;
      return { sizeBits: size, alignBits: a };
    }
  }
}

/**
 * `applyEffects(st, fc)` without its value, specialised for the common cases (event class IDs,
 * variant tags, sequence lengths, compact timestamps): an unsigned value of at most 32 bits is
 * `st.lo`, as `toUint` gives it. Same order: meaning, clock, stored value.
 */
export function effectsOf(fc: IntFC): Skipper {
  const m = fc.meaning;
  const n = fc.sizeBits;
  if (fc.signed || n > 32 || (m !== "none" && m !== "event-class-id")) return (st) => void applyEffects(st, fc);
  const isId = m === "event-class-id";
  const clock = fc.mappedClock !== undefined;
  const slot = fc.storingIndex;
  return (st) => {
    const v = st.lo;
    if (isId) st.eventClassId = v;
    if (clock) updateClock(st, n);
    if (slot >= 0) st.stored[slot] = v;
  };
}

function skipInt(fc: IntFC): Skipper {
  const n = fc.sizeBits;
  const le = fc.byteOrder === "le";
  const a = fc.alignBits;
  const mask = a - 1;
  const bo = le ? 1 : 2;
  const mayStartMid = a % 8 !== 0;
  const mayEndMid = mayStartMid || n % 8 !== 0;
  if (hasEffects(fc)) {
    const effects = effectsOf(fc);
    const word = n <= 32;
    return (st) => {
      const r = st.pos & mask;
      if (r !== 0) st.pos += a - r;
      if (st.pos + n > st.end) st.fail("integer field", n);
      if (mayStartMid && (st.pos & 7) !== 0 && st.lastBo !== 0 && st.lastBo !== bo)
        st.failByteOrderChange("integer field");
      if (mayEndMid) st.lastBo = bo;
      // Effects need the raw value (`applyEffects` reads `st.hi`/`st.lo`).
      if (word && (st.pos & 7) + n <= 32) readRawWord(st, n, le);
      else readRaw(st, n, le);
      effects(st);
    };
  }
  if (mayEndMid) {
    return (st) => {
      if (mask !== 0) {
        const r = st.pos & mask;
        if (r !== 0) st.pos += a - r;
      }
      if (st.pos + n > st.end) st.fail("integer field", n);
      if (mayStartMid && (st.pos & 7) !== 0 && st.lastBo !== 0 && st.lastBo !== bo)
        st.failByteOrderChange("integer field");
      st.lastBo = bo;
      st.pos += n;
    };
  }
  return (st) => {
    if (mask !== 0) {
      const r = st.pos & mask;
      if (r !== 0) st.pos += a - r;
    }
    if (st.pos + n > st.end) st.fail("integer field", n);
    st.pos += n;
  };
}

/** Skippers of members, in order; a static run of them is one skipper with one bounds check. */
function memberSteps(fcs: FieldClass[]): Skipper[] {
  type Step = { skip: Skipper; run: { alignBits: number; sizeBits: number; parts: Skipper[] } | undefined };
  const steps: Step[] = [];
  let run: Step["run"];
  for (const fc of fcs) {
    const l = staticLayout(fc);
    const skip = compileSkipper(fc);
    if (l && run && l.alignBits <= run.alignBits) {
      run.sizeBits = roundUp(run.sizeBits, l.alignBits) + l.sizeBits;
      run.parts.push(skip);
      continue;
    }
    if (l && l.sizeBits < 2147483648) {
      run = { alignBits: l.alignBits, sizeBits: l.sizeBits, parts: [skip] };
      steps.push({ skip, run });
      continue;
    }
    run = undefined;
    steps.push({ skip, run: undefined });
  }
  const skips = steps.map((s) => {
    const r = s.run;
    if (!r || r.parts.length === 1) return s.skip;
    const a = r.alignBits;
    const mask = a - 1;
    const size = r.sizeBits;
    const parts = r.parts;
    return (st: DecodeState) => {
      const p = st.pos & mask;
      if (p !== 0) st.pos += a - p;
      if (st.pos + size <= st.end) {
        st.pos += size;
        return;
      }
      // Something does not fit: the member that does not gives the error.
      for (let i = 0; i < parts.length; i++) parts[i]!(st);
    };
  });
  return skips;
}

/** A structure's skipper: its alignment inline (one call less per structure), then its members. */
function skipStruct(alignBits: number, fcs: FieldClass[]): Skipper {
  const steps = memberSteps(fcs);
  const k = steps.length;
  if (!isPow2(alignBits)) {
    const al = alignStep(alignBits);
    return (st) => {
      al(st);
      for (let i = 0; i < k; i++) steps[i]!(st);
    };
  }
  const a = alignBits;
  const mask = a - 1;
  if (k === 0) {
    return (st) => {
      const r = st.pos & mask;
      if (r !== 0) st.pos += a - r;
    };
  }
  const s0 = steps[0]!;
  if (k === 1) {
    return (st) => {
      const r = st.pos & mask;
      if (r !== 0) st.pos += a - r;
      s0(st);
    };
  }
  const s1 = steps[1]!;
  if (k === 2) {
    return (st) => {
      const r = st.pos & mask;
      if (r !== 0) st.pos += a - r;
      s0(st);
      s1(st);
    };
  }
  const s2 = steps[2]!;
  if (k === 3) {
    return (st) => {
      const r = st.pos & mask;
      if (r !== 0) st.pos += a - r;
      s0(st);
      s1(st);
      s2(st);
    };
  }
  return (st) => {
    const r = st.pos & mask;
    if (r !== 0) st.pos += a - r;
    for (let i = 0; i < k; i++) steps[i]!(st);
  };
}

/**
 * CTF 2 field classes whose layout or checks the skippers do not model (variable-length and
 * bit-reversed integers, UTF-16/32 strings, BLOBs, optionals): they are skipped by reading them,
 * which keeps the skipper's behaviour the reader's by construction. CTF 1.8 never has them.
 */
export function isCtf2Special(fc: FieldClass): boolean {
  switch (fc.kind) {
    case "int":
      return fc.varLen === true || fc.bitOrderReversed === true;
    case "float":
      return fc.bitOrderReversed === true;
    case "string":
      return fc.unicode !== undefined;
    case "array":
    case "sequence":
      return fc.isBlob === true || fc.unicode !== undefined;
    case "optional":
      return true;
    default:
      return false;
  }
}

/** The skipper of `fc`: same cursor, checks, effects and errors as `compileField(fc)`, no value. */
export function compileSkipper(fc: FieldClass): Skipper {
  if (isCtf2Special(fc)) {
    const read = compileField(fc);
    return (st) => {
      read(st);
    };
  }
  switch (fc.kind) {
    case "int":
      return skipInt(fc);
    case "float": {
      const n = fc.sizeBits;
      const al = alignStep(fc.alignBits);
      const bo = fc.byteOrder === "le" ? 1 : 2;
      if (fc.alignBits % 8 !== 0) {
        return (st) => {
          al(st);
          if (st.pos + n > st.end) st.fail("floating point number field", n);
          if ((st.pos & 7) !== 0 && st.lastBo !== 0 && st.lastBo !== bo)
            st.failByteOrderChange("floating point number field");
          st.lastBo = bo;
          st.pos += n;
        };
      }
      return (st) => {
        al(st);
        if (st.pos + n > st.end) st.fail("floating point number field", n);
        st.pos += n;
      };
    }
    case "string":
      return (st) => {
        const r = st.pos & 7;
        if (r !== 0) st.pos += 8 - r;
        const buf = st.buf;
        const start = st.pos >>> 3;
        const endByte = st.end >>> 3;
        // The first null byte before the content's end, as the reader's `indexOf` finds it: short
        // strings (most) by hand, which is cheaper than the builtin's call.
        let nul = start;
        const lim = Math.min(endByte, start + 32);
        while (nul < lim && buf[nul] !== 0) nul++;
        if (nul === lim && lim < endByte) nul = buf.indexOf(0, lim);
        if (nul < 0 || nul >= endByte) st.fail("string field (no terminating null byte)", 8);
        st.pos = (nul + 1) * 8;
      };
    case "struct":
      return skipStruct(
        fc.alignBits,
        fc.members.map((m) => m.fc),
      );
    case "array":
    case "sequence": {
      const al = alignStep(fc.alignBits);
      const fixed = fc.kind === "array" ? fc.length : -1;
      const slot = fc.kind === "sequence" ? fc.lengthFc!.storingIndex : -1;
      if (fc.isText) {
        return (st) => {
          al(st);
          const n = fixed >= 0 ? fixed : st.stored[slot]!;
          st.checkLength(n, "text array field");
          if (st.pos + n * 8 > st.end) st.fail("text array field", n * 8);
          st.pos += n * 8;
        };
      }
      const elem = compileSkipper(fc.element);
      const minBits = minSizeBits(fc.element);
      const l = staticLayout(fc.element);
      if (l && isPow2(fc.alignBits) && l.alignBits <= fc.alignBits) {
        // After the array's alignment, element i starts at i * stride: one check for all of them.
        const stride = roundUp(l.sizeBits, l.alignBits);
        const size = l.sizeBits;
        return (st) => {
          al(st);
          const n = fixed >= 0 ? fixed : st.stored[slot]!;
          st.checkLength(n, "array field");
          if (n * minBits > st.end - st.pos) st.fail("array field", n * minBits);
          if (n === 0) return;
          const total = (n - 1) * stride + size;
          if (st.pos + total <= st.end) {
            st.pos += total;
            return;
          }
          for (let i = 0; i < n; i++) elem(st);
        };
      }
      return (st) => {
        al(st);
        const n = fixed >= 0 ? fixed : st.stored[slot]!;
        st.checkLength(n, "array field");
        if (n * minBits > st.end - st.pos) st.fail("array field", n * minBits);
        for (let i = 0; i < n; i++) elem(st);
      };
    }
    case "optional":
      // Handled above (`isCtf2Special`).
      throw new AssertionError("optional field class reached the skipper switch");
    case "variant": {
      const skips = fc.options.map((o) => compileSkipper(o.fc));
      const ranges = fc.ranges;
      const slot = fc.tagFc!.storingIndex;
      return (st) => {
        const tag = st.stored[slot]!;
        for (let i = 0; i < ranges.length; i++) {
          const r = ranges[i]!;
          if (tag >= r.lo && tag <= r.hi) {
            skips[r.option]!(st);
            return;
          }
        }
        throw new FormatError("ERR_DECODE", `Cannot find variant field class's option for tag value: tag=${tag}`, {
          actor: "source.ctf.fs",
        });
      };
    }
  }
}
