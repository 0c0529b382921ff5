/**
 * One thread's share of a parallel read: runs time segments of a convert graph, each through a
 * fresh sink over the graph's own muxer iterator, sought to the segment's beginning. A segment
 * is what the sequential run prints for the messages whose time is in [begin, end): the muxer's
 * order of those messages does not depend on where reading started (time, then babeltrace2's
 * tie-breaks, then port order), and seeking leaves each stream's discarded-items state as
 * reading from the beginning would. What depends on the messages before the segment is the
 * first event's delta; the coordinator fixes it (`delta.ts`).
 */
import { causeChain, type ErrorCode, type Logger, TtngError } from "@ttng/base";
import {
  type ComponentClass,
  type ComponentContext,
  type Graph,
  type IrClockClass,
  type IterStatus,
  type MapValue,
  type Message,
  type MessageIterator,
  MessageKind,
  type SinkComponent,
  type TerminalInfo,
} from "@ttng/graph";
import { latin1Bytes } from "@ttng/plugin-text";
import { fixFirstDelta } from "./delta.js";
import type { DeltaMode } from "./plan.js";

/** A time (ns from origin, as `ClockSnapshot.s`/`ns`). */
export interface SegmentTime {
  s: number;
  ns: number;
}

/** An event's clock snapshot, for the delta of the next segment's first event. */
export interface EventTime {
  s: number;
  ns: number;
  cyclesHi: number;
  cyclesLo: number;
}

export interface Segment {
  index: number;
  /** Undefined: from the beginning. */
  begin: SegmentTime | undefined;
  /** Undefined: to the end. */
  end: SegmentTime | undefined;
}

/** What a segment printed, in order (standard output and error interleaved as written). */
export interface SegmentResult {
  index: number;
  chunks: Array<{ fd: 1 | 2; bytes: Uint8Array }>;
  /** The buffers behind the standard output chunks (given back once written). */
  arenas: ArrayBuffer[];
  firstEvent: EventTime | undefined;
  lastEvent: EventTime | undefined;
  /** The last event the thread's sink printed before this segment (its first delta is relative to it). */
  threadPrev: EventTime | undefined;
  /** The error that stopped the segment, after what it printed, as its cause chain. */
  error: SerializedError | undefined;
}

/** An error's cause chain (what `formatErrorChain` prints) and its top code. */
export interface SerializedError {
  code: ErrorCode;
  chain: Array<{ actor: string | undefined; message: string }>;
}

export function serializeError(e: unknown): SerializedError {
  return { code: e instanceof TtngError ? e.code : "ERR_GRAPH", chain: causeChain(e) };
}

/** The error again, as a chain of `TtngError`s that prints as the original did. */
export function deserializeError(s: SerializedError): TtngError {
  let cause: TtngError | undefined;
  for (let i = s.chain.length - 1; i >= 0; i--) {
    const c = s.chain[i]!;
    const code: ErrorCode = i === 0 ? s.code : "ERR_GRAPH";
    const opts: { actor?: string; cause?: unknown } = {};
    if (c.actor !== undefined) opts.actor = c.actor;
    if (cause !== undefined) opts.cause = cause;
    cause = new TtngError(code, c.message, opts);
  }
  return cause ?? new TtngError("ERR_GRAPH", "unknown error");
}

const ARENA_BYTES = 1 << 20;
const MAX_POOLED = 64;

const lt = (s: number, ns: number, t: SegmentTime) => s < t.s || (s === t.s && ns < t.ns);

/**
 * The muxer's messages whose time is in [begin, end). Messages without a time (stream and packet
 * boundaries of clock-less kinds) are not passed: the sinks run in parallel print only events and
 * discarded items, which all have one when the plan allows a parallel run.
 */
class SegmentIterator implements MessageIterator {
  private readonly buf: Message[] = [];
  private done = true;
  /** A message at or after `begin` has passed: the muxer's order keeps the rest after it too. */
  private begun = false;
  private begin: SegmentTime | undefined = undefined;
  private end: SegmentTime | undefined = undefined;
  private first: Message | undefined = undefined;
  private last: Message | undefined = undefined;

  constructor(private readonly up: MessageIterator) {}

  /**
   * The segment's bounds as raw cycles of `cc` (a 1 GHz clock class: nanoseconds from origin
   * are its offset plus the cycles). Exact where it matters: a message's cycles are below 2^53,
   * and a bound is exact below 2^53 or else above every such value.
   */
  private cyclesClock: IrClockClass | undefined = undefined;
  private beginCycles = Number.NEGATIVE_INFINITY;
  private endCycles = Number.POSITIVE_INFINITY;

