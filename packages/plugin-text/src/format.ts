/**
 * C-compatible text formatting shared by the text sinks: `%g`, integers in
 * their display base (masked as babeltrace2 masks them), C-escaped strings.
 * Strings are byte strings (one char code per byte).
 */

/**
 * C's `printf("%g", v)` (glibc: the exact binary value, rounded to nearest, ties to even).
 *
 * ECMAScript's `toPrecision`/`toExponential`/`toFixed` also round the exact value, but send ties
 * away from zero. They agree with C except on exact ties, which `evenTie` handles.
 */
export function formatG(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v < 0 ? "-inf" : "inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const a = v < 0 ? -v : v;
  // Every exact tie is a multiple of 2^-10 in [2^-10, 1e21) (see evenTie): one multiplication
  // and one check keep every other value off the tie path.
  if (a >= TIE_MIN && a < 1e21 && Number.isInteger(a * 1024)) {
    const t = evenTie(a);
    if (t !== undefined) return v < 0 ? `-${t}` : t;
  }
  if (a >= 1e-4 && a < 1e5) {
    // Fixed notation for sure (even after rounding to 6 digits): same digits as %g.
    const t = v.toPrecision(6);
    if (t.indexOf("e") < 0) {
      if (t.indexOf(".") < 0) return t;
      let end = t.length;
      while (t.charCodeAt(end - 1) === 48) end--;
      if (t.charCodeAt(end - 1) === 46) end--;
      return t.slice(0, end);
    }
  }
  const exp = v.toExponential(5);
  const e = Number.parseInt(exp.slice(exp.indexOf("e") + 1), 10);
  if (e < -4 || e >= 6) {
    let mant = exp.slice(0, exp.indexOf("e"));
    if (mant.includes(".")) mant = mant.replace(/0+$/, "").replace(/\.$/, "");
    const sign = e < 0 ? "-" : "+";
    const abs = Math.abs(e);
    return `${mant}e${sign}${abs < 10 ? "0" : ""}${abs}`;
  }
  let fixed = v.toFixed(5 - e);
  if (fixed.includes(".")) fixed = fixed.replace(/0+$/, "").replace(/\.$/, "");
  return fixed;
}

/** 2^-10: the smallest exact tie (see evenTie). */
const TIE_MIN = 0.0009765625;
/** 10^0 .. 10^22: every one is exactly a double (parsed, not computed: `**` may be inexact). */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** 10^0 .. 10^-4 (nearest doubles), to find the decimal exponent of 2^-10 <= a < 1. */
const POW10_NEG = [1, 0.1, 0.01, 0.001, 0.0001];

/**
 * `%g` of `a` (> 0, no sign) when `a` is exactly halfway between two 6-significant-digit decimals
 * and C rounds it down to the even one; otherwise undefined (`toPrecision` & co. print it right).
 *
 * Such a tie is `m * 10^(x-6)`, `m` a 7-digit integer ending in 5, `x` the decimal exponent.
 * As a double it is `odd * 2^b` with `odd < 2^53`. With `m = 5 * (2n+1)` and `k = x - 6`:
 * - `k >= 0`: `a = m * 5^k * 2^k`, so `m * 5^k < 2^53` (m is odd), which needs `k <= 14`: a < 1e21;
 * - `k < 0`: `a = m / 5^-k * 2^k` must be a dyadic, so `5^-k` divides `m < 10^7`: `-k <= 10`,
 *   and `a` is a multiple of `2^k >= 2^-10`; the smallest is `5^10 * 10^-10 = 2^-10`.
 * So every tie is a multiple of 2^-10 in [2^-10, 1e21), which the caller checks first.
 *
 * The check below is exact in doubles (no BigInt needed): `a % q` is exact (fmod), `a / q` is exact
 * when `q` divides `a`, and `a * 1024 * s` (an integer) equals `m * 1024 < 2^34` only if the exact
 * product does, since integers below 2^53 are exact and larger products cannot round down to it.
 */
function evenTie(a: number): string | undefined {
  // Integer ties are m * 10^k (k >= 0): at least 10^6 and multiples of 5. Others are below 10^6.
  if (Number.isInteger(a) ? a < 1e6 || a % 5 !== 0 : a >= 1e6) return undefined;
  let x: number;
  if (a >= 1) {
    x = 0;
    while (x < 22 && a >= POW10[x + 1]!) x++;
  } else {
    // a is a multiple of 2^-10, far (> 1e-7) from any 10^-j: the inexact bounds cannot misplace it.
    x = -1;
    while (x > -4 && a < POW10_NEG[-x]!) x--;
  }
  let m: number;
  if (x >= 6) {
    const q = POW10[x - 6]!;
    if (a % q !== 0) return undefined;
    m = a / q;
  } else {
    const s = POW10[6 - x]!;
    m = Math.round(a * s);
    if (a * 1024 * s !== m * 1024) return undefined;
  }
  if (m % 10 !== 5) return undefined;
  const n = (m - 5) / 10;
  // An odd sixth digit rounds up to even, as toPrecision does: nothing to fix.
  if (n % 2 === 1) return undefined;
  return gOfDigits(n, x);
}

