/**
 * Prints an `OutTrace` as CTF 2 metadata (CTF2-SPEC-2.0): an RFC 7464 JSON
 * text sequence of fragments (preamble with the trace UUID, trace class
 * with its environment, clock classes, data stream classes, event record
 * classes), shaped like what LTTng 2.15 and Babeltrace 2.1 write. It
 * describes exactly the bytes the CTF 1.8 writer lays out (same packet
 * header, packet context, event header, same extra length and tag fields),
 * so data streams do not change with the CTF version: only this text does.
 * Where TSDL relies on magic names, this gives roles; where TSDL names a
 * length or a selector, this gives an absolute field location. Member
 * names are the trace IR's (the one `_` the CTF 1.8 writer prepends is
 * removed, as a CTF 1.8 reader would). Browser-safe. Returns a byte string
 * (the UTF-8 bytes, one char per byte), as `tsdlFromOutTrace` does.
 */
import { TtngError } from "@ttng/base";
import type {
  OutClock,
  OutEnumMapping,
  OutEventClass,
  OutFieldClass,
  OutStreamClass,
  OutStruct,
  OutTrace,
} from "./out-model.js";

/** A JSON value whose integers may be bigints (printed as exact decimal numbers). */
type J = null | boolean | number | bigint | string | J[] | { [k: string]: J | undefined };

