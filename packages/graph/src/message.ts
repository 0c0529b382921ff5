/**
 * Messages: one class with a kind tag (no megamorphic call sites on the hot
 * path). Clock snapshots carry the raw value (two 32-bit halves) and the
 * nanoseconds from origin as (s, ns) with ns in [0, 1e9). An event message's
 * fields may be decoded lazily, on first read (see `FieldLoader`).
 */
import type { IrClockClass, IrEventClass, IrPacket, IrStream } from "./ir.js";

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
  private snap: ClockSnapshot | undefined = undefined;
  /**
   * Set by `setCycles`: the default clock snapshot's clock class (1 GHz) and raw value as one
   * exact number of cycles (`cs` is built from them on first read); else undefined and NaN.
   * (NaN, a double, from the start: a field V8 first saw holding a small integer would change
   * every message's hidden class when the first cycle count past 2^31 arrives.)
   */
  csClock: IrClockClass | undefined = undefined;
  csCycles = Number.NaN;
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

  /** Default clock snapshot (event, packet, stream messages), or the beginning one (discarded items). */
  get cs(): ClockSnapshot | undefined {
    if (this.snap === undefined && this.csClock !== undefined) this.snap = csOfNsClock(this.csClock, this.csCycles);
    return this.snap;
  }
  set cs(v: ClockSnapshot | undefined) {
    this.csClock = undefined;
    this.snap = v;
  }

  /**
   * Sets the default clock snapshot of a 1 GHz clock class from a raw value below 2^53 without
   * building it: most messages of a read are never printed (a dummy or counter sink, a trimmer's
   * discarded range), and the muxer orders messages of one such clock class by raw value alone
   * (nanoseconds from origin are then offset + cycles: same order). `cs` builds it on first read.
   * Returns false (nothing set) when the clock class or value does not qualify.
   */
  setCycles(cc: IrClockClass, hi: number, lo: number): boolean {
    if (cc.frequency !== 1e9 || hi >= 0x200000) return false;
    this.snap = undefined;
    this.csClock = cc;
    this.csCycles = hi * TWO32 + lo;
    return true;
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

const TWO32 = 4294967296;

/**
 * The snapshot of `cycles` (an integer below 2^53) of a 1 GHz clock class: nanoseconds from
 * origin are the class's offset plus the cycles, exactly (no conversion through doubles).
 */
export function csOfNsClock(cc: IrClockClass, cycles: number): ClockSnapshot {
  const hi = Math.floor(cycles / TWO32);
  const vs = Math.floor(cycles / 1e9);
  const off = cc.offsetSecNs;
  let s = off[0] + vs;
  let ns = off[1] + (cycles - vs * 1e9);
  if (ns >= 1e9) {
    ns -= 1e9;
    s++;
  }
  return { cyclesHi: hi, cyclesLo: cycles - hi * TWO32, s, ns };
}

/** Compares two snapshots' ns from origin: <0, 0, >0. */
export function compareCs(a: ClockSnapshot, b: ClockSnapshot): number {
  return a.s !== b.s ? a.s - b.s : a.ns - b.ns;
}
