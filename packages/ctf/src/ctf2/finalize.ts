/**
 * What a CTF 2 trace class needs once every fragment is read: roles become the decoders'
 * meanings and clock mappings (CTF2-SPEC-2.0 §5.6.4 roles, in the scopes where the spec allows
 * them), field locations are resolved (§5.4: absolute from an origin scope, or relative from
 * the innermost structure containing the field, `null` going up one structure), then the
 * stream class features, the in-IR flags (`tsdl/meta-update.ts`'s rule) and stored-value slots.
 */
import type {
  FieldClass,
  FieldLocation,
  FieldRef,
  IntFC,
  Meaning,
  Scope,
  StreamClass,
  StructFC,
  TraceClass,
} from "../model.js";
import { updateInIr } from "../tsdl/meta-update.js";
import { SCOPE_NAMES } from "./field-classes.js";
import { ctf2Err } from "./json-seq.js";

const SCOPE_ORDER: Scope[] = [
  "packet-header",
  "packet-context",
  "event-header",
  "event-common-context",
  "event-specific-context",
  "event-payload",
];

/** Roles allowed per scope and what they mean to the decoders. */
const ROLES: Partial<Record<Scope, Record<string, Meaning | "clock">>> = {
  "packet-header": {
    "packet-magic-number": "magic",
    "data-stream-class-id": "stream-class-id",
    "data-stream-id": "data-stream-id",
  },
  "packet-context": {
    "packet-total-length": "exp-packet-total-size",
    "packet-content-length": "exp-packet-content-size",
    "default-clock-timestamp": "packet-beginning-time",
    "packet-end-default-clock-timestamp": "packet-end-time",
    "discarded-event-record-counter-snapshot": "disc-ev-rec-counter-snapshot",
    "packet-sequence-number": "packet-counter-snapshot",
  },
  "event-header": {
    "event-record-class-id": "event-class-id",
    "default-clock-timestamp": "clock",
  },
};

function forEachFc(fc: FieldClass | undefined, cb: (fc: FieldClass) => void): void {
  if (!fc) return;
  cb(fc);
  switch (fc.kind) {
    case "struct":
      for (const m of fc.members) forEachFc(m.fc, cb);
      break;
    case "variant":
      for (const o of fc.options) forEachFc(o.fc, cb);
      break;
    case "array":
    case "sequence":
      forEachFc(fc.element, cb);
      break;
    case "optional":
      forEachFc(fc.content, cb);
      break;
    default:
      break;
  }
}

function applyRoles(root: StructFC | undefined, scope: Scope, sc: StreamClass | undefined): void {
  forEachFc(root, (fc) => {
    if (fc.kind === "array" && fc.isUuid && scope !== "packet-header")
      throw ctf2Err(`Role \`metadata-stream-uuid\` is not allowed in the ${SCOPE_NAMES[scope]} scope`);
    if (fc.kind !== "int" || !fc.roles) return;
    const allowed = ROLES[scope] ?? {};
    for (const role of fc.roles) {
      const m = allowed[role];
      if (m === undefined) throw ctf2Err(`Role \`${role}\` is not allowed in the ${SCOPE_NAMES[scope]} scope`);
      if (fc.flavor !== undefined) throw ctf2Err(`Role \`${role}\` needs an unsigned integer field class`);
      if (m === "clock" || m === "packet-beginning-time" || m === "packet-end-time") {
        if (!sc?.defaultClock)
          throw ctf2Err(`Role \`${role}\` in data stream class ${sc?.id ?? 0}, which has no default clock class`);
      }
      if (m === "clock") fc.mappedClock = sc!.defaultClock;
      else {
        fc.meaning = m;
        // As babeltrace2 does for CTF 1.8: the packet's beginning time also moves the clock.
        if (m === "packet-beginning-time") fc.mappedClock = sc!.defaultClock;
      }
    }
  });
}

interface Frame {
  fc: FieldClass;
  /** Member/option index being visited, -1 for array elements, 0 for optional content. */
  index: number;
}

interface Ctx {
  tc: TraceClass;
  sc: StreamClass | undefined;
  ecIndex: number;
  scope: Scope;
  stack: Frame[];
  targets: Set<IntFC>;
}

function scopeRoot(ctx: Ctx, scope: Scope): StructFC | undefined {
  const ec = ctx.sc && ctx.ecIndex >= 0 ? ctx.sc.eventClasses[ctx.ecIndex] : undefined;
  switch (scope) {
    case "packet-header":
      return ctx.tc.packetHeader;
    case "packet-context":
      return ctx.sc?.packetContext;
    case "event-header":
      return ctx.sc?.eventHeader;
    case "event-common-context":
      return ctx.sc?.eventCommonContext;
    case "event-specific-context":
      return ec?.specContext;
    case "event-payload":
      return ec?.payload;
  }
}

/** The path items a frame adds to a field reference (optionals add none). */
function frameItems(f: Frame): number[] {
  return f.fc.kind === "optional" ? [] : [f.index];
}

