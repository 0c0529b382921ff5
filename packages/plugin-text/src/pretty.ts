/**
 * `sink.text.pretty`: babeltrace2's default text output, byte for byte
 * (events on stdout, discarded-items warnings on stderr). Output is built
 * as byte strings in large chunks and handed to `ctx.stdout`.
 */
import { TtngError } from "@ttng/base";
import {
  type CompiledEvent,
  compileField,
  type DecodeState,
  type EventFieldsSource,
  type StructFC,
  type TraceDecoder,
} from "@ttng/ctf";
import {
  type ClockSnapshot,
  type ComponentClass,
  type ComponentContext,
  type IrFieldClass,
  type IrPacket,
  type IrStream,
  type IterStatus,
  type MapValue,
  type Message,
  type MessageIterator,
  MessageKind,
  type SinkComponent,
} from "@ttng/graph";
import { ByteWriter, concatText, constText, type Text, textOf } from "./byte-writer.js";
import { cyclesDeltaText, u64Decimal, wallDeltaText } from "./format.js";
import { type Colors, NO_COLORS, type PrettyColors, prettyColors, terminalColors } from "./colors.js";
import type { Printer } from "./printer.js";
import { captureBytes, type FusedPrinter, generateFusedPrinter, generatePrinter } from "./printer-gen.js";

const ACTOR = "sink.text.pretty";

const LOG_LEVELS = [
  "TRACE_EMERG",
  "TRACE_ALERT",
  "TRACE_CRIT",
  "TRACE_ERR",
  "TRACE_WARNING",
  "TRACE_NOTICE",
  "TRACE_INFO",
  "TRACE_DEBUG_SYSTEM",
  "TRACE_DEBUG_PROGRAM",
  "TRACE_DEBUG_PROCESS",
  "TRACE_DEBUG_MODULE",
  "TRACE_DEBUG_UNIT",
  "TRACE_DEBUG_FUNCTION",
  "TRACE_DEBUG_LINE",
  "TRACE_DEBUG",
];

interface Options {
  noDelta: boolean;
  clockCycles: boolean;
  clockSeconds: boolean;
  clockDate: boolean;
  clockGmt: boolean;
  verbose: boolean;
  namePayload: boolean;
  nameContext: boolean;
  nameHeader: boolean;
  nameScope: boolean;
  fieldTrace: boolean;
  fieldHostname: boolean;
  fieldDomain: boolean;
  fieldProcname: boolean;
  fieldVpid: boolean;
  fieldLoglevel: boolean;
  fieldEmf: boolean;
  path: string | undefined;
  color: "never" | "auto" | "always";
  /** Babeltrace 2.1+ multi-label enum format (`( { "A", "B" } : ... )`). */
  braceMultiLabels: boolean;
  uid: boolean;
}

function paramErr(m: string): TtngError {
  return new TtngError("ERR_PARAMS", m, { actor: ACTOR });
}

function boolParam(p: MapValue, key: string, dflt: boolean): boolean {
  const v = p.entries.get(key);
  if (v === undefined) return dflt;
  if (v.type !== "bool") throw paramErr(`Parameter \`${key}\` has wrong type: expecting a boolean`);
  return v.value;
}

function showHide(p: MapValue, key: string): "show" | "hide" | undefined {
  const v = p.entries.get(key);
  if (v === undefined) return undefined;
  if (v.type !== "string" || (v.value !== "show" && v.value !== "hide")) {
    throw paramErr(`Unexpected value for \`${key}\` parameter: expecting \`show\` or \`hide\``);
  }
  return v.value;
}

