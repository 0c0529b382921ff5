/**
 * One output data stream of `sink.ctf.fs`: packets laid out as babeltrace2
 * 2.0.4 lays them out (CTF 1.8 §5): packet header (magic, trace UUID,
 * stream class ID, stream instance ID), the fixed packet context
 * (packet_size, content_size, timestamp_begin/end when the stream class
 * has them, events_discarded when it supports discarded events,
 * packet_seq_num) then the IR packet context members; events with a
 * 64-bit ID and, with a default clock, a 64-bit timestamp (so every raw
 * clock value is kept exactly, with no wrap to reconstruct). The packet
 * context is written twice: at open (placeholders) and at close, once the
 * sizes and end time are known. Discarded events and packets come back as
 * the events_discarded counter and packet_seq_num gaps. Browser-safe: the
 * bytes go to a `StreamOutput`.
 */
import { TtngError } from "@ttng/base";
import { type IndexEntryOut, type OutEventClass, PacketWriter } from "@ttng/ctf";
import type { ClockSnapshot, IrPacket, IrStream, Message } from "@ttng/graph";
import { compileWriter, type FieldWriter } from "./field-writer.js";
import { SINK_ACTOR, type SinkStreamClass } from "./translate-ir.js";

/** Where a stream's bytes go (a file, in the node component). */
export interface StreamOutput {
  write(bytes: Uint8Array): void;
}

/** Artificial packets of streams without packets close once their content reaches this size (babeltrace2's 4 MiB). */
export const ARTIFICIAL_PACKET_BYTES = 4 * 1024 * 1024;

const CTF_MAGIC = 0xc1fc1fc1;

interface EventWriters {
  id: number;
  spec: FieldWriter | undefined;
  payload: FieldWriter | undefined;
}

/** A raw clock value as two unsigned 32-bit halves. */
type Cycles = [number, number];

function cycles(cs: ClockSnapshot): Cycles {
  return [cs.cyclesHi >>> 0, cs.cyclesLo >>> 0];
}

function sameCycles(a: Cycles, b: Cycles): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

function cyclesText(c: Cycles): string {
  return c[0] === 0 ? String(c[1]) : ((BigInt(c[0]) << 32n) | BigInt(c[1])).toString();
}

export class SinkStreamWriter {
  private readonly w = new PacketWriter();
  private readonly commonWriter: FieldWriter | undefined;
  private readonly packetContextWriter: FieldWriter | undefined;
  private readonly eventWriters = new Map<OutEventClass, EventWriters>();
  private readonly uuidBytes: Uint8Array;

  isOpen = false;
  private packet: IrPacket | undefined;
  private beginCs: Cycles = [0, 0];
  private endCs: Cycles = [0, 0];
  private contentSizeBits = 0;
  private packetSizeBits = 0;
  private contextOffsetBits = 0;
  /** Cumulative, as LTTng counts (CTF 1.8 §5: `events_discarded` is a snapshot of a running counter). */
  discardedEventsCounter = 0;
  seqNum = 0;
  /** End time of the previous packet, undefined before the first one. */
  prevEndCs: Cycles | undefined;
  discardedEvents: { inRange: boolean; begin: Cycles; end: Cycles } = { inRange: false, begin: [0, 0], end: [0, 0] };
  discardedPackets: { inRange: boolean; begin: Cycles; end: Cycles } = { inRange: false, begin: [0, 0], end: [0, 0] };

  private fileOffsetBytes = 0;
  /** Raw time of the open packet's last event (two halves: no allocation per event), -1 when none. */
  private lastEventHi = -1;
  private lastEventLo = 0;
  /** Index entries, when the stream class has packet beginning and end times (LTTng's index needs both). */
  readonly index: IndexEntryOut[] | undefined;

  constructor(
    readonly sc: SinkStreamClass,
    readonly stream: IrStream,
    uuid: string,
    readonly fileName: string,
    private readonly out: StreamOutput,
    /** For error messages: `TRACE-DIR/FILE`. */
    readonly path: string,
  ) {
    this.uuidBytes = uuidBytes(uuid);
    const o = sc.out;
    this.commonWriter = o.eventCommonContext ? compileWriter(o.eventCommonContext) : undefined;
    this.packetContextWriter = o.packetContext ? compileWriter(o.packetContext, false) : undefined;
    this.index = o.packetsHaveTsBegin && o.packetsHaveTsEnd ? [] : undefined;
  }

  /** `stream-id=…, stream-name="…", trace-name="…", path="…"`, babeltrace2's error context. */
  describe(): string {
    return `stream-id=${this.stream.id}, stream-name="${this.stream.name ?? ""}", trace-name="${this.stream.trace.name ?? ""}", path="${this.path}"`;
  }

  fail(message: string): TtngError {
    return new TtngError("ERR_UNSUPPORTED", `${message}: ${this.describe()}`, { actor: SINK_ACTOR });
  }

  /** Open-time offset checks for messages babeltrace2's CTF 1.8 encoding cannot carry (see fs-sink.c). */
  checkPacketBeginning(cs: ClockSnapshot | undefined): void {
    const de = this.discardedEvents;
    if (de.inRange && cs) {
      const expected = this.prevEndCs ?? cycles(cs);
      if (!sameCycles(de.begin, expected))
        throw this.fail(
          `Incompatible discarded events message: unexpected beginning time: beginning-cs-val=${cyclesText(de.begin)}, expected-beginning-cs-val=${cyclesText(expected)}`,
        );
    }
    const dp = this.discardedPackets;
    if (dp.inRange && cs) {
      if (this.prevEndCs === undefined)
        throw this.fail("Incompatible discarded packets message occurring before the stream's first packet");
      if (!sameCycles(dp.begin, this.prevEndCs))
        throw this.fail(
          `Incompatible discarded packets message: unexpected beginning time: beginning-cs-val=${cyclesText(dp.begin)}, expected-beginning-cs-val=${cyclesText(this.prevEndCs)}`,
        );
      const expectedEnd = cycles(cs);
      if (!sameCycles(dp.end, expectedEnd))
        throw this.fail(
          `Incompatible discarded packets message: unexpected end time: end-cs-val=${cyclesText(dp.end)}, expected-end-cs-val=${cyclesText(expectedEnd)}`,
        );
    }
    dp.inRange = false;
  }

