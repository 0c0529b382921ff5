/**
 * `filter.utils.trimmer`: keeps the messages of a single input within
 * [begin, end], as babeltrace2 2.0.4's trimmer (src/plugins/utils/trimmer)
 * together with the library's auto-seek (src/lib/graph/iterator.c) does:
 *
 * - Before `begin` (the "seek"), messages are dropped; streams and packets
 *   alive at `begin` get fresh stream/packet beginning messages at `begin`,
 *   and a discarded-items range that straddles `begin` starts at `begin`
 *   with an unknown count.
 * - After `end`, every open stream gets a packet end (when in a packet) and a
 *   stream end at `end`; a discarded-items range that straddles `end` is cut
 *   at `end` (its count then unknown too).
 *
 * Bounds with only a time of day take their date from the first message
 * that has a time. When the upstream can seek to a time (`seekNsFromOrigin`:
 * source.ctf.fs skips whole packets by their times, the muxer forwards), it
 * does so before fast-forwarding to `begin`; otherwise it reads from the
 * beginning, as babeltrace2's auto-seek does (its muxer cannot seek).
 */
import { TtngError } from "@ttng/base";
import {
  type ClockSnapshot,
  type ComponentClass,
  type FilterComponent,
  type IrClockClass,
  type IrPacket,
  type IrStream,
  type IterStatus,
  type MapValue,
  Message,
  type MessageIterator,
  MessageKind,
  type Value,
} from "@ttng/graph";

const ACTOR = "filter.utils.trimmer";
const NS_PER_S = 1000000000n;
const INT64_MIN = -(1n << 63n);

function err(message: string, cause?: unknown): TtngError {
  return new TtngError("ERR_GRAPH", message, cause === undefined ? { actor: ACTOR } : { actor: ACTOR, cause });
}

interface Bound {
  /** Nanoseconds from origin, valid when `isSet && !isInfinite`. */
  ns: bigint;
  isSet: boolean;
  isInfinite: boolean;
  /** Time of day without a date, used once the first message's date is known. */
  hour: number;
  minute: number;
  second: number;
  nanos: number;
}

function newBound(): Bound {
  return { ns: 0n, isSet: false, isInfinite: false, hour: 0, minute: 0, second: 0, nanos: 0 };
}

/** `.512` means 512000000 ns. */
function fracNs(text: string | undefined): number {
  return text === undefined ? 0 : Number(text.padEnd(9, "0"));
}

/**
 * mktime()/timegm() of a broken-down time; `undefined` when the result is
 * negative (babeltrace2 then leaves the bound unset).
 */
function setBoundFromDate(
  b: Bound,
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ns: number,
  gmt: boolean,
): boolean {
  const ms = gmt ? Date.UTC(y, mo - 1, d, h, mi, s) : new Date(y, mo - 1, d, h, mi, s).getTime();
  // Date() keeps years 0-99 as 1900-1999; mktime takes tm_year = year - 1900 literally.
  let t = ms;
  if (y >= 0 && y < 100) {
    const fix = gmt ? new Date(Date.UTC(2000, 0, 1)) : new Date(2000, 0, 1);
    if (gmt) fix.setUTCFullYear(y, mo - 1, d);
    else fix.setFullYear(y, mo - 1, d);
    if (gmt) fix.setUTCHours(h, mi, s, 0);
    else fix.setHours(h, mi, s, 0);
    t = fix.getTime();
  }
  if (Number.isNaN(t)) return false;
  const sec = Math.floor(t / 1000);
  if (sec < 0) return false;
  b.ns = BigInt(sec) * NS_PER_S + BigInt(ns);
  b.isSet = true;
  return true;
}

const DATE = "([0-9]{4})-([0-9]{2})-([0-9]{2})";
const TIME = "([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\\.([0-9]{1,9}))?)?";
const DATE_TIME_RE = new RegExp(`^${DATE} ${TIME}$`);
const DATE_RE = new RegExp(`^${DATE}$`);
const TIME_RE = new RegExp(`^${TIME}$`);
const S_NS_RE = /^(-?)([0-9]+)(?:\.([0-9]{1,9}))?$/;

