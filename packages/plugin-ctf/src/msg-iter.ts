/**
 * CTF data stream -> messages (babeltrace2's ctf msg-iter rules): stream
 * beginning, discarded events/packets derived from packet-context
 * counters, packet beginning/end with their clock snapshots and the
 * LTTng/barectf quirks, event records, stream end. One iterator per
 * logical stream (a group of data stream files); packets come from a
 * `PacketSource`, so this module does no I/O.
 *
 * Event fields are decoded lazily: reading a packet skips them (with all
 * the checks and effects of decoding them), and an event message decodes
 * its fields from the packet's bytes when a sink first reads one.
 */
import { AssertionError, TtngError } from "@ttng/base";
import {
  type CompiledEvent,
  type DecodeState,
  type EventFieldsSource,
  type PacketPreamble,
  nsFromOrigin,
  type TraceClass,
  type TraceDecoder,
} from "@ttng/ctf";
import {
  type ClockSnapshot,
  type FieldLoader,
  type IrClockClass,
  type IrEventClass,
  type IrPacket,
  type IrStream,
  type IterStatus,
  Message,
  type MessageIterator,
  MessageKind,
} from "@ttng/graph";

export interface PacketEntry {
  path: string;
  offsetBytes: number;
  /** Total size in bytes (the packet's share of the file). */
  sizeBytes: number;
  tsBeginNs: number;
  tsBeginHi: number;
  tsBeginLo: number;
  tsEndHi: number;
  tsEndLo: number;
  seqNum: number;
  packetSizeBits: number;
}

export interface PacketSource {
  /** The packet's bytes: a fresh array per call (its event messages keep it to decode their fields). */
  read(entry: PacketEntry): Uint8Array;
}

/**
 * Decodes the fields of one packet's event records when a sink reads them, with a state of its
 * own: the stream's clock and stored values are not disturbed. Each message says where its fields
 * start (`loaderPos`), which event class it is (`loaderKey`) and where its stored-value snapshot
 * is (`loaderAux`, an index in `snapshot`).
 */
class PacketFields implements FieldLoader, EventFieldsSource {
  readonly snapshot: number[] = [];
  private st: DecodeState | undefined = undefined;

  constructor(
    readonly decoder: TraceDecoder,
    private readonly bytes: Uint8Array,
    private readonly fileOffsetBytes: number,
    private readonly endBits: number,
  ) {}

  private state(): DecodeState {
    let st = this.st;
    if (st === undefined) {
      st = this.decoder.newState();
      st.setBuffer(this.bytes, this.fileOffsetBytes);
      st.end = this.endBits;
      this.st = st;
    }
    return st;
  }

  eventFieldsState(key: CompiledEvent, pos: number, aux: number): DecodeState {
    const st = this.state();
    this.decoder.seekEventFields(st, key, pos, this.snapshot, aux);
    return st;
  }

  loadFields(m: Message): void {
    const st = this.state();
    try {
      this.decoder.readEventFields(st, m.loaderKey as CompiledEvent, m.loaderPos, this.snapshot, m.loaderAux, m);
    } catch (e) {
      // Skipping these bytes performed every check decoding them does.
      throw new AssertionError(`event fields failed to decode after they were skipped: ${String(e)}`);
    }
  }
}

const TWO32 = 4294967296;

function lessThan(ahi: number, alo: number, bhi: number, blo: number): boolean {
  return ahi < bhi || (ahi === bhi && alo < blo);
}

export class CtfStreamIterator implements MessageIterator {
  private readonly st: DecodeState;
  private packetIndex = 0;
  private started = false;
  private ended = false;
  private pendingError: unknown = undefined;
  private readonly offset: [number, number] | undefined;
  /** The default clock counts nanoseconds: `cs()` needs no conversion. */
  private readonly clockIsNs: boolean;
  private readonly offsetS: number;
  private readonly offsetNs: number;
  /** `eventClasses` as an array indexed by ID when the IDs are small: no hashing per event. */
  private readonly eventClassById: Array<IrEventClass | undefined> | undefined;
  // Snapshots of the previous packet (babeltrace2's prev_packet_snapshots); -1 hi = unknown.
  private prevDiscarded = -1;
  private prevSeq = -1;
  private prevEndHi = -1;
  private prevEndLo = 0;

