/**
 * `sink.text.details`: babeltrace2's exhaustive, deterministic dump of every
 * message and of the metadata objects (trace class, stream classes, event
 * classes) the first time they are seen. The output is byte-for-byte
 * babeltrace2's: MIP 0 (`ctx.mipVersion === 0`) gives 2.0's format, MIP 1
 * gives 2.1+'s (UIDs, namespaces, field locations, "Offset from origin").
 * It is not a pretty printer: see `sink.text.pretty` for that.
 */
import { TtngError } from "@ttng/base";
import { VariantValue } from "@ttng/ctf";
import {
  type ComponentClass,
  type ComponentContext,
  type IrClockClass,
  type IrEventClass,
  type IrFieldClass,
  type IrFieldPath,
  type IrStream,
  type IrStreamClass,
  type IrTrace,
  type IrTraceClass,
  type IterStatus,
  type MapValue,
  type Message,
  MessageKind,
  type MessageIterator,
  type SinkComponent,
  type Value,
} from "@ttng/graph";
import { formatInt, formatReal, formatUint } from "./details-format.js";

interface Config {
  color: boolean;
  compact: boolean;
  withMeta: boolean;
  withData: boolean;
  withTime: boolean;
  withTraceName: boolean;
  withStreamClassName: boolean;
  withStreamName: boolean;
  withUuid: boolean;
  withUid: boolean;
  mip: 0 | 1;
}

const RESET = "\x1b[0m";
const BOLD = "\x1b[1m";
const FG_GREEN = "\x1b[32m";
const FG_BLUE = "\x1b[34m";
const FG_MAGENTA = "\x1b[35m";
const FG_CYAN = "\x1b[36m";
const FG_BRIGHT_RED = "\x1b[91m";
const FG_BRIGHT_GREEN = "\x1b[92m";
const FG_BRIGHT_YELLOW = "\x1b[93m";
const FG_BRIGHT_BLUE = "\x1b[94m";
const FG_BRIGHT_MAGENTA = "\x1b[95m";
const FG_BRIGHT_CYAN = "\x1b[96m";

const LOG_LEVEL_DISPLAY = [
  "Emergency",
  "Alert",
  "Critical",
  "Error",
  "Warning",
  "Notice",
  "Info",
  "Debug (system)",
  "Debug (program)",
  "Debug (process)",
  "Debug (module)",
  "Debug (unit)",
  "Debug (function)",
  "Debug (line)",
  "Debug",
];

const SCOPE_NAMES: Record<IrFieldPath["root"], string> = {
  "packet-context": "Packet context",
  "event-common-context": "Event common context",
  "event-specific-context": "Event specific context",
  "event-payload": "Event payload",
};

type Int = number | bigint;

