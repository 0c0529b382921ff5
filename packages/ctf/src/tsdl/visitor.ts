/**
 * TSDL AST -> CTF metadata model (CTF 1.8 §7.3; babeltrace2's
 * visitor-generate-ir rules). Resolves type aliases in lexical scopes,
 * computes alignments, assigns defaults, resolves sequence-length and
 * variant-tag paths, and applies babeltrace2's meaning/IR rules
 * (`meta-update.ts`). Errors name the metadata line.
 */
import { FormatError } from "@ttng/base";
import type {
  ByteOrder,
  ClockClass,
  EnumMapping,
  EnvValue,
  EventClass,
  FieldClass,
  IntFC,
  NamedFC,
  StreamClass,
  StructFC,
  TraceClass,
} from "../model.js";
import type { AstDeclarator, AstEntry, AstTypeSpec, AstValue } from "./ast.js";
import { parseTsdl } from "./parser.js";
import { finalizeTraceClass } from "./meta-update.js";
import { cloneFc } from "./clone.js";

export interface DecoderConfig {
  /** `clock-class-offset-s` parameter. */
  clockOffsetSeconds?: number;
  /** `clock-class-offset-ns` parameter. */
  clockOffsetNs?: number;
  /** `force-clock-class-origin-unix-epoch` parameter. */
  forceOriginUnixEpoch?: boolean;
}

function semErr(line: number, message: string): FormatError {
  return new FormatError("ERR_METADATA", `At line ${line} in metadata stream: ${message}`, { actor: "source.ctf.fs" });
}

/** Runs `visit`; an error raised below the visitor (a field class copy) gets `line`. */
function withLine(line: number, visit: () => void): void {
  try {
    visit();
  } catch (err) {
    if (err instanceof FormatError && !err.message.startsWith("At line ")) throw semErr(line, err.message);
    throw err;
  }
}

class Scope {
  readonly aliases = new Map<string, FieldClass>();
  readonly structs = new Map<string, StructFC>();
  readonly variants = new Map<string, FieldClass>();
  readonly enums = new Map<string, FieldClass>();
  constructor(readonly parent: Scope | undefined) {}
  lookup<K extends "aliases" | "structs" | "variants" | "enums">(kind: K, name: string): FieldClass | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s[kind].get(name);
      if (v) return v;
    }
    return undefined;
  }
}

function valueToInt(v: AstValue, what: string): number | bigint {
  if (v.k !== "int") throw semErr(v.line, `Unexpected value for ${what}: expecting an integer constant.`);
  if (v.big !== undefined) return v.negative ? -v.big : v.big;
  return v.negative ? -v.value : v.value;
}

function valueToUint(v: AstValue, what: string): number {
  if (v.k !== "int" || v.negative)
    throw semErr(v.line, `Unexpected unary expression for ${what}: expecting an unsigned integer constant.`);
  return v.value;
}

function valueToBool(v: AstValue, what: string): boolean {
  if (v.k === "int") return v.value !== 0;
  if (v.k === "path" && v.parts.length === 1) {
    const s = v.parts[0]!;
    if (s === "true" || s === "TRUE") return true;
    if (s === "false" || s === "FALSE") return false;
  }
  throw semErr(v.line, `Unexpected unary expression for ${what}: expecting a boolean.`);
}

function valueToIdentOrString(v: AstValue): string | undefined {
  if (v.k === "string") return v.value;
  if (v.k === "path") return v.parts.join(".");
  return undefined;
}

function parseByteOrder(v: AstValue, traceBo: ByteOrder | undefined, allowNative: boolean): ByteOrder {
  const s = v.k === "path" && v.parts.length === 1 ? v.parts[0] : undefined;
  switch (s) {
    case "be":
    case "network":
      return "be";
    case "le":
      return "le";
    case "native":
      if (allowNative && traceBo) return traceBo;
      break;
  }
  throw semErr(v.line, `Invalid \`byte_order\` attribute: expecting \`be\`, \`le\`, \`network\`, or \`native\`.`);
}

class Visitor {
  readonly tc: TraceClass;
  private traceBo: ByteOrder | undefined;
  private isLttng = false;
  private readonly root = new Scope(undefined);