function jsonText(v: J): string {
  if (typeof v === "bigint") return v.toString();
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jsonText).join(",")}]`;
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v)) if (x !== undefined) parts.push(`${JSON.stringify(k)}:${jsonText(x)}`);
  return `{${parts.join(",")}}`;
}

const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/**
 * Names and texts from a CTF 1.8 trace are byte strings (one char per byte); CTF 2 metadata is
 * UTF-8 text, so a byte string that holds valid UTF-8 is decoded first (else it is taken as Latin-1).
 */
function text(s: string): string {
  if (!/[\u0080-\u00ff]/.test(s) || /[^\u0000-\u00ff]/.test(s)) return s;
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  try {
    return utf8Strict.decode(b);
  } catch {
    return s;
  }
}

/** The trace IR name of a member or option written with a protecting `_` in CTF 1.8. */
function irName(tsdlName: string): string {
  return text(tsdlName.startsWith("_") ? tsdlName.slice(1) : tsdlName);
}

function fail(message: string): TtngError {
  return new TtngError("ERR_UNSUPPORTED", message, { actor: "sink.ctf.fs" });
}

type Origin =
  | "packet-context"
  | "event-record-common-context"
  | "event-record-specific-context"
  | "event-record-payload";

/** TSDL absolute path prefixes (as `fs-sink/translate-ir.ts` prints them) to CTF 2 origins. */
const ABSOLUTE: Array<[string, Origin]> = [
  ["stream.packet.context.", "packet-context"],
  ["stream.event.context.", "event-record-common-context"],
  ["event.context.", "event-record-specific-context"],
  ["event.fields.", "event-record-payload"],
];

function uint(length: number, alignment: number, extra: { [k: string]: J | undefined } = {}): J {
  return {
    type: "fixed-length-unsigned-integer",
    length,
    "byte-order": "little-endian",
    alignment,
    ...extra,
  };
}

function mappingsJson(mappings: OutEnumMapping[]): J {
  // CTF 2 maps a label to a range set: labels TSDL repeats are merged.
  const out: { [k: string]: J } = {};
  for (const m of mappings) {
    const label = text(m.label);
    const ranges = (out[label] as J[] | undefined) ?? [];
    for (const [lo, hi] of m.ranges) ranges.push([lo, hi]);
    out[label] = ranges;
  }
  return out;
}

interface Frame {
  fc: OutFieldClass;
  /** CTF 2 path (structure member names) from the scope root to this structure. */
  path: string[];
}

/** Field class printing within one scope: knows the scopes already printed for absolute references. */
class ScopePrinter {
  private readonly stack: Frame[] = [];

  constructor(
    private readonly roots: Map<Origin, OutStruct>,
    private readonly origin: Origin,
  ) {}

  /** An absolute CTF 2 field location for a TSDL reference made from the innermost frame. */
  private location(ref: string): J {
    for (const [prefix, origin] of ABSOLUTE) {
      if (!ref.startsWith(prefix)) continue;
      const root = this.roots.get(origin);
      if (!root) break;
      const path: string[] = [];
      let fc: OutFieldClass = root;
      for (const name of ref.slice(prefix.length).split(".")) {
        if (fc.kind === "struct") {
          const m = fc.members.find((x) => x.name === name);
          if (!m) break;
          path.push(irName(name));
          fc = m.fc;
        } else if (fc.kind === "variant") {
          // CTF 2 paths name structure members only: the selected option is entered implicitly.
          const o = fc.options.find((x) => x.name === name);
          if (!o) break;
          fc = o.fc;
        } else break;
      }
      return { origin, path };
    }
    // Relative (or a field the writer adds just before): the innermost enclosing structure that has
    // it. Written as a relative location (a `null` per structure up) unless a variant lies between:
    // readers may not see through a variant's options when they resolve an absolute path.
    let ups = 0;
    let crossedVariant = false;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const f = this.stack[i]!;
      if (f.fc.kind === "array" || f.fc.kind === "sequence") continue;
      if (f.fc.kind === "variant") {
        crossedVariant = true;
        continue;
      }
      if (f.fc.kind !== "struct") break;
      if (f.fc.members.some((m) => m.name === ref) || (ups === 0 && this.pendingExtra.has(ref))) {
        if (crossedVariant) return { origin: this.origin, path: [...f.path, irName(ref)] };
        return { path: [...Array<null>(ups).fill(null), irName(ref)] };
      }
      ups++;
    }
    throw fail(`Unsupported field class: cannot express the TSDL reference \`${ref}\` as a CTF 2 field location`);
  }

  /** Names of the extra fields (lengths, tags) the writer adds to the structure being printed. */
  private pendingExtra = new Set<string>();

  struct(fc: OutStruct, path: string[]): J {
    const saved = this.pendingExtra;
    this.pendingExtra = new Set();
    this.stack.push({ fc, path });
    const members: J[] = [];
    for (const m of fc.members) {
      const f = m.fc;
      if ((f.kind === "sequence" || f.kind === "blob") && f.lengthBefore) {
        this.pendingExtra.add(f.lengthRef);
        members.push({ name: irName(f.lengthRef), "field-class": uint(32, 8) });
      } else if (f.kind === "option") {
        this.pendingExtra.add(f.tagRef);
        members.push({
          name: irName(f.tagRef),
          "field-class": uint(8, 8, { mappings: { none: [[0, 0]], content: [[1, 1]] } }),
        });
      } else if (f.kind === "variant" && f.tagBefore) {
        this.pendingExtra.add(f.tagRef);
        const mappings: { [k: string]: J } = {};
        f.options.forEach((o, i) => {
          mappings[text(o.name)] = [[i, i]];
        });
        members.push({ name: irName(f.tagRef), "field-class": uint(16, 8, { mappings }) });
      }
      members.push({ name: irName(m.name), "field-class": this.fieldClass(f, [...path, irName(m.name)]) });
    }
    this.stack.pop();
    this.pendingExtra = saved;
    const out: { [k: string]: J } = { type: "structure", "member-classes": members };
    if (fc.alignBits > 1) out["minimum-alignment"] = fc.alignBits;
    return out;
  }

  fieldClass(fc: OutFieldClass, path: string[]): J {
    switch (fc.kind) {
      case "int": {
        const common = { length: fc.sizeBits, "byte-order": "little-endian", alignment: fc.alignBits };
        if (fc.origin === "bool") return { type: "fixed-length-boolean", ...common };
        if (fc.origin === "bit-array") {
          if (fc.flags && fc.flags.length > 0)
            return { type: "fixed-length-bit-map", ...common, flags: mappingsJson(fc.flags) };
          return { type: "fixed-length-bit-array", ...common };
        }
        return {
          type: fc.signed ? "fixed-length-signed-integer" : "fixed-length-unsigned-integer",
          ...common,
          "preferred-display-base": fc.base === 10 ? undefined : fc.base,
          mappings: fc.mappings && fc.mappings.length > 0 ? mappingsJson(fc.mappings) : undefined,
        };
      }
      case "float":
        return {
          type: "fixed-length-floating-point-number",
          length: fc.sizeBits,
          "byte-order": "little-endian",
          alignment: fc.alignBits,
        };
      case "string":
        return { type: "null-terminated-string" };
      case "struct":
        return this.struct(fc, path);
      case "array":
        this.stack.push({ fc, path });
        try {
          return {
            type: "static-length-array",
            length: fc.length,
            "element-field-class": this.fieldClass(fc.element, path),
          };
        } finally {
          this.stack.pop();
        }
      case "sequence": {
        const loc = this.location(fc.lengthRef);
        this.stack.push({ fc, path });
        try {
          return {
            type: "dynamic-length-array",
            "length-field-location": loc,
            "element-field-class": this.fieldClass(fc.element, path),
          };
        } finally {
          this.stack.pop();
        }
      }
      case "blob": {
        const mediaType = fc.mediaType === "application/octet-stream" ? undefined : fc.mediaType;
        if (fc.length !== undefined) return { type: "static-length-blob", length: fc.length, "media-type": mediaType };
        return {
          type: "dynamic-length-blob",
          "length-field-location": this.location(fc.lengthRef),
          "media-type": mediaType,
        };
      }
      case "option": {
        const loc = this.location(fc.tagRef);
        this.stack.push({ fc, path });
        try {
          return {
            type: "optional",
            "selector-field-location": loc,
            "selector-field-ranges": [[1, 1]],
            "field-class": this.fieldClass(fc.content, path),
          };
        } finally {
          this.stack.pop();
        }
      }
      case "variant": {
        const loc = this.location(fc.tagRef);
        const tag = fc.tagBefore ? undefined : this.tagClass(fc.tagRef);
        this.stack.push({ fc, path });
        try {
          const options = fc.options.map((o, i): J => {
            let ranges: J = [[i, i]];
            if (tag) {
              const m = tag.mappings?.filter((x) => x.label === o.name) ?? [];
              if (m.length === 0)
                throw fail(`Unsupported variant field class: no selector range for option \`${o.name}\``);
              ranges = m.flatMap((x) => x.ranges.map(([lo, hi]): J => [lo, hi]));
            }
            return {
              name: o.unnamed ? undefined : irName(o.name),
              "selector-field-ranges": ranges,
              "field-class": this.fieldClass(o.fc, path),
            };
          });
          return { type: "variant", "selector-field-location": loc, options };
        } finally {
          this.stack.pop();
        }
      }
    }
  }

  /** The enumeration a variant's existing tag field is (resolved as `location()` does). */
  private tagClass(ref: string): (OutFieldClass & { kind: "int" }) | undefined {
    let fc: OutFieldClass | undefined;
    const abs = ABSOLUTE.find(([prefix]) => ref.startsWith(prefix));
    if (abs) {
      fc = this.roots.get(abs[1]);
      for (const name of ref.slice(abs[0].length).split(".")) {
        if (fc?.kind === "struct") fc = fc.members.find((x) => x.name === name)?.fc;
        else if (fc?.kind === "variant") fc = fc.options.find((x) => x.name === name)?.fc;
        else fc = undefined;
      }
    } else {
      for (let i = this.stack.length - 1; i >= 0 && !fc; i--) {
        const f = this.stack[i]!.fc;
        if (f.kind === "array" || f.kind === "sequence" || f.kind === "variant") continue;
        if (f.kind !== "struct") break;
        fc = f.members.find((m) => m.name === ref)?.fc;
      }
    }
    return fc?.kind === "int" ? fc : undefined;
  }
}

