/**
 * Trace IR -> the CTF 1.8 output model (`OutTrace`), with babeltrace2
 * 2.0.4 `sink.ctf.fs`'s rules: structure members are always written with a
 * leading `_` (readers strip one), variant options only when they start
 * with `_` or are TSDL keywords; a sequence length or variant tag that is
 * an earlier field is referenced by its name when an enclosing structure
 * has it, else by its absolute path; otherwise (no length field, a tag that
 * is not a matching enumeration, an option) the writer adds the field
 * itself just before (`__NAME_len`, `__NAME_tag`). Bool and bit array
 * classes become unsigned integers. Where babeltrace2 2.0.4 gives up or
 * crashes on a variant whose options cannot name their tag's labels,
 * this writes the tag itself. Browser-safe (no node:*).
 */
import { TtngError } from "@ttng/base";
import {
  type OutClock,
  type OutEventClass,
  type OutFieldClass,
  type OutNamedFieldClass,
  type OutStreamClass,
  type OutStruct,
  type OutTrace,
  TSDL_RESERVED_WORDS,
} from "@ttng/ctf";
import type {
  IrClockClass,
  IrEventClass,
  IrFieldClass,
  IrFieldPath,
  IrScope,
  IrStreamClass,
  IrTrace,
} from "@ttng/graph";

export const SINK_ACTOR = "sink.ctf.fs";