  constructor(
    private readonly ast: AstEntry[],
    private readonly config: DecoderConfig,
  ) {
    this.tc = {
      major: 1,
      minor: 8,
      uuid: undefined,
      byteOrder: "le",
      packetHeader: undefined,
      env: [],
      clocks: [],
      streamClasses: [],
      streamClassById: new Map(),
      storedValueCount: 0,
      quirks: { lttngCrash: false, lttngEventAfterPacket: false, barectfEventBeforePacket: false },
      warnings: [],
    };
  }

  private warn(line: number, message: string): void {
    this.tc.warnings.push(`At line ${line} in metadata stream: ${message}`);
  }

  run(): TraceClass {
    // The trace's byte order is needed by every `native` before the trace block (babeltrace does the same pre-scan).
    const traceBlocks = this.ast.filter((e) => e.k === "block" && e.kind === "trace");
    if (traceBlocks.length > 1) throw semErr(traceBlocks[1]!.line, "Duplicate trace (`trace` block).");
    const traceBlock = traceBlocks[0];
    if (traceBlock?.k === "block") {
      for (const e of traceBlock.body) {
        if (e.k === "assign" && e.left === "byte_order") this.traceBo = parseByteOrder(e.value, undefined, false);
      }
    }
    if (this.traceBo === undefined) {
      const line = traceBlock?.line ?? 1;
      throw semErr(line, "Missing `byte_order` attribute in trace (`trace` block).");
    }
    this.tc.byteOrder = this.traceBo;
    // babeltrace2's order: env, clocks, root declarations, trace, streams, events (whatever the text order).
    const blocks = (kind: string) => this.ast.filter((e) => e.k === "block" && e.kind === kind);
    for (const e of blocks("env")) if (e.k === "block") this.visitEnv(e.body);
    for (const e of blocks("clock")) if (e.k === "block") this.visitClock(e.body, e.line);
    for (const e of this.ast) {
      if (e.k === "typealias" || e.k === "typedef" || e.k === "field") {
        withLine(e.line, () => this.visitDeclaration(e, this.root));
      } else if (e.k === "assign" || e.k === "typeassign")
        throw semErr(e.line, "Unexpected assignment at the root of the metadata.");
    }
    for (const e of blocks("trace")) if (e.k === "block") this.visitTrace(e.body, e.line);
    for (const e of blocks("stream")) if (e.k === "block") withLine(e.line, () => this.visitStream(e.body, e.line));
    for (const e of blocks("event")) if (e.k === "block") withLine(e.line, () => this.visitEvent(e.body, e.line));
    if (!traceBlock) throw semErr(1, "Missing trace (`trace` block).");
    finalizeTraceClass(this.tc, this.isLttng);
    return this.tc;
  }

  /** typealias / typedef / bare type declarations (`struct foo {...};`). */
  private visitDeclaration(e: AstEntry, scope: Scope): void {
    if (e.k === "typealias") {
      let fc = this.typeFromSpec(e.target, scope);
      if (e.targetDecl) fc = this.applyDeclarator(fc, e.targetDecl, scope);
      if (scope.aliases.has(e.alias)) throw semErr(e.line, `Duplicate type alias: name="${e.alias}"`);
      scope.aliases.set(e.alias, fc);
    } else if (e.k === "typedef") {
      const base = this.typeFromSpec(e.type, scope);
      for (const d of e.declarators) {
        if (d.name === undefined) throw semErr(d.line, "Missing name in typedef.");
        scope.aliases.set(d.name, this.applyDeclarator(base, d, scope));
      }
    } else if (e.k === "field") {
      if (e.declarators.length > 0) throw semErr(e.line, "Unexpected field declaration at this level.");
      this.typeFromSpec(e.type, scope);
    }
  }

  private visitEnv(body: AstEntry[]): void {
    for (const e of body) {
      if (e.k !== "assign") throw semErr(e.line, "Unexpected entry in environment (`env` block).");
      let value: EnvValue;
      const v = e.value;
      if (v.k === "string") value = v.value;
      else if (v.k === "int") value = valueToInt(v, "environment entry");
      else {
        this.warn(e.line, `Unexpected unary expression for environment entry's value: name="${e.left}"`);
        continue;
      }
      if (e.left === "tracer_name" && typeof value === "string" && value.startsWith("lttng")) this.isLttng = true;
      const existing = this.tc.env.findIndex(([k]) => k === e.left);
      if (existing >= 0) this.tc.env.splice(existing, 1);
      this.tc.env.push([e.left, value]);
    }
  }