/** babeltrace2's set_bound_from_str(): false when no format matches. */
function setBoundFromString(text: string, b: Bound, gmt: boolean): boolean {
  let m = DATE_TIME_RE.exec(text);
  if (m) {
    // As babeltrace2: a date that mktime() cannot represent leaves the bound unset (then 00:00 of the first message's date).
    setBoundFromDate(
      b,
      Number(m[1]),
      Number(m[2]),
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6] ?? 0),
      fracNs(m[7]),
      gmt,
    );
    return true;
  }
  m = DATE_RE.exec(text);
  if (m) {
    setBoundFromDate(b, Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0, 0, gmt);
    return true;
  }
  m = TIME_RE.exec(text);
  if (m) {
    b.hour = Number(m[1]);
    b.minute = Number(m[2]);
    b.second = Number(m[3] ?? 0);
    b.nanos = fracNs(m[4]);
    return true;
  }
  m = S_NS_RE.exec(text);
  if (m) {
    const sec = BigInt(m[2]!);
    if (sec >= 1n << 64n) throw err(`Invalid date/time format: param="${text}"`);
    // uint64 arithmetic stored in an int64, as in C.
    let v = BigInt.asIntN(64, BigInt.asUintN(64, sec * NS_PER_S + BigInt(fracNs(m[3]))));
    if (m[1] === "-") v = BigInt.asIntN(64, -v);
    b.ns = v;
    b.isSet = true;
    return true;
  }
  return false;
}

function validateBounds(begin: Bound, end: Bound): void {
  if (!begin.isInfinite && !end.isInfinite && begin.ns > end.ns) {
    throw err(
      `Trimming time range's beginning time is greater than end time: begin-ns-from-origin=${begin.ns}, end-ns-from-origin=${end.ns}`,
    );
  }
  if (!begin.isInfinite && begin.ns === INT64_MIN)
    throw err(`Invalid trimming time range's beginning time: ns-from-origin=${begin.ns}`);
  if (!end.isInfinite && end.ns === INT64_MIN)
    throw err(`Invalid trimming time range's end time: ns-from-origin=${end.ns}`);
}

/** A snapshot's ns from origin. */
function csNs(cs: ClockSnapshot): bigint {
  return BigInt(cs.s) * NS_PER_S + BigInt(cs.ns);
}

/**
 * babeltrace2's bt_common_clock_value_from_ns_from_origin(), then the
 * snapshot that raw value makes (ns from origin recomputed from it, as a
 * snapshot created from a raw value is). `undefined` when out of range.
 */
export function snapshotAt(cc: IrClockClass, ns: bigint): ClockSnapshot | undefined {
  const freq = BigInt(cc.frequency);
  const offCycles = BigInt(cc.offsetCycles);
  const offset = BigInt(cc.offsetSeconds) * NS_PER_S + (freq === NS_PER_S ? offCycles : (offCycles * NS_PER_S) / freq);
  if (ns < offset) return undefined;
  const value = ns - offset;
  const periods = value / NS_PER_S;
  const rem = value - periods * NS_PER_S;
  const raw = periods * freq + (freq * rem) / NS_PER_S;
  if (raw >= 1n << 64n) return undefined;
  const rawNs = freq === NS_PER_S ? raw : BigInt(Math.trunc((1e9 * Number(raw)) / cc.frequency));
  const [os, ons] = cc.offsetSecNs;
  const total = BigInt(os) * NS_PER_S + BigInt(ons) + rawNs;
  let s = total / NS_PER_S;
  let r = total - s * NS_PER_S;
  if (r < 0n) {
    r += NS_PER_S;
    s -= 1n;
  }
  return { cyclesHi: Number(raw >> 32n), cyclesLo: Number(raw & 0xffffffffn), s: Number(s), ns: Number(r) };
}

interface StreamState {
  stream: IrStream;
  seenCs: boolean;
  packet: IrPacket | undefined;
}

/** Whether a message kind needs its stream class to have a default clock class (get_msg_ns_from_origin). */
function msgTime(m: Message): ClockSnapshot | undefined {
  if (m.kind === MessageKind.StreamBeginning || m.kind === MessageKind.StreamEnd) {
    if (!m.stream.streamClass.defaultClock) throw noClock(m);
    return m.cs;
  }
  if (m.kind !== MessageKind.Inactivity && !m.stream.streamClass.defaultClock) throw noClock(m);
  if (m.cs === undefined) throw err(`Message has no default clock snapshot: stream-id=${m.stream.id}`);
  return m.cs;
}

