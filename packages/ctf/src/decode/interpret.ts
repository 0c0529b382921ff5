/**
 * The reference interpreter: decodes one field by walking its class. Slow
 * and obviously correct; the compiled decoders (`compile.ts`) are tested
 * against it on the same bytes.
 */
import { FormatError } from "@ttng/base";
import type { FieldClass } from "../model.js";
import { align, readFloat, readRaw, toSint, toUint } from "./bits.js";
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

function need(st: DecodeState, bits: number, what: string): void {
  if (st.pos + bits > st.end) st.fail(what, bits);
}

/** Checks that a bit array may start here, and records its byte order (see `failByteOrderChange`). */
function byteOrder(st: DecodeState, le: boolean, what: string): void {
  const bo = le ? 1 : 2;
  if ((st.pos & 7) !== 0 && st.lastBo !== 0 && st.lastBo !== bo) st.failByteOrderChange(what);
  st.lastBo = bo;
}

function readText(st: DecodeState, count: number): string {
  const start = st.pos >>> 3;
  const bytes = st.buf;
  let stop = start;
  const lim = start + count;
  while (stop < lim && bytes[stop] !== 0) stop++;
  st.pos += count * 8;
  return latin1(bytes, start, stop);
}

export function interpretField(fc: FieldClass, st: DecodeState): FieldValue {
  align(st, fc.alignBits);
  switch (fc.kind) {
    case "int": {
      if (fc.varLen || fc.bitOrderReversed) return readCtf2Int(st, fc);
      need(st, fc.sizeBits, "integer field");
      byteOrder(st, fc.byteOrder === "le", "integer field");
      readRaw(st, fc.sizeBits, fc.byteOrder === "le");
      if (hasEffects(fc)) return applyEffects(st, fc);
      return fc.signed ? toSint(st, fc.sizeBits) : toUint(st);
    }
    case "float":
      if (fc.bitOrderReversed) return readReversedFloat(st, fc.sizeBits, fc.byteOrder === "le");
      need(st, fc.sizeBits, "floating point number field");
      byteOrder(st, fc.byteOrder === "le", "floating point number field");
      return readFloat(st, fc.sizeBits, fc.byteOrder === "le");
    case "string": {
      if (fc.unicode) return readNtUnicode(st, fc.unicode);
      const start = st.pos >>> 3;
      const endByte = st.end >>> 3;
      let nul = start;
      while (nul < endByte && st.buf[nul] !== 0) nul++;
      if (nul >= endByte) st.fail("string field (no terminating null byte)", 8);
      st.pos = (nul + 1) * 8;
      return latin1(st.buf, start, nul);
    }
    case "struct": {
      const out: FieldValue[] = [];
      for (const m of fc.members) out.push(interpretField(m.fc, st));
      return out;
    }
    case "array":
    case "sequence": {
      const slot = fc.kind === "array" ? -1 : (fc.lengthFc?.storingIndex ?? -1);
      const n = fc.kind === "array" ? fc.length : (st.stored[slot] ?? 0);
      if (fc.isBlob) return readBlob(st, n);
      if (fc.unicode) return readSizedText(st, n, fc.unicode);
      st.checkLength(n, fc.isText ? "text array field" : "array field");
      if (fc.isText) {
        need(st, n * 8, "text array field");
        return readText(st, n);
      }
      // Same early failure as the compiled decoders: these elements cannot all fit.
      const minBits = minSizeBits(fc.element);
      if (n * minBits > st.end - st.pos) st.fail("array field", n * minBits);
      const out: FieldValue[] = [];
      for (let i = 0; i < n; i++) out.push(interpretField(fc.element, st));
      return out;
    }
    case "optional": {
      const sel = st.stored[fc.selectorFc?.storingIndex ?? -1];
      return optionalIsPresent(sel, fc.ranges) ? interpretField(fc.content, st) : null;
    }
    case "variant": {
      const tag = st.stored[fc.tagFc?.storingIndex ?? -1] ?? 0;
      for (const r of fc.ranges) {
        if (tag >= r.lo && tag <= r.hi) return new VariantValue(r.option, interpretField(fc.options[r.option]!.fc, st));
      }
      throw new FormatError("ERR_DECODE", `Cannot find variant field class's option for tag value: tag=${tag}`, {
        actor: "source.ctf.fs",
      });
    }
  }
}