export function parsePrettyParams(p: MapValue, mip: 0 | 1): Options {
  const known = new Set([
    "color",
    "path",
    "no-delta",
    "clock-cycles",
    "clock-seconds",
    "clock-date",
    "clock-gmt",
    "verbose",
    "name-default",
    "name-payload",
    "name-context",
    "name-header",
    "name-scope",
    "field-default",
    "field-trace",
    "field-trace:hostname",
    "field-trace:domain",
    "field-trace:procname",
    "field-trace:vpid",
    "field-loglevel",
    "field-emf",
    "field-callsite",
    "print-enum-flags",
  ]);
  for (const k of p.entries.keys()) if (!known.has(k)) throw paramErr(`Unknown parameter: \`${k}\``);
  const color = p.entries.get("color");
  if (color !== undefined && (color.type !== "string" || !["never", "auto", "always"].includes(color.value))) {
    throw paramErr("Unexpected value for `color` parameter: expecting `never`, `auto`, or `always`");
  }
  const path = p.entries.get("path");
  if (path !== undefined && path.type !== "string")
    throw paramErr("Parameter `path` has wrong type: expecting a string");
  const nd = showHide(p, "name-default");
  const fd = showHide(p, "field-default");
  const n = (dflt: boolean) => (nd === "show" ? true : nd === "hide" ? false : dflt);
  const f = (dflt: boolean) => (fd === "show" ? true : fd === "hide" ? false : dflt);
  return {
    noDelta: boolParam(p, "no-delta", false),
    clockCycles: boolParam(p, "clock-cycles", false),
    clockSeconds: boolParam(p, "clock-seconds", false),
    clockDate: boolParam(p, "clock-date", false),
    clockGmt: boolParam(p, "clock-gmt", false),
    verbose: boolParam(p, "verbose", false),
    namePayload: boolParam(p, "name-payload", n(true)),
    nameContext: boolParam(p, "name-context", n(true)),
    nameHeader: boolParam(p, "name-header", n(false)),
    nameScope: boolParam(p, "name-scope", n(false)),
    fieldTrace: boolParam(p, "field-trace", f(false)),
    fieldHostname: boolParam(p, "field-trace:hostname", f(true)),
    fieldDomain: boolParam(p, "field-trace:domain", f(false)),
    fieldProcname: boolParam(p, "field-trace:procname", f(true)),
    fieldVpid: boolParam(p, "field-trace:vpid", f(true)),
    fieldLoglevel: boolParam(p, "field-loglevel", f(false)),
    fieldEmf: boolParam(p, "field-emf", f(false)),
    path: path?.type === "string" ? path.value : undefined,
    color: color?.type === "string" ? (color.value as "never" | "auto" | "always") : "auto",
    braceMultiLabels: mip >= 1,
    uid: mip >= 1,
  };
}

/** Packets whose printed head is kept, per event class. */
const HEAD_MEMO = 8;

/** An event class's scopes printed from the bytes (`PrettySink.planFused`). */
interface FusedEvent {
  cc?: FusedPrinter;
  ccSkip?: (st: DecodeState) => unknown;
  sc?: FusedPrinter;
  scSkip?: (st: DecodeState) => unknown;
  pl?: FusedPrinter;
}

/** Text from the end of the delta up to the common context's value (see `PrettySink.printEvent`). */
interface Head {
  /** No packet context printed (the next scope starts the line's fields). */
  startLine: boolean;
  bytes: Text;
  /** `bytes` and the common context's label. */
  withCc: Text;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

interface EventPlan {
  startLine: boolean;
  tail: Text;
  /** The head when no packet context is printed. */
  head: Head;
  /** Heads with a packet context, of the last few packets (`PrettySink.headWithPacket`). */
  headPackets: IrPacket[];
  heads: Head[];
  /** Fused printers (for lazy CTF events of `fusedKey`), undefined when not fusable. */
  fusedKey: unknown;
  fused: FusedEvent | undefined;
  pc: Printer | undefined;
  pcName: Text;
  cc: Printer | undefined;
  ccName: Text;
  ccNameSep: Text;
  sc: Printer | undefined;
  scName: Text;
  scNameSep: Text;
  pl: Printer | undefined;
  plName: Text;
  plNameSep: Text;
}

class PrettySink implements SinkComponent {
  readonly kind = "sink";
  private readonly opts: Options;
  private it: MessageIterator | undefined;
  private readonly batch: Message[] = [];
  private readonly w: ByteWriter;
  private lastS = Number.NaN;
  private lastNs = 0;
  /** The previous event's raw clock value (`--clock-cycles` deltas); -1: none yet. */
  private lastCyclesHi = -1;
  private lastCyclesLo = 0;
  private negWarned = false;
  private readonly envCache = new Map<unknown, Map<string, unknown>>();
  private lastDateSec = Number.NaN;
  private lastHms = "";
  /** `lastHms` encoded, written while the wall-clock text of the current second is in use. */
  private lastHmsBytes: Text = constText("");
  /** `tsOpen`, `lastHms` and the dot. */
  private lastHmsOpen: Text = constText("");
  /** Whether `wallHead` is `lastHms` (then `lastHmsBytes` is written instead of the string). */
  private wallHeadIsHms = false;

