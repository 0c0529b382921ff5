/**
 * Output bytes built in place: text sinks write byte strings (one char code
 * per byte) straight into a reusable buffer instead of concatenating
 * strings, which V8 would have to flatten and re-encode. The sink callback
 * must consume the bytes before returning (it is called synchronously).
 */
import { formatG } from "./format.js";

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
/** 10^e for e = -4..4: the lower bounds of each decimal exponent. */
const POW10_EXP = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1e3, 1e4];

/** The letter after `\\` for chars `escapeTo` escapes with one letter (0: `\\xNN`). */
const ESCAPE_LETTER = new Uint8Array(128);
for (const [c, e] of [
  [0x5c, "\\"],
  [0x27, "'"],
  [0x22, '"'],
  [0x3f, "?"],
  [7, "a"],
  [8, "b"],
  [27, "e"],
  [12, "f"],
  [10, "n"],
  [13, "r"],
  [9, "t"],
  [11, "v"],
] as const)
  ESCAPE_LETTER[c] = e.charCodeAt(0);

/**
 * "0000" to "9999" as little-endian words (first digit in the low byte): four digits are one
 * `setUint32`, and the last n digits of v < 10^n are `DIGITS4[v] >>> (32 - 8 * n)`.
 */
const DIGITS4 = new Uint32Array(10000);
for (let i = 0; i < 10000; i++) {
  const s = String(i).padStart(4, "0");
  DIGITS4[i] = s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24);
}

/** Upper-case hex digit pairs of 0..255, as little-endian 16-bit words. */
const HEX2 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  const s = i.toString(16).toUpperCase().padStart(2, "0");
  HEX2[i] = s.charCodeAt(0) | (s.charCodeAt(1) << 8);
}

/** 1 for the ASCII chars `escapeTo` copies as they are. */
const PLAIN = new Uint8Array(128);
for (let c = 0x20; c < 0x7f; c++) PLAIN[c] = c === 0x5c || c === 0x27 || c === 0x22 || c === 0x3f ? 0 : 1;

/**
 * Constant text, pre-encoded as little-endian 32-bit words: `ByteWriter.put` copies it four
 * bytes at a time (copying byte by byte costs about a nanosecond per byte).
 */
export class Text {
  constructor(
    /** Length in bytes. */
    readonly n: number,
    /** The bytes, four per word (byte i in bits 8*(i%4)), zero-padded. */
    readonly words: Uint32Array,
  ) {}
}

/** `Text` of bytes. */
export function textOf(b: Uint8Array): Text {
  const words = new Uint32Array((b.length + 3) >> 2);
  for (let i = 0; i < b.length; i++) words[i >> 2]! |= b[i]! << (8 * (i & 3));
  return new Text(b.length, words);
}

/** `Text` of a byte string (one char code per byte). */
export function constText(s: string): Text {
  return textOf(latin1Bytes(s));
}

/**
 * Writes the escape of `c` (a byte that is neither plain nor NUL) at `p` in `b`, as babeltrace2's
 * print_escape_string: a letter escape, or `\xNN` with lower-case digits (`\x%02x`). Returns
 * the position after it. Shared by `esc` and `escBytes`; called for escaped bytes only.
 */
function putEscape(b: Uint8Array, p: number, c: number): number {
  b[p++] = 92;
  const e = ESCAPE_LETTER[c]!;
  if (e !== 0) b[p++] = e;
  else {
    b[p++] = 120;
    const hi = (c >> 4) & 15;
    const lo = c & 15;
    b[p++] = hi < 10 ? 48 + hi : 87 + hi;
    b[p++] = lo < 10 ? 48 + lo : 87 + lo;
  }
  return p;
}

/** The texts one after the other. */
export function concatText(...parts: Text[]): Text {
  let n = 0;
  for (const t of parts) n += t.n;
  const b = new Uint8Array(n);
  n = 0;
  for (const t of parts) {
    for (let i = 0; i < t.n; i++) b[n + i] = (t.words[i >> 2]! >>> (8 * (i & 3))) & 0xff;
    n += t.n;
  }
  return textOf(b);
}

