/**
 * Reads for what CTF 2 adds to the data stream layout (CTF2-SPEC-2.0 §5.6): variable-length
 * (LEB128) integers, bit arrays whose bit order is reversed, strings in UTF-16/32, BLOBs and
 * optionals. Shared by the reference interpreter and the compiled decoders; CTF 1.8 fields never
 * come here, so the 1.8 hot paths are unchanged.
 */
import { FormatError } from "@ttng/base";
import type { Ctf2Encoding, IntFC } from "../model.js";
import { readRaw, toSint, toUint } from "./bits.js";
import { applyEffects, hasEffects } from "./effects.js";
import type { DecodeState } from "./state.js";
import { latin1 } from "./values.js";

function decodeErr(message: string): FormatError {
  return new FormatError("ERR_DECODE", message, { actor: "source.ctf.fs" });
}

/**
 * Reads an LEB128 integer into `st.hi`/`st.lo` as 64-bit two's complement. A tenth byte may
 * only carry bit 63 (and, signed, its sign extension): anything longer is "more than 64 bits
 * of data", which babeltrace2 refuses too.
 */
export function readVarLen(st: DecodeState, signed: boolean): void {
  let lo = 0;
  let hi = 0;
  let shift = 0;
  let p = st.pos >>> 3;
  const endByte = st.end >>> 3;
  const start = st.pos;
  for (;;) {
    if (p >= endByte) {
      st.pos = start;
      st.fail("variable-length integer field", (p - (start >>> 3) + 1) * 8);
    }
    const b = st.buf[p++]!;
    const data = b & 0x7f;
    if (shift === 63) {
      const ok = signed ? data === 0 || data === 0x7f : data === 1;
      if (!ok || b & 0x80) {
        throw decodeErr(
          `Cannot decode variable-length integer field: unsupported oversized (more than 64 bits of data) value: offset-bits=${st.fileOffsetBytes * 8 + start}`,
        );
      }
      if (data & 1) hi = (hi | 0x80000000) >>> 0;
      shift = 64;
      break;
    }
    if (shift < 28) lo = (lo | (data << shift)) >>> 0;
    else if (shift === 28) {
      lo = (lo | ((data & 0xf) << 28)) >>> 0;
      hi = data >>> 4;
    } else hi = (hi | (data << (shift - 32))) >>> 0;
    shift += 7;
    if ((b & 0x80) === 0) break;
  }
  if (signed && shift < 64 && st.buf[p - 1]! & 0x40) {
    // Sign-extend from `shift` bits to 64.
    if (shift < 32) {
      lo = (lo | (~0 << shift)) >>> 0;
      hi = 0xffffffff;
    } else hi = (hi | (~0 << (shift - 32))) >>> 0;
  }
  st.pos = p * 8;
  st.lo = lo;
  st.hi = hi;
}

/** Reverses the `n` low bits of `st.hi`/`st.lo` (a bit order opposite to the byte order's). */
export function reverseBits(st: DecodeState, n: number): void {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const bit = i < 32 ? (st.lo >>> i) & 1 : (st.hi >>> (i - 32)) & 1;
    const j = n - 1 - i;
    if (bit) {
      if (j < 32) lo = (lo | (1 << j)) >>> 0;
      else hi = (hi | (1 << (j - 32))) >>> 0;
    }
  }
  st.lo = lo;
  st.hi = hi;
}

/** An integer-like CTF 2 field that is variable-length or bit-reversed (rare: a plain function). */
export function readCtf2Int(st: DecodeState, fc: IntFC): number | bigint {
  if (fc.varLen) {
    const r = st.pos & 7;
    if (r !== 0) st.pos += 8 - r;
    readVarLen(st, fc.signed);
  } else {
    const a = fc.alignBits;
    const r = st.pos % a;
    if (r !== 0) st.pos += a - r;
    const n = fc.sizeBits;
    if (st.pos + n > st.end) st.fail("integer field", n);
    const bo = fc.byteOrder === "le" ? 1 : 2;
    if ((st.pos & 7) !== 0 && st.lastBo !== 0 && st.lastBo !== bo) st.failByteOrderChange("integer field");
    st.lastBo = bo;
    readRaw(st, n, fc.byteOrder === "le");
    if (fc.bitOrderReversed) reverseBits(st, n);
  }
  if (hasEffects(fc)) return applyEffects(st, fc);
  return fc.signed ? toSint(st, fc.sizeBits) : toUint(st);
}

const scratch = new DataView(new ArrayBuffer(8));