  private visitTrace(body: AstEntry[], line: number): void {
    let hasMajor = false;
    let hasMinor = false;
    const scope = new Scope(this.root);
    for (const e of body) {
      if (e.k === "assign") {
        switch (e.left) {
          case "major":
            if (valueToUint(e.value, "trace's `major` attribute") !== 1)
              throw semErr(e.line, "Invalid trace's `major` attribute: expecting 1.");
            hasMajor = true;
            break;
          case "minor":
            if (valueToUint(e.value, "trace's `minor` attribute") !== 8)
              throw semErr(e.line, "Invalid trace's `minor` attribute: expecting 1.");
            hasMinor = true;
            break;
          case "uuid": {
            const s = e.value.k === "string" ? e.value.value : "";
            if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s))
              throw semErr(e.line, "Invalid trace's `uuid` attribute.");
            this.tc.uuid = s.toLowerCase();
            break;
          }
          case "byte_order":
            break;
          default:
            this.warn(e.line, `Unknown attribute in stream class: attr-name="${e.left}"`);
        }
      } else if (e.k === "typeassign") {
        if (e.left !== "packet.header") throw semErr(e.line, `Unknown field class assignment in trace: "${e.left}"`);
        if (this.tc.packetHeader) throw semErr(e.line, "Duplicate `packet.header` entry in trace.");
        this.tc.packetHeader = this.scopeStruct(e.type, e.declarator, scope, "packet.header");
      } else {
        this.visitDeclaration(e, scope);
      }
    }
    if (!hasMajor) throw semErr(line, "Missing `major` attribute in trace (`trace` block).");
    if (!hasMinor) throw semErr(line, "Missing `minor` attribute in trace (`trace` block).");
  }

  private visitClock(body: AstEntry[], line: number): void {
    const clock: ClockClass = {
      name: "",
      description: undefined,
      frequency: 1e9,
      precision: 0,
      offsetSeconds: 0,
      offsetCycles: 0,
      originIsUnixEpoch: false,
      uuid: undefined,
    };
    let hasName = false;
    let offsetS = 0;
    let offsetCycles = 0;
    let offsetBig: bigint | undefined;
    for (const e of body) {
      if (e.k !== "assign") throw semErr(e.line, "Unexpected entry in clock class.");
      const v = e.value;
      switch (e.left) {
        case "name": {
          const s = valueToIdentOrString(v);
          if (s === undefined) throw semErr(e.line, "Unexpected unary expression for clock class's `name` attribute.");
          clock.name = s;
          hasName = true;
          break;
        }
        case "uuid":
          if (v.k !== "string") throw semErr(e.line, "Invalid clock class's `uuid` attribute.");
          clock.uuid = v.value.toLowerCase();
          break;
        case "description":
          if (v.k !== "string")
            throw semErr(e.line, "Unexpected unary expression for clock class's `description` attribute.");
          clock.description = v.value;
          break;
        case "freq": {
          const f = valueToUint(v, "clock class's `freq` attribute");
          if (f === 0) throw semErr(e.line, "Invalid clock class frequency: freq=0");
          clock.frequency = f;
          break;
        }
        case "precision":
          clock.precision = valueToUint(v, "clock class's `precision` attribute");
          break;
        case "offset_s":
          offsetS = Number(valueToInt(v, "clock class's `offset_s` attribute"));
          break;
        case "offset":
          if (v.k === "int" && !v.negative && v.big !== undefined) offsetBig = v.big;
          else offsetCycles = valueToUint(v, "clock class's `offset` attribute");
          break;
        case "absolute":
          clock.originIsUnixEpoch = valueToBool(v, "clock class's `absolute` attribute");
          break;
        default:
          this.warn(e.line, `Unknown attribute in clock class: attr-name="${e.left}"`);
      }
    }
    if (!hasName) throw semErr(line, "Missing `name` attribute in clock class.");
    if (this.tc.clocks.some((c) => c.name === clock.name))
      throw semErr(line, `Duplicate clock class: name="${clock.name}"`);
    // Old LTTng versions forgot `absolute = TRUE` on their monotonic clock (babeltrace2 quirk).
    if (this.isLttng && clock.name === "monotonic") clock.originIsUnixEpoch = true;
    if (offsetBig !== undefined) {
      // Beyond 2^53 (LTTng writes ns since the epoch here): split exactly.
      const f = BigInt(clock.frequency);
      offsetS += Number(offsetBig / f);
      offsetCycles = Number(offsetBig % f);
    }
    [offsetS, offsetCycles] = calibrate(offsetS, offsetCycles, clock.frequency);
    clock.offsetSeconds = offsetS;
    clock.offsetCycles = offsetCycles;
    this.applyClockOffset(clock);
    if (this.config.forceOriginUnixEpoch) clock.originIsUnixEpoch = true;
    this.tc.clocks.push(clock);
  }

  private applyClockOffset(clock: ClockClass): void {
    const offS = this.config.clockOffsetSeconds ?? 0;
    const offNs = this.config.clockOffsetNs ?? 0;
    if (offS === 0 && offNs === 0) return;
    let sToApply = offS;
    let nsToApply: number;
    if (offNs < 0) {
      const extraS = -(Math.trunc(-offNs / 1e9) + 1);
      nsToApply = offNs - extraS * 1e9;
      sToApply += extraS;
    } else {
      const extraS = Math.trunc(offNs / 1e9);
      nsToApply = offNs - extraS * 1e9;
      sToApply += extraS;
    }
    const cycles = clock.frequency === 1e9 ? nsToApply : Math.trunc((nsToApply * clock.frequency) / 1e9);
    [clock.offsetSeconds, clock.offsetCycles] = calibrate(
      clock.offsetSeconds + sToApply,
      clock.offsetCycles + cycles,
      clock.frequency,
    );
  }

  private visitStream(body: AstEntry[], line: number): void {
    const scope = new Scope(this.root);
    let id: number | undefined;
    const sc: StreamClass = newStreamClass(0);
    for (const e of body) {
      if (e.k === "assign") {
        if (e.left === "id") id = valueToUint(e.value, "stream class's `id` attribute");
        else this.warn(e.line, `Unknown attribute in stream class: attr-name="${e.left}"`);
      } else if (e.k === "typeassign") {
        switch (e.left) {
          case "event.header":
            sc.eventHeader = this.scopeStruct(e.type, e.declarator, scope, e.left);
            break;
          case "event.context":
            sc.eventCommonContext = this.scopeStruct(e.type, e.declarator, scope, e.left);
            break;
          case "packet.context":
            sc.packetContext = this.scopeStruct(e.type, e.declarator, scope, e.left);
            break;
          default:
            this.warn(e.line, `Unknown attribute in stream class: attr-name="${e.left}"`);
        }
      } else {
        this.visitDeclaration(e, scope);
      }
    }
    if (id === undefined) {
      if (this.hasPacketHeaderMember("stream_id")) {
        throw semErr(
          line,
          "Stream class has no `id` attribute, but trace's packet header field class has a `stream_id` field.",
        );
      }
      id = 0;
    }
    if (this.tc.streamClassById.has(id)) throw semErr(line, `Duplicate stream class (same ID): id=${id}`);
    sc.id = id;
    this.tc.streamClasses.push(sc);
    this.tc.streamClassById.set(id, sc);
  }

  private hasPacketHeaderMember(name: string): boolean {
    return this.tc.packetHeader?.members.some((m) => m.name === name) ?? false;
  }

  private visitEvent(body: AstEntry[], line: number): void {
    const scope = new Scope(this.root);
    const ec: EventClass = {
      id: 0,
      name: "",
      logLevel: undefined,
      emfUri: undefined,
      specContext: undefined,
      payload: undefined,
      streamClassId: 0,
    };
    let id: number | undefined;
    let streamId: number | undefined;
    let hasName = false;
    for (const e of body) {
      if (e.k === "assign") {
        const v = e.value;
        switch (e.left) {
          case "name": {
            const s = valueToIdentOrString(v);
            if (s === undefined)
              throw semErr(e.line, "Unexpected unary expression for event class's `name` attribute.");
            ec.name = s;
            hasName = true;
            break;
          }
          case "id":
            id = valueToUint(v, "event class's `id` attribute");
            break;
          case "stream_id":
            streamId = valueToUint(v, "event class's `stream_id` attribute");
            break;
          case "loglevel": {
            const l = valueToInt(v, "event class's `loglevel` attribute");
            if (typeof l === "number" && l >= 0 && l <= 14) ec.logLevel = l;
            else this.warn(e.line, `Not setting event class's log level because its value is unknown: log-level=${l}`);
            break;
          }
          case "model.emf.uri":
            if (v.k !== "string")
              throw semErr(e.line, "Unexpected unary expression for event class's `model.emf.uri` attribute.");
            ec.emfUri = v.value;
            break;
          default:
            this.warn(e.line, `Unknown attribute in event class: attr-name="${e.left}"`);
        }
      } else if (e.k === "typeassign") {
        if (e.left === "context") ec.specContext = this.scopeStruct(e.type, e.declarator, scope, e.left);
        else if (e.left === "fields") ec.payload = this.scopeStruct(e.type, e.declarator, scope, e.left);
        else this.warn(e.line, `Unknown attribute in event class: attr-name="${e.left}"`);
      } else {
        this.visitDeclaration(e, scope);
      }
    }
    if (!hasName) throw semErr(line, "Missing `name` attribute in event class.");
    let sc: StreamClass | undefined;
    if (streamId === undefined) {
      if (this.tc.streamClasses.length === 0) {
        if (this.hasPacketHeaderMember("stream_id")) {
          // The event's stream class may be declared later; babeltrace requires it now.
          throw semErr(line, "Missing `stream_id` attribute in event class.");
        }
        sc = newStreamClass(0);
        this.tc.streamClasses.push(sc);
        this.tc.streamClassById.set(0, sc);
      } else if (this.tc.streamClasses.length === 1) {
        sc = this.tc.streamClasses[0]!;
      } else {
        throw semErr(line, "Missing `stream_id` attribute in event class.");
      }
    } else {
      sc = this.tc.streamClassById.get(streamId);
      if (!sc) throw semErr(line, `Cannot find stream class at this point: id=${streamId}`);
    }
    if (id === undefined) {
      if (sc.eventClasses.length > 0) throw semErr(line, "Missing `id` attribute in event class.");
      id = 0;
    }
    if (sc.eventClassById.has(id))
      throw semErr(line, `Duplicate event class (same ID) in the same stream class: id=${id}`);
    ec.id = id;
    ec.streamClassId = sc.id;
    sc.eventClasses.push(ec);
    sc.eventClassById.set(id, ec);
  }

  /** A dynamic scope's field class: must be a structure. */
  private scopeStruct(spec: AstTypeSpec, decl: AstDeclarator | undefined, scope: Scope, what: string): StructFC {
    let fc = this.typeFromSpec(spec, scope);
    if (decl) fc = this.applyDeclarator(fc, decl, scope);
    if (fc.kind !== "struct") throw semErr(spec.line, `\`${what}\` entry is not a structure field class.`);
    return fc;
  }

  /** Returns a fresh field class (never shared) for a type specifier. */
  typeFromSpec(spec: AstTypeSpec, scope: Scope): FieldClass {
    switch (spec.k) {
      case "integer":
        return this.visitInteger(spec.attrs, spec.line);
      case "floating_point":
        return this.visitFloat(spec.attrs, spec.line);
      case "string": {
        let encoding: "none" | "utf8" = "utf8";
        for (const a of spec.attrs ?? []) {
          if (a.k === "assign" && a.left === "encoding") encoding = parseEncoding(a.value);
          else if (a.k === "assign")
            this.warn(a.line, `Unknown attribute in string field class: attr-name="${a.left}"`);
        }
        return { kind: "string", alignBits: 8, inIr: false, encoding };
      }
      case "named": {
        const fc = scope.lookup("aliases", spec.name);
        if (!fc) throw semErr(spec.line, `Cannot find field class alias: name="${spec.name}"`);
        return cloneFc(fc);
      }
      case "struct": {
        if (spec.body === undefined) {
          const fc = scope.lookup("structs", spec.name!);
          if (!fc) throw semErr(spec.line, `Cannot find structure field class: name="struct ${spec.name}"`);
          return cloneFc(fc);
        }
        const inner = new Scope(scope);
        const members: NamedFC[] = [];
        for (const e of spec.body) {
          if (e.k === "field" && e.declarators.length > 0) {
            const base = this.typeFromSpec(e.type, inner);
            for (const d of e.declarators) {
              if (d.name === undefined) throw semErr(d.line, "Missing field name.");
              const fc = this.applyDeclarator(base, d, inner, true);
              if (members.some((m) => m.origName === d.name))
                throw semErr(d.line, `Duplicate field in structure field class: field-name="${d.name}"`);
              members.push(named(d.name, fc));
            }
          } else if (e.k === "typealias" || e.k === "typedef" || e.k === "field") {
            this.visitDeclaration(e, inner);
          } else {
            throw semErr(e.line, "Unexpected entry in structure field class.");
          }
        }
        let minAlign = 1;
        if (spec.align) {
          minAlign = valueToUint(spec.align, "structure field class's alignment");
          if (!isPow2(minAlign)) throw semErr(spec.line, `Invalid alignment: ${minAlign}`);
        }
        const fc: StructFC = { kind: "struct", alignBits: minAlign, inIr: false, members };
        if (spec.name !== undefined) {
          if (scope.structs.has(spec.name))
            throw semErr(spec.line, `Duplicate structure field class: name="struct ${spec.name}"`);
          scope.structs.set(spec.name, cloneFc(fc) as StructFC);
        }
        return fc;
      }
      case "variant": {
        let fc: FieldClass;
        if (spec.body === undefined) {
          const found = scope.lookup("variants", spec.name!);
          if (!found) throw semErr(spec.line, `Cannot find variant field class: name="variant ${spec.name}"`);
          fc = cloneFc(found);
        } else {
          const inner = new Scope(scope);
          const options: NamedFC[] = [];
          for (const e of spec.body) {
            if (e.k === "field" && e.declarators.length > 0) {
              const base = this.typeFromSpec(e.type, inner);
              for (const d of e.declarators) {
                if (d.name === undefined) throw semErr(d.line, "Missing option name.");
                if (options.some((o) => o.origName === d.name))
                  throw semErr(d.line, `Duplicate option in variant field class: option-name="${d.name}"`);
                options.push(named(d.name, this.applyDeclarator(base, d, inner, true)));
              }
            } else if (e.k === "typealias" || e.k === "typedef" || e.k === "field") {
              this.visitDeclaration(e, inner);
            } else {
              throw semErr(e.line, "Unexpected entry in variant field class.");
            }
          }
          fc = {
            kind: "variant",
            alignBits: 1,
            inIr: false,
            tagPath: "",
            tagRef: undefined,
            tagFc: undefined,
            options,
            ranges: [],
          };
          if (spec.name !== undefined) {
            if (scope.variants.has(spec.name))
              throw semErr(spec.line, `Duplicate variant field class: name="variant ${spec.name}"`);
            scope.variants.set(spec.name, cloneFc(fc));
          }
        }
        if (fc.kind === "variant" && spec.tag !== undefined) {
          if (fc.tagPath !== "") throw semErr(spec.line, "Variant field class already has a tag.");
          fc.tagPath = spec.tag;
        }
        return fc;
      }
      case "enum": {
        if (spec.enumerators === undefined) {
          const found = scope.lookup("enums", spec.name!);
          if (!found) throw semErr(spec.line, `Cannot find enumeration field class: name="enum ${spec.name}"`);
          return cloneFc(found);
        }
        let container: FieldClass;
        if (spec.container) container = this.typeFromSpec(spec.container, scope);
        else {
          const intFc = scope.lookup("aliases", "int");
          if (!intFc)
            throw semErr(spec.line, "Cannot find implicit `int` field class alias for enumeration field class.");
          container = cloneFc(intFc);
        }
        if (container.kind !== "int" || container.mappings !== undefined)
          throw semErr(spec.line, "Container field class for enumeration field class is not an integer field class.");
        const mappings: EnumMapping[] = [];
        let next: number | bigint = 0;
        for (const en of spec.enumerators) {
          let lo: number | bigint;
          let hi: number | bigint;
          if (en.lo === undefined) {
            lo = next;
            hi = next;
          } else {
            lo = valueToInt(en.lo, "enumeration field class mapping");
            hi = en.hi === undefined ? lo : valueToInt(en.hi, "enumeration field class mapping");
          }
          if (lo > hi) [lo, hi] = [hi, lo];
          checkEnumRange(container, lo, en.line);
          checkEnumRange(container, hi, en.line);
          next = typeof hi === "bigint" ? hi + 1n : hi + 1;
          if (typeof next === "number" && !Number.isSafeInteger(next)) next = BigInt(hi) + 1n;
          let m = mappings.find((x) => x.label === en.label);
          if (!m) {
            m = { label: en.label, ranges: [] };
            mappings.push(m);
          }
          m.ranges.push([lo, hi]);
        }
        const fc: IntFC = { ...container, mappings };
        if (spec.name !== undefined) {
          if (scope.enums.has(spec.name))
            throw semErr(spec.line, `Duplicate enumeration field class: name="enum ${spec.name}"`);
          scope.enums.set(spec.name, cloneFc(fc));
        }
        return fc;
      }
    }
  }

  private applyDeclarator(base: FieldClass, d: AstDeclarator, _scope: Scope, _isField = false): FieldClass {
    if (d.pointer) throw semErr(d.line, "Pointers are not supported.");
    let fc = base;
    for (let i = d.lengths.length - 1; i >= 0; i--) {
      const len = d.lengths[i]!;
      const element = fc;
      if (len.k === "int") {
        fc = { kind: "array", alignBits: 1, inIr: false, element, length: len.value, isText: false, isUuid: false };
      } else {
        fc = {
          kind: "sequence",
          alignBits: 1,
          inIr: false,
          element,
          lengthPath: len.path,
          lengthRef: undefined,
          lengthFc: undefined,
          isText: false,
        };
      }
      if (i > 0) fc = cloneFc(fc);
    }
    return d.lengths.length > 0 ? fc : cloneFc(base);
  }

  private visitInteger(attrs: AstEntry[], line: number): IntFC {
    let size: number | undefined;
    let align: number | undefined;
    let signed = false;
    let byteOrder = this.traceBo!;
    let base: 2 | 8 | 10 | 16 = 10;
    let encoding: "none" | "utf8" = "none";
    let mapClockName: string | undefined;
    const seen = new Set<string>();
    for (const a of attrs) {
      if (a.k !== "assign") throw semErr(a.line, "Unexpected field class assignment in integer field class.");
      if (seen.has(a.left)) throw semErr(a.line, `Duplicate attribute in integer field class: attr-name="${a.left}"`);
      seen.add(a.left);
      const v = a.value;
      switch (a.left) {
        case "size":
          size = valueToUint(v, "integer field class's `size` attribute");
          if (size < 1 || size > 64)
            throw semErr(
              a.line,
              `Invalid integer field class's \`size\` attribute: expecting a value between 1 and 64: size=${size}`,
            );
          break;
        case "align":
          align = valueToUint(v, "integer field class's `align` attribute");
          if (!isPow2(align)) throw semErr(a.line, `Invalid alignment: ${align}`);
          break;
        case "signed":
          signed = valueToBool(v, "integer field class's `signed` attribute");
          break;
        case "byte_order":
          byteOrder = parseByteOrder(v, this.traceBo, true);
          break;
        case "base":
          base = parseBase(v);
          break;
        case "encoding":
          encoding = parseEncoding(v);
          break;
        case "map":
          if (v.k === "path" && v.parts.length === 3 && v.parts[0] === "clock" && v.parts[2] === "value") {
            mapClockName = v.parts[1];
          } else {
            this.warn(a.line, "Unexpected unary expression for integer field class's `map` attribute.");
          }
          break;
        default:
          this.warn(a.line, `Unknown attribute in integer field class: attr-name="${a.left}"`);
      }
    }
    if (size === undefined) throw semErr(line, "Missing `size` attribute in integer field class.");
    let mappedClock: ClockClass | undefined;
    if (mapClockName !== undefined) {
      mappedClock = this.tc.clocks.find((c) => c.name === mapClockName);
      if (!mappedClock) throw semErr(line, `Invalid clock class name in \`map\` attribute: name="${mapClockName}"`);
    }
    return {
      kind: "int",
      alignBits: align ?? (size % 8 === 0 ? 8 : 1),
      inIr: false,
      sizeBits: size,
      signed,
      byteOrder,
      base,
      encoding,
      mappedClock,
      meaning: "none",
      storingIndex: -1,
      mappings: undefined,
    };
  }

  private visitFloat(attrs: AstEntry[], line: number): FieldClass {
    let exp = 0;
    let mant = 0;
    let align: number | undefined;
    let byteOrder = this.traceBo!;
    for (const a of attrs) {
      if (a.k !== "assign")
        throw semErr(a.line, "Unexpected field class assignment in floating point number field class.");
      const v = a.value;
      switch (a.left) {
        case "exp_dig":
          exp = valueToUint(v, "floating point number field class's `exp_dig` attribute");
          break;
        case "mant_dig":
          mant = valueToUint(v, "floating point number field class's `mant_dig` attribute");
          break;
        case "align":
          align = valueToUint(v, "floating point number field class's `align` attribute");
          if (!isPow2(align)) throw semErr(a.line, `Invalid alignment: ${align}`);
          break;
        case "byte_order":
          byteOrder = parseByteOrder(v, this.traceBo, true);
          break;
        default:
          this.warn(a.line, `Unknown attribute in floating point number field class: attr-name="${a.left}"`);
      }
    }
    if (!exp) throw semErr(line, "Missing `exp_dig` attribute in floating point number field class.");
    if (!mant) throw semErr(line, "Missing `mant_dig` attribute in floating point number field class.");
    let sizeBits: 32 | 64;
    if (mant === 24 && exp === 8) sizeBits = 32;
    else if (mant === 53 && exp === 11) sizeBits = 64;
    else if (mant === 24) throw semErr(line, "`exp_dig` attribute: expecting 8 because `mant_dig` is 24.");
    else if (mant === 53) throw semErr(line, "`exp_dig` attribute: expecting 11 because `mant_dig` is 53.");
    else throw semErr(line, "`mant_dig` attribute: expecting 24 or 53.");
    return { kind: "float", alignBits: align ?? ((mant + exp) % 8 ? 1 : 8), inIr: false, sizeBits, byteOrder };
  }
}