/** A TSDL identifier that is not a keyword. */
export function isValidIdentifier(name: string): boolean {
  if (TSDL_RESERVED_WORDS.has(name)) return false;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

function mustProtect(name: string): boolean {
  return TSDL_RESERVED_WORDS.has(name) || name.startsWith("_");
}

const PACKET_CONTEXT_RESERVED = [
  "packet_size",
  "content_size",
  "timestamp_begin",
  "timestamp_end",
  "events_discarded",
  "packet_seq_num",
];

function fail(message: string): TtngError {
  return new TtngError("ERR_UNSUPPORTED", message, { actor: SINK_ACTOR });
}

interface PathElem {
  /** TSDL name of this element, undefined for array elements, option contents and scope roots. */
  name: string | undefined;
  /** The output class that contains this element (undefined for a scope root). */
  parent: OutFieldClass | undefined;
}

interface Scopes {
  "packet-context"?: OutStruct | undefined;
  "event-common-context"?: OutStruct | undefined;
  "event-specific-context"?: OutStruct | undefined;
  "event-payload"?: OutStruct | undefined;
}

const ABSOLUTE_PREFIX: Record<IrScope, string> = {
  "packet-context": "stream.packet.context",
  "event-common-context": "stream.event.context",
  "event-specific-context": "event.context",
  "event-payload": "event.fields",
};

class ScopeTranslator {
  private readonly stack: PathElem[] = [];

  constructor(
    private readonly scopes: Scopes,
    private readonly scope: IrScope,
    /** True when writing CTF 2, which has BLOBs and unnamed variant options. */
    private readonly ctf2: boolean,
  ) {}

  /** The output class an IR path points to, and the name of its last named item. */
  private target(path: IrFieldPath): { fc: OutFieldClass; name: string | undefined; names: string[] | undefined } {
    const root = this.scopes[path.root];
    if (!root) throw fail(`Cannot find the field a field path points to: scope=${path.root}`);
    let fc: OutFieldClass = root;
    let name: string | undefined;
    let names: string[] | undefined = [];
    for (const item of path.items) {
      if (item === -1) {
        if (fc.kind !== "array" && fc.kind !== "sequence") throw fail("Invalid field path: array item");
        fc = fc.element;
        names = undefined;
        continue;
      }
      let named: OutNamedFieldClass | undefined;
      if (fc.kind === "struct") named = fc.members[item];
      else if (fc.kind === "variant") named = fc.options[item];
      if (!named) throw fail(`Invalid field path: no item ${item}`);
      fc = named.fc;
      name = named.name;
      names?.push(named.name);
    }
    return { fc, name, names };
  }

  /** A TSDL reference to the field at `path`, or undefined when TSDL cannot name it from here. */
  private reference(path: IrFieldPath): { ref: string; fc: OutFieldClass } | undefined {
    const t = this.target(path);
    if (path.root === this.scope && t.name !== undefined) {
      // Relative: the first enclosing structure (or variant) that has a member of this name.
      for (let i = this.stack.length - 1; i >= 0; i--) {
        const parent = this.stack[i]!.parent;
        if (!parent) break;
        if (parent.kind === "array" || parent.kind === "sequence") continue;
        if (parent.kind !== "struct" && parent.kind !== "variant") break;
        const list = parent.kind === "struct" ? parent.members : parent.options;
        const hit = list.find((m) => m.name === t.name);
        if (hit) {
          if (hit.fc === t.fc) return { ref: t.name, fc: t.fc };
          break;
        }
      }
    }
    if (t.names === undefined) return undefined;
    return { ref: [ABSOLUTE_PREFIX[path.root], ...t.names].join("."), fc: t.fc };
  }

  private push(name: string | undefined, parent: OutFieldClass | undefined): void {
    if (name !== undefined) {
      if (
        this.scope === "packet-context" &&
        PACKET_CONTEXT_RESERVED.some((r) => name === r || name === `_${r}` || name === `__${r}`)
      ) {
        throw fail(
          `Unsupported reserved TSDL structure field class member or variant field class option name: name="${name}"`,
        );
      }
      if (!isValidIdentifier(name)) {
        throw fail(
          `Unsupported non-TSDL structure field class member or variant field class option name: name="${name}"`,
        );
      }
    }
    this.stack.push({ name, parent });
  }

  translateScope(ir: IrFieldClass & { kind: "struct" }, root: OutStruct): void {
    this.push(undefined, undefined);
    this.structMembers(ir, root);
    this.stack.pop();
    setFieldRefs(root, undefined, undefined);
  }

  private structMembers(ir: IrFieldClass & { kind: "struct" }, out: OutStruct): void {
    for (const m of ir.members) {
      const name = `_${m.name}`;
      this.push(name, out);
      const named: OutNamedFieldClass = { name, fc: PLACEHOLDER, slot: m.slot };
      out.members.push(named);
      named.fc = this.fieldClass(m.fc, (fc) => {
        named.fc = fc;
      });
      out.alignBits = Math.max(out.alignBits, named.fc.alignBits);
      this.stack.pop();
    }
  }

  /** Translates `ir`; `attach` puts the new class in its parent before its own children are translated. */
  private fieldClass(ir: IrFieldClass, attach: (fc: OutFieldClass) => void): OutFieldClass {
    switch (ir.kind) {
      case "bool": {
        const fc: OutFieldClass = {
          kind: "int",
          sizeBits: 8,
          alignBits: 8,
          signed: false,
          base: 10,
          mappings: undefined,
          origin: "bool",
        };
        attach(fc);
        return fc;
      }
      case "bit-array": {
        const fc: OutFieldClass = {
          kind: "int",
          sizeBits: ir.length,
          alignBits: ir.length % 8 === 0 ? 8 : 1,
          signed: false,
          base: 16,
          mappings: undefined,
          origin: "bit-array",
          flags: ir.flags?.map((m) => ({ label: m.label, ranges: m.ranges.map(([a, b]) => [a, b]) })),
        };
        attach(fc);
        return fc;
      }
      case "int": {
        const fc: OutFieldClass = {
          kind: "int",
          sizeBits: ir.length,
          alignBits: ir.length % 8 === 0 ? 8 : 1,
          signed: ir.signed,
          base: ir.base,
          mappings: ir.mappings?.map((m) => ({ label: m.label, ranges: m.ranges.map(([a, b]) => [a, b]) })),
          origin: "int",
        };
        attach(fc);
        return fc;
      }
      case "real": {
        const fc: OutFieldClass = { kind: "float", sizeBits: ir.single ? 32 : 64, alignBits: 8 };
        attach(fc);
        return fc;
      }
      case "string": {
        const fc: OutFieldClass = { kind: "string", alignBits: 8 };
        attach(fc);
        return fc;
      }
      case "struct": {
        const fc: OutStruct = { kind: "struct", members: [], alignBits: 1 };
        attach(fc);
        this.structMembers(ir, fc);
        return fc;
      }
      case "static-array": {
        const fc = { kind: "array", element: PLACEHOLDER, length: ir.length, alignBits: 1 } as OutFieldClass & {
          kind: "array";
        };
        attach(fc);
        this.push(undefined, fc);
        fc.element = this.fieldClass(ir.element, (e) => {
          fc.element = e;
        });
        fc.alignBits = fc.element.alignBits;
        this.stack.pop();
        return fc;
      }
      case "dynamic-array": {
        let lengthRef = "";
        let lengthBefore = true;
        if (ir.lengthPath) {
          const r = this.reference(ir.lengthPath);
          if (r && r.fc.kind === "int") {
            lengthRef = r.ref;
            lengthBefore = false;
          }
        }
        const fc = {
          kind: "sequence",
          element: PLACEHOLDER,
          lengthRef,
          lengthBefore,
          alignBits: 1,
        } as OutFieldClass & { kind: "sequence" };
        attach(fc);
        this.push(undefined, fc);
        fc.element = this.fieldClass(ir.element, (e) => {
          fc.element = e;
        });
        fc.alignBits = fc.element.alignBits;
        this.stack.pop();
        return fc;
      }
      case "option": {
        const fc = { kind: "option", content: PLACEHOLDER, tagRef: "", alignBits: 1 } as OutFieldClass & {
          kind: "option";
        };
        attach(fc);
        this.push(undefined, fc);
        fc.content = this.fieldClass(ir.content, (c) => {
          fc.content = c;
        });
        fc.alignBits = fc.content.alignBits;
        this.stack.pop();
        return fc;
      }
      case "variant":
        return this.variant(ir, attach);
      case "blob": {
        // MIP 1 BLOBs (CTF 2 input) have no CTF 1.8 equivalent: only the CTF 2 writer carries them.
        if (!this.ctf2)
          throw new TtngError("ERR_UNSUPPORTED", "Unsupported field class: a BLOB cannot be written as CTF 1.8", {
            actor: "sink.ctf.fs",
          });
        let lengthRef = "";
        let lengthBefore = ir.length === undefined;
        if (ir.length === undefined && ir.lengthPath) {
          const r = this.reference(ir.lengthPath);
          if (r && r.fc.kind === "int") {
            lengthRef = r.ref;
            lengthBefore = false;
          }
        }
        const fc: OutFieldClass = {
          kind: "blob",
          mediaType: ir.mediaType,
          length: ir.length,
          lengthRef,
          lengthBefore,
          alignBits: 8,
        };
        attach(fc);
        return fc;
      }
    }
  }

  private variant(ir: IrFieldClass & { kind: "variant" }, attach: (fc: OutFieldClass) => void): OutFieldClass {
    let tagRef = "";
    let tagBefore = true;
    let tagFc: (OutFieldClass & { kind: "int" }) | undefined;
    if (ir.selectorPath) {
      const r = this.reference(ir.selectorPath);
      if (r && r.fc.kind === "int" && r.fc.mappings !== undefined && r.fc.mappings.length === ir.options.length) {
        tagRef = r.ref;
        tagFc = r.fc;
        tagBefore = false;
      }
    }
    // CTF 2 options may be unnamed: they get a placeholder name here, not written (`unnamed`).
    const unnamed = ir.options.map((o) => this.ctf2 && o.name === "");
    const optName = (o: { name: string }, i: number): string =>
      unnamed[i] ? `__ttng_unnamed_${i}` : mustProtect(o.name) ? `_${o.name}` : o.name;
    const names: string[] = [];
    for (const [i, o] of ir.options.entries()) {
      const prot = optName(o, i);
      if (!tagBefore && tagFc) {
        // The option must name the enumeration label that selects it (CTF 1.8 §4.2.2).
        const label = tagFc.mappings!.find((m) => sameRanges(m.ranges, o.ranges))?.label;
        if (label === prot) names.push(prot);
        else if (!unnamed[i] && label !== undefined && label !== "" && !mustProtect(o.name) && label === `_${o.name}`)
          names.push(`_${o.name}`);
        else {
          tagBefore = true;
          names.push(prot);
        }
      } else names.push(prot);
    }
    if (new Set(names).size !== names.length) tagBefore = true;
    if (tagBefore) {
      // The written tag selects by the options' own names.
      names.length = 0;
      for (const [i, o] of ir.options.entries()) names.push(optName(o, i));
      if (new Set(names).size !== names.length)
        throw fail(`Unsupported variant field class: two options have the same TSDL name: names=${names.join(",")}`);
      tagRef = "";
    }
    const fc = { kind: "variant", options: [], tagRef, tagBefore, alignBits: 1 } as OutFieldClass & {
      kind: "variant";
    };
    attach(fc);
    ir.options.forEach((o, i) => {
      const name = names[i]!;
      this.push(name, fc);
      const named: OutNamedFieldClass = { name, fc: PLACEHOLDER, slot: i };
      if (unnamed[i]) named.unnamed = true;
      fc.options.push(named);
      named.fc = this.fieldClass(o.fc, (c) => {
        named.fc = c;
      });
      this.stack.pop();
    });
    return fc;
  }
}

const PLACEHOLDER: OutFieldClass = { kind: "string", alignBits: 8 };

function sameRanges(
  a: Array<[number | bigint, number | bigint]>,
  b: Array<[number | bigint, number | bigint]>,
): boolean {
  if (a.length !== b.length) return false;
  const key = (r: Array<[number | bigint, number | bigint]>) =>
    r
      .map(([x, y]) => `${String(x)}:${String(y)}`)
      .sort()
      .join(",");
  return key(a) === key(b);
}

/** Names the fields the writer adds before sequences, variants and options (`__NAME_len`, `__NAME_tag`). */
function setFieldRefs(fc: OutFieldClass, name: string | undefined, parent: OutFieldClass | undefined): void {
  const setRef = (kind: "len" | "tag"): string => {
    if (name === undefined || parent?.kind !== "struct")
      throw fail(
        `Unsupported field class: a ${kind === "len" ? `dynamic ${fc.kind === "blob" ? "BLOB" : "array"} without a length field` : "variant or option without a usable selector field"} must be a structure member in CTF 1.8`,
      );
    let ref = `__${name}_${kind}`;
    for (let i = 0; parent.members.some((m) => m.name === ref); i++) ref = `__${name}_${kind}_${i}`;
    return ref;
  };
  switch (fc.kind) {
    case "option":
      fc.tagRef = setRef("tag");
      setFieldRefs(fc.content, undefined, fc);
      return;
    case "struct":
      for (const m of fc.members) setFieldRefs(m.fc, m.name, fc);
      return;
    case "variant":
      if (fc.tagBefore) fc.tagRef = setRef("tag");
      for (const o of fc.options) setFieldRefs(o.fc, o.name, fc);
      return;
    case "blob":
      if (fc.lengthBefore) fc.lengthRef = setRef("len");
      return;
    case "sequence":
      if (fc.lengthBefore) fc.lengthRef = setRef("len");
      setFieldRefs(fc.element, undefined, fc);
      return;
    case "array":
      setFieldRefs(fc.element, undefined, fc);
      return;
    default:
      return;
  }
}

function translateScope(
  scopes: Scopes,
  scope: IrScope,
  ir: (IrFieldClass & { kind: "struct" }) | undefined,
  ctf2: boolean,
): OutStruct | undefined {
  if (!ir) return undefined;
  const root: OutStruct = { kind: "struct", members: [], alignBits: 1 };
  scopes[scope] = root;
  new ScopeTranslator(scopes, scope, ctf2).translateScope(ir, root);
  return root;
}

/** A stream class's output model, its event classes translated on first use. */
export interface SinkStreamClass {
  ir: IrStreamClass;
  out: OutStreamClass;
  eventClasses: Map<IrEventClass, OutEventClass>;
}

/** The output model of one trace, built as its stream and event classes show up. */
export class SinkTraceModel {
  readonly out: OutTrace;
  private readonly streamClasses = new Map<IrStreamClass, SinkStreamClass>();
  private readonly clockNames = new Set<string>();
  /** One clock declaration per clock class, however many stream classes share it. */
  private readonly clocks = new Map<IrClockClass, OutClock>();

  /**
   * Throws ERR_UNSUPPORTED when an environment entry cannot be written in TSDL. `ctf2`: the model
   * is printed as CTF 2, so BLOBs and unnamed variant options are kept (CTF 1.8 output refuses them).
   */
  constructor(
    trace: IrTrace,
    uuid: string,
    private readonly ctf2 = false,
  ) {
    for (const [name, v] of trace.env) {
      if (!isValidIdentifier(name)) throw fail(`Unsupported trace class's environment entry name: name="${name}"`);
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "bigint")
        throw fail(`Unsupported trace class's environment entry value type: name="${name}"`);
    }
    this.out = { uuid, env: trace.env.map(([k, v]) => [k, v]), streamClasses: [] };
  }

  streamClass(ir: IrStreamClass): SinkStreamClass {
    let sc = this.streamClasses.get(ir);
    if (sc) return sc;
    let clock: OutClock | undefined = ir.defaultClock ? this.clocks.get(ir.defaultClock) : undefined;
    if (ir.defaultClock && !clock) {
      const c = ir.defaultClock;
      let name = c.name;
      if (name === undefined || !isValidIdentifier(name)) {
        name = "default";
        for (let i = 0; this.clockNames.has(name); i++) name = `default${i}`;
      }
      this.clockNames.add(name);
      clock = {
        name,
        description: c.description,
        frequency: c.frequency,
        precision: c.precision ?? 0,
        offsetSeconds: c.offsetSeconds,
        offsetCycles: c.offsetCycles,
        originIsUnixEpoch: c.originIsUnixEpoch,
        uuid: c.uuid,
      };
      this.clocks.set(c, clock);
    }
    const scopes: Scopes = {};
    const packetContext = translateScope(scopes, "packet-context", ir.packetContext, this.ctf2);
    if (packetContext) packetContext.alignBits = Math.max(8, packetContext.alignBits);
    const out: OutStreamClass = {
      id: ir.id,
      clock,
      packetsHaveTsBegin: ir.packetsHaveBeginningCs,
      packetsHaveTsEnd: ir.packetsHaveEndCs,
      hasDiscardedEvents: ir.supportsDiscardedEvents,
      packetContext,
      eventCommonContext: translateScope(scopes, "event-common-context", ir.eventCommonContext, this.ctf2),
      eventClasses: [],
    };
    sc = { ir, out, eventClasses: new Map() };
    this.streamClasses.set(ir, sc);
    this.out.streamClasses.push(out);
    return sc;
  }

  eventClass(sc: SinkStreamClass, ir: IrEventClass): OutEventClass {
    let ec = sc.eventClasses.get(ir);
    if (ec) return ec;
    const scopes: Scopes = {
      "packet-context": sc.out.packetContext,
      "event-common-context": sc.out.eventCommonContext,
    };
    ec = {
      id: ir.id,
      name: ir.name ?? "unknown",
      logLevel: ir.logLevel,
      emfUri: ir.emfUri,
      specContext: translateScope(scopes, "event-specific-context", ir.specContext, this.ctf2),
      payload: translateScope(scopes, "event-payload", ir.payload, this.ctf2),
    };
    sc.eventClasses.set(ir, ec);
    sc.out.eventClasses.push(ec);
    return ec;
  }
}