/** `%g` text of the six significant digits `100000 <= n < 10^6` times `10^(x-5)`. */
function gOfDigits(n: number, x: number): string {
  const d = String(n);
  let end = 6;
  while (end > 1 && d.charCodeAt(end - 1) === 48) end--;
  if (x < -4 || x >= 6) {
    const mant = end > 1 ? `${d[0]}.${d.slice(1, end)}` : d.slice(0, 1);
    const ax = x < 0 ? -x : x;
    return `${mant}e${x < 0 ? "-" : "+"}${ax < 10 ? "0" : ""}${ax}`;
  }
  if (x < 0) return `0.${"0".repeat(-x - 1)}${d.slice(0, end)}`;
  if (end <= x + 1) return d.slice(0, x + 1);
  return `${d.slice(0, x + 1)}.${d.slice(x + 1, end)}`;
}

const TWO64 = 1n << 64n;

function toU64(v: number | bigint): bigint {
  const b = BigInt(v);
  return b < 0n ? b + TWO64 : b;
}

/** Integer text as babeltrace2's pretty sink prints it (print_integer). */
export function formatInt(v: number | bigint, signed: boolean, lengthBits: number, base: 2 | 8 | 10 | 16): string {
  if (base === 10) return typeof v === "number" ? String(v) : v.toString();
  let u: bigint;
  if (typeof v === "number" && v >= 0) {
    if (base === 16 && lengthBits <= 32) return `0x${v.toString(16).toUpperCase()}`;
    u = BigInt(v);
  } else {
    u = toU64(v);
  }
  switch (base) {
    case 16: {
      if (lengthBits < 64) {
        const rounded = BigInt((lengthBits + 3) & ~3);
        u &= (1n << rounded) - 1n;
      }
      return `0x${u.toString(16).toUpperCase()}`;
    }
    case 8: {
      if (signed && lengthBits < 64) {
        const rounded = BigInt(Math.floor((lengthBits - 1) / 3 + 1) * 3);
        u &= (1n << rounded) - 1n;
      }
      return `0${u.toString(8)}`;
    }
    case 2: {
      const s = u.toString(2).padStart(64, "0");
      return `0b${s.slice(64 - lengthBits)}`;
    }
  }
}

const ESC: Record<number, string> = {
  0: "\\0",
  7: "\\a",
  8: "\\b",
  27: "\\e",
  12: "\\f",
  10: "\\n",
  13: "\\r",
  9: "\\t",
  11: "\\v",
};

/** `"..."` with babeltrace2's escapes (print_escape_string); stops at the first NUL like C. */
export function escapeString(s: string): string {
  let out = '"';
  let plainFrom = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f && c !== 0x5c && c !== 0x27 && c !== 0x22 && c !== 0x3f) continue;
    if (c === 0) {
      out += s.slice(plainFrom, i);
      return `${out}"`;
    }
    out += s.slice(plainFrom, i);
    plainFrom = i + 1;
    if (c === 0x5c) out += "\\\\";
    else if (c === 0x27) out += "\\'";
    else if (c === 0x22) out += '\\"';
    else if (c === 0x3f) out += "\\?";
    else out += ESC[c] ?? `\\x${c.toString(16).padStart(2, "0")}`;
  }
  out += s.slice(plainFrom);
  return `${out}"`;
}

/** Decimal text of an unsigned 64-bit value held as two 32-bit halves. */
export function u64Decimal(hi: number, lo: number): string {
  if (hi < 0x200000) return String(hi * 4294967296 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** `escapeString` written straight into a `ByteWriter` (no intermediate string for plain text). */
export function escapeTo(w: { str(s: string): void; byte(c: number): void }, s: string): void {
  w.byte(34);
  const n = s.length;
  let plainFrom = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f && c !== 0x5c && c !== 0x27 && c !== 0x22 && c !== 0x3f) continue;
    if (i > plainFrom) w.str(plainFrom === 0 && i === n ? s : s.slice(plainFrom, i));
    plainFrom = i + 1;
    if (c === 0) {
      w.byte(34);
      return;
    }
    if (c === 0x5c) w.str("\\\\");
    else if (c === 0x27) w.str("\\'");
    else if (c === 0x22) w.str('\\"');
    else if (c === 0x3f) w.str("\\?");
    else w.str(ESC[c] ?? `\\x${c.toString(16).padStart(2, "0")}`);
  }
  if (plainFrom === 0) w.str(s);
  else if (plainFrom < n) w.str(s.slice(plainFrom));
  w.byte(34);
}

/**
 * The delta babeltrace2's pretty sink prints between two wall-clock times (ns from origin as
 * seconds and nanoseconds): `+S.NNNNNNNNN`; a negative difference prints as the uint64 it wraps
 * to, as print_timestamp_wall's unsigned arithmetic does.
 */
export function wallDeltaText(prevS: number, prevNs: number, s: number, ns: number): string {
  let ds = s - prevS;
  let dns = ns - prevNs;
  if (dns < 0) {
    dns += 1e9;
    ds -= 1;
  }
  if (ds < 0) {
    const d = BigInt.asUintN(64, BigInt(ds) * 1000000000n + BigInt(dns));
    return `+${d / 1000000000n}.${(d % 1000000000n).toString().padStart(9, "0")}`;
  }
  return `+${ds}.${String(dns).padStart(9, "0")}`;
}

/** The `--clock-cycles` delta between two raw clock values (high and low 32 bits): uint64, 12 digits at least. */
export function cyclesDeltaText(prevHi: number, prevLo: number, hi: number, lo: number): string {
  const cur = (BigInt(hi) << 32n) | BigInt(lo);
  const prev = (BigInt(prevHi) << 32n) | BigInt(prevLo);
  return `+${BigInt.asUintN(64, cur - prev)
    .toString()
    .padStart(12, "0")}`;
}