  constructor(
    private readonly tc: TraceClass,
    private readonly decoder: TraceDecoder,
    private readonly stream: IrStream,
    private readonly eventClasses: Map<number, IrEventClass>,
    private readonly packets: PacketEntry[],
    private readonly source: PacketSource,
    private readonly batchSize = 256,
    /** Skip event fields and decode them when read (no sink reads them, e.g. dummy); else decode now. */
    private readonly lazyFields = false,
  ) {
    this.st = decoder.newState();
    // Words read from packets, doubles from the start (see `DecodeState`'s constructor).
    this.prevDiscarded = this.prevSeq = this.prevEndHi = this.prevEndLo = 0.5;
    this.prevDiscarded = this.prevSeq = this.prevEndHi = -1;
    this.prevEndLo = 0;
    const cc = stream.streamClass.defaultClock;
    this.offset = cc ? cc.offsetSecNs : undefined;
    this.clockIsNs = cc !== undefined && cc.frequency === 1e9;
    this.offsetS = this.offset ? this.offset[0] : 0;
    this.offsetNs = this.offset ? this.offset[1] : 0;
    let maxId = -1;
    for (const id of eventClasses.keys())
      maxId = Number.isInteger(id) && id >= 0 && id < 4096 ? Math.max(maxId, id) : 4096;
    if (maxId < 4096) {
      this.eventClassById = new Array<IrEventClass | undefined>(maxId + 1).fill(undefined);
      for (const [id, ec] of eventClasses) this.eventClassById[id] = ec;
    } else this.eventClassById = undefined;
  }

  canSeekBeginning(): boolean {
    return true;
  }

  /**
   * After `seekNsFromOrigin`: event records before this time are skipped without a message (the
   * caller drops every message before it), until the first one at or after it. Their fields are
   * never decoded: a seek then costs reading about one packet's headers, not decoding it.
   */
  private dropBeforeS = Number.NEGATIVE_INFINITY;
  private dropBeforeNs = 0;

  seekBeginning(): void {
    this.dropBeforeS = Number.NEGATIVE_INFINITY;
    this.dropBeforeNs = 0;
    this.packetIndex = 0;
    this.cur = undefined;
    this.started = false;
    this.ended = false;
    this.pendingError = undefined;
    this.prevDiscarded = -1;
    this.prevSeq = -1;
    this.prevEndHi = -1;
    this.st.clockHi = 0;
    this.st.clockLo = 0;
  }

  /**
   * Seeking skips whole packets by their packet-context times (from the LTTng index or the
   * packet scan), which needs: a clock, both packet times, and no tracer quirk that lets events
   * stray outside their packet's [begin, end] (then only reading tells).
   */
  canSeekNsFromOrigin(_s: number, _ns: number): boolean {
    const sc = this.stream.streamClass;
    const q = this.tc.quirks;
    if (sc.defaultClock === undefined || q.lttngEventAfterPacket || q.barectfEventBeforePacket) return false;
    if (sc.supportsDiscardedEvents && !sc.discardedEventsHaveCs) return false;
    if (sc.supportsDiscardedPackets && !sc.discardedPacketsHaveCs) return false;
    for (const p of this.packets) if (p.tsBeginHi === -1 || p.tsEndHi === -1) return false;
    return true;
  }

  /**
   * Restarts at the last packet that ends before (s, ns), skipping the packets before it without
   * reading them. That packet is read (its messages all come before the time; the caller drops
   * them): it leaves this iterator's discarded-items state and the caller's stream state (a time
   * was seen, no packet is open) exactly as reading from the beginning would.
   */
  seekNsFromOrigin(s: number, ns: number): void {
    this.seekBeginning();
    this.dropBeforeS = s;
    this.dropBeforeNs = ns;
    let before = 0;
    for (const p of this.packets) {
      // An LTTng crash-recovered packet may have an end time of 0: its events tell its end, not its context.
      if (p.tsEndHi === 0 && p.tsEndLo === 0 && !(p.tsBeginHi === 0 && p.tsBeginLo === 0)) break;
      const end = this.cs(p.tsEndHi, p.tsEndLo);
      if (end.s > s || (end.s === s && end.ns >= ns)) break;
      before++;
    }
    this.packetIndex = Math.max(0, before - 1);
  }