function newStreamClass(id: number): StreamClass {
  return {
    id,
    packetContext: undefined,
    eventHeader: undefined,
    eventCommonContext: undefined,
    eventClasses: [],
    eventClassById: new Map(),
    defaultClock: undefined,
    packetsHaveTsBegin: false,
    packetsHaveTsEnd: false,
    hasDiscardedEvents: false,
    hasDiscardedPackets: false,
    discardedEventsHaveTs: false,
    discardedPacketsHaveTs: false,
  };
}

function named(origName: string, fc: FieldClass): NamedFC {
  return { name: origName.startsWith("_") ? origName.slice(1) : origName, origName, fc };
}

function isPow2(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0 && Number.isSafeInteger(n);
}

function calibrate(s: number, cycles: number, freq: number): [number, number] {
  if (cycles >= freq) {
    const extra = Math.floor(cycles / freq);
    return [s + extra, cycles - extra * freq];
  }
  return [s, cycles];
}

function checkEnumRange(container: IntFC, v: number | bigint, line: number): void {
  const b = BigInt(v);
  const size = BigInt(container.sizeBits);
  const [min, max] = container.signed ? [-(1n << (size - 1n)), (1n << (size - 1n)) - 1n] : [0n, (1n << size) - 1n];
  if (b < min || b > max) {
    throw semErr(
      line,
      `Enumeration field class mapping value is out of the container's range: value=${b}, container-size=${container.sizeBits}`,
    );
  }
}

