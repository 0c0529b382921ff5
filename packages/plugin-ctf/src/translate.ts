/**
 * CTF metadata model -> Babeltrace trace IR, with babeltrace2's rules:
 * header scopes and special integers vanish, structures keep their
 * in-IR members only (each remembering its slot in the decoded array),
 * 8-bit encoded arrays become strings, scopes with no IR member vanish
 * unless they were empty to begin with.
 */
import { type FieldClass, type FieldRef, scopeInIr, type StructFC, type TraceClass } from "@ttng/ctf";
import {
  type IrClockClass,
  type IrEventClass,
  type IrFieldClass,
  type IrFieldPath,
  type IrScope,
  type IrStreamClass,
  type IrTraceClass,
  newTraceClassId,
} from "@ttng/graph";

type IrStruct = IrFieldClass & { kind: "struct" };

interface Ctx {
  tc: TraceClass;
  clocks: Map<unknown, IrClockClass>;
  scopeRoots: Partial<Record<string, StructFC | undefined>>;
}

function irPath(ctx: Ctx, ref: FieldRef | undefined): IrFieldPath | undefined {
  if (!ref) return undefined;
  if (ref.scope === "packet-header" || ref.scope === "event-header") return undefined;
  const root = ctx.scopeRoots[ref.scope];
  if (!root) return undefined;
  const items: number[] = [];
  let cur: FieldClass = root;
  for (const idx of ref.path) {
    while (cur.kind === "optional") cur = cur.content;
    if (idx === -1) {
      items.push(-1);
      if (cur.kind === "array" || cur.kind === "sequence") cur = cur.element;
      continue;
    }
    // A CTF reference goes through arrays implicitly; the IR path says "current element".
    while (cur.kind === "array" || cur.kind === "sequence") {
      items.push(-1);
      cur = cur.element;
    }
    if (cur.kind === "struct") {
      let irIndex = 0;
      for (let i = 0; i < idx; i++) if (cur.members[i]!.fc.inIr) irIndex++;
      items.push(irIndex);
      cur = cur.members[idx]!.fc;
    } else if (cur.kind === "variant") {
      items.push(idx);
      cur = cur.options[idx]!.fc;
    }
  }
  return { root: ref.scope as IrScope, items };
}

function toIr(ctx: Ctx, fc: FieldClass): IrFieldClass {
  switch (fc.kind) {
    case "int":
      if (fc.flavor === "bool") return { kind: "bool" };
      if (fc.flavor === "bit-array") {
        const ba: IrFieldClass = { kind: "bit-array", length: fc.sizeBits };
        if (fc.flags) ba.flags = fc.flags.map((m) => ({ label: m.label, ranges: m.ranges.map(([a, b]) => [a, b]) }));
        return ba;
      }
      return {
        kind: "int",
        signed: fc.signed,
        length: fc.sizeBits,
        base: fc.base,
        mappings: fc.mappings?.map((m) => ({ label: m.label, ranges: m.ranges.map(([a, b]) => [a, b]) })),
      };
    case "float":
      return { kind: "real", single: fc.sizeBits === 32 };
    case "string":
      return { kind: "string" };
    case "struct":
      return structToIr(ctx, fc);
    case "array":
      if (fc.isBlob)
        return {
          kind: "blob",
          mediaType: fc.mediaType ?? "application/octet-stream",
          length: fc.length,
          lengthPath: undefined,
        };
      if (fc.isText) return { kind: "string" };
      return { kind: "static-array", element: toIr(ctx, fc.element), length: fc.length };
    case "sequence":
      if (fc.isBlob) {
        return {
          kind: "blob",
          mediaType: fc.mediaType ?? "application/octet-stream",
          length: undefined,
          lengthPath: irPath(ctx, fc.lengthRef),
        };
      }
      if (fc.isText) return { kind: "string" };
      return { kind: "dynamic-array", element: toIr(ctx, fc.element), lengthPath: irPath(ctx, fc.lengthRef) };
    case "optional":
      return { kind: "option", content: toIr(ctx, fc.content), selectorPath: irPath(ctx, fc.selectorRef) };
    case "variant":
      return {
        kind: "variant",
        options: fc.options.map((o, i) => ({
          name: o.name,
          fc: toIr(ctx, o.fc),
          ranges: fc.ranges
            .filter((r) => r.option === i)
            .map((r) => [r.lo, r.hi] as [number | bigint, number | bigint]),
        })),
        selectorPath: irPath(ctx, fc.tagRef),
        selectorSigned: fc.tagFc?.signed ?? false,
      };
  }
}