function noClock(m: Message): TtngError {
  return err(
    `Unsupported stream: stream class does not have a default clock class: stream-id=${m.stream.id}, stream-name="${m.stream.name ?? ""}"`,
  );
}

function cmp(cs: ClockSnapshot, s: number, ns: number): number {
  return cs.s !== s ? cs.s - s : cs.ns - ns;
}

type State = "set-bounds" | "seek" | "trim" | "ending" | "ended";

class TrimmerIterator implements MessageIterator {
  private state: State;
  private readonly begin: Bound;
  private readonly end: Bound;
  private endS = 0;
  private endNs = 0;
  private readonly streams = new Map<IrStream, StreamState>();
  /** Messages read while looking for the first time, given again after (the "seek beginning"). */
  private replay: Message[] = [];
  private readonly queue: Message[] = [];
  private readonly batch: Message[] = [];

  constructor(
    private readonly up: MessageIterator,
    comp: Trimmer,
  ) {
    this.begin = { ...comp.begin };
    this.end = { ...comp.end };
    this.state = this.begin.isSet && this.end.isSet ? "seek" : "set-bounds";
    this.setEndParts();
  }

  private setEndParts(): void {
    // An infinite end's ns stays 0, as babeltrace2's zero-initialized bound (it matters for inactivity messages).
    const s = this.end.ns / NS_PER_S;
    let r = this.end.ns - s * NS_PER_S;
    let sn = s;
    if (r < 0n) {
      r += NS_PER_S;
      sn -= 1n;
    }
    this.endS = Number(sn);
    this.endNs = Number(r);
  }

  /** The next batch from the replay buffer, then from upstream. */
  private pull(): IterStatus {
    this.batch.length = 0;
    if (this.replay.length > 0) {
      this.batch.push(...this.replay);
      this.replay = [];
      return "ok";
    }
    return this.up.next(this.batch);
  }

  next(out: Message[]): IterStatus {
    for (;;) {
      switch (this.state) {
        case "set-bounds": {
          const st = this.setBounds();
          if (st !== "ok") return st;
          this.state = "seek";
          break;
        }
        case "seek": {
          if (!this.begin.isInfinite) {
            const st = this.seek();
            if (st === "again") return st;
          }
          this.state = "trim";
          break;
        }
        case "trim": {
          if (this.queue.length > 0) return this.flush(out);
          const st = this.pull();
          if (st === "again") return st;
          if (st === "end") {
            this.endStreams();
            this.state = "ending";
            break;
          }
          for (const m of this.batch) {
            if (this.handle(m)) {
              this.state = "ending";
              break;
            }
          }
          break;
        }
        case "ending":
          if (this.queue.length > 0) return this.flush(out);
          this.state = "ended";
          return "end";
        case "ended":
          return "end";
      }
    }
  }

  private flush(out: Message[]): IterStatus {
    for (const m of this.queue) out.push(m);
    this.queue.length = 0;
    return "ok";
  }

  /** state_set_trimmer_iterator_bounds(): the date of the first message with a time. */
  private setBounds(): IterStatus {
    const seen: Message[] = [];
    for (;;) {
      this.batch.length = 0;
      const st = this.up.next(this.batch);
      if (st !== "ok") {
        this.replay = seen;
        if (st === "end") {
          // Nothing has a time: babeltrace2 ends here (no message at all).
          this.state = "ended";
        }
        return st;
      }
      for (const m of this.batch) {
        seen.push(m);
        const cs = msgTime(m);
        if (cs === undefined) continue;
        this.replay = seen.concat(this.batch.slice(this.batch.indexOf(m) + 1));
        const t = csNs(cs);
        const gmt = this.gmt;
        if (!this.begin.isSet) this.setFromFirst(this.begin, t, gmt);
        if (!this.end.isSet) this.setFromFirst(this.end, t, gmt);
        validateBounds(this.begin, this.end);
        this.setEndParts();
        return "ok";
      }
    }
  }

  gmt = false;
  /** Whether upstream was asked to seek to `begin` (for tests and logs). */
  seeked = false;