const LOG_LEVEL_NAMES = [
  "emergency",
  "alert",
  "critical",
  "error",
  "warning",
  "notice",
  "info",
  "debug:system",
  "debug:program",
  "debug:process",
  "debug:module",
  "debug:unit",
  "debug:function",
  "debug:line",
  "debug",
];

function uuidBytes(uuid: string): number[] {
  const hex = uuid.replaceAll("-", "");
  const out: number[] = [];
  for (let i = 0; i < 32; i += 2) out.push(Number.parseInt(hex.slice(i, i + 2), 16));
  return out;
}

function clockJson(c: OutClock): J {
  return {
    type: "clock-class",
    id: text(c.name),
    name: text(c.name),
    description: c.description === undefined ? undefined : text(c.description),
    uid: c.uuid,
    frequency: c.frequency,
    origin: c.originIsUnixEpoch ? "unix-epoch" : undefined,
    "offset-from-origin": { seconds: c.offsetSeconds, cycles: c.offsetCycles },
    precision: c.precision,
  };
}

function streamClassJson(sc: OutStreamClass, roots: Map<Origin, OutStruct>): J {
  const members: J[] = [
    { name: "packet_size", "field-class": uint(64, 8, { roles: ["packet-total-length"] }) },
    { name: "content_size", "field-class": uint(64, 8, { roles: ["packet-content-length"] }) },
  ];
  if (sc.packetsHaveTsBegin)
    members.push({ name: "timestamp_begin", "field-class": uint(64, 8, { roles: ["default-clock-timestamp"] }) });
  if (sc.packetsHaveTsEnd)
    members.push({
      name: "timestamp_end",
      "field-class": uint(64, 8, { roles: ["packet-end-default-clock-timestamp"] }),
    });
  if (sc.hasDiscardedEvents)
    members.push({
      name: "events_discarded",
      "field-class": uint(64, 8, { roles: ["discarded-event-record-counter-snapshot"] }),
    });
  members.push({ name: "packet_seq_num", "field-class": uint(64, 8, { roles: ["packet-sequence-number"] }) });
  let minAlign = 8;
  if (sc.packetContext) {
    roots.set("packet-context", sc.packetContext);
    const user = new ScopePrinter(roots, "packet-context").struct(sc.packetContext, []) as { "member-classes": J[] };
    members.push(...user["member-classes"]);
    minAlign = Math.max(8, sc.packetContext.alignBits);
  }
  const header: J[] = [{ name: "id", "field-class": uint(64, 8, { roles: ["event-record-class-id"] }) }];
  if (sc.clock) header.push({ name: "timestamp", "field-class": uint(64, 8, { roles: ["default-clock-timestamp"] }) });
  let common: J | undefined;
  if (sc.eventCommonContext) {
    roots.set("event-record-common-context", sc.eventCommonContext);
    common = new ScopePrinter(roots, "event-record-common-context").struct(sc.eventCommonContext, []);
  }
  return {
    type: "data-stream-class",
    id: sc.id,
    "default-clock-class-id": sc.clock ? text(sc.clock.name) : undefined,
    "packet-context-field-class": { type: "structure", "member-classes": members, "minimum-alignment": minAlign },
    "event-record-header-field-class": { type: "structure", "member-classes": header, "minimum-alignment": 8 },
    "event-record-common-context-field-class": common,
  };
}