  constructor(
    params: MapValue,
    private readonly ctx: ComponentContext,
  ) {
    this.opts = parsePrettyParams(params, ctx.mipVersion);
    this.w = new ByteWriter(ctx.stdoutBytes);
    this.codes = terminalColors(ctx.terminal);
    // babeltrace2: `always`, or `auto` when writing to standard output; codes are empty without terminal support.
    const use = this.opts.color === "always" || (this.opts.color === "auto" && this.opts.path === undefined);
    this.pc = use && this.codes !== NO_COLORS ? prettyColors(this.codes) : undefined;
    const o = this.opts;
    const names = o.nameHeader;
    const pc = this.pc;
    this.tsOpenText = (names ? this.nameEq("timestamp") : "[") + (pc ? pc.timestamp : "");
    this.tsOpen = constText(this.tsOpenText);
    const tsClose =
      (pc ? pc.rst : "") + (names ? "" : "] ") + (o.noDelta ? "" : names ? `, ${this.nameEq("delta")}` : "(");
    this.tsClose = constText(tsClose);
    this.tsClosePlus = constText(`${tsClose}+`);
    this.tsClosePlus0 = constText(`${tsClose}+0.`);
    this.fastClock = !o.clockCycles && !o.noDelta && !o.clockSeconds;
    this.deltaClose = !o.noDelta && !names ? ") " : "";
  }

  private readonly codes: Colors;
  /** Constant text around the timestamp and the delta (the text after the delta opens `EventPlan.tail`). */
  private readonly tsOpenText: string;
  private readonly tsOpen: Text;
  private readonly tsClosePlus: Text;
  /** `tsClosePlus` and the delta's seconds when they are 0 (events less than a second apart). */
  private readonly tsClosePlus0: Text;
  /** Wall-clock time with deltas: `printEvent`'s fast path may apply. */
  private readonly fastClock: boolean;
  private readonly tsClose: Text;
  private readonly deltaClose: string;
  /** Colors of printed events, or undefined when none. */
  private readonly pc: PrettyColors | undefined;

  private nameEq(name: string): string {
    return this.pc ? `${this.pc.name}${name}${this.pc.rst} = ` : `${name} = `;
  }

  inputPorts(): string[] {
    return ["in"];
  }

  graphIsConfigured(upstream: Map<string, MessageIterator>): void {
    const it = upstream.get("in");
    if (!it) throw new TtngError("ERR_GRAPH", 'Single input port is not connected: port-name="in"', { actor: ACTOR });
    this.it = it;
  }

  consume(): IterStatus {
    const batch = this.batch;
    batch.length = 0;
    let st: IterStatus;
    try {
      st = this.it!.next(batch);
    } catch (e) {
      // What was printed before the error must reach the output.
      this.flush();
      throw e;
    }
    if (st !== "ok") {
      this.flush();
      return st;
    }
    for (let i = 0; i < batch.length; i++) {
      const m = batch[i]!;
      if (m.kind === MessageKind.Event) this.printEvent(m);
      else if (m.kind === MessageKind.DiscardedEvents || m.kind === MessageKind.DiscardedPackets) {
        this.flush();
        this.printDiscarded(m);
      }
    }
    return "ok";
  }

  finalize(): void {
    this.flush();
  }

  private flush(): void {
    this.w.flush();
  }

  private env(stream: IrStream): Map<string, unknown> {
    let e = this.envCache.get(stream.trace);
    if (!e) {
      e = new Map(stream.trace.env);
      this.envCache.set(stream.trace, e);
    }
    return e;
  }

  // Scratch results of prepWall(): the text before the fractional part, and the nanoseconds.
  private wallHead = "";
  private wallNs = 0;

