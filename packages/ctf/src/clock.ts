/**
 * Clock snapshot -> nanoseconds from origin, exactly as babeltrace2
 * computes it: offset_s * 1e9 + ns(offset_cycles) + ns(value), where
 * ns(c) = c at 1 GHz and trunc(1e9 * (double)c / (double)freq) otherwise.
 * The result is an int64 held as (seconds, nanoseconds in [0, 1e9)): exact
 * without BigInt in the common case.
 */
import { FormatError } from "@ttng/base";
import type { ClockClass } from "./model.js";

const TWO32 = 4294967296;
const TWO53 = 9007199254740992;

/** A point in time: `s * 1e9 + ns` nanoseconds from the clock's origin. */
export interface NsFromOrigin {
  s: number;
  ns: number;
}

/** ns(c) for a cycle count given as two 32-bit halves; returns [s, ns]. */
function cyclesToSecNs(hi: number, lo: number, freq: number): [number, number] {
  if (freq === 1e9) {
    if (hi < 0x200000) {
      const v = hi * TWO32 + lo;
      const s = Math.floor(v / 1e9);
      return [s, v - s * 1e9];
    }
    const v = (BigInt(hi) << 32n) | BigInt(lo);
    return [Number(v / 1000000000n), Number(v % 1000000000n)];
  }
  // Same double arithmetic as babeltrace2 (bt_util_ns_from_value).
  const c = hi * TWO32 + lo;
  const r = Math.trunc((1e9 * c) / freq);
  if (r < TWO53) {
    const s = Math.floor(r / 1e9);
    return [s, r - s * 1e9];
  }
  if (r >= 1.8446744073709552e19)
    throw new FormatError("ERR_CLOCK", "Cannot convert clock value to nanoseconds: overflow");
  const b = BigInt(r);
  return [Number(b / 1000000000n), Number(b % 1000000000n)];
}

/** Offset part of a clock class, as [s, ns]. */
export function clockOffset(cc: ClockClass): [number, number] {
  const [s, ns] = cyclesToSecNs(Math.floor(cc.offsetCycles / TWO32), cc.offsetCycles % TWO32, cc.frequency);
  return [cc.offsetSeconds + s, ns];
}

/** Converts a raw clock value (two 32-bit halves) to ns from origin. */
export function nsFromOrigin(
  cc: ClockClass,
  hi: number,
  lo: number,
  offset: [number, number] = clockOffset(cc),
): NsFromOrigin {
  const [vs, vns] = cyclesToSecNs(hi, lo, cc.frequency);
  let s = offset[0] + vs;
  let ns = offset[1] + vns;
  if (ns >= 1e9) {
    ns -= 1e9;
    s += 1;
  }
  // int64 range: about +/- 9.22e9 seconds.
  if (s > 9223372036 || (s === 9223372036 && ns > 854775807)) {
    throw new FormatError(
      "ERR_CLOCK",
      "Cannot compute nanoseconds from origin: value overflows a signed 64-bit integer",
    );
  }
  return { s, ns };
}

/** Exact decimal text of an `NsFromOrigin` (for details output and errors). */
export function nsToDecimal(t: NsFromOrigin): string {
  if (t.s >= 0) return t.s === 0 ? String(t.ns) : `${t.s}${String(t.ns).padStart(9, "0")}`;
  // Negative: s * 1e9 + ns with s < 0 and ns >= 0.
  return (BigInt(t.s) * 1000000000n + BigInt(t.ns)).toString();
}

/** Raw 64-bit value (two halves) as a decimal string. */
export function cyclesToDecimal(hi: number, lo: number): string {
  if (hi < 0x200000) return String(hi * TWO32 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}
