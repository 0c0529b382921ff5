/**
 * The one thing a segment cannot print by itself: its first event's delta, which is relative to
 * the last event of the segments before it. A fresh `sink.text.pretty` prints the first event's
 * delta as unknown (`+?.?????????`, or `+????????????` with `--clock-cycles`); the coordinator
 * replaces that text with the delta the sequential run prints (print_timestamp_wall's rules, as
 * `sink.text.pretty` applies them). The placeholder cannot come from anything else on the first
 * line: the timestamp has no `?`, and string fields print `?` escaped (`\?`).
 */
import type { EventTime } from "./segment-runner.js";

const WALL = Buffer.from("+?.?????????", "latin1");
const CYCLES = Buffer.from("+????????????", "latin1");

/** The delta `sink.text.pretty` prints from `prev` to `cur` (`cycles`: `--clock-cycles`). */
export function deltaText(prev: EventTime, cur: EventTime, cycles: boolean): string {
  if (cycles) {
    const a = (BigInt(cur.cyclesHi) << 32n) | BigInt(cur.cyclesLo);
    const b = (BigInt(prev.cyclesHi) << 32n) | BigInt(prev.cyclesLo);
    return `+${BigInt.asUintN(64, a - b)
      .toString()
      .padStart(12, "0")}`;
  }
  let ds = cur.s - prev.s;
  let dns = cur.ns - prev.ns;
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

/**
 * Replaces the unknown delta on the first line of `chunks`' standard output with the delta from
 * `prev` to `first`; returns the chunks (unchanged when the first line has no placeholder: no
 * delta printed, `--no-delta`, or a sink other than pretty).
 */
export function fixFirstDelta(
  chunks: Array<{ fd: 1 | 2; bytes: Uint8Array }>,
  prev: EventTime,
  first: EventTime,
): Array<{ fd: 1 | 2; bytes: Uint8Array }> {
  // The first line of standard output: in the first stdout chunks, up to a newline.
  const idx: number[] = [];
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    if (c.fd !== 1) continue;
    idx.push(i);
    if (c.bytes.indexOf(10) >= 0) break;
  }
  if (idx.length === 0) return chunks;
  const c0 = chunks[idx[0]!]!.bytes;
  const head =
    idx.length > 1 ? Buffer.concat(idx.map((i) => chunks[i]!.bytes)) : Buffer.from(c0.buffer, c0.byteOffset, c0.length);
  let eol = head.indexOf(10);
  if (eol < 0) eol = head.length;
  let at = head.indexOf(WALL);
  let cycles = false;
  const atCycles = head.indexOf(CYCLES);
  if (atCycles >= 0 && (at < 0 || atCycles < at)) {
    at = atCycles;
    cycles = true;
  }
  if (at < 0 || at >= eol) return chunks;
  const text = Buffer.from(deltaText(prev, first, cycles), "latin1");
  const len = cycles ? CYCLES.length : WALL.length;
  const fixed = Buffer.concat([head.subarray(0, at), text, head.subarray(at + len)]);
  const out = chunks.slice();
  out.splice(idx[0]!, 1, { fd: 1, bytes: fixed });
  // The other merged chunks are in `fixed` now (stdout chunks only: stderr ones in between stay).
  for (let k = idx.length - 1; k >= 1; k--) out.splice(idx[k]!, 1);
  return out;
}