  /**
   * babeltrace2's print_timestamp_wall(): wall-clock time (local or GMT, with
   * the date if asked) or `[-]S.NNNNNNNNN`. Quirk kept: the first negative
   * time prints as seconds with a warning; later ones print the wall-clock
   * time of their absolute value.
   */
  private prepWall(cs: ClockSnapshot): void {
    let s = cs.s;
    let ns = cs.ns;
    let neg = false;
    if (s < 0) {
      neg = true;
      if (ns > 0) {
        s = -(s + 1);
        ns = 1e9 - ns;
      } else s = -s;
    }
    this.wallNs = ns;
    if (!this.opts.clockSeconds) {
      if (neg && !this.negWarned) {
        this.negWarned = true;
        this.ctx.stderr("[warning] Fallback to [sec.ns] to print negative time value. Use --clock-seconds.\n");
      } else {
        if (s !== this.lastDateSec) {
          const d = new Date(s * 1000);
          const g = this.opts.clockGmt;
          const h = g ? d.getUTCHours() : d.getHours();
          const mi = g ? d.getUTCMinutes() : d.getMinutes();
          const se = g ? d.getUTCSeconds() : d.getSeconds();
          let head = `${pad2(h)}:${pad2(mi)}:${pad2(se)}`;
          if (this.opts.clockDate) {
            const y = g ? d.getUTCFullYear() : d.getFullYear();
            const mo = (g ? d.getUTCMonth() : d.getMonth()) + 1;
            const da = g ? d.getUTCDate() : d.getDate();
            head = `${String(y).padStart(4, "0")}-${pad2(mo)}-${pad2(da)} ${head}`;
          }
          this.lastHms = head;
          this.lastHmsBytes = constText(head);
          this.lastHmsOpen = constText(`${this.tsOpenText}${head}.`);
          this.lastDateSec = s;
        }
        this.wallHead = this.lastHms;
        this.wallHeadIsHms = true;
        return;
      }
    }
    this.lastDateSec = Number.NaN;
    this.wallHead = `${neg ? "-" : ""}${s}`;
    this.wallHeadIsHms = false;
  }

  private wall(cs: ClockSnapshot | undefined): string {
    if (!cs) return "??:??:??.?????????";
    this.prepWall(cs);
    return `${this.wallHead}.${String(this.wallNs).padStart(9, "0")}`;
  }

  private writeWall(cs: ClockSnapshot | undefined): void {
    const w = this.w;
    if (!cs) {
      w.str("??:??:??.?????????");
      return;
    }
    this.prepWall(cs);
    if (this.wallHeadIsHms) w.put(this.lastHmsBytes);
    else w.str(this.wallHead);
    w.byte(46);
    w.digits9(this.wallNs);
  }