function plural(n: number): string {
  return n === 1 ? "" : "s";
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpInt(a: Int, b: Int): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedRanges(ranges: Array<[Int, Int]>): Array<[Int, Int]> {
  return [...ranges].sort((x, y) => cmpInt(x[0], y[0]) || cmpInt(x[1], y[1]));
}

/** Raw clock value from its two 32-bit halves. */
function csCycles(hi: number, lo: number): Int {
  return hi === 0 ? lo : hi < 0x200000 ? hi * 0x100000000 + lo : (BigInt(hi) << 32n) | BigInt(lo);
}

function csNsFromOrigin(s: number, ns: number): Int {
  const v = s * 1e9 + ns;
  return Number.isSafeInteger(v) ? v : BigInt(s) * 1000000000n + BigInt(ns);
}

/** What babeltrace 2.1's CTF 1.8 source sets as the trace namespace. */
function traceNamespace(trace: IrTrace): string | undefined {
  const ns = (trace as { namespace?: string }).namespace;
  if (ns !== undefined) return ns;
  const tracer = trace.env.find(([k]) => k === "tracer_name")?.[1];
  return tracer === "lttng-ust" || tracer === "lttng-modules" ? "lttng.org,2009" : undefined;
}

/** One message's text, built like babeltrace2's (indent level, colors, property lines). */
class Writer {
  s = "";
  indent = 0;
  constructor(readonly cfg: Config) {}

  c(code: string): string {
    return this.cfg.color ? code : "";
  }
  nl(): void {
    this.s += "\n";
  }
  sp(): void {
    this.s += " ";
  }
  ind(): void {
    this.s += " ".repeat(this.indent);
  }
  memberName(name: string): void {
    this.ind();
    this.s += `${this.c(FG_CYAN)}${name}${this.c(RESET)}:`;
  }
  arrayIndex(i: number, color: string): void {
    this.ind();
    this.s += `${this.c(color)}[${formatUint(i)}]${this.c(RESET)}:`;
  }
  objTypeName(name: string): void {
    this.s += `${this.c(BOLD)}${this.c(FG_BRIGHT_YELLOW)}${name}${this.c(RESET)}`;
  }
  propName(name: string): void {
    this.s += `${this.c(FG_MAGENTA)}${name}${this.c(RESET)}`;
  }
  propNameLine(name: string): void {
    this.ind();
    this.s += `${this.c(FG_MAGENTA)}${name}${this.c(RESET)}:`;
  }
  strValue(v: string): void {
    this.s += `${this.c(BOLD)}${v}${this.c(RESET)}`;
  }
  noneValue(v: string): void {
    this.s += `${this.c(BOLD)}${this.c(FG_BRIGHT_MAGENTA)}${v}${this.c(RESET)}`;
  }
  uintValue(v: Int): void {
    this.strValue(formatUint(v));
  }
  intValue(v: Int): void {
    this.strValue(formatInt(v));
  }
  boolValue(v: boolean): void {
    this.s += `${this.c(BOLD)}${this.c(v ? FG_BRIGHT_GREEN : FG_BRIGHT_RED)}${v ? "Yes" : "No"}${this.c(RESET)}`;
  }
  strPropLine(name: string, v: string): void {
    this.ind();
    this.propName(name);
    this.s += ": ";
    this.strValue(v);
    this.nl();
  }
  uintPropLine(name: string, v: Int): void {
    this.ind();
    this.propName(name);
    this.s += ": ";
    this.uintValue(v);
    this.nl();
  }
  intPropLine(name: string, v: Int): void {
    this.ind();
    this.propName(name);
    this.s += ": ";
    this.intValue(v);
    this.nl();
  }
  boolPropLine(name: string, v: boolean): void {
    this.ind();
    this.propName(name);
    this.s += ": ";
    this.boolValue(v);
    this.nl();
  }
}

/** Resolves field paths for MIP 1's field locations (member names instead of indexes). */
interface FcScope {
  sc: IrStreamClass;
  ec: IrEventClass | undefined;
}

function rootOf(scope: FcScope, root: IrFieldPath["root"]): IrFieldClass | undefined {
  switch (root) {
    case "packet-context":
      return scope.sc.packetContext;
    case "event-common-context":
      return scope.sc.eventCommonContext;
    case "event-specific-context":
      return scope.ec?.specContext;
    default:
      return scope.ec?.payload;
  }
}

function writeFieldPath(w: Writer, path: IrFieldPath, scope: FcScope): void {
  w.s += "[";
  w.strValue(SCOPE_NAMES[path.root]);
  w.s += ": ";
  if (w.cfg.mip === 0) {
    path.items.forEach((item, i) => {
      if (i !== 0) w.s += ", ";
      if (item === -1) w.strValue("<current>");
      else w.uintValue(item);
    });
  } else {
    let fc = rootOf(scope, path.root);
    let first = true;
    for (const item of path.items) {
      if (item === -1) {
        if (fc && (fc.kind === "static-array" || fc.kind === "dynamic-array")) fc = fc.element;
        continue;
      }
      while (fc && fc.kind === "option") fc = fc.content;
      const member = fc?.kind === "struct" ? fc.members[item] : fc?.kind === "variant" ? fc.options[item] : undefined;
      if (!first) w.s += ", ";
      first = false;
      w.strValue(member?.name ?? String(item));
      fc = member?.fc;
    }
  }
  w.s += "]";
}

function fcTypeName(fc: IrFieldClass): string {
  switch (fc.kind) {
    case "bool":
      return "Boolean";
    case "bit-array":
      return "Bit array";
    case "int":
      if (fc.mappings) return fc.signed ? "Signed enumeration" : "Unsigned enumeration";
      return fc.signed ? "Signed integer" : "Unsigned integer";
    case "real":
      return fc.single ? "Single-precision real" : "Double-precision real";
    case "string":
      return "String";
    case "blob":
      return fc.length !== undefined
        ? "Static BLOB"
        : fc.lengthPath
          ? "Dynamic BLOB (with length field)"
          : "Dynamic BLOB (no length field)";
    case "struct":
      return "Structure";
    case "static-array":
      return "Static array";
    case "dynamic-array":
      return fc.lengthPath ? "Dynamic array (with length field)" : "Dynamic array (no length field)";
    case "option":
      return fc.selectorPath ? "Option (unsigned integer selector)" : "Option (no selector)";
    case "variant":
      if (!fc.selectorPath) return "Variant (no selector)";
      return fc.selectorSigned ? "Variant (signed integer selector)" : "Variant (unsigned integer selector)";
  }
}

function writeIntRange(w: Writer, r: [Int, Int]): void {
  w.s += "[";
  w.intValue(r[0]);
  if (r[0] !== r[1]) {
    w.s += ", ";
    w.intValue(r[1]);
  }
  w.s += "]";
}

function writeFieldClass(w: Writer, fc: IrFieldClass, scope: FcScope): void {
  const pathWord = w.cfg.mip === 0 ? "path" : "location";
  w.s += `${w.c(FG_BLUE)}${fcTypeName(fc)}${w.c(RESET)}`;
  if (fc.kind === "int") {
    w.s += ` (${w.c(BOLD)}${fc.length}-bit${w.c(RESET)}, Base `;
    w.uintValue(fc.base);
    if (fc.mappings) {
      w.s += ", ";
      w.uintValue(fc.mappings.length);
      w.s += ` mapping${plural(fc.mappings.length)})`;
    } else {
      w.s += ")";
    }
  } else if (fc.kind === "struct") {
    w.s += " (";
    w.uintValue(fc.members.length);
    w.s += ` member${plural(fc.members.length)})`;
  } else if (fc.kind === "static-array") {
    w.s += " (Length ";
    w.uintValue(fc.length);
    w.s += ")";
  } else if (fc.kind === "dynamic-array" && fc.lengthPath) {
    w.s += ` (Length field ${pathWord} `;
    writeFieldPath(w, fc.lengthPath, scope);
    w.s += ")";
  } else if (fc.kind === "option" && fc.selectorPath) {
    w.s += ` (Selector field ${pathWord} `;
    writeFieldPath(w, fc.selectorPath, scope);
    w.s += ")";
  } else if (fc.kind === "variant") {
    w.s += " (";
    w.uintValue(fc.options.length);
    w.s += ` option${plural(fc.options.length)}`;
    if (fc.selectorPath) {
      w.s += `, Selector field ${pathWord} `;
      writeFieldPath(w, fc.selectorPath, scope);
    }
    w.s += ")";
  }
  w.indent += 2;
  if (fc.kind === "int" && fc.mappings) {
    if (fc.mappings.length > 0) {
      w.s += ":";
      const mappings = [...fc.mappings].sort((a, b) => byteCompare(a.label, b.label));
      for (const m of mappings) {
        w.nl();
        w.propNameLine(m.label);
        for (const r of sortedRanges(m.ranges)) {
          w.sp();
          writeIntRange(w, r);
        }
      }
    }
  } else if (fc.kind === "struct") {
    if (fc.members.length > 0) {
      w.s += ":";
      for (const m of fc.members) {
        w.nl();
        w.memberName(m.name);
        w.sp();
        writeFieldClass(w, m.fc, scope);
      }
    }
  } else if (fc.kind === "static-array" || fc.kind === "dynamic-array") {
    w.s += ":\n";
    w.propNameLine("Element");
    w.sp();
    writeFieldClass(w, fc.element, scope);
  } else if (fc.kind === "option") {
    w.s += ":\n";
    w.propNameLine("Content");
    w.sp();
    writeFieldClass(w, fc.content, scope);
  } else if (fc.kind === "variant") {
    if (fc.options.length > 0) {
      w.s += ":";
      for (const o of fc.options) {
        w.nl();
        w.memberName(o.name);
        if (fc.selectorPath) {
          for (const r of sortedRanges(o.ranges)) {
            w.sp();
            writeIntRange(w, r);
          }
          w.s += ": ";
        } else {
          w.sp();
        }
        writeFieldClass(w, o.fc, scope);
      }
    }
  }
  w.indent -= 2;
}

function writeRootFieldClass(w: Writer, name: string, fc: IrFieldClass, scope: FcScope): void {
  w.ind();
  w.propName(name);
  w.s += ": ";
  writeFieldClass(w, fc, scope);
  w.nl();
}

/** A user attributes map, one `key: value` line per scalar, nested maps indented (babeltrace2 2.1). */
function writeUserAttributes(w: Writer, map: Record<string, unknown>): void {
  w.indent += 2;
  for (const [k, v] of Object.entries(map)) {
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      w.ind();
      w.propName(k);
      w.s += ":\n";
      writeUserAttributes(w, v as Record<string, unknown>);
    } else if (typeof v === "string") w.strPropLine(k, v);
    else w.strPropLine(k, JSON.stringify(v));
  }
  w.indent -= 2;
}

