/**
 * Decodes packets and event records of one trace class (CTF 1.8 §5-§6):
 * the packet header and context, then event records until the content
 * size. The caller (source.ctf.fs) owns files and packet order; this module
 * only turns bytes into values and updates the stream's clock.
 */
import { FormatError } from "@ttng/base";
import type { EventClass, StreamClass, StructFC, TraceClass } from "../model.js";
import { compileField, type Reader } from "./compile.js";
import { interpretField } from "./interpret.js";
import type { Skipper } from "./skip.js";
import { generateScopesSkipper, generateSkipper } from "./skip-gen.js";
import { DecodeState } from "./state.js";
import { storedReadsBeforeWrites } from "./stored-reads.js";
import type { FieldValue } from "./values.js";

export interface PacketPreamble {
  streamClass: StreamClass;
  /** `stream_instance_id`, or -1. */
  dataStreamId: number;
  /** Expected total and content sizes in bits, or -1 when the packet context does not say. */
  packetSizeBits: number;
  contentSizeBits: number;
  header: FieldValue[] | undefined;
  context: FieldValue[] | undefined;
  /** Bit offset (in the packet) of the first event record. */
  eventsOffsetBits: number;
  tsBegin: { hi: number; lo: number } | undefined;
  tsEnd: { hi: number; lo: number } | undefined;
  discardedEvents: number;
  seqNum: number;
}

export interface DecodedEvent {
  eventClass: EventClass;
  commonContext: FieldValue[] | undefined;
  specContext: FieldValue[] | undefined;
  payload: FieldValue[] | undefined;
  /** Default clock value after the event header (babeltrace2's event time), two 32-bit halves. */
  clockHi: number;
  clockLo: number;
}

/**
 * An event class's decoders: `skipEvent` returns it, `readEventFields` decodes the fields it
 * skipped. Opaque outside this module.
 */
export interface CompiledEvent {
  readonly ec: EventClass;
  readonly commonContext: Reader | undefined;
  readonly spec: Reader | undefined;
  readonly payload: Reader | undefined;
  /** Skips the common context, specific context and payload, in one call. */
  readonly skipFields: Skipper | undefined;
  /** Stored values the fields read before writing them: `skipEvent` snapshots them. */
  readonly snapshotSlots: number[];
}

/**
 * A lazy event message's field loader that can also hand out its bytes: a state positioned at the
 * event's fields (`TraceDecoder.seekEventFields`), for consumers that decode the fields themselves.
 * `key`, `pos` and `aux` are the message's `loaderKey`, `loaderPos` and `loaderAux`.
 */
export interface EventFieldsSource {
  readonly decoder: TraceDecoder;
  eventFieldsState(key: CompiledEvent, pos: number, aux: number): DecodeState;
}

/** Where `readEventFields` puts the decoded fields (an event message, for one). */
export interface EventFieldsOut {
  commonContext: unknown;
  specContext: unknown;
  payload: unknown;
}

interface CompiledStreamClass {
  sc: StreamClass;
  packetContext: Reader | undefined;
  eventHeader: Reader | undefined;
  skipEventHeader: Skipper | undefined;
  eventCommonContext: Reader | undefined;
  /** Every event class of the stream class, by ID. */
  classes: Map<number, EventClass>;
  /**
   * The event classes compiled so far: each is compiled when its first record is read (a kernel
   * trace's metadata describes a thousand or more, of which a trace holds a few dozen).
   */
  events: Map<number, CompiledEvent>;
  /** `events` as an array indexed by ID when the IDs are small (nearly always): no hashing per event. */
  eventsById: Array<CompiledEvent | undefined> | undefined;
  onlyEvent: EventClass | undefined;
}

export type DecoderMode = "compiled" | "interpreted";

function reader(fc: StructFC | undefined, mode: DecoderMode): Reader | undefined {
  if (!fc) return undefined;
  return mode === "compiled" ? compileField(fc) : (st) => interpretField(fc, st);
}

function skipper(fc: StructFC | undefined, mode: DecoderMode): Skipper | undefined {
  if (!fc) return undefined;
  return mode === "compiled" ? generateSkipper(fc) : (st) => void interpretField(fc, st);
}