  private setFromFirst(b: Bound, t: bigint, gmt: boolean): void {
    // C division truncates toward zero.
    const sec = Number(t / NS_PER_S);
    const d = new Date(sec * 1000);
    if (Number.isNaN(d.getTime())) throw err(`Cannot convert timestamp to date and time: ts=${sec}`);
    const y = gmt ? d.getUTCFullYear() : d.getFullYear();
    const mo = (gmt ? d.getUTCMonth() : d.getMonth()) + 1;
    const day = gmt ? d.getUTCDate() : d.getDate();
    if (!setBoundFromDate(b, y, mo, day, b.hour, b.minute, b.second, b.nanos, gmt)) {
      throw err("Cannot set trimming time range's bound from the first message's date");
    }
  }

  /** The library's auto-seek to `begin`: fast-forward, then re-create the streams and packets alive at `begin`. */
  private seek(): IterStatus {
    const beginNs = this.begin.ns;
    const bs = Number(beginNs >= 0n ? beginNs / NS_PER_S : (beginNs - NS_PER_S + 1n) / NS_PER_S);
    const bns = Number(beginNs - BigInt(bs) * NS_PER_S);
    // Better than babeltrace2 (whose muxer cannot seek): let upstream skip what ends before `begin`.
    // What it still delivers before `begin` goes through the fast-forward below, so the output is the same.
    if (this.up.canSeekNsFromOrigin?.(bs, bns) === true) {
      this.up.seekNsFromOrigin!(bs, bns);
      this.replay = [];
      this.seeked = true;
    }
    const states = new Map<IrStream, { packet: IrPacket | undefined; seenCs: boolean }>();
    const kept: Message[] = [];
    let found = false;
    while (!found) {
      const st = this.pull();
      if (st === "again") throw err("Cannot seek: upstream returned AGAIN while seeking");
      if (st === "end") break;
      const batch = this.batch.slice();
      for (let i = 0; i < batch.length; i++) {
        const m = batch[i]!;
        if (found) {
          kept.push(m);
          continue;
        }
        const k = m.kind;
        if (k === MessageKind.DiscardedEvents || k === MessageKind.DiscardedPackets) {
          if (m.cs === undefined || m.endCs === undefined)
            throw err("Discarded events/packets message has no default clock snapshots");
          if (cmp(m.cs, bs, bns) >= 0) {
            found = true;
            kept.push(m);
            continue;
          }
          if (cmp(m.endCs, bs, bns) >= 0) {
            // Straddles `begin`: starts at `begin`, count unknown.
            const cc = m.stream.streamClass.defaultClock!;
            const cs = snapshotAt(cc, beginNs);
            if (!cs) throw err(`Cannot convert nanoseconds from origin to clock value: ns-from-origin=${beginNs}`);
            const c = new Message(k, m.stream);
            c.cs = cs;
            c.endCs = m.endCs;
            c.count = -1;
            kept.push(c);
            continue;
          }
          const ss = states.get(m.stream);
          if (ss) ss.seenCs = true;
          continue;
        }
        let cs: ClockSnapshot | undefined;
        if (k === MessageKind.StreamBeginning || k === MessageKind.StreamEnd) cs = m.cs;
        else {
          cs = m.cs;
          if (cs === undefined) throw err(`Message has no default clock snapshot: stream-id=${m.stream.id}`);
        }
        if (cs !== undefined && cmp(cs, bs, bns) >= 0) {
          found = true;
          kept.push(m);
          continue;
        }
        // Dropped: keep track of what must be re-created at `begin`.
        switch (k) {
          case MessageKind.StreamBeginning:
            states.set(m.stream, { packet: undefined, seenCs: cs !== undefined });
            break;
          case MessageKind.PacketBeginning: {
            const ss = states.get(m.stream);
            if (ss) {
              ss.packet = m.packet;
              if (m.stream.streamClass.packetsHaveBeginningCs) ss.seenCs = true;
            }
            break;
          }
          case MessageKind.Event: {
            const ss = states.get(m.stream);
            if (ss) ss.seenCs = true;
            break;
          }
          case MessageKind.PacketEnd: {
            const ss = states.get(m.stream);
            if (ss) {
              ss.packet = undefined;
              if (m.stream.streamClass.packetsHaveEndCs) ss.seenCs = true;
            }
            break;
          }
          case MessageKind.StreamEnd:
            states.delete(m.stream);
            break;
        }
      }
    }
    // babeltrace2 pushes each stream's messages at the head of its queue while walking a
    // pointer-keyed hash table, so its order varies from run to run (about 7 runs in 8: creation
    // order, hence the last stream first). Each stream's beginning comes before its packet's.
    const front: Message[] = [];
    for (const [stream, ss] of [...states].reverse()) {
      let cs: ClockSnapshot | undefined;
      if (ss.seenCs) {
        cs = snapshotAt(stream.streamClass.defaultClock!, beginNs);
        if (!cs) throw err(`Cannot convert nanoseconds from origin to clock value: ns-from-origin=${beginNs}`);
      }
      const sb = new Message(MessageKind.StreamBeginning, stream);
      sb.cs = cs;
      front.push(sb);
      if (ss.packet) {
        const pb = new Message(MessageKind.PacketBeginning, stream);
        pb.packet = ss.packet;
        if (stream.streamClass.packetsHaveBeginningCs) pb.cs = cs;
        front.push(pb);
      }
    }
    this.replay = front.concat(kept);
    return "ok";
  }