  private printEvent(m: Message): void {
    const o = this.opts;
    const ec = m.eventClass!;
    const stream = m.stream;
    const names = o.nameHeader;
    const w = this.w;
    let startLine = true;
    const cs = m.cs;
    if (
      this.fastClock &&
      cs !== undefined &&
      cs.s === this.lastDateSec &&
      cs.s >= 0 &&
      !Number.isNaN(this.lastS) &&
      stream.streamClass.defaultClock !== undefined &&
      (cs.s > this.lastS || (cs.s === this.lastS && cs.ns >= this.lastNs))
    ) {
      // The common case: same second as the previous event's wall-clock text, time not going
      // backwards. What the general code below writes, with its constant parts merged.
      let ds = cs.s - this.lastS;
      let dns = cs.ns - this.lastNs;
      if (dns < 0) {
        dns += 1e9;
        ds -= 1;
      }
      if (ds === 0) w.stamp(this.lastHmsOpen, cs.ns, this.tsClosePlus0, dns);
      else {
        w.put(this.lastHmsOpen);
        w.digits9(cs.ns);
        w.put(this.tsClosePlus);
        w.uint(ds);
        w.byte(46);
        w.digits9(dns);
      }
      this.lastS = cs.s;
      this.lastNs = cs.ns;
      startLine = !names;
    } else if (stream.streamClass.defaultClock) {
      w.put(this.tsOpen);
      if (o.clockCycles) {
        w.str(cs ? u64Decimal(cs.cyclesHi, cs.cyclesLo).padStart(20, "0") : "");
      } else {
        this.writeWall(cs);
      }
      w.put(this.tsClose);
      if (!o.noDelta) {
        if (o.clockCycles) {
          const hi = cs ? cs.cyclesHi : 0;
          const lo = cs ? cs.cyclesLo : 0;
          if (this.lastCyclesHi < 0) w.str("+????????????");
          else w.str(cyclesDeltaText(this.lastCyclesHi, this.lastCyclesLo, hi, lo));
          this.lastCyclesHi = hi;
          this.lastCyclesLo = lo;
        } else if (cs) {
          if (Number.isNaN(this.lastS)) w.str("+?.?????????");
          else {
            let ds = cs.s - this.lastS;
            let dns = cs.ns - this.lastNs;
            if (dns < 0) {
              dns += 1e9;
              ds -= 1;
            }
            if (ds < 0) {
              // Time went back: the wrapped uint64 text (rare; the digits below are the hot case).
              w.str(wallDeltaText(this.lastS, this.lastNs, cs.s, cs.ns));
            } else {
              w.byte(43);
              w.uint(ds);
              w.byte(46);
              w.digits9(dns);
            }
          }
          this.lastS = cs.s;
          this.lastNs = cs.ns;
        }
        // `) ` is the start of the plan's tail.
      } else if (cs && !o.clockCycles) {
        this.lastS = cs.s;
        this.lastNs = cs.ns;
      }
      startLine = !names;
    }
    let plan = ec === this.lastEc ? this.lastPlan : this.plans.get(ec);
    if (plan === undefined || plan.startLine !== startLine) {
      plan = this.planFor(m, startLine);
      this.plans.set(ec, plan);
    }
    this.lastEc = ec;
    this.lastPlan = plan;
    // Scopes: precompiled per event class (what prefix each needs depends only on which came before).
    // The text from the end of the delta to the common context's value is constant per event class
    // and packet: one copy.
    const packet = m.packet;
    const head =
      plan.pc !== undefined && packet !== undefined && packet.context !== undefined
        ? this.headWithPacket(plan, packet)
        : plan.head;
    startLine = head.startLine;
    // A lazy CTF event: print its fields straight from the packet's bytes when the plan allows.
    const loader = m.loader as Partial<EventFieldsSource> | undefined;
    if (loader !== undefined && loader.eventFieldsState !== undefined) {
      const key = m.loaderKey as CompiledEvent;
      if (plan.fusedKey !== key) this.planFused(plan, key, loader.decoder!, m);
      const f = plan.fused;
      if (f !== undefined) {
        const st = loader.eventFieldsState(key, m.loaderPos, m.loaderAux);
        st.lastBo = 0;
        if (f.cc !== undefined) {
          w.put(head.withCc);
          f.cc(w, st);
          startLine = false;
        } else {
          if (f.ccSkip !== undefined) f.ccSkip(st);
          w.put(head.bytes);
        }
        st.lastBo = 0;
        if (f.sc !== undefined) {
          w.put(startLine ? plan.scName : plan.scNameSep);
          f.sc(w, st);
          startLine = false;
        } else if (f.scSkip !== undefined) f.scSkip(st);
        st.lastBo = 0;
        if (f.pl !== undefined) {
          w.put(startLine ? plan.plName : plan.plNameSep);
          f.pl(w, st);
        }
        w.byte(10);
        return;
      }
    }
    const cc = plan.cc !== undefined ? m.commonContext : undefined;
    if (cc !== undefined) {
      w.put(head.withCc);
      plan.cc!(w, cc);
      startLine = false;
    } else w.put(head.bytes);
    if (plan.sc !== undefined) {
      const v = m.specContext;
      if (v !== undefined) {
        w.put(startLine ? plan.scName : plan.scNameSep);
        plan.sc(w, v);
        startLine = false;
      }
    }
    if (plan.pl !== undefined) {
      const v = m.payload;
      if (v !== undefined) {
        w.put(startLine ? plan.plName : plan.plNameSep);
        plan.pl(w, v);
      }
    }
    w.byte(10);
  }