/**
 * The skipper of an event record's three field scopes, each starting with no previous byte
 * order: one generated function when they fit the generator, else each scope's skipper in turn.
 */
function fieldsSkipper(scopes: Array<StructFC | undefined>, mode: DecoderMode): Skipper | undefined {
  const present = scopes.filter((fc): fc is StructFC => fc !== undefined);
  if (present.length === 0) return undefined;
  if (mode === "compiled") {
    const one = generateScopesSkipper(present);
    if (one) return one;
  }
  const each = present.map((fc) => skipper(fc, mode)!);
  return (st) => {
    for (let i = 0; i < each.length; i++) {
      st.lastBo = 0;
      each[i]!(st);
    }
  };
}

/** An array as long as the largest ID plus one, when every ID is a small integer. */
function denseById(classes: Map<number, EventClass>): Array<CompiledEvent | undefined> | undefined {
  let max = -1;
  for (const id of classes.keys()) {
    if (!Number.isInteger(id) || id < 0 || id >= 4096) return undefined;
    if (id > max) max = id;
  }
  return new Array<CompiledEvent | undefined>(max + 1).fill(undefined);
}

function decodeErr(message: string): FormatError {
  return new FormatError("ERR_DECODE", message, { actor: "source.ctf.fs" });
}

export class TraceDecoder {
  private readonly packetHeader: Reader | undefined;
  private readonly streams = new Map<number, CompiledStreamClass>();

  constructor(
    readonly traceClass: TraceClass,
    private readonly mode: DecoderMode = "compiled",
  ) {
    this.packetHeader = reader(traceClass.packetHeader, mode);
    for (const sc of traceClass.streamClasses) {
      const classes = new Map<number, EventClass>();
      for (const ec of sc.eventClasses) classes.set(ec.id, ec);
      this.streams.set(sc.id, {
        sc,
        packetContext: reader(sc.packetContext, mode),
        eventHeader: reader(sc.eventHeader, mode),
        skipEventHeader: skipper(sc.eventHeader, mode),
        eventCommonContext: reader(sc.eventCommonContext, mode),
        classes,
        events: new Map(),
        eventsById: denseById(classes),
        onlyEvent: sc.eventClasses.length === 1 ? sc.eventClasses[0] : undefined,
      });
    }
  }

  /** How many event classes have been compiled so far (each on its first record; diagnostics). */
  compiledEventClassCount(): number {
    let n = 0;
    for (const cs of this.streams.values()) n += cs.events.size;
    return n;
  }

  /** The compiled event class with ID `id` of `cs`, compiled now if it was not; undefined if none. */
  private compileEvent(cs: CompiledStreamClass, id: number): CompiledEvent | undefined {
    const done = cs.events.get(id);
    if (done !== undefined) return done;
    const ec = cs.classes.get(id);
    if (ec === undefined) return undefined;
    const sc = cs.sc;
    const mode = this.mode;
    const ev: CompiledEvent = {
      ec,
      commonContext: cs.eventCommonContext,
      spec: reader(ec.specContext, mode),
      payload: reader(ec.payload, mode),
      skipFields: fieldsSkipper([sc.eventCommonContext, ec.specContext, ec.payload], mode),
      snapshotSlots:
        this.traceClass.storedValueCount === 0
          ? []
          : storedReadsBeforeWrites([sc.eventCommonContext, ec.specContext, ec.payload]),
    };
    cs.events.set(id, ev);
    if (cs.eventsById !== undefined) cs.eventsById[id] = ev;
    return ev;
  }

  newState(): DecodeState {
    const st = new DecodeState();
    st.stored = new Array<number>(this.traceClass.storedValueCount).fill(0);
    return st;
  }

