/**
 * Messages: one class with a kind tag (no megamorphic call sites on the hot
 * path). Clock snapshots carry the raw value (two 32-bit halves) and the
 * nanoseconds from origin as (s, ns) with ns in [0, 1e9).
 */
import type { IrEventClass, IrPacket, IrStream } from "./ir.js";

/** Message kinds; the numbers are babeltrace2's muxer tie-break weights. */
export const MessageKind = {
  StreamBeginning: 0,
  PacketBeginning: 1,
  Event: 2,
  DiscardedEvents: 3,
  PacketEnd: 4,
  Inactivity: 5,
  DiscardedPackets: 6,
  StreamEnd: 7,
} as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];

/** A clock snapshot: raw cycles and nanoseconds from origin. */
export interface ClockSnapshot {
  cyclesHi: number;
  cyclesLo: number;
  s: number;
  ns: number;
}

export class Message {
  kind: MessageKind;
  stream: IrStream;
  packet: IrPacket | undefined = undefined;
  eventClass: IrEventClass | undefined = undefined;
  commonContext: unknown[] | undefined = undefined;
  specContext: unknown[] | undefined = undefined;
  payload: unknown[] | undefined = undefined;
  /** Default clock snapshot (event, packet, stream messages), or the beginning one (discarded items). */
  cs: ClockSnapshot | undefined = undefined;
  /** End clock snapshot of discarded-items messages. */
  endCs: ClockSnapshot | undefined = undefined;
  /** Discarded items count, or -1 when unknown. */
  count = -1;

  constructor(kind: MessageKind, stream: IrStream) {
    this.kind = kind;
    this.stream = stream;
  }
}

/** Compares two snapshots' ns from origin: <0, 0, >0. */
export function compareCs(a: ClockSnapshot, b: ClockSnapshot): number {
  return a.s !== b.s ? a.s - b.s : a.ns - b.ns;
}