function parseEncoding(v: AstValue): "none" | "utf8" {
  const s = v.k === "path" ? v.parts.join(".") : v.k === "string" ? v.value : "";
  switch (s) {
    case "UTF8":
    case "utf8":
    case "ASCII":
    case "ascii":
      return "utf8";
    case "none":
      return "none";
  }
  throw semErr(v.line, `Invalid \`encoding\` attribute: expecting \`UTF8\`, \`ASCII\`, or \`none\`.`);
}

function parseBase(v: AstValue): 2 | 8 | 10 | 16 {
  if (v.k === "int" && !v.negative) {
    if (v.value === 2 || v.value === 8 || v.value === 10 || v.value === 16) return v.value;
  } else if (v.k === "path" && v.parts.length === 1) {
    switch (v.parts[0]) {
      case "decimal":
      case "dec":
      case "d":
      case "i":
      case "u":
        return 10;
      case "hexadecimal":
      case "hex":
      case "x":
      case "X":
      case "p":
        return 16;
      case "octal":
      case "oct":
      case "o":
        return 8;
      case "binary":
      case "b":
        return 2;
    }
  }
  throw semErr(v.line, "Invalid `base` attribute: expecting 2, 8, 10, or 16.");
}

/**
 * Parses CTF 1.8 metadata text into a trace class.
 *
 * @example
 * const tc = traceClassFromTsdl(text); // tc.streamClasses[0].eventClasses ...
 */
export function traceClassFromTsdl(text: string, config: DecoderConfig = {}): TraceClass {
  return new Visitor(parseTsdl(text), config).run();
}
