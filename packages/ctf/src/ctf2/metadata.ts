/**
 * CTF 2 metadata (CTF2-SPEC-2.0 §6) -> the CTF IR model, the same `TraceClass` the TSDL path
 * builds, so that decoders, source.ctf.fs and the sinks treat both versions alike. Fragments
 * are visited in order: a preamble first, then field class aliases, at most one trace class,
 * clock classes, data stream classes and event record classes (each after what it refers to).
 * Roles replace CTF 1.8's magic member names; `finalize.ts` applies them.
 */
import type { ClockClass, EventClass, StreamClass, StructFC, TraceClass } from "../model.js";
import type { DecoderConfig } from "../tsdl/visitor.js";
import {
  allowOnly,
  checkAttributes,
  checkExtensions,
  convertFc,
  expectObject,
  type FcContext,
  type Json,
  type JsonObject,
  optString,
  optUint,
  shown,
} from "./field-classes.js";
import { finalizeCtf2 } from "./finalize.js";
import { ctf2Err, parseJsonSequence, utf8FromByteString } from "./json-seq.js";

const FRAGMENT_KEYS: Record<string, readonly string[]> = {
  preamble: ["type", "version", "uuid", "attributes", "extensions"],
  "field-class-alias": ["type", "name", "field-class", "attributes", "extensions"],
  "trace-class": [
    "type",
    "namespace",
    "name",
    "uid",
    "packet-header-field-class",
    "environment",
    "attributes",
    "extensions",
  ],
  "clock-class": [
    "type",
    "id",
    "namespace",
    "name",
    "uid",
    "frequency",
    "origin",
    "offset-from-origin",
    "precision",
    "accuracy",
    "description",
    "attributes",
    "extensions",
  ],
  "data-stream-class": [
    "type",
    "id",
    "namespace",
    "name",
    "uid",
    "default-clock-class-id",
    "packet-context-field-class",
    "event-record-header-field-class",
    "event-record-common-context-field-class",
    "attributes",
    "extensions",
  ],
  "event-record-class": [
    "type",
    "id",
    "data-stream-class-id",
    "namespace",
    "name",
    "uid",
    "specific-context-field-class",
    "payload-field-class",
    "attributes",
    "extensions",
  ],
};

/** LTTng's log level names (attribute `lttng.org,2009` `log-level`) to the trace IR's numbers. */
const LOG_LEVELS: Record<string, number> = {
  emergency: 0,
  alert: 1,
  critical: 2,
  error: 3,
  warning: 4,
  notice: 5,
  info: 6,
  "debug:system": 7,
  "debug:program": 8,
  "debug:process": 9,
  "debug:module": 10,
  "debug:unit": 11,
  "debug:function": 12,
  "debug:line": 13,
  debug: 14,
};