function writeEventClass(w: Writer, ec: IrEventClass): void {
  const scope: FcScope = { sc: ec.streamClass, ec };
  w.ind();
  w.objTypeName("Event class");
  if (ec.name !== undefined) w.s += ` \`${w.c(FG_GREEN)}${ec.name}${w.c(RESET)}\``;
  w.s += " (ID ";
  w.uintValue(ec.id);
  w.s += "):\n";
  w.indent += 2;
  if (ec.userAttributes !== undefined && Object.keys(ec.userAttributes).length > 0) {
    w.ind();
    w.propName("User attributes");
    w.s += ":\n";
    writeUserAttributes(w, ec.userAttributes);
  }
  if (ec.logLevel !== undefined) w.strPropLine("Log level", LOG_LEVEL_DISPLAY[ec.logLevel] ?? "Debug");
  if (ec.emfUri !== undefined) w.strPropLine("EMF URI", ec.emfUri);
  if (ec.specContext) writeRootFieldClass(w, "Specific context field class", ec.specContext, scope);
  if (ec.payload) writeRootFieldClass(w, "Payload field class", ec.payload, scope);
  w.indent -= 2;
}

function writeClockClass(w: Writer, cc: IrClockClass): void {
  // babeltrace2 >= 2.1 prints the same clock class lines under MIP 0 and 1,
  // except for the UUID/UID label and the parameter that hides it.
  if (cc.name !== undefined) w.strPropLine("Name", cc.name);
  const showUid = w.cfg.mip === 0 ? w.cfg.withUuid : w.cfg.withUid;
  if (showUid && cc.uuid !== undefined) w.strPropLine(w.cfg.mip === 0 ? "UUID" : "UID", cc.uuid);
  if (cc.description !== undefined) w.strPropLine("Description", cc.description);
  w.uintPropLine("Frequency (Hz)", cc.frequency);
  if (cc.precision !== undefined) w.uintPropLine("Precision (cycles)", cc.precision);
  w.intPropLine("Offset from origin (s)", cc.offsetSeconds);
  w.uintPropLine("Offset from origin (cycles)", cc.offsetCycles);
  if (cc.originIsUnixEpoch) w.strPropLine("Origin", "Unix epoch");
}