  /**
   * Reads the packet header and context at the start of `st.buf`. `st.end`
   * must cover them; afterwards it is the packet's content size.
   */
  readPreamble(st: DecodeState): PacketPreamble {
    st.streamClassId = -1;
    st.dataStreamId = -1;
    st.packetSizeBits = -1;
    st.contentSizeBits = -1;
    st.tsBeginHi = -1;
    st.tsEndHi = -1;
    st.discardedEvents = -1;
    st.seqNum = -1;
    st.pos = 0;
    // Each scope starts with no previous byte order (babeltrace2 restarts its field reader per scope).
    st.lastBo = 0;
    const header = this.packetHeader ? (this.packetHeader(st) as FieldValue[]) : undefined;
    let cs: CompiledStreamClass | undefined;
    if (st.streamClassId === -1) {
      if (this.streams.size !== 1) {
        throw decodeErr(
          `Cannot determine the packet's stream class: the packet header has no \`stream_id\` field and the trace has ${this.streams.size} stream classes`,
        );
      }
      cs = this.streams.values().next().value;
    } else {
      cs = this.streams.get(st.streamClassId);
      if (!cs) throw decodeErr(`No stream class with ID ${st.streamClassId} (packet header's \`stream_id\`)`);
    }
    const sc = cs!;
    st.lastBo = 0;
    const context = sc.packetContext ? (sc.packetContext(st) as FieldValue[]) : undefined;
    let total = st.packetSizeBits;
    let content = st.contentSizeBits;
    if (total === -1 && content !== -1) total = content;
    else if (content === -1 && total !== -1) content = total;
    if (content > total) {
      throw decodeErr(
        `Invalid packet or content size: content size is greater than packet size: packet-size-bits=${total}, content-size-bits=${content}`,
      );
    }
    if (total !== -1 && total % 8 !== 0)
      throw decodeErr(`Invalid packet size: not a multiple of 8 bits: packet-size-bits=${total}`);
    if (total !== -1 && st.pos > content) {
      throw decodeErr(
        `Invalid packet content size: the packet header and context (${st.pos} bits) do not fit: content-size-bits=${content}`,
      );
    }
    return {
      streamClass: sc.sc,
      dataStreamId: st.dataStreamId,
      packetSizeBits: total,
      contentSizeBits: content,
      header,
      context,
      eventsOffsetBits: st.pos,
      tsBegin: st.tsBeginHi === -1 ? undefined : { hi: st.tsBeginHi, lo: st.tsBeginLo },
      tsEnd: st.tsEndHi === -1 ? undefined : { hi: st.tsEndHi, lo: st.tsEndLo },
      discardedEvents: st.discardedEvents,
      seqNum: st.seqNum,
    };
  }

  /**
   * Skips one event record at `st.pos` (the caller checked that content remains): decodes the
   * event header's effects (event class, clock), then skips the fields with exactly the checks,
   * errors and effects of decoding them, building no values. Sets `st.eventClockHi`/`Lo` (the
   * event's time) and `st.eventFieldsPos`, and appends the stored values `readEventFields` will
   * need to `snapshot`. Returns the event class's decoders.
   */
  skipEvent(st: DecodeState, sc: StreamClass, snapshot: number[]): CompiledEvent {
    let cs = this.lastStream;
    if (cs === undefined || cs.sc !== sc) {
      cs = this.streams.get(sc.id)!;
      this.lastStream = cs;
    }
    st.eventClassId = -1;
    st.lastBo = 0;
    // Comparisons with undefined, not truthiness: V8 tests a field of any type for every falsy value.
    if (cs.skipEventHeader !== undefined) cs.skipEventHeader(st);
    let ev: CompiledEvent | undefined;
    if (st.eventClassId === -1) {
      if (!cs.onlyEvent) {
        throw decodeErr(
          `Cannot determine the event record's class: no \`id\` field in the event header and stream class ${sc.id} has ${sc.eventClasses.length} event classes`,
        );
      }
      ev = this.compileEvent(cs, cs.onlyEvent.id);
    } else {
      const id = st.eventClassId;
      const dense = cs.eventsById;
      ev = dense !== undefined ? (id >= 0 && id < dense.length ? dense[id] : undefined) : cs.events.get(id);
      if (ev === undefined) ev = this.compileEvent(cs, id);
      if (ev === undefined) {
        throw decodeErr(
          `No event class with ID ${st.eventClassId} in stream class ${sc.id}: offset-bits=${st.fileOffsetBytes * 8 + st.pos}`,
        );
      }
    }
    const e = ev!;
    st.eventClockHi = st.clockHi;
    st.eventClockLo = st.clockLo;
    st.eventFieldsPos = st.pos;
    const slots = e.snapshotSlots;
    for (let i = 0; i < slots.length; i++) snapshot.push(st.stored[slots[i]!]!);
    if (e.skipFields !== undefined) e.skipFields(st);
    return e;
  }