  private pastEnd(cs: ClockSnapshot): boolean {
    return !this.end.isInfinite && cmp(cs, this.endS, this.endNs) > 0;
  }

  /** handle_message(): returns true when the end was reached. */
  private handle(m: Message): boolean {
    const cs = msgTime(m);
    const k = m.kind;
    if (k === MessageKind.Inactivity) {
      if (cs !== undefined && cmp(cs, this.endS, this.endNs) > 0) {
        this.endStreams();
        return true;
      }
      this.queue.push(m);
      return false;
    }
    if (k === MessageKind.StreamBeginning) {
      if (cs !== undefined && this.pastEnd(cs)) {
        this.endStreams();
        return true;
      }
      this.createStreamState(m.stream);
      if (cs !== undefined) this.streams.get(m.stream)!.seenCs = true;
      this.queue.push(m);
      return false;
    }
    const ss = this.streams.get(m.stream);
    if (!ss) throw err(`Message of a stream without stream beginning: stream-id=${m.stream.id}`);
    switch (k) {
      case MessageKind.Event:
      case MessageKind.PacketBeginning:
      case MessageKind.PacketEnd:
        if (this.pastEnd(cs!)) {
          this.endStreams();
          return true;
        }
        if (k === MessageKind.PacketBeginning) ss.packet = m.packet;
        else if (k === MessageKind.PacketEnd) ss.packet = undefined;
        ss.seenCs = true;
        this.queue.push(m);
        return false;
      case MessageKind.DiscardedEvents:
      case MessageKind.DiscardedPackets: {
        ss.seenCs = true;
        if (m.endCs === undefined) throw err("Discarded items message has no end clock snapshot");
        if (this.pastEnd(cs!)) {
          this.endStreams();
          return true;
        }
        if (this.pastEnd(m.endCs)) {
          const endCs = snapshotAt(m.stream.streamClass.defaultClock!, this.end.ns);
          if (!endCs) throw err(`Cannot convert nanoseconds from origin to clock value: ns-from-origin=${this.end.ns}`);
          // A new message from the raw values: the count is not carried over (unknown).
          const c = new Message(k, m.stream);
          c.cs = m.cs;
          c.endCs = endCs;
          c.count = -1;
          this.queue.push(c);
          return false;
        }
        this.queue.push(m);
        return false;
      }
      case MessageKind.StreamEnd:
        if (cs !== undefined && this.pastEnd(cs)) {
          this.endStreams();
          return true;
        }
        this.queue.push(m);
        this.streams.delete(m.stream);
        return false;
    }
    return false;
  }

  private createStreamState(stream: IrStream): void {
    const sc = stream.streamClass;
    const where = `stream-id=${stream.id}, stream-name="${stream.name ?? ""}"`;
    if (!sc.defaultClock) throw err(`Unsupported stream: stream class does not have a default clock class: ${where}`);
    if (sc.supportsPackets) {
      if (!sc.packetsHaveBeginningCs)
        throw err(`Unsupported stream: packets have no beginning clock snapshot: ${where}`);
      if (!sc.packetsHaveEndCs) throw err(`Unsupported stream: packets have no end clock snapshot: ${where}`);
      if (sc.supportsDiscardedPackets && !sc.discardedPacketsHaveCs)
        throw err(`Unsupported stream: discarded packets have no clock snapshots: ${where}`);
    }
    if (sc.supportsDiscardedEvents && !sc.discardedEventsHaveCs)
      throw err(`Unsupported stream: discarded events have no clock snapshots: ${where}`);
    this.streams.set(stream, { stream, seenCs: false, packet: undefined });
  }