  private cyclesFor(cc: IrClockClass): void {
    const [os, ons] = cc.offsetSecNs;
    const at = (t: SegmentTime) => (t.s - os) * 1e9 + (t.ns - ons);
    this.cyclesClock = cc;
    this.beginCycles = this.begin === undefined ? Number.NEGATIVE_INFINITY : at(this.begin);
    this.endCycles = this.end === undefined ? Number.POSITIVE_INFINITY : at(this.end);
  }

  /** Starts a segment (the upstream is sought by the caller). */
  reset(begin: SegmentTime | undefined, end: SegmentTime | undefined): void {
    this.cyclesClock = undefined;
    this.begin = begin;
    this.end = end;
    this.done = false;
    this.begun = begin === undefined;
    this.first = undefined;
    this.last = undefined;
  }

  get firstEvent(): EventTime | undefined {
    return eventTime(this.first);
  }
  get lastEvent(): EventTime | undefined {
    return eventTime(this.last);
  }

  next(out: Message[]): IterStatus {
    if (this.done) return "end";
    const buf = this.buf;
    const end = this.end;
    for (;;) {
      buf.length = 0;
      const st = this.up.next(buf);
      if (st === "end") {
        this.done = true;
        return out.length > 0 ? "ok" : "end";
      }
      if (st === "again") return out.length > 0 ? "ok" : "again";
      for (let i = 0; i < buf.length; i++) {
        const m = buf[i]!;
        const cc = m.csClock;
        if (cc !== undefined) {
          // A 1 GHz snapshot kept as raw cycles: compared as cycles, never built.
          if (cc !== this.cyclesClock) this.cyclesFor(cc);
          const c = m.csCycles;
          if (!this.begun) {
            if (c < this.beginCycles) continue;
            this.begun = true;
          }
          if (c >= this.endCycles) {
            this.done = true;
            return out.length > 0 ? "ok" : "end";
          }
        } else {
          const cs = m.cs;
          if (cs === undefined) continue;
          if (!this.begun) {
            if (lt(cs.s, cs.ns, this.begin!)) continue;
            this.begun = true;
          }
          if (end !== undefined && !lt(cs.s, cs.ns, end)) {
            this.done = true;
            return out.length > 0 ? "ok" : "end";
          }
        }
        if (m.kind === MessageKind.Event) {
          if (this.first === undefined) this.first = m;
          this.last = m;
        }
        out.push(m);
      }
      if (out.length > 0) return "ok";
    }
  }
}

function eventTime(m: Message | undefined): EventTime | undefined {
  const cs = m?.cs;
  return cs === undefined ? undefined : { s: cs.s, ns: cs.ns, cyclesHi: cs.cyclesHi, cyclesLo: cs.cyclesLo };
}

/** Where a segment that is next in order writes (see `SegmentRunner.run`). */
export interface DirectOutput {
  stdoutBytes: (b: Uint8Array) => void;
  stderr: (t: string) => void;
  prev: EventTime | undefined;
}

export interface SegmentRunnerOptions {
  graph: Graph;
  /** The sink component's name in `graph` (its muxer iterator feeds each segment's sink). */
  sinkName: string;
  sinkClass: ComponentClass;
  sinkParams: MapValue;
  logger: Logger;
  mipVersion: 0 | 1;
  terminal: TerminalInfo;
  /** How the sink prints deltas (`sink.text.pretty`'s `no-delta` and `clock-cycles`). */
  delta: DeltaMode;
}

export class SegmentRunner {
  private readonly mux: MessageIterator;

  constructor(private readonly o: SegmentRunnerOptions) {
    const ups = o.graph.iteratorsInto(o.sinkName);
    const mux = ups.get("in");
    if (mux === undefined || ups.size !== 1)
      throw new TtngError("ERR_GRAPH", "parallel read: the sink must have one input port, `in`", { actor: "ttng CLI" });
    this.mux = mux;
    this.it = new SegmentIterator(mux);
  }

  private readonly it: SegmentIterator;

  /** Whether every segment boundary can be sought to (each stream of each source can seek). */
  canSeek(begins: SegmentTime[]): boolean {
    if (!(this.mux.canSeekBeginning?.() ?? false)) return false;
    return begins.every((t) => this.mux.canSeekNsFromOrigin?.(t.s, t.ns) ?? false);
  }

  /** Standard error of the graph's components (warnings while reading) goes to the current segment. */
  graphStderr(text: string): void {
    this.err?.(text);
  }

