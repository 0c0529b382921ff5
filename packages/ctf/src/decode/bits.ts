/**
 * Bit-level integer reading (CTF 1.8 §4.1.5): little-endian fields are
 * packed from the least significant bit of each byte, big-endian fields from
 * the most significant bit. Results land in `st.hi`/`st.lo` (unsigned 32-bit
 * halves) so 64-bit values need no BigInt; `toUint`/`toSint` make a number,
 * or a bigint only beyond 2^53.
 */
import type { DecodeState } from "./state.js";

const TWO32 = 4294967296;

/** Reads `n` (1..64) bits at `st.pos` into `st.hi`/`st.lo` and advances. Caller checks bounds. */
export function readRaw(st: DecodeState, n: number, le: boolean): void {
  const pos = st.pos;
  const buf = st.buf;
  const byte = pos >>> 3;
  const shift = pos & 7;
  st.pos = pos + n;
  if (shift === 0) {
    // Byte-aligned fast paths.
    if (n === 8) {
      st.lo = buf[byte]!;
      st.hi = 0;
      return;
    }
    if (n === 16) {
      st.lo = st.dv.getUint16(byte, le);
      st.hi = 0;
      return;
    }
    if (n === 32) {
      st.lo = st.dv.getUint32(byte, le);
      st.hi = 0;
      return;
    }
    if (n === 64) {
      if (le) {
        st.lo = st.dv.getUint32(byte, true);
        st.hi = st.dv.getUint32(byte + 4, true);
      } else {
        st.hi = st.dv.getUint32(byte, false);
        st.lo = st.dv.getUint32(byte + 4, false);
      }
      return;
    }
  }
  if (shift + n <= 32) {
    st.pos = pos;
    readRawWord(st, n, le);
    return;
  }
  const nbytes = (shift + n + 7) >>> 3;
  let w0 = 0;
  let w1 = 0;
  let w2 = 0;
  if (le) {
    for (let i = nbytes - 1; i >= 0; i--) {
      // (w2,w1,w0) = (w2,w1,w0) << 8 | b, most significant byte first.
      w2 = ((w2 << 8) | (w1 >>> 24)) & 0xff;
      w1 = ((w1 << 8) | (w0 >>> 24)) >>> 0;
      w0 = ((w0 << 8) | buf[byte + i]!) >>> 0;
    }
    if (shift !== 0) {
      w0 = ((w0 >>> shift) | (w1 << (32 - shift))) >>> 0;
      w1 = ((w1 >>> shift) | (w2 << (32 - shift))) >>> 0;
    }
  } else {
    for (let i = 0; i < nbytes; i++) {
      w2 = ((w2 << 8) | (w1 >>> 24)) & 0xff;
      w1 = ((w1 << 8) | (w0 >>> 24)) >>> 0;
      w0 = ((w0 << 8) | buf[byte + i]!) >>> 0;
    }
    const tail = nbytes * 8 - shift - n;
    if (tail !== 0) {
      w0 = ((w0 >>> tail) | (w1 << (32 - tail))) >>> 0;
      w1 = ((w1 >>> tail) | (w2 << (32 - tail))) >>> 0;
    }
  }
  if (n < 32) {
    st.lo = (w0 & ((1 << n) - 1)) >>> 0;
    st.hi = 0;
  } else if (n === 32) {
    st.lo = w0;
    st.hi = 0;
  } else {
    st.lo = w0;
    st.hi = n === 64 ? w1 : (w1 & ((1 << (n - 32)) - 1)) >>> 0;
  }
}

/**
 * `readRaw` for a bit array that fits one 32-bit word from its first byte (`(st.pos & 7) + n <=
 * 32`, always so for n <= 25: LTTng's 5-bit event IDs and 27-bit compact timestamps). Small
 * enough to be inlined. Caller checks bounds.
 */
export function readRawWord(st: DecodeState, n: number, le: boolean): void {
  const pos = st.pos;
  const buf = st.buf;
  const byte = pos >>> 3;
  const shift = pos & 7;
  const nbytes = (shift + n + 7) >>> 3;
  st.pos = pos + n;
  let w = 0;
  if (le) {
    for (let i = nbytes - 1; i >= 0; i--) w = ((w << 8) | buf[byte + i]!) >>> 0;
    w >>>= shift;
  } else {
    for (let i = 0; i < nbytes; i++) w = ((w << 8) | buf[byte + i]!) >>> 0;
    w >>>= nbytes * 8 - shift - n;
  }
  st.lo = n === 32 ? w : (w & ((1 << n) - 1)) >>> 0;
  st.hi = 0;
}

/** The last raw value read, unsigned. */
export function toUint(st: DecodeState): number | bigint {
  const hi = st.hi;
  if (hi === 0) return st.lo;
  if (hi < 0x200000) return hi * TWO32 + st.lo;
  return (BigInt(hi) << 32n) | BigInt(st.lo);
}

/** The last raw value read, as a signed integer of `n` bits. */
export function toSint(st: DecodeState, n: number): number | bigint {
  if (n <= 32) {
    const lo = st.lo;
    if (n === 32) return lo | 0;
    const half = 2 ** (n - 1);
    return lo >= half ? lo - half * 2 : lo;
  }
  let hi = st.hi;
  const hbits = n - 32;
  const hhalf = 2 ** (hbits - 1);
  if (hi >= hhalf) hi -= hhalf * 2;
  if (hi >= -0x200000 && hi < 0x200000) return hi * TWO32 + st.lo;
  return (BigInt(hi) << 32n) + BigInt(st.lo);
}

const scratch = new DataView(new ArrayBuffer(8));

/** Reads a 32- or 64-bit IEEE 754 number at any bit offset. */
export function readFloat(st: DecodeState, n: 32 | 64, le: boolean): number {
  const pos = st.pos;
  if ((pos & 7) === 0) {
    st.pos = pos + n;
    return n === 32 ? st.dv.getFloat32(pos >>> 3, le) : st.dv.getFloat64(pos >>> 3, le);
  }
  readRaw(st, n, le);
  if (n === 32) {
    scratch.setUint32(0, st.lo);
    return scratch.getFloat32(0);
  }
  scratch.setUint32(0, st.hi);
  scratch.setUint32(4, st.lo);
  return scratch.getFloat64(0);
}

/** Moves the cursor to the next multiple of `alignBits`. */
export function align(st: DecodeState, alignBits: number): void {
  const r = st.pos % alignBits;
  if (r !== 0) st.pos += alignBits - r;
}
