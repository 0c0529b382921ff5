/**
 * Signed 64-bit integers for the evaluator without BigInt on the common path.
 *
 * An `I64` is a JS number when the value is a safe integer, a bigint
 * otherwise (already wrapped to the signed 64-bit range). LTTng-UST compares
 * every integer as s64 and does bitwise operations on the u64 bit pattern,
 * then reinterprets as s64; both are exact here.
 */

export type I64 = number | bigint;

const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;

/** Wraps a bigint to s64 and returns a number when it is safe. */
export function fromBig(v: bigint): I64 {
  const w = BigInt.asIntN(64, v);
  return w >= -9007199254740991n && w <= 9007199254740991n ? Number(w) : w;
}

export function toBig(v: I64): bigint {
  return typeof v === "bigint" ? v : BigInt(v);
}

/** A value a caller supplied for an integer field: number, bigint, or a boolean. */
export function loadInteger(v: unknown): I64 | undefined {
  if (typeof v === "number") {
    if (Number.isSafeInteger(v)) return v;
    if (!Number.isInteger(v)) return undefined;
    // Beyond 2^53 a number is still an exact integer; keep s64 semantics for u64 inputs.
    return v >= TWO_63 ? fromBig(BigInt(v - TWO_64 >= -TWO_63 ? v - TWO_64 : v)) : fromBig(BigInt(v));
  }
  if (typeof v === "bigint") return fromBig(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return undefined;
}

export function compareI64(a: I64, b: I64): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  const x = toBig(a);
  const y = toBig(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isZero(a: I64): boolean {
  return a === 0 || a === 0n;
}

export function toDouble(a: I64): number {
  return typeof a === "number" ? a : Number(a);
}

function isInt32(a: I64): a is number {
  return typeof a === "number" && (a | 0) === a;
}

export function bitAnd(a: I64, b: I64): I64 {
  if (isInt32(a) && isInt32(b)) return a & b;
  return fromBig(toBig(a) & toBig(b));
}

export function bitOr(a: I64, b: I64): I64 {
  if (isInt32(a) && isInt32(b)) return a | b;
  return fromBig(toBig(a) | toBig(b));
}

export function bitXor(a: I64, b: I64): I64 {
  if (isInt32(a) && isInt32(b)) return a ^ b;
  return fromBig(toBig(a) ^ toBig(b));
}

export function bitNot(a: I64): I64 {
  if (isInt32(a)) return ~a;
  return fromBig(~toBig(a));
}

export function negate(a: I64): I64 {
  if (typeof a === "number") return a === 0 ? 0 : -a;
  return fromBig(-a);
}

/** `(u64)a << n`, n already checked to be in [0, 63]. */
export function shiftLeft(a: I64, n: number): I64 {
  if (typeof a === "number") {
    const r = a * 2 ** n;
    if (Number.isSafeInteger(r)) return r;
  }
  return fromBig(toBig(a) << BigInt(n));
}

/** `(u64)a >> n` (logical), n already checked to be in [0, 63]. */
export function shiftRight(a: I64, n: number): I64 {
  if (typeof a === "number" && a >= 0) return Math.floor(a / 2 ** n);
  return fromBig(BigInt.asUintN(64, toBig(a)) >> BigInt(n));
}

/** `(int64_t)d` as x86-64 computes it (cvttsd2si: NaN and overflow give INT64_MIN). */
export function doubleToI64(d: number): I64 {
  if (!(d > -TWO_63 - 1025 && d < TWO_63)) return -(2n ** 63n);
  const t = Math.trunc(d);
  return Number.isSafeInteger(t) ? (t === 0 ? 0 : t) : fromBig(BigInt(t));
}