  private cs(hi: number, lo: number): ClockSnapshot {
    if (this.clockIsNs && hi < 0x200000) {
      const v = hi * TWO32 + lo;
      const vs = Math.floor(v / 1e9);
      let s = this.offsetS + vs;
      let ns = this.offsetNs + (v - vs * 1e9);
      if (ns >= 1e9) {
        ns -= 1e9;
        s++;
      }
      return { cyclesHi: hi, cyclesLo: lo, s, ns };
    }
    const cc = this.stream.streamClass.defaultClock as IrClockClass;
    const off = this.offset as [number, number];
    const t = nsFromOrigin(
      {
        name: "",
        description: undefined,
        frequency: cc.frequency,
        precision: 0,
        offsetSeconds: 0,
        offsetCycles: 0,
        originIsUnixEpoch: false,
        uuid: undefined,
      },
      hi,
      lo,
      off,
    );
    return { cyclesHi: hi, cyclesLo: lo, s: t.s, ns: t.ns };
  }

  /** Sets `m`'s default clock snapshot; built only when read if the clock allows (`Message.setCycles`). */
  private setCs(m: Message, hi: number, lo: number): void {
    if (!this.clockIsNs || !m.setCycles(this.stream.streamClass.defaultClock!, hi, lo)) m.cs = this.cs(hi, lo);
  }

  next(out: Message[]): IterStatus {
    if (this.pendingError !== undefined) {
      const e = this.pendingError;
      this.pendingError = undefined;
      this.ended = true;
      throw e;
    }
    if (this.ended) return "end";
    const start = out.length;
    try {
      this.fill(out);
    } catch (e) {
      const wrapped = new TtngError("ERR_DECODE", `Failed to read the next message of stream \`${this.stream.name}\``, {
        actor: "source.ctf.fs",
        cause: e,
      });
      if (out.length > start) {
        this.pendingError = wrapped;
        return "ok";
      }
      this.ended = true;
      throw wrapped;
    }
    if (out.length === start) {
      this.ended = true;
      return "end";
    }
    return "ok";
  }

  private fill(out: Message[]): void {
    const stream = this.stream;
    if (!this.started) {
      this.started = true;
      out.push(new Message(MessageKind.StreamBeginning, stream));
    }
    // Batches stay small even inside a large packet: messages die young and cheap.
    while (out.length < this.batchSize) {
      if (this.cur !== undefined) {
        if (!this.readEvents(out)) return;
        this.contentEnd(out);
        this.packetIndex++;
        continue;
      }
      if (this.packetIndex >= this.packets.length) {
        if (this.packetIndex === this.packets.length) {
          out.push(new Message(MessageKind.StreamEnd, stream));
          this.packetIndex++;
        }
        return;
      }
      this.beginPacket(out, this.packets[this.packetIndex]!);
    }
  }

  /** The packet being read: its preamble, IR packet and delayed beginning message (barectf quirk). */
  private cur:
    | {
        entry: PacketEntry;
        pre: PacketPreamble;
        packet: IrPacket;
        delayedBegin: Message | undefined;
        fields: PacketFields;
      }
    | undefined = undefined;

