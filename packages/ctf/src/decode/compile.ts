/**
 * Compiled decoders: each field class becomes a closure specialised for its
 * size, byte order, alignment and effects, decided once per trace class.
 * No user text ever becomes code: shapes come from the metadata's numbers
 * only. Tested against `interpretField` on the same bytes.
 */
import { FormatError } from "@ttng/base";
import type { FieldClass, IntFC } from "../model.js";
import { readFloat, readRaw, toSint, toUint } from "./bits.js";
import {
  optionalIsPresent,
  readBlob,
  readCtf2Int,
  readNtUnicode,
  readReversedFloat,
  readSizedText,
} from "./ctf2-reads.js";
import { applyEffects, hasEffects } from "./effects.js";
import { minSizeBits } from "./min-size.js";
import type { DecodeState } from "./state.js";
import { type FieldValue, latin1, VariantValue } from "./values.js";

export type Reader = (st: DecodeState) => FieldValue;

export function alignStep(alignBits: number): (st: DecodeState) => void {
  if (alignBits <= 1) return () => {};
  if (alignBits <= 2147483648 && (alignBits & (alignBits - 1)) === 0) {
    const mask = alignBits - 1;
    return (st) => {
      const r = st.pos & mask;
      if (r !== 0) st.pos += alignBits - r;
    };
  }
  return (st) => {
    const r = st.pos % alignBits;
    if (r !== 0) st.pos += alignBits - r;
  };
}

function compileInt(fc: IntFC): Reader {
  if (fc.varLen || fc.bitOrderReversed) return (st) => readCtf2Int(st, fc);
  const n = fc.sizeBits;
  const le = fc.byteOrder === "le";
  const a = fc.alignBits;
  const mask = a - 1;
  // Only bit arrays that may start inside a byte check the byte order of the previous one, and
  // only those that may end inside a byte record theirs (see `DecodeState.failByteOrderChange`):
  // byte-aligned fields, nearly all of them in practice, pay nothing.
  const bo = le ? 1 : 2;
  const mayStartMid = a % 8 !== 0;
  const mayEndMid = mayStartMid || n % 8 !== 0;
  if (hasEffects(fc)) {
    return (st) => {
      const r = st.pos & mask;
      if (r !== 0) st.pos += a - r;
      if (st.pos + n > st.end) st.fail("integer field", n);
      if (mayStartMid && (st.pos & 7) !== 0 && st.lastBo !== 0 && st.lastBo !== bo)
        st.failByteOrderChange("integer field");
      if (mayEndMid) st.lastBo = bo;
      readRaw(st, n, le);
      return applyEffects(st, fc);
    };
  }
  const byteAligned = a % 8 === 0;
  if (byteAligned && !fc.signed) {
    if (n === 8)
      return (st) => {
        const r = st.pos & mask;
        if (r !== 0) st.pos += a - r;
        const p = st.pos;
        if (p + 8 > st.end) st.fail("integer field", 8);
        st.pos = p + 8;
        return st.buf[p >>> 3]!;
      };
    if (n === 16)
      return (st) => {
        const r = st.pos & mask;
        if (r !== 0) st.pos += a - r;
        const p = st.pos;
        if (p + 16 > st.end) st.fail("integer field", 16);
        st.pos = p + 16;
        return st.dv.getUint16(p >>> 3, le);
      };
    if (n === 32)
      return (st) => {
        const r = st.pos & mask;
        if (r !== 0) st.pos += a - r;
        const p = st.pos;
        if (p + 32 > st.end) st.fail("integer field", 32);
        st.pos = p + 32;
        return st.dv.getUint32(p >>> 3, le);
      };
  }
  if (byteAligned && fc.signed) {
    if (n === 8)
      return (st) => {
        const r = st.pos & mask;
        if (r !== 0) st.pos += a - r;
        const p = st.pos;
        if (p + 8 > st.end) st.fail("integer field", 8);
        st.pos = p + 8;
        return st.dv.getInt8(p >>> 3);
      };
    if (n === 16)
      return (st) => {
        const r = st.pos & mask;
        if (r !== 0) st.pos += a - r;
        const p = st.pos;
        if (p + 16 > st.end) st.fail("integer field", 16);
        st.pos = p + 16;
        return st.dv.getInt16(p >>> 3, le);
      };
    if (n === 32)
      return (st) => {
        const r = st.pos & mask;
        if (r !== 0) st.pos += a - r;
        const p = st.pos;
        if (p + 32 > st.end) st.fail("integer field", 32);
        st.pos = p + 32;
        return st.dv.getInt32(p >>> 3, le);
      };
  }
  const signed = fc.signed;
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
      readRaw(st, n, le);
      return signed ? toSint(st, n) : toUint(st);
    };
  }
  return (st) => {
    if (mask !== 0) {
      const r = st.pos & mask;
      if (r !== 0) st.pos += a - r;
    }
    if (st.pos + n > st.end) st.fail("integer field", n);
    readRaw(st, n, le);
    return signed ? toSint(st, n) : toUint(st);
  };
}