function writeStreamClass(w: Writer, sc: IrStreamClass): void {
  const scope: FcScope = { sc, ec: undefined };
  w.ind();
  w.objTypeName("Stream class");
  if (w.cfg.withStreamClassName && sc.name !== undefined) {
    w.s += " `";
    w.strValue(sc.name);
    w.s += "`";
  }
  w.s += " (ID ";
  w.uintValue(sc.id);
  w.s += "):\n";
  w.indent += 2;
  w.boolPropLine("Supports packets", sc.supportsPackets);
  if (sc.supportsPackets) {
    w.boolPropLine("Packets have beginning default clock snapshot", sc.packetsHaveBeginningCs);
    w.boolPropLine("Packets have end default clock snapshot", sc.packetsHaveEndCs);
  }
  w.boolPropLine("Supports discarded events", sc.supportsDiscardedEvents);
  if (sc.supportsDiscardedEvents) {
    w.boolPropLine("Discarded events have default clock snapshots", sc.discardedEventsHaveCs);
  }
  w.boolPropLine("Supports discarded packets", sc.supportsDiscardedPackets);
  if (sc.supportsDiscardedPackets) {
    w.boolPropLine("Discarded packets have default clock snapshots", sc.discardedPacketsHaveCs);
  }
  if (sc.defaultClock) {
    w.ind();
    w.propName("Default clock class");
    w.s += ":\n";
    w.indent += 2;
    writeClockClass(w, sc.defaultClock);
    w.indent -= 2;
  }
  if (sc.packetContext) writeRootFieldClass(w, "Packet context field class", sc.packetContext, scope);
  if (sc.eventCommonContext) {
    writeRootFieldClass(w, "Event common context field class", sc.eventCommonContext, scope);
  }
  for (const ec of [...sc.eventClasses].sort((a, b) => a.id - b.id)) writeEventClass(w, ec);
  w.indent -= 2;
}