/** A floating point number whose bit order is reversed: the raw bits, reversed, reinterpreted. */
export function readReversedFloat(st: DecodeState, n: 32 | 64, le: boolean): number {
  const a = st.pos;
  if (a + n > st.end) st.fail("floating point number field", n);
  const bo = le ? 1 : 2;
  if ((st.pos & 7) !== 0 && st.lastBo !== 0 && st.lastBo !== bo) st.failByteOrderChange("floating point number field");
  st.lastBo = bo;
  readRaw(st, n, le);
  reverseBits(st, n);
  if (n === 32) {
    scratch.setUint32(0, st.lo);
    return scratch.getFloat32(0);
  }
  scratch.setUint32(0, st.hi);
  scratch.setUint32(4, st.lo);
  return scratch.getFloat64(0);
}

const utf8Encoder = new TextEncoder();

function unitBytes(enc: Ctf2Encoding): number {
  return enc === "utf-8" ? 1 : enc === "utf-16be" || enc === "utf-16le" ? 2 : 4;
}

/** Transcodes `[start, end)` of `buf` (whole code units) to a UTF-8 byte string. */
function toUtf8ByteString(buf: Uint8Array, start: number, end: number, enc: Ctf2Encoding): string {
  if (enc === "utf-8") return latin1(buf, start, end);
  const le = enc.endsWith("le");
  let s = "";
  if (unitBytes(enc) === 2) {
    for (let i = start; i + 1 < end; i += 2) {
      s += String.fromCharCode(le ? buf[i]! | (buf[i + 1]! << 8) : (buf[i]! << 8) | buf[i + 1]!);
    }
  } else {
    for (let i = start; i + 3 < end; i += 4) {
      const cp = le
        ? (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24)) >>> 0
        : ((buf[i]! << 24) | (buf[i + 1]! << 16) | (buf[i + 2]! << 8) | buf[i + 3]!) >>> 0;
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        throw decodeErr(`Cannot decode string field: invalid UTF-32 code point 0x${cp.toString(16)}`);
      s += String.fromCodePoint(cp);
    }
  }
  const bytes = utf8Encoder.encode(s);
  return latin1(bytes, 0, bytes.length);
}

/** First null code unit in `[start, lim)` (units aligned from `start`), or `lim`. */
function findNul(buf: Uint8Array, start: number, lim: number, unit: number): number {
  for (let i = start; i + unit <= lim; i += unit) {
    let zero = true;
    for (let k = 0; k < unit; k++) if (buf[i + k] !== 0) zero = false;
    if (zero) return i;
  }
  return lim;
}

/** A null-terminated string of 2- or 4-byte code units. */
export function readNtUnicode(st: DecodeState, enc: Ctf2Encoding): string {
  const r = st.pos & 7;
  if (r !== 0) st.pos += 8 - r;
  const unit = unitBytes(enc);
  const start = st.pos >>> 3;
  const endByte = st.end >>> 3;
  const nul = findNul(st.buf, start, endByte, unit);
  if (nul + unit > endByte) st.fail("string field (no terminating null character)", unit * 8);
  st.pos = (nul + unit) * 8;
  return toUtf8ByteString(st.buf, start, nul, enc);
}

/** A static- or dynamic-length string of `n` bytes: the text is what precedes the first null. */
export function readSizedText(st: DecodeState, n: number, enc: Ctf2Encoding): string {
  st.checkLength(n, "string field");
  if (st.pos + n * 8 > st.end) st.fail("string field", n * 8);
  const start = st.pos >>> 3;
  const unit = unitBytes(enc);
  const nul = findNul(st.buf, start, start + n, unit);
  st.pos += n * 8;
  return toUtf8ByteString(st.buf, start, nul, enc);
}

/** A BLOB of `n` bytes, copied (the packet buffer is reused). */
export function readBlob(st: DecodeState, n: number): Uint8Array {
  st.checkLength(n, "BLOB field");
  if (st.pos + n * 8 > st.end) st.fail("BLOB field", n * 8);
  const start = st.pos >>> 3;
  st.pos += n * 8;
  return st.buf.slice(start, start + n);
}

/** Whether an optional's content is present, from its selector's stored value. */
export function optionalIsPresent(
  value: number | undefined,
  ranges: ReadonlyArray<readonly [number | bigint, number | bigint]> | undefined,
): boolean {
  const v = value ?? 0;
  if (ranges === undefined) return v !== 0;
  for (const r of ranges) if (v >= r[0] && v <= r[1]) return true;
  return false;
}
