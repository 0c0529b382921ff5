/**
 * Post-processing of a freshly built trace class, in babeltrace2's order
 * (ctf-meta-*): alignments, text arrays, field-path resolution, meanings,
 * clock auto-mapping, default clock classes, stream class configuration,
 * "in IR" flags and stored-value slots. Each rule changes what users see
 * (which members pretty prints, which timestamps exist).
 */
import { FormatError } from "@ttng/base";
import type {
  ClockClass,
  FieldClass,
  FieldRef,
  IntFC,
  Meaning,
  Scope,
  StreamClass,
  StructFC,
  TraceClass,
} from "../model.js";

function metaErr(message: string): FormatError {
  return new FormatError("ERR_METADATA", message, { actor: "source.ctf.fs" });
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

function setAlignments(fc: FieldClass): void {
  switch (fc.kind) {
    case "struct":
      for (const m of fc.members) {
        setAlignments(m.fc);
        if (m.fc.alignBits > fc.alignBits) fc.alignBits = m.fc.alignBits;
      }
      break;
    case "variant":
      for (const o of fc.options) setAlignments(o.fc);
      break;
    case "array":
    case "sequence":
      setAlignments(fc.element);
      // CTF 1.8 §4.2.3: arrays are aligned on their element's alignment, even when empty.
      fc.alignBits = fc.element.alignBits;
      break;
    default:
      break;
  }
}

function setTextArrays(fc: FieldClass): void {
  switch (fc.kind) {
    case "struct":
      for (const m of fc.members) setTextArrays(m.fc);
      break;
    case "variant":
      for (const o of fc.options) setTextArrays(o.fc);
      break;
    case "array":
    case "sequence": {
      const e = fc.element;
      if (e.kind === "int" && e.alignBits === 8 && e.sizeBits === 8 && e.encoding === "utf8") {
        fc.isText = true;
        e.signed = false;
      }
      setTextArrays(fc.element);
      break;
    }
    default:
      break;
  }
}

function memberInt(s: StructFC | undefined, name: string): IntFC | undefined {
  const m = s?.members.find((x) => x.name === name);
  return m?.fc.kind === "int" ? m.fc : undefined;
}

function setMeaningByName(fc: FieldClass, fieldName: string | undefined, idName: string, meaning: Meaning): void {
  switch (fc.kind) {
    case "int":
      if (fieldName === idName) fc.meaning = meaning;
      break;
    case "struct":
      for (const m of fc.members) setMeaningByName(m.fc, m.name, idName, meaning);
      break;
    case "variant":
      for (const o of fc.options) setMeaningByName(o.fc, o.name, idName, meaning);
      break;
    case "array":
    case "sequence":
      setMeaningByName(fc.element, undefined, idName, meaning);
      break;
    default:
      break;
  }
}

function updateMeanings(tc: TraceClass): void {
  const ph = tc.packetHeader;
  if (ph) {
    const set = (name: string, meaning: Meaning) => {
      const fc = memberInt(ph, name);
      if (fc) fc.meaning = meaning;
    };
    set("magic", "magic");
    set("stream_id", "stream-class-id");
    set("stream_instance_id", "data-stream-id");
    const uuid = ph.members.find((m) => m.name === "uuid");
    if (uuid && uuid.fc.kind === "array") uuid.fc.isUuid = true;
  }
  for (const sc of tc.streamClasses) {
    const pc = sc.packetContext;
    if (pc) {
      const set = (name: string, meaning: Meaning) => {
        const fc = memberInt(pc, name);
        if (fc) {
          fc.meaning = meaning;
          // babeltrace2 removes the mapping so that decoding `timestamp_end` does not move the clock.
          if (meaning === "packet-end-time") fc.mappedClock = undefined;
        }
      };
      set("timestamp_begin", "packet-beginning-time");
      set("timestamp_end", "packet-end-time");
      set("events_discarded", "disc-ev-rec-counter-snapshot");
      set("packet_seq_num", "packet-counter-snapshot");
      set("packet_size", "exp-packet-total-size");
      set("content_size", "exp-packet-content-size");
    }
    if (sc.eventHeader) setMeaningByName(sc.eventHeader, undefined, "id", "event-class-id");
  }
}

/** Maps `timestamp`-like fields without a clock to the trace's only clock (or an implicit 1 GHz one). */
function autoMap(tc: TraceClass, root: StructFC | undefined, fieldName: string): void {
  if (!root) return;
  for (const m of root.members) {
    if (m.name !== fieldName || m.fc.kind !== "int" || m.fc.mappedClock) continue;
    let clock: ClockClass;
    if (tc.clocks.length === 0) {
      clock = {
        name: "default",
        description: undefined,
        frequency: 1e9,
        precision: 0,
        offsetSeconds: 0,
        offsetCycles: 0,
        originIsUnixEpoch: false,
        uuid: undefined,
      };
      tc.clocks.push(clock);
    } else if (tc.clocks.length === 1) {
      clock = tc.clocks[0]!;
    } else {
      throw metaErr(
        "Timestamp field found with no mapped clock class, but there's more than one clock class in the trace at this point.",
      );
    }
    m.fc.mappedClock = clock;
  }
}

function findMappedClocks(fc: FieldClass | undefined, out: Set<ClockClass>): void {
  if (!fc) return;
  switch (fc.kind) {
    case "int":
      if (fc.mappedClock) out.add(fc.mappedClock);
      break;
    case "struct":
      for (const m of fc.members) findMappedClocks(m.fc, out);
      break;
    case "variant":
      for (const o of fc.options) findMappedClocks(o.fc, out);
      break;
    case "array":
    case "sequence":
      findMappedClocks(fc.element, out);
      break;
    default:
      break;
  }
}

// ---- field path resolution (CTF 1.8 §7.3.2) ----

const ABSOLUTE_PREFIXES: Array<[string, Scope]> = [
  ["trace.packet.header.", "packet-header"],
  ["stream.packet.context.", "packet-context"],
  ["stream.event.header.", "event-header"],
  ["stream.event.context.", "event-common-context"],
  ["event.context.", "event-specific-context"],
  ["event.fields.", "event-payload"],
];
const SCOPE_ORDER: Scope[] = [
  "packet-header",
  "packet-context",
  "event-header",
  "event-common-context",
  "event-specific-context",
  "event-payload",
];

interface ResolveCtx {
  tc: TraceClass;
  sc: StreamClass | undefined;
  ecIndex: number;
  scope: Scope;
  /** Stack of (compound field class, index of the member being visited). */
  stack: Array<{ fc: FieldClass; index: number }>;
}

function scopeRoot(ctx: ResolveCtx, scope: Scope): StructFC | undefined {
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

function childIndex(fc: FieldClass, name: string): number {
  if (fc.kind === "struct") {
    let i = fc.members.findIndex((m) => m.origName === name);
    if (i < 0) i = fc.members.findIndex((m) => m.name === name);
    return i;
  }
  if (fc.kind === "variant") {
    let i = fc.options.findIndex((m) => m.origName === name);
    if (i < 0) i = fc.options.findIndex((m) => m.name === name);
    return i;
  }
  return -1;
}

function childAt(fc: FieldClass, i: number): FieldClass {
  if (fc.kind === "struct") return fc.members[i]!.fc;
  if (fc.kind === "variant") return fc.options[i]!.fc;
  throw metaErr("internal: not a compound field class");
}

/** Follows tokens from `fc`; returns the path tail and target, or undefined. */
function followTokens(
  fc: FieldClass,
  tokens: string[],
  srcIndex: number,
): { path: number[]; target: FieldClass } | undefined {
  const path: number[] = [];
  let cur = fc;
  let first = true;
  for (const tok of tokens) {
    const idx = childIndex(cur, tok);
    if (idx < 0) return undefined;
    if (first && srcIndex >= 0 && idx > srcIndex) return undefined;
    path.push(idx);
    cur = childAt(cur, idx);
    while (cur.kind === "array" || cur.kind === "sequence") {
      path.push(-1);
      cur = cur.element;
    }
    first = false;
  }
  return { path, target: cur };
}

function resolvePath(ctx: ResolveCtx, pathText: string, what: string): { ref: FieldRef; target: FieldClass } {
  for (const [prefix, scope] of ABSOLUTE_PREFIXES) {
    if (pathText.startsWith(prefix)) {
      const root = scopeRoot(ctx, scope);
      if (SCOPE_ORDER.indexOf(scope) > SCOPE_ORDER.indexOf(ctx.scope))
        throw metaErr(`Cannot resolve ${what}: target scope is after the current scope: path="${pathText}"`);
      const found = root ? followTokens(root, pathText.slice(prefix.length).split("."), -1) : undefined;
      if (!found) throw metaErr(`Cannot find ${what} field class: path="${pathText}"`);
      return { ref: { scope, path: found.path }, target: found.target };
    }
  }
  const tokens = pathText.split(".");
  for (let pos = ctx.stack.length - 1; pos >= 0; pos--) {
    const frame = ctx.stack[pos]!;
    const found = followTokens(frame.fc, tokens, frame.index);
    if (found) {
      const head: number[] = [];
      for (let k = 1; k <= pos; k++) head.push(ctx.stack[k - 1]!.index);
      return { ref: { scope: ctx.scope, path: [...head, ...found.path] }, target: found.target };
    }
  }
  throw metaErr(`Cannot find ${what} field class: path="${pathText}"`);
}

function resolveFc(ctx: ResolveCtx, fc: FieldClass): void {
  switch (fc.kind) {
    case "sequence": {
      const { ref, target } = resolvePath(ctx, fc.lengthPath, "sequence field class's length");
      if (target.kind !== "int" || target.signed) {
        throw metaErr(
          `Sequence field class's length field class is not an unsigned integer field class: path="${fc.lengthPath}"`,
        );
      }
      fc.lengthRef = ref;
      fc.lengthFc = target;
      break;
    }
    case "variant": {
      if (fc.tagPath === "") throw metaErr("Variant field class has no tag.");
      const { ref, target } = resolvePath(ctx, fc.tagPath, "variant field class's tag");
      if (target.kind !== "int" || target.mappings === undefined) {
        throw metaErr(`Variant field class's tag field class is not an enumeration field class: path="${fc.tagPath}"`);
      }
      fc.tagRef = ref;
      fc.tagFc = target;
      fc.ranges = [];
      for (let i = 0; i < fc.options.length; i++) {
        const opt = fc.options[i]!;
        const mapping = target.mappings.find((m) => m.label === opt.origName);
        if (!mapping) continue;
        for (const [lo, hi] of mapping.ranges) fc.ranges.push({ lo, hi, option: i });
      }
      // babeltrace2 (ctf-meta-validate): every tag label must name an option.
      for (const m of target.mappings) {
        if (!fc.options.some((o) => o.origName === m.label)) {
          throw metaErr(
            `Variant field class's tag field class has a mapping with no matching option: label="${m.label}"`,
          );
        }
      }
      break;
    }
    default:
      break;
  }
  if (fc.kind === "struct" || fc.kind === "variant") {
    const kids = fc.kind === "struct" ? fc.members : fc.options;
    for (let i = 0; i < kids.length; i++) {
      ctx.stack.push({ fc, index: i });
      resolveFc(ctx, kids[i]!.fc);
      ctx.stack.pop();
    }
  } else if (fc.kind === "array" || fc.kind === "sequence") {
    resolveFc(ctx, fc.element);
  }
}

// ---- in-IR flags (ctf-meta-update-in-ir) ----

export function updateInIr(fc: FieldClass, dependents: Set<FieldClass>): void {
  switch (fc.kind) {
    case "int":
      if ((!fc.mappedClock && fc.meaning === "none") || dependents.has(fc)) fc.inIr = true;
      break;
    case "struct":
      // babeltrace2 keeps an empty structure (observed: `f0 = { }`).
      if (fc.members.length === 0) fc.inIr = true;
      // Reverse order: a length/tag field precedes the fields that depend on it.
      for (let i = fc.members.length - 1; i >= 0; i--) {
        const m = fc.members[i]!;
        updateInIr(m.fc, dependents);
        if (m.fc.inIr) fc.inIr = true;
      }
      break;
    case "variant":
      for (let i = fc.options.length - 1; i >= 0; i--) {
        const o = fc.options[i]!;
        updateInIr(o.fc, dependents);
        if (o.fc.inIr) fc.inIr = true;
      }
      if (fc.inIr) {
        // The tag can still select a removed option: keep all options.
        for (const o of fc.options) o.fc.inIr = true;
        if (fc.tagFc) dependents.add(fc.tagFc);
      }
      break;
    case "array":
    case "sequence":
      updateInIr(fc.element, dependents);
      fc.inIr = fc.element.inIr;
      if (fc.kind === "array" && fc.isUuid) fc.inIr = false;
      if (fc.kind === "sequence" && fc.inIr && fc.lengthFc) dependents.add(fc.lengthFc);
      break;
    case "optional":
      // CTF 2 only: like a variant, an optional keeps its selector.
      updateInIr(fc.content, dependents);
      fc.inIr = fc.content.inIr;
      if (fc.inIr && fc.selectorFc) dependents.add(fc.selectorFc);
      break;
    default:
      fc.inIr = true;
  }
}

// ---- stored-value slots (ctf-meta-update-value-storing-indexes) ----

function assignStoringIndexes(fc: FieldClass | undefined, tc: TraceClass): void {
  if (!fc) return;
  switch (fc.kind) {
    case "sequence":
      if (fc.lengthFc && fc.lengthFc.storingIndex < 0) fc.lengthFc.storingIndex = tc.storedValueCount++;
      assignStoringIndexes(fc.element, tc);
      break;
    case "variant":
      if (fc.tagFc && fc.tagFc.storingIndex < 0) fc.tagFc.storingIndex = tc.storedValueCount++;
      for (const o of fc.options) assignStoringIndexes(o.fc, tc);
      break;
    case "struct":
      for (const m of fc.members) assignStoringIndexes(m.fc, tc);
      break;
    case "array":
      assignStoringIndexes(fc.element, tc);
      break;
    default:
      break;
  }
}

export function finalizeTraceClass(tc: TraceClass, _isLttng: boolean): void {
  for (const [root] of scopesOf(tc)) {
    if (root) {
      setAlignments(root);
      setTextArrays(root);
    }
  }
  for (const sc of tc.streamClasses) {
    autoMap(tc, sc.packetContext, "timestamp_begin");
    autoMap(tc, sc.packetContext, "timestamp_end");
    autoMap(tc, sc.eventHeader, "timestamp");
  }
  updateMeanings(tc);
  for (const [root, scope, sc, ecIndex] of scopesOf(tc)) {
    if (!root) continue;
    resolveFc({ tc, sc, ecIndex, scope, stack: [] }, root);
  }
  for (const sc of tc.streamClasses) {
    const clocks = new Set<ClockClass>();
    findMappedClocks(sc.packetContext, clocks);
    findMappedClocks(sc.eventHeader, clocks);
    findMappedClocks(sc.eventCommonContext, clocks);
    for (const ec of sc.eventClasses) {
      findMappedClocks(ec.specContext, clocks);
      findMappedClocks(ec.payload, clocks);
    }
    // `timestamp_end` lost its mapping in updateMeanings; it still names the stream's clock.
    if (clocks.size > 1) throw metaErr(`Stream class contains more than one clock class: stream-class-id=${sc.id}`);
    const [clock] = clocks;
    sc.defaultClock = clock;
    const tsBegin = memberInt(sc.packetContext, "timestamp_begin");
    const tsEnd = memberInt(sc.packetContext, "timestamp_end");
    sc.packetsHaveTsBegin = tsBegin?.meaning === "packet-beginning-time";
    sc.packetsHaveTsEnd = tsEnd?.meaning === "packet-end-time";
    sc.hasDiscardedEvents = memberInt(sc.packetContext, "events_discarded")?.meaning === "disc-ev-rec-counter-snapshot";
    sc.discardedEventsHaveTs = sc.hasDiscardedEvents && sc.packetsHaveTsBegin && sc.packetsHaveTsEnd;
    sc.hasDiscardedPackets = memberInt(sc.packetContext, "packet_seq_num")?.meaning === "packet-counter-snapshot";
    sc.discardedPacketsHaveTs = sc.hasDiscardedPackets && sc.packetsHaveTsBegin && sc.packetsHaveTsEnd;
    if (!sc.defaultClock) {
      sc.packetsHaveTsBegin = false;
      sc.packetsHaveTsEnd = false;
      sc.discardedEventsHaveTs = false;
      sc.discardedPacketsHaveTs = false;
    }
  }
  // In-IR flags: headers are never in the IR; the four other scopes are.
  // Reverse decoding order, so that a field another one depends on is seen after its dependents.
  const dependents = new Set<FieldClass>();
  for (const [root, scope] of [...scopesOf(tc)].reverse()) {
    if (!root) continue;
    if (scope === "packet-header" || scope === "event-header") continue;
    updateInIr(root, dependents);
  }
  for (const [root] of scopesOf(tc)) assignStoringIndexes(root, tc);
}

/** True when a scope's structure is kept in the trace IR (babeltrace2 keeps an originally empty one). */
export function scopeInIr(fc: StructFC | undefined): boolean {
  if (!fc) return false;
  if (fc.members.length === 0) return true;
  return fc.members.some((m) => m.fc.inIr);
}
