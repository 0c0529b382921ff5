// A large LTTng-like trace with LTTng index files for the benchmarks, generated once and cached
// in the temporary directory (writeBenchTrace() of tests/lib/ctf-gen.mjs, fixed seed: the same
// bytes every time). Not a test helper: benchmarks only.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchDescription, writeBenchTrace } from "../../tests/lib/ctf-gen.mjs";

/**
 * The cached trace's directory, written first when missing (about 1 s per 150 MB).
 * @param {{mb?: number, streams?: number, seed?: number}} [opts] data size in MB (default 400)
 * @returns {{dir: string, cached: boolean}}
 */
export function bigIndexedTrace(opts = {}) {
  const mb = opts.mb ?? 400;
  const streams = opts.streams ?? 4;
  const seed = opts.seed ?? 5;
  const dir = join(tmpdir(), `ttng-bench-big-${mb}mb-${streams}s-${seed}-v1`);
  if (existsSync(join(dir, "metadata"))) return { dir, cached: true };
  // Written aside, then renamed: an interrupted run never leaves a half trace under the cache name.
  const part = `${dir}.part-${process.pid}`;
  rmSync(part, { recursive: true, force: true });
  writeBenchTrace(part, { targetBytes: mb * 1e6, streams, seed, index: true });
  renameSync(part, dir);
  return { dir, cached: false };
}

/**
 * [first packet beginning, last packet end] of a trace written by bigIndexedTrace(), in ns from
 * origin (BigInt), from its LTTng index files (big-endian u64 timestamp_begin at entry byte 24,
 * timestamp_end at 32) and benchDescription()'s clock (1 GHz, offset in seconds only).
 */
export function traceRangeNs(dir) {
  const clock = benchDescription().clocks[0];
  let lo;
  let hi;
  for (const f of readdirSync(join(dir, "index"))) {
    const b = readFileSync(join(dir, "index", f));
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const len = dv.getUint32(12);
    const n = (b.byteLength - 16) / len;
    const first = dv.getBigUint64(16 + 24);
    const last = dv.getBigUint64(16 + (n - 1) * len + 32);
    if (lo === undefined || first < lo) lo = first;
    if (hi === undefined || last > hi) hi = last;
  }
  const off = BigInt(clock.offsetS) * 1000000000n;
  return [off + lo, off + hi];
}

/** `SEC.NNNNNNNNN`, the form --begin/--end take. */
export function secText(ns) {
  return `${ns / 1000000000n}.${(ns % 1000000000n).toString().padStart(9, "0")}`;
}