  checkPacketEnd(cs: ClockSnapshot | undefined): void {
    const de = this.discardedEvents;
    if (de.inRange && cs) {
      const expected = cycles(cs);
      if (!sameCycles(de.end, expected))
        throw this.fail(
          `Incompatible discarded events message: unexpected end time: end-cs-val=${cyclesText(de.end)}, expected-end-cs-val=${cyclesText(expected)}`,
        );
    }
  }

  openPacket(cs: ClockSnapshot | undefined, packet: IrPacket | undefined): void {
    this.packet = packet;
    if (cs) this.beginCs = cycles(cs);
    const w = this.w;
    w.reset();
    w.writeBits(0, CTF_MAGIC, 32, 8);
    for (let i = 0; i < 16; i++) w.writeBits(0, this.uuidBytes[i]!, 8, 8);
    w.writeInt(this.sc.out.id, 64, 8);
    w.writeInt(this.stream.id, 64, 8);
    this.contextOffsetBits = w.posBits;
    this.writePacketContext();
    this.isOpen = true;
  }

  private writePacketContext(): void {
    const w = this.w;
    const o = this.sc.out;
    w.writeInt(this.packetSizeBits, 64, 8);
    w.writeInt(this.contentSizeBits, 64, 8);
    if (o.packetsHaveTsBegin) w.writeBits(this.beginCs[0], this.beginCs[1], 64, 8);
    if (o.packetsHaveTsEnd) w.writeBits(this.endCs[0], this.endCs[1], 64, 8);
    if (o.hasDiscardedEvents) w.writeInt(this.discardedEventsCounter, 64, 8);
    w.writeInt(this.seqNum, 64, 8);
    if (this.packetContextWriter) {
      const ctx = this.packet?.context;
      if (ctx === undefined) throw this.fail("Packet has no context field, but its stream class has a packet context");
      this.packetContextWriter(w, ctx);
    }
  }

  /** Content written so far in the open packet, in bytes (for artificial packets). */
  contentBytes(): number {
    return this.w.posBits >>> 3;
  }

  private writers(ec: OutEventClass): EventWriters {
    let e = this.eventWriters.get(ec);
    if (!e) {
      e = {
        id: ec.id,
        spec: ec.specContext ? compileWriter(ec.specContext) : undefined,
        payload: ec.payload ? compileWriter(ec.payload) : undefined,
      };
      this.eventWriters.set(ec, e);
    }
    return e;
  }

  writeEvent(m: Message, ec: OutEventClass): void {
    const w = this.w;
    const e = this.writers(ec);
    w.writeInt(e.id, 64, 8);
    if (this.sc.out.clock) {
      const cs = m.cs;
      if (!cs) throw this.fail("Event message has no default clock snapshot, but its stream class has a default clock");
      w.writeBits(cs.cyclesHi >>> 0, cs.cyclesLo >>> 0, 64, 8);
      this.lastEventHi = cs.cyclesHi >>> 0;
      this.lastEventLo = cs.cyclesLo >>> 0;
    }
    if (this.commonWriter) this.commonWriter(w, m.commonContext);
    if (e.spec) e.spec(w, m.specContext);
    if (e.payload) e.payload(w, m.payload);
  }

  closePacket(cs: ClockSnapshot | undefined): void {
    this.close(cs ? cycles(cs) : undefined);
  }

  /**
   * Closes a packet whose end never came (the upstream failed or the graph was interrupted), so
   * the events already written stay readable: its end time is its last event's (else its beginning).
   */
  closeInterrupted(): void {
    const last: Cycles | undefined = this.lastEventHi < 0 ? undefined : [this.lastEventHi, this.lastEventLo];
    this.close(this.sc.out.packetsHaveTsEnd ? (last ?? this.beginCs) : undefined);
  }

  private close(end: Cycles | undefined): void {
    const w = this.w;
    if (end) this.endCs = end;
    this.contentSizeBits = w.posBits;
    this.packetSizeBits = (this.contentSizeBits + 7) & ~7;
    // Pad the last byte's unused bits with zeros before the packet goes out.
    w.align(8);
    w.rewriteAt(this.contextOffsetBits, () => this.writePacketContext());
    const bytes = w.bytes();
    this.out.write(bytes);
    this.index?.push({
      offsetBytes: this.fileOffsetBytes,
      packetSizeBits: this.packetSizeBits,
      contentSizeBits: this.contentSizeBits,
      tsBegin: this.beginCs,
      tsEnd: this.endCs,
      eventsDiscarded: this.discardedEventsCounter,
      streamClassId: this.sc.out.id,
      streamInstanceId: this.stream.id,
      packetSeqNum: this.seqNum,
    });
    this.fileOffsetBytes += bytes.length;
    this.prevEndCs = this.sc.out.packetsHaveTsEnd ? this.endCs : this.prevEndCs;
    this.beginCs = [0, 0];
    this.endCs = [0, 0];
    this.contentSizeBits = 0;
    this.packetSizeBits = 0;
    this.seqNum++;
    this.isOpen = false;
    this.packet = undefined;
    this.lastEventHi = -1;
    this.discardedEvents.inRange = false;
  }
}

function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, "");
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) b[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return b;
}