  /** `plan`'s head for `packet`: kept for the last few packets of each event class. */
  private headWithPacket(plan: EventPlan, packet: IrPacket): Head {
    const packets = plan.headPackets;
    for (let i = 0; i < packets.length; i++) if (packets[i] === packet) return plan.heads[i]!;
    const bytes = concatText(plan.tail, plan.pcName, textOf(captureBytes(plan.pc!, packet.context)));
    const head: Head = { startLine: false, bytes, withCc: concatText(bytes, plan.ccNameSep) };
    // One entry per stream being interleaved, usually: replace the oldest.
    if (packets.length === HEAD_MEMO) {
      packets.shift();
      plan.heads.shift();
    }
    packets.push(packet);
    plan.heads.push(head);
    return head;
  }

  /**
   * The fused printers of `key`'s scopes (see `generateFusedPrinter`) for `plan`, or none when
   * one of them cannot be fused. A scope is printed when both its CTF and its IR class exist (as
   * on the value path, where the decoded value exists when the CTF class does); a CTF scope
   * without IR class is still read, to reach the next one.
   */
  private planFused(plan: EventPlan, key: CompiledEvent, decoder: TraceDecoder, m: Message): void {
    plan.fusedKey = key;
    plan.fused = undefined;
    const o = this.opts;
    const ec = m.eventClass!;
    const sc = m.stream.streamClass;
    const [ctfCc, ctfSc, ctfPl] = decoder.eventScopes(key);
    const f: FusedEvent = {};
    const brace = o.braceMultiLabels;
    const scope = (ctf: StructFC | undefined, ir: IrFieldClass | undefined, names: boolean) => {
      if (ctf === undefined || ir === undefined) return null;
      return generateFusedPrinter(ctf, ir, names, brace, this.pc);
    };
    const cc = scope(ctfCc, sc.eventCommonContext, o.nameContext);
    const scp = scope(ctfSc, ec.specContext, o.nameContext);
    const pl = scope(ctfPl, ec.payload, o.namePayload);
    if (cc === undefined || scp === undefined || pl === undefined) return;
    if (cc !== null) f.cc = cc;
    else if (ctfCc !== undefined) f.ccSkip = compileField(ctfCc);
    if (scp !== null) f.sc = scp;
    else if (ctfSc !== undefined) f.scSkip = compileField(ctfSc);
    if (pl !== null) f.pl = pl;
    plan.fused = f;
  }

  private readonly plans = new Map<unknown, EventPlan>();
  private lastEc: unknown = undefined;
  private lastPlan: EventPlan | undefined = undefined;
  private readonly printers = new Map<unknown, Printer>();

  private printer(fc: IrFieldClass | undefined, fieldNames: boolean): Printer | undefined {
    if (fc === undefined) return undefined;
    let p = this.printers.get(fc);
    if (p === undefined) {
      p = generatePrinter(fc, fieldNames, this.opts.braceMultiLabels, this.pc);
      this.printers.set(fc, p);
    }
    return p;
  }

  /** How to print one event class: the constant header tail and the scope printers with their prefixes. */
  private planFor(m: Message, startLine: boolean): EventPlan {
    const o = this.opts;
    const ec = m.eventClass!;
    const sc = m.stream.streamClass;
    const label = (name: string) => (o.nameScope ? this.nameEq(name) : "");
    const tail = constText((m.stream.streamClass.defaultClock ? this.deltaClose : "") + this.headerTail(m, startLine));
    return {
      startLine,
      tail,
      headPackets: [],
      heads: [],
      fusedKey: undefined,
      fused: undefined,
      head: { startLine: true, bytes: tail, withCc: concatText(tail, constText(label("stream.event.context"))) },
      pc: this.printer(sc.packetContext, o.nameContext),
      pcName: constText(label("stream.packet.context")),
      cc: this.printer(sc.eventCommonContext, o.nameContext),
      ccName: constText(label("stream.event.context")),
      ccNameSep: constText(`, ${label("stream.event.context")}`),
      sc: this.printer(ec.specContext, o.nameContext),
      scName: constText(label("event.context")),
      scNameSep: constText(`, ${label("event.context")}`),
      pl: this.printer(ec.payload, o.namePayload),
      plName: constText(label("event.fields")),
      plNameSep: constText(`, ${label("event.fields")}`),
    };
  }

