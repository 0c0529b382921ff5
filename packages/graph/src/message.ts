/**
 * Messages: one class with a kind tag (no megamorphic call sites on the hot
 * path). Clock snapshots carry the raw value (two 32-bit halves) and the
 * nanoseconds from origin as (s, ns) with ns in [0, 1e9). An event message's
 * fields may be decoded lazily, on first read (see `FieldLoader`).
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

/**
 * Decodes an event message's fields when a sink first reads one of them: a source that sets
 * `Message.loader` must make `loadFields` set `commonContext`, `specContext` and `payload`.
 * Sinks that never read fields (dummy, counter) never pay for decoding them.
 */
export interface FieldLoader {
  loadFields(m: Message): void;
}

export class Message {
  kind: MessageKind;
  stream: IrStream;
  packet: IrPacket | undefined = undefined;
  eventClass: IrEventClass | undefined = undefined;
  private common: unknown[] | undefined = undefined;
  private spec: unknown[] | undefined = undefined;
  private fields: unknown[] | undefined = undefined;
  /** Default clock snapshot (event, packet, stream messages), or the beginning one (discarded items). */
  cs: ClockSnapshot | undefined = undefined;
  /** End clock snapshot of discarded-items messages. */
  endCs: ClockSnapshot | undefined = undefined;
  /**
   * Discarded items count, or -1 when unknown. A bigint only when a CTF counter went
   * backwards: babeltrace2 subtracts in uint64 and reports the wrapped-around count.
   */
  count: number | bigint = -1;
  /** Decodes the fields on first read; cleared before it is called. */
  loader: FieldLoader | undefined = undefined;
  /** Where the loader finds the fields (its own meaning: a bit position, a snapshot index). */
  loaderPos = 0;
  loaderKey: unknown = undefined;
  loaderAux = -1;

  constructor(kind: MessageKind, stream: IrStream) {
    this.kind = kind;
    this.stream = stream;
  }

  get commonContext(): unknown[] | undefined {
    if (this.loader !== undefined) this.load();
    return this.common;
  }
  set commonContext(v: unknown[] | undefined) {
    if (this.loader !== undefined) this.load();
    this.common = v;
  }
  get specContext(): unknown[] | undefined {
    if (this.loader !== undefined) this.load();
    return this.spec;
  }
  set specContext(v: unknown[] | undefined) {
    if (this.loader !== undefined) this.load();
    this.spec = v;
  }
  get payload(): unknown[] | undefined {
    if (this.loader !== undefined) this.load();
    return this.fields;
  }
  set payload(v: unknown[] | undefined) {
    if (this.loader !== undefined) this.load();
    this.fields = v;
  }

  private load(): void {
    const loader = this.loader!;
    this.loader = undefined;
    loader.loadFields(this);
  }
}

/** Compares two snapshots' ns from origin: <0, 0, >0. */
export function compareCs(a: ClockSnapshot, b: ClockSnapshot): number {
  return a.s !== b.s ? a.s - b.s : a.ns - b.ns;
}