export function compileField(fc: FieldClass): Reader {
  switch (fc.kind) {
    case "int":
      return compileInt(fc);
    case "float": {
      const n = fc.sizeBits;
      const le = fc.byteOrder === "le";
      const al = alignStep(fc.alignBits);
      const bo = le ? 1 : 2;
      if (fc.bitOrderReversed) {
        return (st) => {
          al(st);
          return readReversedFloat(st, n, le);
        };
      }
      if (fc.alignBits % 8 !== 0) {
        return (st) => {
          al(st);
          if (st.pos + n > st.end) st.fail("floating point number field", n);
          if ((st.pos & 7) !== 0 && st.lastBo !== 0 && st.lastBo !== bo)
            st.failByteOrderChange("floating point number field");
          st.lastBo = bo;
          return readFloat(st, n, le);
        };
      }
      return (st) => {
        al(st);
        if (st.pos + n > st.end) st.fail("floating point number field", n);
        return readFloat(st, n, le);
      };
    }
    case "string":
      if (fc.unicode) {
        const enc = fc.unicode;
        return (st) => readNtUnicode(st, enc);
      }
      return (st) => {
        const r = st.pos & 7;
        if (r !== 0) st.pos += 8 - r;
        const buf = st.buf;
        const start = st.pos >>> 3;
        const endByte = st.end >>> 3;
        let nul = buf.indexOf(0, start);
        if (nul < 0 || nul >= endByte) {
          nul = endByte;
          st.fail("string field (no terminating null byte)", 8);
        }
        st.pos = (nul + 1) * 8;
        return latin1(buf, start, nul);
      };
    case "struct": {
      const readers = fc.members.map((m) => compileField(m.fc));
      const al = alignStep(fc.alignBits);
      const k = readers.length;
      if (k === 1) {
        const r0 = readers[0]!;
        return (st) => {
          al(st);
          return [r0(st)];
        };
      }
      if (k === 2) {
        const r0 = readers[0]!;
        const r1 = readers[1]!;
        return (st) => {
          al(st);
          const v0 = r0(st);
          return [v0, r1(st)];
        };
      }
      if (k === 3) {
        const r0 = readers[0]!;
        const r1 = readers[1]!;
        const r2 = readers[2]!;
        return (st) => {
          al(st);
          const v0 = r0(st);
          const v1 = r1(st);
          return [v0, v1, r2(st)];
        };
      }
      return (st) => {
        al(st);
        const out = new Array<FieldValue>(k);
        for (let i = 0; i < k; i++) out[i] = readers[i]!(st);
        return out;
      };
    }
    case "array":
    case "sequence": {
      const al = alignStep(fc.alignBits);
      const fixed = fc.kind === "array" ? fc.length : -1;
      const slot = fc.kind === "sequence" ? fc.lengthFc!.storingIndex : -1;
      if (fc.isBlob) {
        return (st) => {
          al(st);
          return readBlob(st, fixed >= 0 ? fixed : st.stored[slot]!);
        };
      }
      if (fc.unicode) {
        const enc = fc.unicode;
        return (st) => {
          al(st);
          return readSizedText(st, fixed >= 0 ? fixed : st.stored[slot]!, enc);
        };
      }
      if (fc.isText) {
        return (st) => {
          al(st);
          const n = fixed >= 0 ? fixed : st.stored[slot]!;
          st.checkLength(n, "text array field");
          if (st.pos + n * 8 > st.end) st.fail("text array field", n * 8);
          const start = st.pos >>> 3;
          const buf = st.buf;
          let stop = start;
          const lim = start + n;
          while (stop < lim && buf[stop] !== 0) stop++;
          st.pos += n * 8;
          return latin1(buf, start, stop);
        };
      }
      const elem = compileField(fc.element);
      const minBits = minSizeBits(fc.element);
      return (st) => {
        al(st);
        const n = fixed >= 0 ? fixed : st.stored[slot]!;
        st.checkLength(n, "array field");
        // A length beyond the remaining bits cannot be honest: fail before allocating.
        if (n * minBits > st.end - st.pos) st.fail("array field", n * minBits);
        const out = new Array<FieldValue>(n);
        for (let i = 0; i < n; i++) out[i] = elem(st);
        return out;
      };
    }
    case "optional": {
      const content = compileField(fc.content);
      const slot = fc.selectorFc!.storingIndex;
      const ranges = fc.ranges;
      return (st) => (optionalIsPresent(st.stored[slot], ranges) ? content(st) : null);
    }
    case "variant": {
      const readers = fc.options.map((o) => compileField(o.fc));
      const ranges = fc.ranges;
      const slot = fc.tagFc!.storingIndex;
      return (st) => {
        const tag = st.stored[slot]!;
        for (let i = 0; i < ranges.length; i++) {
          const r = ranges[i]!;
          if (tag >= r.lo && tag <= r.hi) return new VariantValue(r.option, readers[r.option]!(st));
        }
        throw new FormatError("ERR_DECODE", `Cannot find variant field class's option for tag value: tag=${tag}`, {
          actor: "source.ctf.fs",
        });
      };
    }
  }
}