function writeTraceClass(w: Writer, tc: IrTraceClass): void {
  w.ind();
  w.objTypeName("Trace class");
  const scs = [...tc.streamClasses].sort((a, b) => a.id - b.id);
  if (scs.length > 0) w.s += ":\n";
  w.indent += 2;
  for (const sc of scs) writeStreamClass(w, sc);
  if (scs.length === 0) w.nl();
  w.indent -= 2;
}

/** Writes a data field value (`fc` says how to read `v`). */
function writeField(w: Writer, fc: IrFieldClass, v: unknown, name: string | undefined): void {
  if (name !== undefined) w.memberName(name);
  switch (fc.kind) {
    case "bool":
      w.sp();
      w.boolValue(v === true || (v !== false && v !== 0 && v !== 0n && v !== undefined));
      return;
    case "bit-array":
      w.sp();
      w.strValue(formatUint(v as Int, 16));
      return;
    case "int":
      w.sp();
      w.strValue(fc.signed ? formatInt(v as Int, fc.base) : formatUint(v as Int, fc.base));
      return;
    case "real":
      w.sp();
      w.strValue(formatReal(Number(v)));
      return;
    case "string":
      w.sp();
      w.strValue(v as string);
      return;
    case "blob": {
      const b = v as Uint8Array;
      w.s += " Length ";
      w.uintValue(b.length);
      w.s += ":";
      if (b.length > 0) {
        w.sp();
        w.strValue(Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" "));
      }
      return;
    }
    case "struct": {
      if (fc.members.length === 0) {
        w.sp();
        w.noneValue("Empty");
        return;
      }
      const arr = v as unknown[];
      w.indent += 2;
      for (const m of fc.members) {
        w.nl();
        writeField(w, m.fc, arr[m.slot], m.name);
      }
      w.indent -= 2;
      return;
    }
    case "static-array":
    case "dynamic-array": {
      const arr = (v as unknown[] | undefined) ?? [];
      if (arr.length === 0) {
        w.sp();
        w.noneValue("Empty");
      } else {
        w.s += " Length ";
        w.uintValue(arr.length);
        w.s += ":";
      }
      w.indent += 2;
      for (let i = 0; i < arr.length; i++) {
        w.nl();
        w.arrayIndex(i, FG_CYAN);
        writeField(w, fc.element, arr[i], undefined);
      }
      w.indent -= 2;
      return;
    }
    case "option":
      if (v === undefined || v === null) {
        w.sp();
        w.noneValue("None");
      } else {
        writeField(w, fc.content, v, undefined);
      }
      return;
    case "variant": {
      const vv = v as VariantValue;
      const opt = fc.options[vv.option];
      if (opt) writeField(w, opt.fc, vv instanceof VariantValue ? vv.value : v, undefined);
      return;
    }
  }
}

function writeRootField(w: Writer, name: string, fc: IrFieldClass, v: unknown): void {
  w.ind();
  w.propName(name);
  w.s += ":";
  writeField(w, fc, v, undefined);
  w.nl();
}

function readBool(params: MapValue, key: string, dflt: boolean): boolean {
  const v = params.entries.get(key);
  if (v === undefined) return dflt;
  if (v.type !== "bool") {
    throw new TypeError(`Parameter \`${key}\` must be a boolean (got ${v.type})`);
  }
  return v.value;
}

/** babeltrace2's `bt_common_colors_supported()`: a color terminal on both stdout and stderr. */
function colorsSupported(): boolean {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (!proc) return false;
  const force = proc.env.BABELTRACE_TERM_COLOR?.toUpperCase();
  if (force === "ALWAYS") return true;
  if (force === "NEVER") return false;
  const term = proc.env.TERM ?? "";
  const ok = /^(xterm|rxvt|konsole|gnome|screen|tmux|putty|linux|cygwin|vt100)/.test(term);
  return ok && proc.stdout?.isTTY === true && proc.stderr?.isTTY === true;
}

/** babeltrace2's details parameters (and 2.1's `with-uid`): any other key is an error, as babeltrace2's validation. */
const DETAILS_PARAMS = [
  "color",
  "with-metadata",
  "with-data",
  "compact",
  "with-time",
  "with-trace-name",
  "with-stream-class-name",
  "with-stream-name",
  "with-uuid",
  "with-uid",
];