export class ByteWriter {
  private buf = new Uint8Array(1 << 18);
  /** A view of the buffer, for generated printers writing constant words (after `reserve`). */
  dv = new DataView(this.buf.buffer);
  pos = 0;

  constructor(private readonly sink: (bytes: Uint8Array) => void) {}

  str(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.makeRoom(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Copies pre-encoded bytes (constant text encoded once with `latin1Bytes`). */
  bytes(src: Uint8Array): void {
    const n = src.length;
    if (this.pos + n > this.buf.length) this.makeRoom(n);
    const b = this.buf;
    let p = this.pos;
    if (n > 32) {
      b.set(src, p);
      this.pos = p + n;
      return;
    }
    for (let i = 0; i < n; i++) b[p++] = src[i]!;
    this.pos = p;
  }

  /** Copies constant text (whole words: up to 3 bytes past the end are written, then overwritten). */
  put(t: Text): void {
    const n = t.n;
    if (this.pos + n + 4 > this.buf.length) this.makeRoom(n + 4);
    const w = t.words;
    const dv = this.dv;
    let p = this.pos;
    for (let i = 0; i < w.length; i++) {
      dv.setUint32(p, w[i]!, true);
      p += 4;
    }
    this.pos += n;
  }

  /** Makes room for `n` bytes; returns the position to write them at. */
  reserve(n: number): number {
    if (this.pos + n > this.buf.length) this.makeRoom(n);
    return this.pos;
  }

  byte(c: number): void {
    if (this.pos >= this.buf.length) this.makeRoom(1);
    this.buf[this.pos++] = c;
  }

  /** Writes a non-negative integer below 2^53 in decimal without allocating a string. */
  uint(v: number): void {
    if (v < 10) {
      this.byte(48 + v);
      return;
    }
    this.str(String(v));
  }

  /**
   * `put(open)`, `digits9(a)`, `put(mid)`, `digits9(b)` with one room check: a timestamp and its
   * delta.
   */
  stamp(open: Text, a: number, mid: Text, b: number): void {
    // Whole words: up to 3 bytes past each text, overwritten by the digits.
    const room = open.n + mid.n + 24;
    if (this.pos + room > this.buf.length) this.makeRoom(room);
    const dv = this.dv;
    let p = this.pos;
    let w = open.words;
    for (let i = 0; i < w.length; i++) dv.setUint32(p + 4 * i, w[i]!, true);
    p = this.nine(p + open.n, a);
    w = mid.words;
    for (let i = 0; i < w.length; i++) dv.setUint32(p + 4 * i, w[i]!, true);
    this.pos = this.nine(p + mid.n, b);
  }

  /** Writes 0 <= v < 1e9 as nine digits at `p` (room checked); returns the end. */
  private nine(p: number, v: number): number {
    // v < 2^31: small int arithmetic; one digit, then two words of four.
    const q = v | 0;
    const hi = (q / 100000000) | 0;
    const lo = q - hi * 100000000;
    const mid = (lo / 10000) | 0;
    this.buf[p] = 48 + hi;
    const dv = this.dv;
    dv.setUint32(p + 1, DIGITS4[mid]!, true);
    dv.setUint32(p + 5, DIGITS4[lo - mid * 10000]!, true);
    return p + 9;
  }

  /** Writes 0 <= v < 1e9 as exactly nine digits. */
  digits9(v: number): void {
    if (this.pos + 12 > this.buf.length) this.makeRoom(12);
    this.pos = this.nine(this.pos, v);
  }

  /**
   * Writes an integer value (a number that is an integer, or a bigint) in decimal: digits
   * are computed into the buffer, no string is made for numbers up to 2^53.
   */
  dec(x: unknown): void {
    if (typeof x !== "number") {
      this.str((x as bigint).toString());
      return;
    }
    let v = x;
    if (this.pos + 24 > this.buf.length) this.makeRoom(24);
    let p = this.pos;
    if (v < 0) {
      this.buf[p++] = 45;
      v = -v;
    }
    if (v < 10000) {
      // 1 to 4 digits: one word, the unused high bytes overwritten by what follows.
      const n = v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : 4;
      this.dv.setUint32(p, DIGITS4[v]! >>> (32 - 8 * n), true);
      this.pos = p + n;
      return;
    }
    if (v < 100000000) {
      this.pos = this.lead4then4(p, v);
      return;
    }
    if (!(v <= 9007199254740992)) {
      // Not reached with decoded integers (beyond 2^53 they are bigints); kept exact anyway.
      this.pos = p;
      this.str(String(v));
      return;
    }
    // 1e8 <= v <= 2^53: the leading (at most 8) digits, then the last eight (exact: both below 2^53).
    const top = Math.floor(v / 100000000);
    const low = v - top * 100000000;
    p = top < 10000 ? this.lead(p, top) : this.lead4then4(p, top);
    const mid = (low / 10000) | 0;
    this.dv.setUint32(p, DIGITS4[mid]!, true);
    this.dv.setUint32(p + 4, DIGITS4[low - mid * 10000]!, true);
    this.pos = p + 8;
  }

  /** `dec` of an integer 0 <= v < 2^32 (an unsigned value read from at most 32 bits). */
  udec(v: number): void {
    if (this.pos + 12 > this.buf.length) this.makeRoom(12);
    const p = this.pos;
    if (v < 10000) {
      const n = v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : 4;
      this.dv.setUint32(p, DIGITS4[v]! >>> (32 - 8 * n), true);
      this.pos = p + n;
    } else if (v < 100000000) this.pos = this.lead4then4(p, v);
    else {
      // At most 42 then eight digits.
      const top = (v / 100000000) >>> 0;
      const low = v - top * 100000000;
      const q = this.lead(p, top);
      const mid = (low / 10000) | 0;
      this.dv.setUint32(q, DIGITS4[mid]!, true);
      this.dv.setUint32(q + 4, DIGITS4[low - mid * 10000]!, true);
      this.pos = q + 8;
    }
  }

  /** Writes 0 < v < 10000 without leading zeros at `p` (room checked); returns the end. */
  private lead(p: number, v: number): number {
    const n = v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : 4;
    this.dv.setUint32(p, DIGITS4[v]! >>> (32 - 8 * n), true);
    return p + n;
  }

  /** Writes 10000 <= v < 1e8 at `p` (room checked); returns the end. */
  private lead4then4(p: number, v: number): number {
    const hi = (v / 10000) | 0;
    p = this.lead(p, hi);
    this.dv.setUint32(p, DIGITS4[v - hi * 10000]!, true);
    return p + 4;
  }

  /** Writes 0 <= v < 2^32 as `0x` and upper-case hexadecimal digits. */
  hex32(v: number): void {
    if (this.pos + 12 > this.buf.length) this.makeRoom(12);
    const b = this.buf;
    const p = this.pos;
    const dv = this.dv;
    b[p] = 48;
    b[p + 1] = 120;
    // Digits two at a time from the low end; an odd count starts with one digit.
    let n = 1;
    for (let t = v >>> 4; t !== 0; t >>>= 4) n++;
    let i = p + 2 + n;
    let q = v;
    while (i - 2 >= p + 2) {
      i -= 2;
      dv.setUint16(i, HEX2[q & 255]!, true);
      q >>>= 8;
    }
    if (i > p + 2) {
      const d = q & 15;
      b[p + 2] = d < 10 ? 48 + d : 55 + d;
    }
    this.pos = p + 2 + n;
  }

  /**
   * C's `%g` of `v`, as `formatG` prints it. Fast path for 1e-4 <= |v| < 1e5 (fixed notation):
   * the six significant digits come from one multiplication by an exact power of ten and a
   * rounding, used only when the scaled value is far enough from a rounding tie that the
   * multiplication's error (below 2^-53 relative) cannot change the rounded digits; anything
   * else goes through `formatG`. Exact ties (scaled value exactly n + 0.5, which C rounds to
   * even) are always within that margin, so they always reach `formatG`.
   */
  g(v: number): void {
    const a = v < 0 ? -v : v;
    if (a >= 1e-4 && a < 1e5) {
      // The decimal exponent, possibly off by one next to a power of ten: the range checks below
      // then send the value to the exact path.
      let e = 4;
      while (e > -4 && a < POW10_EXP[e + 4]!) e--;
      const scaled = a * POW10[5 - e]!;
      const fl = Math.floor(scaled);
      const frac = scaled - fl;
      if (scaled >= 100000 && (frac < 0.4999999 || frac > 0.5000001)) {
        const r = frac > 0.5 ? fl + 1 : fl;
        if (r < 1000000) {
          this.fixed6(r, e, v < 0);
          return;
        }
      }
    }
    this.str(formatG(v));
  }

  /** Writes the six digits of 1e5 <= r < 1e6 times 10^(e-5), -4 <= e <= 4, trailing zeros trimmed. */
  private fixed6(r: number, e: number, neg: boolean): void {
    if (this.pos + 16 > this.buf.length) this.makeRoom(16);
    const b = this.buf;
    let p = this.pos;
    if (neg) b[p++] = 45;
    // Trailing zeros are never printed by %g: drop them from r first.
    // r < 1e6: small int arithmetic (no float division).
    let q = r | 0;
    let nd = 6;
    while (nd > 1) {
      const d = (q / 10) | 0;
      if (q !== d * 10) break;
      q = d;
      nd--;
    }
    if (e < 0) {
      b[p++] = 48;
      b[p++] = 46;
      for (let i = -1; i > e; i--) b[p++] = 48;
      for (let i = p + nd - 1; i >= p; i--) {
        const d = (q / 10) | 0;
        b[i] = 48 + (q - d * 10);
        q = d;
      }
      this.pos = p + nd;
      return;
    }
    // e + 1 integer digits; a fraction only if more digits remain after trimming.
    const intDigits = e + 1;
    const total = nd > intDigits ? nd + 1 : intDigits;
    const dot = nd > intDigits ? p + intDigits : -1;
    let i = p + total - 1;
    // Integer digits that were trimmed zeros (e.g. 12000): write them back.
    for (let z = nd; z < intDigits; z++) b[i--] = 48;
    for (; i >= p; i--) {
      if (i === dot) {
        b[i] = 46;
        continue;
      }
      const d = (q / 10) | 0;
      b[i] = 48 + (q - d * 10);
      q = d;
    }
    this.pos = p + total;
  }

  /**
   * `escapeTo(this, s)`: `"s"` with babeltrace2's escapes, stopping at the first NUL, written
   * straight into the buffer.
   */
  esc(s: string): void {
    const n = s.length;
    // Worst case: every char escaped as `\xNN`, plus the quotes.
    if (this.pos + 4 * n + 2 > this.buf.length) this.makeRoom(4 * n + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 34;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128 || PLAIN[c] === 1) {
        b[p++] = c;
        continue;
      }
      if (c === 0) break;
      p = putEscape(b, p, c);
    }
    b[p++] = 34;
    this.pos = p;
  }

  /** `esc` of the byte string `src[start..end)` (no NUL inside), copied from the bytes. */
  escBytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.pos + 4 * n + 2 > this.buf.length) this.makeRoom(4 * n + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 34;
    for (let i = start; i < end; i++) {
      const c = src[i]!;
      if (c >= 128 || PLAIN[c] === 1) {
        b[p++] = c;
        continue;
      }
      if (c === 0) break;
      p = putEscape(b, p, c);
    }
    b[p++] = 34;
    this.pos = p;
  }

  private makeRoom(n: number): void {
    this.flush();
    if (n > this.buf.length) {
      this.buf = new Uint8Array(Math.max(n, this.buf.length * 2));
      this.dv = new DataView(this.buf.buffer);
    }
  }

  /** Hands buffered bytes to the sink; true when anything was written. */
  flush(): boolean {
    if (this.pos === 0) return false;
    this.sink(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return true;
  }

  get length(): number {
    return this.pos;
  }
}

/** A byte string (one char code per byte) as bytes: constant text is encoded once, then copied. */
export function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}
