/**
 * The one thing a segment cannot print by itself: its first event's delta, which is relative to
 * the last event of the segments before it. A thread's sink prints it relative to the last event
 * it printed itself (or as unknown, `+?.?????????` / `+????????????` with `--clock-cycles`, when
 * it printed none); the coordinator replaces that text with the delta the sequential run prints
 * (print_timestamp_wall's rules, as `sink.text.pretty` applies them).
 */
import { TtngError } from "@ttng/base";
import { cyclesDeltaText, wallDeltaText } from "@ttng/plugin-text";
import type { DeltaMode } from "./plan.js";
import type { EventTime } from "./segment-runner.js";

const WALL = "+?.?????????";
const CYCLES = "+????????????";

/** The delta `sink.text.pretty` prints from `prev` to `cur` (`cycles`: `--clock-cycles`). */
export function deltaText(prev: EventTime, cur: EventTime, cycles: boolean): string {
  return cycles
    ? cyclesDeltaText(prev.cyclesHi, prev.cyclesLo, cur.cyclesHi, cur.cyclesLo)
    : wallDeltaText(prev.s, prev.ns, cur.s, cur.ns);
}

/**
 * Replaces the first event's delta on the first line of `chunks`' standard output, which the
 * thread's sink printed relative to `threadPrev` (its own previous event; undefined: it printed
 * the unknown delta), with the delta from `prev` (the last event written before the segment) to
 * `first`. The delta is the first `+` of the line: nothing before it can hold one (timestamp,
 * names, color codes). Returns the fixed chunks; throws when the text is not what the sink must
 * have printed (a broken invariant, never silently wrong output).
 */
export function fixFirstDelta(
  chunks: Array<{ fd: 1 | 2; bytes: Uint8Array }>,
  prev: EventTime,
  first: EventTime,
  threadPrev: EventTime | undefined,
  mode: DeltaMode,
): Array<{ fd: 1 | 2; bytes: Uint8Array }> {
  if (mode === "none") return chunks;
  const cycles = mode === "cycles";
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
  const at = head.indexOf(43); // '+'
  const printed = Buffer.from(
    threadPrev === undefined ? (cycles ? CYCLES : WALL) : deltaText(threadPrev, first, cycles),
    "latin1",
  );
  if (at < 0 || at + printed.length > eol || !head.subarray(at, at + printed.length).equals(printed))
    throw new TtngError("ERR_GRAPH", "parallel read: the first delta of a segment is not where it must be", {
      actor: "ttng CLI",
    });
  const text = Buffer.from(deltaText(prev, first, cycles), "latin1");
  const fixed = Buffer.concat([head.subarray(0, at), text, head.subarray(at + printed.length)]);
  const out = chunks.slice();
  out.splice(idx[0]!, 1, { fd: 1, bytes: fixed });
  // The other merged chunks are in `fixed` now (stdout chunks only: stderr ones in between stay).
  for (let k = idx.length - 1; k >= 1; k--) out.splice(idx[k]!, 1);
  return out;
}