  private beginPacket(out: Message[], entry: PacketEntry): void {
    const st = this.st;
    const bytes = this.source.read(entry);
    st.setBuffer(bytes, entry.offsetBytes);
    const pre = this.decoder.readPreamble(st);
    const sc = this.stream.streamClass;
    const ctfSc = pre.streamClass;
    if (pre.contentSizeBits >= 0) st.end = pre.contentSizeBits;
    const tsBegin = pre.tsBegin;
    const tsEnd = pre.tsEnd;
    const packet: IrPacket = { stream: this.stream, context: pre.context };

    // Discarded events (check_emit_msg_discarded_events).
    if (ctfSc.hasDiscardedEvents) {
      const cur = pre.discardedEvents;
      let emit: boolean;
      if (this.prevDiscarded === -1) emit = !(cur === 0 || cur === -1);
      else emit = cur - this.prevDiscarded !== 0;
      if (emit) {
        const m = new Message(MessageKind.DiscardedEvents, this.stream);
        if (ctfSc.discardedEventsHaveTs && tsBegin && tsEnd) {
          if (this.prevDiscarded === -1 || this.prevEndHi === -1) {
            this.setCs(m, tsBegin.hi, tsBegin.lo);
          } else {
            this.setCs(m, this.prevEndHi, this.prevEndLo);
          }
          m.endCs = this.cs(tsEnd.hi, tsEnd.lo);
        }
        if (this.prevDiscarded !== -1) m.count = wrappedDifference(cur, this.prevDiscarded);
        out.push(m);
      }
    }
    // Discarded packets (check_emit_msg_discarded_packets).
    // babeltrace2 subtracts in uint64: a sequence number going backwards counts as a huge loss.
    if (
      ctfSc.hasDiscardedPackets &&
      this.prevSeq !== -1 &&
      pre.seqNum !== this.prevSeq &&
      pre.seqNum !== this.prevSeq + 1
    ) {
      const m = new Message(MessageKind.DiscardedPackets, this.stream);
      if (ctfSc.discardedPacketsHaveTs && tsBegin && this.prevEndHi !== -1) {
        this.setCs(m, this.prevEndHi, this.prevEndLo);
        m.endCs = this.cs(tsBegin.hi, tsBegin.lo);
      }
      m.count = wrappedDifference(pre.seqNum, this.prevSeq + 1);
      out.push(m);
    }

    const pb = new Message(MessageKind.PacketBeginning, this.stream);
    pb.packet = packet;
    if (sc.packetsHaveBeginningCs && tsBegin) this.setCs(pb, tsBegin.hi, tsBegin.lo);
    let delayedBegin: Message | undefined;
    if (this.tc.quirks.barectfEventBeforePacket) delayedBegin = pb;
    else out.push(pb);
    st.pos = pre.eventsOffsetBits;
    const fields = new PacketFields(this.decoder, bytes, entry.offsetBytes, st.end);
    this.cur = { entry, pre, packet, delayedBegin, fields };
  }

  /**
   * Event records of the current packet until the batch is full (false) or the content ends
   * (true). Its loop runs long enough for V8 to optimize it while it runs (on-stack replacement),
   * maybe before any packet has ended: code after the loop that had never run would then stop
   * that optimized code each time a packet ends, without V8 ever replacing it. So the loop exit
   * returns at once, and the caller ends the packet (`contentEnd`).
   */
  private readEvents(out: Message[]): boolean {
    const cur = this.cur!;
    const st = this.st;
    const pre = cur.pre;
    const ctfSc = pre.streamClass;
    const tsBegin = pre.tsBegin;
    const ecs = this.eventClasses;
    const ecById = this.eventClassById;
    const clock = this.stream.streamClass.defaultClock;
    const limit = this.batchSize;
    const fields = cur.fields;
    const snapshot = fields.snapshot;
    const decoder = this.decoder;
    const packet = cur.packet;
    const stream = this.stream;
    while (st.pos < st.end) {
      if (out.length >= limit) return false;
      const at = st.pos;
      let ecId: number;
      let clockHi: number;
      let clockLo: number;
      // Each message is made after the calls that read its record: its fields are then stored
      // into a fresh object, which costs no write barrier.
      let m: Message;
      if (this.lazyFields === true || this.dropBeforeS !== Number.NEGATIVE_INFINITY) {
        // Lazy: skip the fields; the message decodes them from the packet's bytes if a sink reads them.
        const snapAt = snapshot.length;
        const ev = decoder.skipEvent(st, ctfSc, snapshot);
        clockHi = st.eventClockHi;
        clockLo = st.eventClockLo;
        if (this.dropBeforeS !== Number.NEGATIVE_INFINITY && clock !== undefined && st.pos !== at) {
          const t = this.cs(clockHi, clockLo);
          if (t.s < this.dropBeforeS || (t.s === this.dropBeforeS && t.ns < this.dropBeforeNs)) continue;
          this.dropBeforeS = Number.NEGATIVE_INFINITY;
        }
        ecId = ev.ec.id;
        m = new Message(MessageKind.Event, stream);
        m.packet = packet;
        m.loader = fields;
        m.loaderPos = st.eventFieldsPos;
        m.loaderKey = ev;
        m.loaderAux = snapAt;
      } else {
        // Eager: decode the fields now (cheaper than skipping then decoding when every event is read).
        const ev = decoder.readEvent(st, ctfSc);
        ecId = ev.eventClass.id;
        clockHi = ev.clockHi;
        clockLo = ev.clockLo;
        m = new Message(MessageKind.Event, stream);
        m.packet = packet;
        m.commonContext = ev.commonContext;
        m.specContext = ev.specContext;
        m.payload = ev.payload;
      }
      const ec = ecById !== undefined ? ecById[ecId] : ecs.get(ecId);
      if (st.pos === at) {
        // A record of zero bits never reaches the content's end: reading on would not terminate.
        throw new TtngError(
          "ERR_DECODE",
          `Event record takes no bits (event class \`${ec?.name}\`, ID ${ecId}): cannot read the packet's content to its end: offset-bits=${cur.entry.offsetBytes * 8 + at}`,
          { actor: "source.ctf.fs" },
        );
      }
      m.eventClass = ec;
      // Most event snapshots are never read: the message builds it when one is (`Message.setCycles`).
      if (clock !== undefined && !m.setCycles(clock, clockHi, clockLo)) m.cs = this.cs(clockHi, clockLo);
      if (cur.delayedBegin !== undefined) {
        // barectf < 2.3.1 wrote a packet beginning time later than its first event's time.
        if (tsBegin && lessThan(clockHi, clockLo, tsBegin.hi, tsBegin.lo)) cur.delayedBegin.cs = m.cs;
        out.push(cur.delayedBegin);
        cur.delayedBegin = undefined;
      }
      out.push(m);
    }
    return true;
  }