function readConfig(params: MapValue, ctx: ComponentContext): Config {
  for (const k of params.entries.keys())
    if (!DETAILS_PARAMS.includes(k))
      throw new TtngError("ERR_PARAMS", `Error validating parameters: unexpected key \`${k}\`.`, {
        actor: "sink.text.details",
      });
  const colorParam = params.entries.get("color") as Value | undefined;
  let color = colorsSupported();
  if (colorParam !== undefined) {
    if (colorParam.type !== "string" || !["never", "auto", "always"].includes(colorParam.value)) {
      throw new TypeError("Parameter `color` must be one of `never`, `auto` or `always`");
    }
    color = colorParam.value === "always" ? true : colorParam.value === "never" ? false : colorsSupported();
  }
  return {
    color,
    compact: readBool(params, "compact", false),
    withMeta: readBool(params, "with-metadata", true),
    withData: readBool(params, "with-data", true),
    withTime: readBool(params, "with-time", true),
    withTraceName: readBool(params, "with-trace-name", true),
    withStreamClassName: readBool(params, "with-stream-class-name", true),
    withStreamName: readBool(params, "with-stream-name", true),
    withUuid: readBool(params, "with-uuid", true),
    withUid: readBool(params, "with-uid", true),
    mip: ctx.mipVersion,
  };
}

class DetailsSink implements SinkComponent {
  readonly kind = "sink" as const;
  private upstream: MessageIterator | undefined;
  private readonly batch: Message[] = [];
  private printedSomething = false;
  private readonly writtenMeta = new Set<object>();
  private readonly traceIds = new Map<IrTrace, number>();
  /** Streams seen per trace, for traces whose IR does not list them. */
  private readonly seenStreams = new Map<IrTrace, IrStream[]>();

  constructor(
    private readonly cfg: Config,
    private readonly ctx: ComponentContext,
  ) {}

  inputPorts(): string[] {
    return ["in"];
  }

  graphIsConfigured(upstream: Map<string, MessageIterator>): void {
    this.upstream = upstream.get("in");
  }

  consume(): IterStatus {
    const it = this.upstream;
    if (!it) return "end";
    const batch = this.batch;
    batch.length = 0;
    const st = it.next(batch);
    if (st !== "ok") return st;
    let out = "";
    for (const msg of batch) {
      const text = this.writeMessage(msg);
      if (text.length > 0) {
        out += text;
        this.printedSomething = true;
      }
    }
    batch.length = 0;
    if (out.length > 0) this.ctx.stdout(out);
    return "ok";
  }

  finalize(): void {
    this.upstream?.finalize?.();
  }

  private traceId(trace: IrTrace): number {
    let id = this.traceIds.get(trace);
    if (id === undefined) {
      id = this.traceIds.size;
      this.traceIds.set(trace, id);
    }
    return id;
  }

  private tryWriteMeta(w: Writer, sc: IrStreamClass, ec: IrEventClass | undefined): void {
    if (!this.cfg.withMeta) return;
    const tc = sc.traceClass;
    const sepLine = (): void => {
      if (this.cfg.compact && this.printedSomething) w.nl();
    };
    const markSc = (s: IrStreamClass): void => {
      this.writtenMeta.add(s);
      for (const e of s.eventClasses) this.writtenMeta.add(e);
    };
    if (!this.writtenMeta.has(tc)) {
      sepLine();
      writeTraceClass(w, tc);
      this.writtenMeta.add(tc);
      for (const s of tc.streamClasses) markSc(s);
      return;
    }
    if (!this.writtenMeta.has(sc)) {
      sepLine();
      writeStreamClass(w, sc);
      markSc(sc);
      return;
    }
    if (ec && !this.writtenMeta.has(ec)) {
      sepLine();
      writeEventClass(w, ec);
      this.writtenMeta.add(ec);
    }
  }

  private writeTime(w: Writer, cs: Message["cs"]): void {
    if (!this.cfg.withTime || !cs) return;
    const compact = this.cfg.compact;
    w.s += `[${w.c(BOLD)}${w.c(FG_BRIGHT_BLUE)}${formatUint(csCycles(cs.cyclesHi, cs.cyclesLo))}${w.c(RESET)}${compact ? "" : " cycles"}`;
    w.s += `${compact ? "" : ","} ${w.c(BOLD)}${w.c(FG_BRIGHT_BLUE)}${formatInt(csNsFromOrigin(cs.s, cs.ns))}${w.c(RESET)}${compact ? "" : " ns from origin"}`;
    w.s += "]";
    if (compact) w.sp();
    else w.nl();
  }

  private writeTimeStr(w: Writer, str: string): void {
    if (!this.cfg.withTime) return;
    w.s += `[${w.c(BOLD)}${w.c(FG_BRIGHT_BLUE)}${str}${w.c(RESET)}]`;
    if (this.cfg.compact) w.sp();
    else w.nl();
  }