function structToIr(ctx: Ctx, fc: StructFC): IrStruct {
  const members = [];
  for (let i = 0; i < fc.members.length; i++) {
    const m = fc.members[i]!;
    if (!m.fc.inIr) continue;
    members.push({ name: m.name, fc: toIr(ctx, m.fc), slot: i });
  }
  return { kind: "struct", members };
}

function scopeToIr(ctx: Ctx, fc: StructFC | undefined): IrStruct | undefined {
  if (!fc || !scopeInIr(fc)) return undefined;
  return structToIr(ctx, fc);
}

export interface TranslatedTrace {
  traceClass: IrTraceClass;
  streamClasses: Map<number, IrStreamClass>;
  eventClasses: Map<number, Map<number, IrEventClass>>;
}

/** Translates a CTF trace class into an IR trace class. */
export function translateTraceClass(tc: TraceClass): TranslatedTrace {
  const clocks = new Map<unknown, IrClockClass>();
  for (const c of tc.clocks) {
    const [s, ns] = clockOffsetSecNs(c.offsetSeconds, c.offsetCycles, c.frequency);
    clocks.set(c, {
      name: c.name,
      description: c.description,
      frequency: c.frequency,
      precision: c.precisionUnknown ? undefined : c.precision,
      offsetSeconds: c.offsetSeconds,
      offsetCycles: c.offsetCycles,
      originIsUnixEpoch: c.originIsUnixEpoch,
      uuid: c.uuid,
      offsetSecNs: [s, ns],
    });
    if (c.origin && !c.originIsUnixEpoch) {
      clocks.get(c)!.originId = JSON.stringify([c.origin.namespace ?? null, c.origin.name, c.origin.uid]);
    }
  }
  const irTc: IrTraceClass = { id: newTraceClassId(), streamClasses: [] };
  const streamClasses = new Map<number, IrStreamClass>();
  const eventClasses = new Map<number, Map<number, IrEventClass>>();
  for (const sc of tc.streamClasses) {
    const ctx: Ctx = {
      tc,
      clocks,
      scopeRoots: { "packet-context": sc.packetContext, "event-common-context": sc.eventCommonContext },
    };
    const irSc: IrStreamClass = {
      id: sc.id,
      name: undefined,
      traceClass: irTc,
      defaultClock: sc.defaultClock ? clocks.get(sc.defaultClock) : undefined,
      supportsPackets: true,
      packetsHaveBeginningCs: sc.packetsHaveTsBegin,
      packetsHaveEndCs: sc.packetsHaveTsEnd,
      supportsDiscardedEvents: sc.hasDiscardedEvents,
      discardedEventsHaveCs: sc.discardedEventsHaveTs,
      supportsDiscardedPackets: sc.hasDiscardedPackets,
      discardedPacketsHaveCs: sc.discardedPacketsHaveTs,
      packetContext: scopeToIr(ctx, sc.packetContext),
      eventCommonContext: scopeToIr(ctx, sc.eventCommonContext),
      eventClasses: [],
      assignsAutoEventClassIds: false,
      assignsAutoStreamIds: false,
    };
    const ecs = new Map<number, IrEventClass>();
    for (const ec of sc.eventClasses) {
      const ectx: Ctx = {
        ...ctx,
        scopeRoots: { ...ctx.scopeRoots, "event-specific-context": ec.specContext, "event-payload": ec.payload },
      };
      const irEc: IrEventClass = {
        id: ec.id,
        name: ec.name,
        streamClass: irSc,
        logLevel: ec.logLevel,
        emfUri: ec.emfUri,
        specContext: scopeToIr(ectx, ec.specContext),
        payload: scopeToIr(ectx, ec.payload),
      };
      if (ec.attributes) irEc.userAttributes = ec.attributes;
      irSc.eventClasses.push(irEc);
      ecs.set(ec.id, irEc);
    }
    irTc.streamClasses.push(irSc);
    streamClasses.set(sc.id, irSc);
    eventClasses.set(sc.id, ecs);
  }
  return { traceClass: irTc, streamClasses, eventClasses };
}

function clockOffsetSecNs(offsetSeconds: number, offsetCycles: number, freq: number): [number, number] {
  const ns = freq === 1e9 ? offsetCycles : Math.trunc((1e9 * offsetCycles) / freq);
  const extra = Math.floor(ns / 1e9);
  return [offsetSeconds + extra, ns - extra * 1e9];
}