  /** end_iterator_streams(): packet end and stream end at `end` for every open stream. */
  private endStreams(): void {
    if (!this.end.isInfinite) {
      for (const ss of this.streams.values()) {
        let cs: ClockSnapshot | undefined;
        if (ss.seenCs) {
          cs = snapshotAt(ss.stream.streamClass.defaultClock!, this.end.ns);
          if (!cs) throw err(`Cannot convert nanoseconds from origin to clock value: ns-from-origin=${this.end.ns}`);
        }
        if (ss.packet) {
          const pe = new Message(MessageKind.PacketEnd, ss.stream);
          pe.packet = ss.packet;
          // Without a time seen, babeltrace2 uses raw value 0: the clock's origin offset.
          const [s, ns] = ss.stream.streamClass.defaultClock!.offsetSecNs;
          pe.cs = cs ?? { cyclesHi: 0, cyclesLo: 0, s, ns };
          this.queue.push(pe);
        }
        const se = new Message(MessageKind.StreamEnd, ss.stream);
        se.cs = cs;
        this.queue.push(se);
      }
    }
    this.streams.clear();
  }
}

class Trimmer implements FilterComponent {
  readonly kind = "filter";
  readonly begin = newBound();
  readonly end = newBound();
  gmt = false;
  inputPorts(): string[] {
    return ["in"];
  }
  outputPorts(): string[] {
    return ["out"];
  }
  createIterator(_port: string, upstream: Map<string, MessageIterator>): MessageIterator {
    const up = upstream.get("in");
    if (!up) throw err('Single input port is not connected: port-name="in"');
    const it = new TrimmerIterator(up, this);
    it.gmt = this.gmt;
    return it;
  }
}

function typeName(v: Value): string {
  switch (v.type) {
    case "null":
      return "NULL";
    case "bool":
      return "BOOL";
    case "uint":
      return "UNSIGNED_INTEGER";
    case "sint":
      return "SIGNED_INTEGER";
    case "real":
      return "REAL";
    case "string":
      return "STRING";
    case "array":
      return "ARRAY";
    case "map":
      return "MAP";
  }
}

function setBoundFromParam(name: string, v: Value, b: Bound, gmt: boolean): void {
  const text = v.type === "sint" ? v.value.toString() : v.type === "string" ? v.value : "";
  if (!setBoundFromString(text, b, gmt)) throw err(`Invalid date/time format: param="${text}"`);
  void name;
}

function createTrimmer(params: MapValue): Trimmer {
  const t = new Trimmer();
  for (const [k, v] of params.entries) {
    if (k === "gmt") {
      if (v.type !== "bool")
        throw err(
          `Error validating parameter \`gmt\`: unexpected type: expected-type=BOOL, actual-type=${typeName(v)}`,
        );
    } else if (k === "begin" || k === "end") {
      if (v.type !== "sint" && v.type !== "string") {
        throw err(
          `Error validating parameter \`${k}\`: unexpected type: expected-types=[SIGNED_INTEGER, STRING], actual-type=${typeName(v)}`,
        );
      }
    } else throw err(`Unknown parameter: \`${k}\``);
  }
  const gmt = params.entries.get("gmt");
  if (gmt?.type === "bool") t.gmt = gmt.value;
  for (const [name, b] of [
    ["begin", t.begin],
    ["end", t.end],
  ] as const) {
    const v = params.entries.get(name);
    if (v) setBoundFromParam(name, v, b, t.gmt);
    else {
      b.isInfinite = true;
      b.isSet = true;
    }
  }
  if (t.begin.isSet && t.end.isSet) validateBounds(t.begin, t.end);
  return t;
}

export const trimmerClass: ComponentClass = {
  type: "filter",
  plugin: "utils",
  name: "trimmer",
  description: "Discard messages that occur outside a specific time range.",
  help: "See the babeltrace2-filter.utils.trimmer(7) manual page.",
  create: (params: MapValue) => createTrimmer(params),
};