  private writeFollowTag(w: Writer, stream: IrStream): void {
    const tid = this.traceId(stream.trace);
    const scId = stream.streamClass.id;
    const c = (code: string): string => w.c(code);
    if (this.cfg.compact) {
      w.s += `${c(FG_CYAN)}{${c(BOLD)}${c(FG_BRIGHT_CYAN)}${tid} ${scId} ${stream.id}${c(RESET)}${c(FG_CYAN)}}${c(RESET)} `;
    } else {
      const num = (n: number): string => `${c(BOLD)}${c(FG_BRIGHT_CYAN)}${n}${c(RESET)}${c(FG_CYAN)}`;
      w.s += `${c(FG_CYAN)}{Trace ${num(tid)}, Stream class ID ${num(scId)}, Stream ID ${num(stream.id)}}${c(RESET)}\n`;
    }
  }

  private writeTrace(w: Writer, trace: IrTrace): void {
    const cfg = this.cfg;
    w.ind();
    w.objTypeName("Trace");
    if (cfg.withTraceName && trace.name !== undefined && trace.name !== "") {
      w.s += " `";
      w.strValue(trace.name);
      w.s += "`";
    }
    let printedProp = false;
    const open = (): void => {
      if (!printedProp) {
        w.s += ":\n";
        printedProp = true;
      }
    };
    if (cfg.mip === 1) {
      const ns = traceNamespace(trace);
      const uid = cfg.withUid ? (trace.uid ?? trace.uuid) : undefined;
      if (ns !== undefined || uid !== undefined) {
        w.s += " (";
        if (ns !== undefined) {
          w.s += "Namespace `";
          w.strValue(ns);
          w.s += "`";
          if (uid !== undefined) w.s += ", ";
        }
        if (uid !== undefined) {
          w.s += "UID `";
          w.strValue(uid);
          w.s += "`";
        }
        w.s += ")";
      }
    }
    w.indent += 2;
    if (cfg.mip === 0 && cfg.withUuid && trace.uuid !== undefined) {
      open();
      w.strPropLine("UUID", trace.uuid);
    }
    if (trace.env.length > 0) {
      open();
      w.ind();
      w.propName("Environment");
      w.s += " (";
      w.uintValue(trace.env.length);
      w.s += ` entr${trace.env.length === 1 ? "y" : "ies"}):\n`;
      w.indent += 2;
      for (const [k, v] of [...trace.env].sort((a, b) => byteCompare(a[0], b[0]))) {
        w.memberName(k);
        w.sp();
        if (typeof v === "string") w.strValue(v);
        else w.intValue(v);
        w.nl();
      }
      w.indent -= 2;
    }
    const listed = (trace as { streams?: readonly IrStream[] }).streams ?? this.seenStreams.get(trace) ?? [];
    const streams = [...listed].sort((a, b) => a.id - b.id || a.streamClass.id - b.streamClass.id);
    if (streams.length > 0) open();
    for (const s of streams) {
      w.ind();
      w.objTypeName("Stream");
      w.s += " (ID ";
      w.uintValue(s.id);
      w.s += ", Class ID ";
      w.uintValue(s.streamClass.id);
      w.s += ")\n";
    }
    w.indent -= 2;
    if (!printedProp) w.nl();
  }