function uuidFromBytes(v: Json | undefined, what: string): string {
  if (
    !Array.isArray(v) ||
    v.length !== 16 ||
    v.some((b) => typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > 255)
  )
    throw ctf2Err(`${what}: \`uuid\` must be an array of 16 bytes`);
  const h = (v as number[]).map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function scopeFc(ctx: FcContext, o: JsonObject, key: string, what: string): StructFC | undefined {
  if (o[key] === undefined) return undefined;
  const fc = convertFc(ctx, o[key], `${what}: \`${key}\``);
  if (fc.kind !== "struct") throw ctf2Err(`${what}: \`${key}\` must be a structure field class`);
  return fc;
}

function clockClass(o: JsonObject, what: string, config: DecoderConfig): ClockClass {
  const id = optString(o, "id", what);
  if (id === undefined) throw ctf2Err(`${what}: missing \`id\` property`);
  const frequency = optUint(o, "frequency", what);
  if (frequency === undefined || frequency === 0) throw ctf2Err(`${what}: \`frequency\` must be a positive integer`);
  let offsetSeconds = 0;
  let offsetCycles = 0;
  if (o["offset-from-origin"] !== undefined) {
    const off = expectObject(o["offset-from-origin"], `${what}: \`offset-from-origin\``);
    allowOnly(off, ["seconds", "cycles"], `${what}: \`offset-from-origin\``);
    const s = off.seconds ?? 0;
    if (typeof s !== "number" || !Number.isSafeInteger(s)) throw ctf2Err(`${what}: offset seconds must be an integer`);
    offsetSeconds = s;
    offsetCycles = optUint(off, "cycles", `${what}: \`offset-from-origin\``) ?? 0;
  }
  if (offsetCycles >= frequency) {
    const extra = Math.floor(offsetCycles / frequency);
    offsetSeconds += extra;
    offsetCycles -= extra * frequency;
  }
  // Same parameters as the TSDL path (`clock-class-offset-s`, `-ns`).
  if (config.clockOffsetSeconds) offsetSeconds += config.clockOffsetSeconds;
  if (config.clockOffsetNs) {
    const cyc = offsetCycles + Math.trunc((config.clockOffsetNs * frequency) / 1e9);
    const extra = Math.floor(cyc / frequency);
    offsetSeconds += extra;
    offsetCycles = cyc - extra * frequency;
  }
  let originIsUnixEpoch = false;
  let origin: ClockClass["origin"];
  if (o.origin === "unix-epoch") originIsUnixEpoch = true;
  else if (o.origin !== undefined) {
    const og = expectObject(o.origin, `${what}: \`origin\``);
    allowOnly(og, ["namespace", "name", "uid"], `${what}: \`origin\``);
    const name = optString(og, "name", `${what}: \`origin\``);
    const uid = optString(og, "uid", `${what}: \`origin\``);
    if (name === undefined || uid === undefined) throw ctf2Err(`${what}: a custom \`origin\` needs a name and a UID`);
    origin = { namespace: optString(og, "namespace", `${what}: \`origin\``), name, uid };
  }
  if (config.forceOriginUnixEpoch) originIsUnixEpoch = true;
  const precision = optUint(o, "precision", what);
  const cc: ClockClass = {
    name: optString(o, "name", what) ?? id,
    description: optString(o, "description", what),
    frequency,
    precision: precision ?? 0,
    offsetSeconds,
    offsetCycles,
    originIsUnixEpoch,
    uuid: optString(o, "uid", what),
  };
  if (precision === undefined) cc.precisionUnknown = true;
  const ns = optString(o, "namespace", what);
  if (ns !== undefined) cc.namespace = ns;
  const uid = optString(o, "uid", what);
  if (uid !== undefined) cc.uid = uid;
  if (origin) cc.origin = origin;
  const accuracy = optUint(o, "accuracy", what);
  if (accuracy !== undefined) cc.accuracy = accuracy;
  return cc;
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

/**
 * Builds a trace class from CTF 2 metadata text (the metadata stream's bytes as a byte string,
 * as `decodeMetadataStream` gives them).
 */
export function traceClassFromCtf2(byteText: string, config: DecoderConfig = {}): TraceClass {
  const fragments = parseJsonSequence(utf8FromByteString(byteText));
  const tc: TraceClass = {
    major: 2,
    minor: 0,
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
    ctfVersion: 2,
  };
  const ctx: FcContext = { aliases: new Map(), nodes: 0 };
  const clockById = new Map<string, ClockClass>();
  let haveTraceClass = false;
  fragments.forEach((raw, i) => {
    const o = expectObject(raw as Json, `Fragment #${i + 1}`);
    const type = o.type;
    const what = `Fragment #${i + 1} (${typeof type === "string" ? type : "?"})`;
    if (typeof type !== "string" || !(type in FRAGMENT_KEYS)) {
      throw ctf2Err(`Fragment #${i + 1}: unknown fragment type ${shown(type)}`);
    }
    allowOnly(o, FRAGMENT_KEYS[type]!, what);
    if (i === 0 && type !== "preamble")
      throw ctf2Err("The first fragment of a CTF 2 metadata stream must be a preamble");
    if (i > 0 && type === "preamble") throw ctf2Err(`${what}: a metadata stream has a single preamble, first`);
    checkExtensions(o, what);
    const attributes = checkAttributes(o, what);
    switch (type) {
      case "preamble": {
        if (o.version !== 2) throw ctf2Err(`${what}: unsupported CTF version ${shown(o.version)} (expecting 2)`);
        if (o.uuid !== undefined) tc.uuid = uuidFromBytes(o.uuid, what);
        break;
      }
      case "field-class-alias": {
        const name = optString(o, "name", what);
        if (name === undefined) throw ctf2Err(`${what}: missing \`name\` property`);
        if (ctx.aliases.has(name)) throw ctf2Err(`${what}: duplicate field class alias \`${name}\``);
        // Converted once now, so that a bad alias fails where it is defined.
        convertFc(ctx, o["field-class"], `${what}: alias \`${name}\``);
        ctx.aliases.set(name, o["field-class"] as Json);
        break;
      }
      case "trace-class": {
        if (haveTraceClass) throw ctf2Err(`${what}: a metadata stream has at most one trace class`);
        if (tc.streamClasses.length > 0) throw ctf2Err(`${what}: the trace class must precede data stream classes`);
        haveTraceClass = true;
        const ns = optString(o, "namespace", what);
        if (ns !== undefined) tc.namespace = ns;
        const name = optString(o, "name", what);
        if (name !== undefined) tc.name = name;
        const uid = optString(o, "uid", what);
        if (uid !== undefined) tc.uid = uid;
        if (attributes) tc.attributes = attributes;
        tc.packetHeader = scopeFc(ctx, o, "packet-header-field-class", what);
        if (o.environment !== undefined) {
          const env = expectObject(o.environment, `${what}: \`environment\``);
          for (const [k, v] of Object.entries(env)) {
            if (typeof v === "string") tc.env.push([k, v]);
            else if (typeof v === "number" && Number.isSafeInteger(v)) tc.env.push([k, v]);
            else throw ctf2Err(`${what}: environment entry \`${k}\` must be a string or an integer`);
          }
        }
        break;
      }
      case "clock-class": {
        const cc = clockClass(o, what, config);
        const id = optString(o, "id", what)!;
        if (clockById.has(id)) throw ctf2Err(`${what}: duplicate clock class ID \`${id}\``);
        clockById.set(id, cc);
        tc.clocks.push(cc);
        break;
      }
      case "data-stream-class": {
        const id = optUint(o, "id", what) ?? 0;
        if (tc.streamClassById.has(id)) throw ctf2Err(`${what}: duplicate data stream class ID ${id}`);
        const sc = newStreamClass(id);
        const ns = optString(o, "namespace", what);
        if (ns !== undefined) sc.namespace = ns;
        const name = optString(o, "name", what);
        if (name !== undefined) sc.name = name;
        const uid = optString(o, "uid", what);
        if (uid !== undefined) sc.uid = uid;
        const clockId = optString(o, "default-clock-class-id", what);
        if (clockId !== undefined) {
          const cc = clockById.get(clockId);
          if (!cc) throw ctf2Err(`${what}: no clock class with ID \`${clockId}\``);
          sc.defaultClock = cc;
        }
        sc.packetContext = scopeFc(ctx, o, "packet-context-field-class", what);
        sc.eventHeader = scopeFc(ctx, o, "event-record-header-field-class", what);
        sc.eventCommonContext = scopeFc(ctx, o, "event-record-common-context-field-class", what);
        tc.streamClasses.push(sc);
        tc.streamClassById.set(id, sc);
        break;
      }
      case "event-record-class": {
        const id = optUint(o, "id", what) ?? 0;
        const scId = optUint(o, "data-stream-class-id", what) ?? 0;
        const sc = tc.streamClassById.get(scId);
        if (!sc) throw ctf2Err(`${what}: no data stream class with ID ${scId}`);
        if (sc.eventClassById.has(id))
          throw ctf2Err(`${what}: duplicate event record class ID ${id} in data stream class ${scId}`);
        const ec: EventClass = {
          id,
          name: optString(o, "name", what) ?? "",
          logLevel: undefined,
          emfUri: undefined,
          specContext: scopeFc(ctx, o, "specific-context-field-class", what),
          payload: scopeFc(ctx, o, "payload-field-class", what),
          streamClassId: scId,
        };
        const ns = optString(o, "namespace", what);
        if (ns !== undefined) ec.namespace = ns;
        const uid = optString(o, "uid", what);
        if (uid !== undefined) ec.uid = uid;
        if (attributes) {
          ec.attributes = attributes;
          const lttng = attributes["lttng.org,2009"];
          if (typeof lttng === "object" && lttng !== null && !Array.isArray(lttng)) {
            const ll = (lttng as Record<string, unknown>)["log-level"];
            if (typeof ll === "string" && ll in LOG_LEVELS) ec.logLevel = LOG_LEVELS[ll];
            const emf = (lttng as Record<string, unknown>)["emf-uri"];
            if (typeof emf === "string") ec.emfUri = emf;
          }
        }
        sc.eventClasses.push(ec);
        sc.eventClassById.set(id, ec);
        break;
      }
    }
  });
  if (tc.streamClasses.length === 0) throw ctf2Err("Missing data stream class fragment in metadata stream.");
  finalizeCtf2(tc);
  return tc;
}
