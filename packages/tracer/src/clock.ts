/**
 * The `monotonic` clock of the trace: CLOCK_MONOTONIC nanoseconds (the clock LTTng-UST uses),
 * read per event as `performance.now()` plus a per-thread base, split in two 32-bit words without
 * BigInt (hot path). `performance.now()` counts from the thread's own time origin, so each thread
 * (main, every worker) computes its own base once, against `process.hrtime` (CLOCK_MONOTONIC).
 */
import { performance } from "node:perf_hooks";

function measureBase(): { hi: number; lo: number } {
  // Take the pair with the tightest bracket over a few tries.
  let best = Number.POSITIVE_INFINITY;
  let base = 0;
  for (let i = 0; i < 5; i++) {
    const a = performance.now();
    const [s, ns] = process.hrtime();
    const b = performance.now();
    if (b - a < best) {
      best = b - a;
      base = s * 1e9 + ns - ((a + b) / 2) * 1e6;
    }
  }
  base = Math.max(0, Math.round(base));
  const hi = Math.floor(base / 4294967296);
  return { hi, lo: base - hi * 4294967296 };
}

/** This thread's base: monotonic ns at performance.now() == 0, as two 32-bit words. */
export const clockBase = measureBase();

/** Current monotonic time as [hi, lo] (off the hot path; the writers inline the same arithmetic). */
export function nowWords(): [number, number] {
  const d = performance.now() * 1e6 + clockBase.lo;
  return [clockBase.hi + Math.floor(d / 4294967296), d >>> 0];
}

/** Realtime minus monotonic, in ns: the clock class offset (computed once per session). */
export function clockOffsetNs(): bigint {
  const mono = process.hrtime.bigint();
  const realUs = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
  return realUs * 1000n - mono;
}

/**
 * The clock the event writers read (their `perf`): `performance.now()`, unless a caller that
 * has just read `performance.now()` itself sets `at` to that reading around a tracepoint call,
 * so the event is stamped with it instead of a second read. The Node agent does this: it needs
 * the time of a request's start and end for the duration anyway, so each of its events costs
 * one clock read instead of two (a read is ~35 ns in Node 20), and a recorded duration is the
 * difference of the two events' timestamps. A caller resets `at` to -1 in a `finally`, or every
 * later event would carry the same timestamp.
 */
export const eventClock = {
  at: -1,
  now(): number {
    const t = this.at;
    return t >= 0 ? t : performance.now();
  },
};
