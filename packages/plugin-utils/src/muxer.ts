/**
 * `filter.utils.muxer`: merges N input streams of messages into one, in
 * nanoseconds-from-origin order. A message without a time takes the last
 * returned time (babeltrace2 rule); equal times are broken by trace UUID,
 * trace name, stream class ID, stream ID, message kind weight, then event
 * class ID: the output order is deterministic.
 */
import { TtngError } from "@ttng/base";
import {
  type ClockSnapshot,
  type ComponentClass,
  type FilterComponent,
  type IrClockClass,
  type IrStream,
  type IterStatus,
  type MapValue,
  type Message,
  type MessageIterator,
  MessageKind,
} from "@ttng/graph";

interface Upstream {
  it: MessageIterator;
  /** Input port number: the last tie-break. */
  idx: number;
  /**
   * Messages from `it`; those before `pos` are taken, and their slots cleared: the messages must
   * not outlive their trip to the sink (a scavenge copies every one still referenced).
   */
  buf: Message[];
  pos: number;
  ended: boolean;
}

/** The time of a message without one when no message with a time was returned yet. */
const NO_TIME: ClockSnapshot = { cyclesHi: 0, cyclesLo: 0, s: Number.NEGATIVE_INFINITY, ns: 0 };

function cmpStr(a: string | undefined, b: string | undefined): number {
  if (a !== undefined && b === undefined) return -1;
  if (a === undefined && b !== undefined) return 1;
  if (a === undefined || b === undefined) return 0;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** babeltrace2's deterministic tie-break for two messages at the same time. */
export function compareMessages(a: Message, b: Message): number {
  const sa = a.stream;
  const sb = b.stream;
  let r = cmpStr(sa.trace.uuid, sb.trace.uuid);
  if (r) return r;
  r = cmpStr(sa.trace.name, sb.trace.name);
  if (r) return r;
  // MIP 1: CTF 2 traces have a UID and no UUID, so they reach here (Babeltrace 2.1's order).
  r = cmpStr(sa.trace.uid, sb.trace.uid);
  if (r) return r;
  if (sa.streamClass.id !== sb.streamClass.id) return sa.streamClass.id < sb.streamClass.id ? -1 : 1;
  if (sa.id !== sb.id) return sa.id < sb.id ? -1 : 1;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  if (a.eventClass && b.eventClass) {
    if (a.eventClass.id !== b.eventClass.id) return a.eventClass.id < b.eventClass.id ? -1 : 1;
    r = cmpStr(a.eventClass.name, b.eventClass.name);
    if (r) return r;
  }
  return 0;
}

class MuxerIterator implements MessageIterator {
  private readonly ups: Upstream[];
  /**
   * @param referenceName the `reference-clock-class-name` parameter: the clock class every other
   *   must be correlatable with (default: the first stream's, babeltrace2's rule).
   */
  constructor(
    inputs: MessageIterator[],
    private readonly referenceName?: string,
  ) {
    this.ups = inputs.map((it, idx) => ({ it, idx, buf: [], pos: 0, ended: false }));
  }

  /** Makes sure `u` has a head message; returns "again" if it has none yet. */
  private fill(u: Upstream): IterStatus {
    if (u.pos < u.buf.length) return "ok";
    if (u.ended) return "end";
    u.buf.length = 0;
    u.pos = 0;
    const st = u.it.next(u.buf);
    if (st === "end") u.ended = true;
    return st;
  }

  private pending: unknown = undefined;

  canSeekBeginning(): boolean {
    return this.ups.every((u) => u.it.canSeekBeginning?.() ?? false);
  }
  seekBeginning(): void {
    for (const u of this.ups) u.it.seekBeginning!();
    this.resetAfterSeek();
  }
  /** Babeltrace's muxer cannot seek to a time; this one forwards when every upstream can. */
  canSeekNsFromOrigin(s: number, ns: number): boolean {
    return this.ups.every((u) => u.it.canSeekNsFromOrigin?.(s, ns) ?? false);
  }
  seekNsFromOrigin(s: number, ns: number): void {
    for (const u of this.ups) u.it.seekNsFromOrigin!(s, ns);
    this.resetAfterSeek();
  }
  private resetAfterSeek(): void {
    for (const u of this.ups) {
      u.buf.length = 0;
      u.pos = 0;
      u.ended = false;
    }
    this.last = undefined;
    this.order.length = 0;
    this.pending = undefined;
  }

  next(out: Message[]): IterStatus {
    if (this.pending !== undefined) {
      const e = this.pending;
      this.pending = undefined;
      throw e;
    }
    const start = out.length;
    try {
      return this.nextInner(out);
    } catch (e) {
      // Deliver what was already merged; report the error on the next call.
      if (out.length > start) {
        this.pending = e;
        return "ok";
      }
      throw e;
    }
  }

  /**
   * What every stream's clock must be like, decided by the reference clock class: the first
   * stream's (babeltrace2's rule) or the one named by `reference-clock-class-name`: Unix epoch
   * origins, one CTF 2 custom origin, or one UUID.
   */
  private expectation: "any" | "none" | "absolute" | "no-uuid" | { uuid: string } | { origin: string } = "any";
  /** The first stream's clock class, named in errors beside the one that cannot be correlated. */
  private reference: IrClockClass | undefined;
  private readonly validated = new Set<IrStream>();
  /** Streams seen before the named reference clock class: checked when it shows up. */
  private readonly waiting: IrStream[] = [];

  /** Messages from clocks that cannot be correlated cannot be sorted: refuse them as babeltrace2 does. */
  private validateStream(stream: IrStream): void {
    this.validated.add(stream);
    const named = this.referenceName;
    if (named !== undefined && this.expectation === "any") {
      const cc = stream.streamClass.defaultClock;
      if (cc?.name !== named) {
        this.waiting.push(stream);
        return;
      }
      this.checkStream(stream);
      for (const w of this.waiting.splice(0)) this.checkStream(w);
      return;
    }
    this.checkStream(stream);
  }

  /** At the end: a named reference clock class that no stream has is an error, not a silent default. */
  private checkReferenceSeen(): void {
    if (this.referenceName === undefined || this.waiting.length === 0) return;
    throw new TtngError("ERR_CLOCK", "Cannot find the reference clock class", {
      actor: "filter.utils.muxer",
      cause: new TtngError(
        "ERR_CLOCK",
        `No stream has a default clock class named \`${this.referenceName}\`: reference-clock-class-name="${this.referenceName}"`,
        { actor: "filter.utils.muxer" },
      ),
    });
  }

  private checkStream(stream: IrStream): void {
    const cc = stream.streamClass.defaultClock;
    const fail = (why: string) => {
      throw new TtngError("ERR_CLOCK", "Cannot find the youngest upstream message iterator", {
        actor: "filter.utils.muxer",
        cause: new TtngError(
          "ERR_CLOCK",
          `${why}: stream-class-id=${stream.streamClass.id}, stream=\`${stream.name ?? "(unnamed)"}\`, stream-id=${stream.id}`,
          {
            actor: "filter.utils.muxer",
          },
        ),
      });
    };
    if (!cc) {
      if (this.expectation === "any") this.expectation = "none";
      else if (this.expectation !== "none") fail("Expecting stream class without a default clock class");
      return;
    }
    if (this.expectation === "any") {
      this.reference = cc;
      this.expectation = cc.originIsUnixEpoch
        ? "absolute"
        : cc.originId !== undefined
          ? { origin: cc.originId }
          : cc.uuid
            ? { uuid: cc.uuid }
            : "no-uuid";
    }
    const ref = this.reference;
    const name = `clock-class-name="${cc.name ?? ""}"${ref && ref !== cc ? `, reference-clock-class-name="${ref.name ?? ""}"` : ""}`;
    const e = this.expectation;
    if (e === "none") fail(`Expecting no clock class, but got one: ${name}`);
    else if (typeof e === "object" && "origin" in e) {
      if (cc.originId !== e.origin)
        fail(`Expecting a clock class with the same custom origin as the reference, but got another origin: ${name}`);
      return;
    } else if (e === "absolute") {
      if (!cc.originIsUnixEpoch) fail(`Expecting an absolute clock class, but got a non-absolute one: ${name}`);
    } else if (e === "no-uuid") {
      if (cc.originIsUnixEpoch)
        fail(`Expecting a non-absolute clock class with no UUID, but got an absolute one: ${name}`);
      if (cc.uuid)
        fail(`Expecting a non-absolute clock class with no UUID, but got one with a UUID: ${name}, uuid="${cc.uuid}"`);
    } else if (typeof e === "object") {
      if (cc.originIsUnixEpoch)
        fail(`Expecting a non-absolute clock class with a specific UUID, but got an absolute one: ${name}`);
      if (!cc.uuid)
        fail(`Expecting a non-absolute clock class with a specific UUID, but got one with no UUID: ${name}`);
      if (cc.uuid !== e.uuid) {
        fail(
          `Expecting a non-absolute clock class with a specific UUID, but got one with different UUID: ${name}, expected-uuid="${e.uuid}", uuid="${cc.uuid}"`,
        );
      }
    }
  }

  /** The last returned message with a time: a message without one takes its time (babeltrace2 rule). */
  private last: Message | undefined = undefined;

  /**
   * Compares the times of `a` and `b` (<0, 0, >0). Two messages of one 1 GHz clock class whose
   * snapshots are not built yet compare by raw value (the same order as nanoseconds from
   * origin), which builds neither: the common case, and the reason `Message.setCycles` exists.
   */
  private cmpTime(a: Message, b: Message): number {
    const ca = a.csClock;
    if (ca !== undefined && ca === b.csClock) return a.csCycles - b.csCycles;
    const x = a.cs ?? this.last?.cs ?? NO_TIME;
    const y = b.cs ?? this.last?.cs ?? NO_TIME;
    if (x.s !== y.s) return x.s < y.s ? -1 : 1;
    return x.ns - y.ns;
  }

  /**
   * Between scans: the upstreams with a head, sorted by head in the scan's order (time, then
   * `compareMessages`, then input port). Taking the first one's head changes only that head, which
   * then moves to its place: one or two comparisons per message instead of a scan of every input.
   */
  private readonly order: Upstream[] = [];

  /** `a`'s head comes before `b`'s in the scan's order (ties: the lower input port first). */
  private headBefore(a: Upstream, b: Upstream): boolean {
    const x = a.buf[a.pos]!;
    const y = b.buf[b.pos]!;
    const c = this.cmpTime(x, y);
    if (c !== 0) return c < 0;
    const t = compareMessages(x, y);
    return t < 0 || (t === 0 && a.idx < b.idx);
  }

  /** Moves `order[0]`, whose head changed, to its place. */
  private sinkFirst(order: Upstream[]): void {
    const u = order[0]!;
    let j = 0;
    while (j + 1 < order.length && this.headBefore(order[j + 1]!, u)) {
      order[j] = order[j + 1]!;
      j++;
    }
    order[j] = u;
  }

  private nextInner(out: Message[]): IterStatus {
    const ups = this.ups;
    const max = 512;
    const order = this.order;
    // `order` is valid only while every head has a time: a head without one takes the last
    // returned time, which moves; then every take is a scan, as babeltrace2's muxer does.
    let fast = false;
    while (out.length < max) {
      if (fast) {
        const b = order[0]!;
        const r = order.length > 1 ? order[1]! : undefined;
        const runner = r === undefined ? undefined : r.buf[r.pos]!;
        if (runner !== undefined && runner.csClock !== undefined) {
          this.takeRun(b, runner, out, max);
          if (out.length >= max) break;
        }
        if (b.pos >= b.buf.length) {
          const st = this.fill(b);
          if (st === "again") return out.length > 0 ? "ok" : "again";
          if (st === "end") {
            order.shift();
            fast = order.length > 0;
            continue;
          }
        }
        const m = b.buf[b.pos]!;
        if (m.kind === MessageKind.StreamBeginning && !this.validated.has(m.stream)) this.validateStream(m.stream);
        if (m.csClock === undefined && m.cs === undefined) {
          fast = false;
          continue;
        }
        if (r === undefined || this.headBefore(b, r)) this.emit(this.take(b), out);
        else this.sinkFirst(order);
        continue;
      }
      order.length = 0;
      fast = true;
      for (let i = 0; i < ups.length; i++) {
        const u = ups[i]!;
        const st = this.fill(u);
        if (st === "again") return out.length > 0 ? "ok" : "again";
        if (st === "end") continue;
        const m = u.buf[u.pos]!;
        if (m.kind === MessageKind.StreamBeginning && !this.validated.has(m.stream)) this.validateStream(m.stream);
        // Insertion in input port order: a later port goes first only when strictly before.
        let j = order.length;
        order.push(u);
        while (j > 0 && this.headBefore(u, order[j - 1]!)) {
          order[j] = order[j - 1]!;
          j--;
        }
        order[j] = u;
        if (m.csClock === undefined && m.cs === undefined) fast = false;
      }
      if (order.length === 0) {
        if (out.length > 0) return "ok";
        this.checkReferenceSeen();
        return "end";
      }
      const b = order[0]!;
      this.emit(this.take(b), out);
    }
    return "ok";
  }

  /**
   * Moves the run of `b`'s buffered messages that come strictly before `runner` (of its 1 GHz
   * clock class, raw values not going backwards) to `out`, comparing one number per message and
   * calling nothing. Stops at anything else (another clock, no time, a tie, a time going back):
   * the message-by-message path decides those, and reports errors, as before.
   */
  private takeRun(b: Upstream, runner: Message, out: Message[], max: number): void {
    const clk = runner.csClock;
    const last = this.last;
    if (last !== undefined && last.csClock !== clk) return;
    const buf = b.buf;
    const limit = Math.min(buf.length, b.pos + max - out.length);
    const rc = runner.csCycles;
    let lastC = last === undefined ? Number.NEGATIVE_INFINITY : last.csCycles;
    let pos = b.pos;
    let m: Message | undefined;
    while (pos < limit) {
      const next = buf[pos]!;
      const c = next.csCycles;
      if (next.csClock !== clk || c >= rc || c < lastC) break;
      out.push(next);
      (buf as unknown[])[pos] = undefined;
      m = next;
      lastC = c;
      pos++;
    }
    if (m !== undefined) {
      this.last = m;
      b.pos = pos;
    }
  }

  /** Takes `u`'s head message, clearing its slot. */
  private take(u: Upstream): Message {
    const m = u.buf[u.pos]!;
    (u.buf as unknown[])[u.pos++] = undefined;
    return m;
  }

  private emit(m: Message, out: Message[]): void {
    if (m.csClock !== undefined || m.cs !== undefined) {
      const last = this.last;
      if (last !== undefined && this.cmpTime(m, last) < 0) {
        const a = m.cs!;
        const b = last.cs!;
        throw new TtngError(
          "ERR_GRAPH",
          `Unexpected message: its timestamp is before the last returned one: ts-ns=${nsText(a.s, a.ns)}, last-ts-ns=${nsText(b.s, b.ns)}, stream=\`${m.stream.name ?? "(unnamed)"}\`, stream-id=${m.stream.id}`,
          { actor: "filter.utils.muxer" },
        );
      }
      this.last = m;
    }
    out.push(m);
  }
}

class Muxer implements FilterComponent {
  readonly kind = "filter";
  private nPorts = 1;
  inputPorts(): string[] {
    return Array.from({ length: this.nPorts }, (_, i) => `in${i}`);
  }
  outputPorts(): string[] {
    return ["out"];
  }
  inputPortConnected(): void {
    // Always keep one free input port, as babeltrace2's muxer does.
    this.nPorts++;
  }
  constructor(private readonly referenceName?: string) {}
  createIterator(_port: string, upstream: Map<string, MessageIterator>): MessageIterator {
    const ordered = [...upstream.entries()]
      .sort((a, b) => Number(a[0].slice(2)) - Number(b[0].slice(2)))
      .map(([, it]) => it);
    return new MuxerIterator(ordered, this.referenceName);
  }
}

export const muxerClass: ComponentClass = {
  type: "filter",
  plugin: "utils",
  name: "muxer",
  description: "Sort messages from multiple input ports to a single output port by time.",
  create: (params: MapValue) => {
    for (const k of params.entries.keys())
      if (k !== "reference-clock-class-name")
        throw new TtngError("ERR_PARAMS", `Unknown parameter: \`${k}\``, { actor: "filter.utils.muxer" });
    const ref = params.entries.get("reference-clock-class-name");
    if (ref !== undefined && ref.type !== "string")
      throw new TtngError("ERR_PARAMS", "`reference-clock-class-name` parameter: expecting a string", {
        actor: "filter.utils.muxer",
      });
    return new Muxer(ref?.value);
  },
};

/** Nanoseconds from origin as one integer (error messages only). */
function nsText(s: number, ns: number): string {
  return (BigInt(s) * 1000000000n + BigInt(ns)).toString();
}