  private writeMessage(msg: Message): string {
    const cfg = this.cfg;
    const w = new Writer(cfg);
    const stream = msg.stream;
    const sc = stream.streamClass;
    switch (msg.kind) {
      case MessageKind.Event: {
        const ec = msg.eventClass!;
        this.tryWriteMeta(w, sc, ec);
        if (!cfg.withData) break;
        if (w.s.length > 0) w.nl();
        if (sc.defaultClock) this.writeTime(w, msg.cs);
        this.writeFollowTag(w, stream);
        w.objTypeName("Event");
        if (ec.name !== undefined) w.s += ` \`${w.c(FG_GREEN)}${ec.name}${w.c(RESET)}\``;
        w.s += " (";
        if (!cfg.compact) w.s += "Class ID ";
        w.uintValue(ec.id);
        w.s += ")";
        if (cfg.compact) {
          w.nl();
          break;
        }
        w.s += ":\n";
        w.indent += 2;
        if (sc.eventCommonContext && msg.commonContext) {
          writeRootField(w, "Common context", sc.eventCommonContext, msg.commonContext);
        }
        if (ec.specContext && msg.specContext) writeRootField(w, "Specific context", ec.specContext, msg.specContext);
        if (ec.payload && msg.payload) writeRootField(w, "Payload", ec.payload, msg.payload);
        w.indent -= 2;
        break;
      }
      case MessageKind.StreamBeginning: {
        let seen = this.seenStreams.get(stream.trace);
        if (!seen) this.seenStreams.set(stream.trace, (seen = []));
        if (!seen.includes(stream)) seen.push(stream);
        this.tryWriteMeta(w, sc, undefined);
        if (!cfg.withData) break;
        if (w.s.length > 0) w.nl();
        if (sc.defaultClock) {
          if (msg.cs) this.writeTime(w, msg.cs);
          else this.writeTimeStr(w, "Unknown");
        }
        this.writeFollowTag(w, stream);
        w.objTypeName("Stream beginning");
        if (cfg.compact) {
          w.nl();
          break;
        }
        w.s += ":\n";
        w.indent += 2;
        if (cfg.withStreamName && stream.name !== undefined) w.strPropLine("Name", stream.name);
        if (cfg.withStreamClassName && sc.name !== undefined) w.strPropLine("Class name", sc.name);
        this.writeTrace(w, stream.trace);
        w.indent -= 2;
        break;
      }
      case MessageKind.StreamEnd:
        if (!cfg.withData) break;
        if (sc.defaultClock) {
          if (msg.cs) this.writeTime(w, msg.cs);
          else this.writeTimeStr(w, "Unknown");
        }
        this.writeFollowTag(w, stream);
        w.objTypeName("Stream end\n");
        break;
      case MessageKind.PacketBeginning: {
        if (!cfg.withData) break;
        if (sc.packetsHaveBeginningCs) this.writeTime(w, msg.cs);
        this.writeFollowTag(w, stream);
        w.objTypeName("Packet beginning");
        if (cfg.compact) {
          w.nl();
          break;
        }
        const ctxValue = msg.packet?.context;
        if (sc.packetContext && ctxValue) {
          w.s += ":\n";
          w.indent += 2;
          writeRootField(w, "Context", sc.packetContext, ctxValue);
          w.indent -= 2;
        } else {
          w.nl();
        }
        break;
      }
      case MessageKind.PacketEnd:
        if (!cfg.withData) break;
        if (sc.packetsHaveEndCs) this.writeTime(w, msg.cs);
        this.writeFollowTag(w, stream);
        w.objTypeName("Packet end");
        w.nl();
        break;
      case MessageKind.DiscardedEvents:
      case MessageKind.DiscardedPackets: {
        if (!cfg.withData) break;
        const isEvents = msg.kind === MessageKind.DiscardedEvents;
        const haveCs = isEvents ? sc.discardedEventsHaveCs : sc.discardedPacketsHaveCs;
        if (haveCs) {
          this.writeTime(w, msg.cs);
          this.writeTime(w, msg.endCs);
        }
        this.writeFollowTag(w, stream);
        const name = isEvents ? "events" : "packets";
        w.objTypeName("Discarded ");
        w.objTypeName(name);
        if (msg.count < 0) {
          w.nl();
          break;
        }
        w.s += " (";
        w.uintValue(msg.count);
        w.s += ` ${name})\n`;
        break;
      }
      case MessageKind.Inactivity: {
        this.writeTime(w, msg.cs);
        w.objTypeName("Message iterator inactivity");
        if (cfg.compact) {
          w.nl();
          break;
        }
        w.s += ":\n";
        w.indent += 2;
        w.ind();
        w.propName("Clock class");
        w.s += ":\n";
        w.indent += 2;
        if (sc.defaultClock) writeClockClass(w, sc.defaultClock);
        w.indent -= 4;
        break;
      }
    }
    if (this.printedSomething && !cfg.compact && w.s.length > 0) return `\n${w.s}`;
    return w.s;
  }
}

/**
 * `sink.text.details`: prints every message and metadata object in full.
 *
 * @example
 * graph.addComponent(detailsSinkClass, "details", parseParams("with-trace-name=no"));
 */
export const detailsSinkClass: ComponentClass = {
  type: "sink",
  name: "details",
  plugin: "text",
  description: "Print messages with details.",
  help: "See the babeltrace2-sink.text.details(7) manual page.",
  create(params: MapValue, ctx: ComponentContext): SinkComponent {
    return new DetailsSink(readConfig(params, ctx), ctx);
  },
};