function eventClassJson(ec: OutEventClass, scId: number, roots: Map<Origin, OutStruct>): J {
  const scoped = new Map(roots);
  let spec: J | undefined;
  let payload: J | undefined;
  if (ec.specContext) {
    scoped.set("event-record-specific-context", ec.specContext);
    spec = new ScopePrinter(scoped, "event-record-specific-context").struct(ec.specContext, []);
  }
  if (ec.payload) {
    scoped.set("event-record-payload", ec.payload);
    payload = new ScopePrinter(scoped, "event-record-payload").struct(ec.payload, []);
  }
  // LTTng 2.15 keeps the log level (and EMF URI) as `lttng.org,2009` attributes, which readers map back.
  const lttng: { [k: string]: J | undefined } = {};
  const ll = ec.logLevel === undefined ? undefined : LOG_LEVEL_NAMES[ec.logLevel];
  if (ll !== undefined) lttng["log-level"] = ll;
  if (ec.emfUri !== undefined) lttng["emf-uri"] = text(ec.emfUri);
  return {
    type: "event-record-class",
    id: ec.id,
    "data-stream-class-id": scId,
    name: text(ec.name),
    attributes: Object.keys(lttng).length > 0 ? { "lttng.org,2009": lttng } : undefined,
    "specific-context-field-class": spec,
    "payload-field-class": payload,
  };
}

/** Optional trace class properties CTF 2 adds (MIP 1 names; the UID defaults to the UUID, as LTTng 2.15 does). */
export interface Ctf2TraceInfo {
  namespace?: string | undefined;
  name?: string | undefined;
  uid?: string | undefined;
}

/** The JSON fragments of `trace`'s CTF 2 metadata, in stream order (exported for tests). */
export function ctf2Fragments(trace: OutTrace, info: Ctf2TraceInfo = {}): string[] {
  const frags: J[] = [{ type: "preamble", version: 2, uuid: uuidBytes(trace.uuid) }];
  const env: { [k: string]: J } = {};
  for (const [k, v] of trace.env) env[text(k)] = typeof v === "string" ? text(v) : v;
  frags.push({
    type: "trace-class",
    namespace: info.namespace === undefined ? undefined : text(info.namespace),
    name: info.name === undefined ? undefined : text(info.name),
    uid: info.uid ?? trace.uuid,
    environment: trace.env.length > 0 ? env : undefined,
    "packet-header-field-class": {
      type: "structure",
      "member-classes": [
        { name: "magic", "field-class": uint(32, 8, { roles: ["packet-magic-number"], "preferred-display-base": 16 }) },
        { name: "uuid", "field-class": { type: "static-length-blob", length: 16, roles: ["metadata-stream-uuid"] } },
        { name: "stream_id", "field-class": uint(64, 8, { roles: ["data-stream-class-id"] }) },
        { name: "stream_instance_id", "field-class": uint(64, 8, { roles: ["data-stream-id"] }) },
      ],
      "minimum-alignment": 8,
    },
  });
  const clocks = new Set<OutClock>();
  for (const sc of trace.streamClasses) {
    if (sc.clock && !clocks.has(sc.clock)) {
      clocks.add(sc.clock);
      frags.push(clockJson(sc.clock));
    }
  }
  for (const sc of trace.streamClasses) {
    const roots = new Map<Origin, OutStruct>();
    frags.push(streamClassJson(sc, roots));
    for (const ec of sc.eventClasses) frags.push(eventClassJson(ec, sc.id, roots));
  }
  return frags.map(jsonText);
}

/** The CTF 2 metadata stream of `trace` (plain, not packetized) as a byte string of UTF-8. */
export function ctf2FromOutTrace(trace: OutTrace, info: Ctf2TraceInfo = {}): string {
  let s = "";
  for (const f of ctf2Fragments(trace, info)) s += `\u001e${f}\n`;
  const bytes = new TextEncoder().encode(s);
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}