  /** Everything between the timestamp/delta and the scopes: constant per event class. */
  private headerTail(m: Message, startLine: boolean): string {
    const o = this.opts;
    const ec = m.eventClass!;
    const stream = m.stream;
    const names = o.nameHeader;
    let out = "";
    let domPrint = false;
    const trace = stream.trace;
    if (o.fieldTrace && trace.name !== undefined) {
      if (!startLine) out += ", ";
      if (names) out += this.nameEq("trace");
      out += trace.name;
      if (names) out += ", ";
    }
    const env = this.env(stream);
    const envField = (key: string, label: string, fmt: (v: unknown) => string, colon: boolean) => {
      const v = env.get(key);
      if (v === undefined) return;
      if (!startLine) out += ", ";
      if (names) out += this.nameEq(label);
      else if (domPrint && colon) out += ":";
      out += fmt(v);
      domPrint = true;
    };
    if (o.fieldHostname) envField("hostname", "trace:hostname", String, false);
    if (o.fieldDomain) envField("domain", "trace:domain", String, true);
    if (o.fieldProcname) envField("procname", "trace:procname", String, true);
    if (o.fieldVpid) envField("vpid", "trace:vpid", (v) => `(${typeof v === "string" ? 0 : String(v)})`, true);
    if (o.fieldLoglevel && ec.logLevel !== undefined) {
      if (!startLine) out += ", ";
      if (names) out += this.nameEq("loglevel");
      else if (domPrint) out += ":";
      out += `${LOG_LEVELS[ec.logLevel]} (${ec.logLevel})`;
      domPrint = true;
    }
    if (o.fieldEmf && ec.emfUri !== undefined) {
      if (!startLine) out += ", ";
      if (names) out += this.nameEq("model.emf.uri");
      else if (domPrint) out += ":";
      out += ec.emfUri;
      domPrint = true;
    }
    if (domPrint && !names) out += " ";
    if (!startLine) out += ", ";
    if (names) out += this.nameEq("name");
    const pc = this.pc;
    if (pc) out += ec.name !== undefined ? pc.eventName : pc.unknown;
    out += ec.name ?? "<unknown>";
    if (pc) out += pc.rst;
    out += names ? ", " : ": ";
    return out;
  }

  private printDiscarded(m: Message): void {
    const events = m.kind === MessageKind.DiscardedEvents;
    const elem = events ? "event" : "packet";
    const stream = m.stream;
    const c = this.codes;
    let s = `${c.fgYellow}${c.bold}WARNING${c.reset}${c.fgYellow}: `;
    if (m.count < 0) s += `Tracer may have discarded ${elem}s `;
    else s += `Tracer discarded ${m.count} ${elem}${m.count === 1 ? "" : "s"} `;
    if (m.cs && m.endCs) s += `between [${this.wall(m.cs)}] and [${this.wall(m.endCs)}]`;
    else s += "(unknown time range)";
    s += ` in trace "${stream.trace.name ?? "(unknown)"}" `;
    const id = this.opts.uid ? "UID" : "UUID";
    const uid = stream.trace.uid ?? stream.trace.uuid;
    s += uid ? `(${id}: ${uid}) ` : `(no ${id}) `;
    s += `within stream "${stream.name ?? "(unknown)"}" (stream class ID: ${stream.streamClass.id}, `;
    s += stream.id >= 0 ? `stream ID: ${stream.id}` : "no stream ID";
    s += `).${c.reset}\n`;
    this.ctx.stderr(s);
  }
}

export const prettySinkClass: ComponentClass = {
  type: "sink",
  plugin: "text",
  name: "pretty",
  description: "Pretty-print messages (`text` format of Babeltrace 1).",
  create: (params, ctx) => new PrettySink(params, ctx),
  // It does read them, but lazily: sources then skip the fields when reading a packet, and this
  // sink prints them straight from the packet's bytes (fused path, `planFused`); a lazy message
  // still decodes its fields for the value path when read.
  readsEventFields: false,
};