  /** The current packet's content is read: its last record must end within it, then the packet ends. */
  private contentEnd(out: Message[]): void {
    const cur = this.cur!;
    const st = this.st;
    if (st.pos > st.end && cur.pre.contentSizeBits >= 0) {
      throw new TtngError(
        "ERR_DECODE",
        `Event record goes beyond the packet's content: offset-bits=${cur.entry.offsetBytes * 8 + st.pos}`,
        { actor: "source.ctf.fs" },
      );
    }
    this.endPacket(out);
  }

  private endPacket(out: Message[]): void {
    const cur = this.cur!;
    this.cur = undefined;
    const st = this.st;
    const pre = cur.pre;
    const tsBegin = pre.tsBegin;
    const tsEnd = pre.tsEnd;
    const sc = this.stream.streamClass;
    if (cur.delayedBegin) {
      if (tsBegin && lessThan(st.clockHi, st.clockLo, tsBegin.hi, tsBegin.lo))
        this.setCs(cur.delayedBegin, st.clockHi, st.clockLo);
      out.push(cur.delayedBegin);
    }
    // Packet end (create_msg_packet_end).
    let updateClock = true;
    if (tsEnd) {
      if (
        this.tc.quirks.lttngCrash &&
        tsBegin &&
        !(tsBegin.hi === 0 && tsBegin.lo === 0) &&
        tsEnd.hi === 0 &&
        tsEnd.lo === 0
      ) {
        updateClock = false;
      }
      if (this.tc.quirks.lttngEventAfterPacket && lessThan(tsEnd.hi, tsEnd.lo, st.clockHi, st.clockLo)) {
        updateClock = false;
      }
      if (updateClock) {
        st.clockHi = tsEnd.hi;
        st.clockLo = tsEnd.lo;
      }
    }
    const pe = new Message(MessageKind.PacketEnd, this.stream);
    pe.packet = cur.packet;
    if (sc.packetsHaveEndCs) this.setCs(pe, st.clockHi, st.clockLo);
    out.push(pe);
    this.prevDiscarded = pre.discardedEvents;
    this.prevSeq = pre.seqNum;
    if (tsEnd) {
      this.prevEndHi = tsEnd.hi;
      this.prevEndLo = tsEnd.lo;
    } else {
      this.prevEndHi = -1;
    }
  }
}

/**
 * `cur - prev` as babeltrace2 computes it on uint64 counters: negative differences wrap
 * around 2^64 (a counter that went backwards reads as a huge count), kept exact as a bigint.
 */
function wrappedDifference(cur: number, prev: number): number | bigint {
  const d = cur - prev;
  return d >= 0 ? d : (1n << 64n) + BigInt(d);
}