  /**
   * Decodes the fields of an event record `skipEvent` skipped: `st` holds the same bytes and
   * content size, `pos` is what `st.eventFieldsPos` was, and `snapshot[at...]` what `skipEvent`
   * appended. Uses `st`'s clock and stored values as scratch. The skip validated these bytes: the
   * values are those `readEvent` gives, and decoding cannot fail.
   */
  readEventFields(
    st: DecodeState,
    ev: CompiledEvent,
    pos: number,
    snapshot: number[],
    at: number,
    out: EventFieldsOut,
  ): void {
    st.pos = pos;
    const slots = ev.snapshotSlots;
    for (let i = 0; i < slots.length; i++) st.stored[slots[i]!] = snapshot[at + i]!;
    st.lastBo = 0;
    out.commonContext = ev.commonContext ? ev.commonContext(st) : undefined;
    st.lastBo = 0;
    out.specContext = ev.spec ? ev.spec(st) : undefined;
    st.lastBo = 0;
    out.payload = ev.payload ? ev.payload(st) : undefined;
  }

  /**
   * What `readEventFields` does before decoding: `st` at the event's first field with the stored
   * values `skipEvent` snapshotted. Lets a consumer decode the fields its own way (the pretty sink
   * prints them straight from the bytes) with `eventScopes`.
   */
  seekEventFields(st: DecodeState, ev: CompiledEvent, pos: number, snapshot: number[], at: number): void {
    st.pos = pos;
    const slots = ev.snapshotSlots;
    for (let i = 0; i < slots.length; i++) st.stored[slots[i]!] = snapshot[at + i]!;
  }

  /** The field classes of an event's three scopes (common context, specific context, payload). */
  eventScopes(ev: CompiledEvent): [StructFC | undefined, StructFC | undefined, StructFC | undefined] {
    const sc = this.streams.get(ev.ec.streamClassId)?.sc;
    return [sc?.eventCommonContext, ev.ec.specContext, ev.ec.payload];
  }

  private lastStream: CompiledStreamClass | undefined = undefined;

  /** Decodes one event record at `st.pos` (the caller checked that content remains). */
  readEvent(st: DecodeState, sc: StreamClass): DecodedEvent {
    const cs = this.streams.get(sc.id)!;
    st.eventClassId = -1;
    st.lastBo = 0;
    if (cs.eventHeader) cs.eventHeader(st);
    let ev: CompiledEvent | undefined;
    if (st.eventClassId === -1) {
      if (!cs.onlyEvent) {
        throw decodeErr(
          `Cannot determine the event record's class: no \`id\` field in the event header and stream class ${sc.id} has ${sc.eventClasses.length} event classes`,
        );
      }
      ev = this.compileEvent(cs, cs.onlyEvent.id);
    } else {
      ev = this.compileEvent(cs, st.eventClassId);
      if (!ev) {
        throw decodeErr(
          `No event class with ID ${st.eventClassId} in stream class ${sc.id}: offset-bits=${st.fileOffsetBytes * 8 + st.pos}`,
        );
      }
    }
    const clockHi = st.clockHi;
    const clockLo = st.clockLo;
    st.lastBo = 0;
    const commonContext = cs.eventCommonContext ? (cs.eventCommonContext(st) as FieldValue[]) : undefined;
    st.lastBo = 0;
    const specContext = ev!.spec ? (ev!.spec(st) as FieldValue[]) : undefined;
    st.lastBo = 0;
    const payload = ev!.payload ? (ev!.payload(st) as FieldValue[]) : undefined;
    return { eventClass: ev!.ec, commonContext, specContext, payload, clockHi, clockLo };
  }
}