  /**
   * Runs `seg`. Its output is kept in the result, unless `direct` is given (the segment is the
   * next one to write): then it is written as it comes, the first event's delta fixed from
   * `direct.prev`, the last event before the segment.
   */
  run(seg: Segment, direct?: DirectOutput): SegmentResult {
    const chunks: SegmentResult["chunks"] = [];
    const it = this.it;
    const threadPrev = this.lastPrinted;
    const arenas: ArrayBuffer[] = [];
    if (direct === undefined) {
      // Sinks reuse their buffer: copy into arenas of our own (reused once written: no fresh
      // memory to fault in per segment), consecutive bytes as one chunk.
      let arena: Uint8Array | undefined;
      let used = 0;
      this.out = (bytes) => {
        let off = 0;
        while (off < bytes.length) {
          if (arena === undefined || used === arena.length) {
            arena = new Uint8Array(this.takeArena());
            arenas.push(arena.buffer as ArrayBuffer);
            used = 0;
          }
          const n = Math.min(bytes.length - off, arena.length - used);
          arena.set(off === 0 && n === bytes.length ? bytes : bytes.subarray(off, off + n), used);
          const last = chunks[chunks.length - 1];
          if (last !== undefined && last.fd === 1 && last.bytes.buffer === arena.buffer)
            last.bytes = arena.subarray(last.bytes.byteOffset, used + n);
          else chunks.push({ fd: 1, bytes: arena.subarray(used, used + n) });
          used += n;
          off += n;
        }
      };
      // A buffer of its own (never Node's shared pool): transferable to the coordinator.
      this.err = (t) => chunks.push({ fd: 2, bytes: latin1Bytes(t) });
    } else {
      let first = true;
      this.out = (bytes) => {
        if (bytes.length === 0) return;
        if (first) {
          first = false;
          if (direct.prev !== undefined && it.firstEvent !== undefined) {
            const fixed = fixFirstDelta([{ fd: 1, bytes }], direct.prev, it.firstEvent, threadPrev, this.o.delta);
            for (const c of fixed) direct.stdoutBytes(c.bytes);
            return;
          }
        }
        direct.stdoutBytes(bytes);
      };
      this.err = direct.stderr;
    }
    let error: SerializedError | undefined;
    try {
      if (seg.begin === undefined) this.mux.seekBeginning!();
      else this.mux.seekNsFromOrigin!(seg.begin.s, seg.begin.ns);
      it.reset(seg.begin, seg.end);
      const sink = this.sinkOnce();
      for (;;) {
        const st = sink.consume();
        if (st === "end") break;
      }
      if (it.lastEvent !== undefined) this.lastPrinted = it.lastEvent;
    } catch (e) {
      error = serializeError(e);
      // What the sink holds after an error is unknown: the next segment gets a new one.
      this.sink = undefined;
      this.lastPrinted = undefined;
    } finally {
      this.out = undefined;
      this.err = undefined;
    }
    return { index: seg.index, chunks, arenas, firstEvent: it.firstEvent, lastEvent: it.lastEvent, threadPrev, error };
  }

  /**
   * The thread's sink, made once and kept from segment to segment: its compiled printers stay
   * warm. Between segments it has ended its input (and flushed); its only memory of the last
   * segment is the previous event's time, which makes its next first delta relative to this
   * thread's last event (`threadPrev` in the result), fixed by the coordinator.
   */
  private sinkOnce(): SinkComponent {
    if (this.sink !== undefined) return this.sink;
    const ctx: ComponentContext = {
      name: this.o.sinkName,
      logger: this.o.logger,
      stderr: (t) => this.err?.(t),
      stdout: (t) => this.out?.(latin1Bytes(t)),
      stdoutBytes: (b) => this.out?.(b),
      mipVersion: this.o.mipVersion,
      terminal: this.o.terminal,
    };
    const comp = this.o.sinkClass.create(this.o.sinkParams, ctx);
    if (comp.kind !== "sink") throw new TtngError("ERR_GRAPH", "parallel read: not a sink", { actor: "ttng CLI" });
    comp.graphIsConfigured(new Map([["in", this.it]]));
    this.sink = comp;
    return comp;
  }

  private readonly pool: ArrayBuffer[] = [];

  private takeArena(): ArrayBuffer {
    return this.pool.pop() ?? new ArrayBuffer(ARENA_BYTES);
  }

  /** Arenas of a result, once written: reused by the next segments. */
  giveBack(arenas: ArrayBuffer[]): void {
    for (const a of arenas) if (a.byteLength === ARENA_BYTES && this.pool.length < MAX_POOLED) this.pool.push(a);
  }

  private sink: SinkComponent | undefined = undefined;
  private out: ((b: Uint8Array) => void) | undefined = undefined;
  private err: ((t: string) => void) | undefined = undefined;
  /** The last event this thread's sink printed (its delta reference). */
  private lastPrinted: EventTime | undefined = undefined;

  /** Finalizes the thread's sink (at the end of the read). */
  finalize(): void {
    const s = this.sink;
    this.sink = undefined;
    s?.finalize?.();
  }
}