function locText(loc: FieldLocation): string {
  return JSON.stringify({ ...(loc.origin ? { origin: SCOPE_NAMES[loc.origin] } : {}), path: loc.path });
}

/** Follows member names from a structure; arrays and optionals on the way are entered. */
function follow(start: FieldClass, names: Array<string | null>, what: string, loc: FieldLocation) {
  const path: number[] = [];
  let cur = start;
  for (const name of names) {
    if (name === null) throw ctf2Err(`Cannot resolve ${what}: \`null\` after a member name: location=${locText(loc)}`);
    if (cur.kind !== "struct")
      throw ctf2Err(`Cannot resolve ${what}: \`${name}\` is not in a structure field class: location=${locText(loc)}`);
    const i = cur.members.findIndex((m) => m.name === name);
    if (i < 0) throw ctf2Err(`Cannot resolve ${what}: no member named \`${name}\`: location=${locText(loc)}`);
    path.push(i);
    cur = cur.members[i]!.fc;
    for (;;) {
      if (cur.kind === "array" || cur.kind === "sequence") {
        path.push(-1);
        cur = cur.element;
      } else if (cur.kind === "optional") cur = cur.content;
      else break;
    }
  }
  return { path, target: cur };
}

function resolve(ctx: Ctx, loc: FieldLocation, what: string): { ref: FieldRef; target: FieldClass } {
  const anchor: number[] = [];
  for (const f of ctx.stack) anchor.push(...frameItems(f));
  let scope = ctx.scope;
  let found: { path: number[]; target: FieldClass };
  if (loc.origin !== undefined) {
    scope = loc.origin;
    if (SCOPE_ORDER.indexOf(scope) > SCOPE_ORDER.indexOf(ctx.scope))
      throw ctf2Err(`Cannot resolve ${what}: the origin scope comes after the field's scope: location=${locText(loc)}`);
    const root = scopeRoot(ctx, scope);
    if (!root) throw ctf2Err(`Cannot resolve ${what}: the origin scope has no field class: location=${locText(loc)}`);
    found = follow(root, loc.path, what, loc);
  } else {
    // The innermost structure containing the field, then one structure up per leading null.
    const structFrames: number[] = [];
    for (let i = 0; i < ctx.stack.length; i++) if (ctx.stack[i]!.fc.kind === "struct") structFrames.push(i);
    let k = structFrames.length - 1;
    let p = 0;
    while (p < loc.path.length && loc.path[p] === null) {
      k--;
      p++;
    }
    if (k < 0) throw ctf2Err(`Cannot resolve ${what}: the path goes above the scope's root: location=${locText(loc)}`);
    const frameAt = structFrames[k]!;
    const head: number[] = [];
    for (let i = 0; i < frameAt; i++) head.push(...frameItems(ctx.stack[i]!));
    const tail = follow(ctx.stack[frameAt]!.fc, loc.path.slice(p), what, loc);
    found = { path: [...head, ...tail.path], target: tail.target };
  }
  if (scope === ctx.scope) {
    // §5.4: the located field must come before the field that needs it.
    let before = false;
    for (let i = 0; i < Math.min(found.path.length, anchor.length); i++) {
      if (found.path[i] === anchor[i]) continue;
      before = found.path[i]! < anchor[i]! && found.path[i]! >= 0;
      break;
    }
    if (!before)
      throw ctf2Err(`Cannot resolve ${what}: the located field does not precede the field: location=${locText(loc)}`);
  }
  return { ref: { scope, path: found.path }, target: found.target };
}

function resolveFc(ctx: Ctx, fc: FieldClass): void {
  switch (fc.kind) {
    case "sequence": {
      if (!fc.lengthLocation) break;
      const { ref, target } = resolve(ctx, fc.lengthLocation, "length field location");
      if (target.kind !== "int" || target.signed || target.flavor !== undefined)
        throw ctf2Err(
          `Length field location does not locate an unsigned integer field: location=${locText(fc.lengthLocation)}`,
        );
      fc.lengthRef = ref;
      fc.lengthFc = target;
      ctx.targets.add(target);
      break;
    }
    case "optional": {
      const { ref, target } = resolve(ctx, fc.selectorLocation, "selector field location");
      const isBool = target.kind === "int" && target.flavor === "bool";
      const isInt = target.kind === "int" && target.flavor === undefined;
      if (!isBool && !isInt)
        throw ctf2Err(
          `Optional's selector is not a boolean or integer field: location=${locText(fc.selectorLocation)}`,
        );
      if (isInt && fc.ranges === undefined)
        throw ctf2Err(
          `Optional with an integer selector needs \`selector-field-ranges\`: location=${locText(fc.selectorLocation)}`,
        );
      if (isBool && fc.ranges !== undefined)
        throw ctf2Err(
          `Optional with a boolean selector cannot have \`selector-field-ranges\`: location=${locText(fc.selectorLocation)}`,
        );
      fc.selectorRef = ref;
      fc.selectorFc = target as IntFC;
      ctx.targets.add(target as IntFC);
      break;
    }
    case "variant": {
      if (!fc.selectorLocation) break;
      const { ref, target } = resolve(ctx, fc.selectorLocation, "selector field location");
      if (target.kind !== "int" || target.flavor !== undefined)
        throw ctf2Err(`Variant's selector is not an integer field: location=${locText(fc.selectorLocation)}`);
      for (const r of fc.ranges) {
        if (!target.signed && r.lo < 0)
          throw ctf2Err(
            `Variant's selector is unsigned but option ranges are negative: location=${locText(fc.selectorLocation)}`,
          );
      }
      fc.tagRef = ref;
      fc.tagFc = target;
      ctx.targets.add(target);
      break;
    }
    default:
      break;
  }
  if (fc.kind === "struct") {
    for (let i = 0; i < fc.members.length; i++) {
      ctx.stack.push({ fc, index: i });
      resolveFc(ctx, fc.members[i]!.fc);
      ctx.stack.pop();
    }
  } else if (fc.kind === "variant") {
    for (let i = 0; i < fc.options.length; i++) {
      ctx.stack.push({ fc, index: i });
      resolveFc(ctx, fc.options[i]!.fc);
      ctx.stack.pop();
    }
  } else if (fc.kind === "array" || fc.kind === "sequence") {
    ctx.stack.push({ fc, index: -1 });
    resolveFc(ctx, fc.element);
    ctx.stack.pop();
  } else if (fc.kind === "optional") {
    ctx.stack.push({ fc, index: 0 });
    resolveFc(ctx, fc.content);
    ctx.stack.pop();
  }
}

function* scopesOf(tc: TraceClass): Generator<[StructFC | undefined, Scope, StreamClass | undefined, number]> {
  yield [tc.packetHeader, "packet-header", undefined, -1];
  for (const sc of tc.streamClasses) {
    yield [sc.packetContext, "packet-context", sc, -1];
    yield [sc.eventHeader, "event-header", sc, -1];
    yield [sc.eventCommonContext, "event-common-context", sc, -1];
    for (let i = 0; i < sc.eventClasses.length; i++) {
      const ec = sc.eventClasses[i]!;
      yield [ec.specContext, "event-specific-context", sc, i];
      yield [ec.payload, "event-payload", sc, i];
    }
  }
}

function hasMeaning(root: StructFC | undefined, meaning: Meaning): boolean {
  let found = false;
  forEachFc(root, (fc) => {
    if (fc.kind === "int" && fc.meaning === meaning) found = true;
  });
  return found;
}

export function finalizeCtf2(tc: TraceClass): void {
  applyRoles(tc.packetHeader, "packet-header", undefined);
  for (const sc of tc.streamClasses) {
    applyRoles(sc.packetContext, "packet-context", sc);
    applyRoles(sc.eventHeader, "event-header", sc);
    applyRoles(sc.eventCommonContext, "event-common-context", sc);
    for (const ec of sc.eventClasses) {
      applyRoles(ec.specContext, "event-specific-context", sc);
      applyRoles(ec.payload, "event-payload", sc);
    }
  }
  const targets = new Set<IntFC>();
  for (const [root, scope, sc, ecIndex] of scopesOf(tc)) {
    if (root) resolveFc({ tc, sc, ecIndex, scope, stack: [], targets }, root);
  }
  for (const sc of tc.streamClasses) {
    const pc = sc.packetContext;
    sc.packetsHaveTsBegin = hasMeaning(pc, "packet-beginning-time");
    sc.packetsHaveTsEnd = hasMeaning(pc, "packet-end-time");
    sc.hasDiscardedEvents = hasMeaning(pc, "disc-ev-rec-counter-snapshot");
    sc.hasDiscardedPackets = hasMeaning(pc, "packet-counter-snapshot");
    sc.discardedEventsHaveTs = sc.hasDiscardedEvents && sc.packetsHaveTsBegin && sc.packetsHaveTsEnd;
    sc.discardedPacketsHaveTs = sc.hasDiscardedPackets && sc.packetsHaveTsBegin && sc.packetsHaveTsEnd;
  }
  const dependents = new Set<FieldClass>();
  for (const [root, scope] of [...scopesOf(tc)].reverse()) {
    if (!root) continue;
    if (scope === "packet-header" || scope === "event-header") {
      forEachFc(root, (fc) => {
        fc.inIr = false;
      });
      continue;
    }
    updateInIr(root, dependents);
  }
  // One stored-value slot per located field, in decoding order.
  for (const [root] of scopesOf(tc)) {
    forEachFc(root, (fc) => {
      if (fc.kind === "int" && targets.has(fc) && fc.storingIndex < 0) fc.storingIndex = tc.storedValueCount++;
    });
  }
}
