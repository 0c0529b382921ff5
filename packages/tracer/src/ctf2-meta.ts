/**
 * The CTF 2 metadata (CTF2-SPEC-2.0 JSON fragments, RFC 7464 record separators) of a
 * per-process trace: the same data stream layout as the CTF 1.8 TSDL of tsdl.ts (packet header,
 * LTTng packet context, large event header with its compact/extended variant, `_`-less field
 * names as CTF 1.8 readers show them), described with roles and field locations as LTTng 2.15
 * writes CTF 2. A trace recorded with `traceFormat: "ctf-2"` therefore reads as the same events
 * recorded in CTF 1.8. Each function returns whole fragments, so metadata can grow by appending.
 */
import type { ElementField, Field, IntField } from "./fields.js";
import { intBits, intSigned } from "./fields.js";
import { isProcessContext, processContextBits } from "./process-ids.js";
import type { TraceInfo } from "./tsdl.js";
import type { ContextSpec } from "./tsdl.js";

type J = null | boolean | number | bigint | string | J[] | { [k: string]: J | undefined };

function jsonText(v: J): string {
  if (typeof v === "bigint") return v.toString();
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jsonText).join(",")}]`;
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v)) if (x !== undefined) parts.push(`${JSON.stringify(k)}:${jsonText(x)}`);
  return `{${parts.join(",")}}`;
}

function fragment(v: J): string {
  return `\u001e${jsonText(v)}\n`;
}

function uint(length: number, extra: { [k: string]: J | undefined } = {}): J {
  return { type: "fixed-length-unsigned-integer", length, "byte-order": "little-endian", alignment: 8, ...extra };
}

function intClass(bits: number, signed: boolean, base: number, be: boolean): J {
  return {
    type: signed ? "fixed-length-signed-integer" : "fixed-length-unsigned-integer",
    length: bits,
    "byte-order": be ? "big-endian" : "little-endian",
    alignment: 8,
    "preferred-display-base": base === 10 ? undefined : base,
  };
}

function intFieldClass(f: IntField): J {
  return intClass(intBits(f.type), intSigned(f.type), f.base, f.byteOrder === "be");
}

function elementClass(e: ElementField): J {
  if (e.kind === "int") return intFieldClass(e);
  return { type: "fixed-length-floating-point-number", length: e.bits, "byte-order": "little-endian", alignment: 8 };
}

const member = (name: string, fc: J): J => ({ name, "field-class": fc });

/** A relative location of a member of the same structure (written just before). */
const sibling = (name: string): J => ({ path: [name] });

function fieldMembers(fields: readonly Field[]): J[] {
  const out: J[] = [];
  for (const f of fields) {
    if (f.nowrite) continue;
    switch (f.kind) {
      case "int":
        out.push(member(f.name, intFieldClass(f)));
        break;
      case "float":
        out.push(member(f.name, elementClass(f)));
        break;
      case "string":
        out.push(member(f.name, { type: "null-terminated-string" }));
        break;
      case "array":
        out.push(
          member(f.name, {
            type: "static-length-array",
            length: f.length,
            "element-field-class": elementClass(f.element),
          }),
        );
        break;
      case "textArray":
        out.push(member(f.name, { type: "static-length-string", length: f.length }));
        break;
      case "sequence":
      case "textSequence": {
        // TSDL's `__NAME_length` reads as `_NAME_length` (one `_` stripped): the same name here.
        const len = `_${f.name}_length`;
        out.push(member(len, uint(Number(f.lengthType.slice(1)))));
        out.push(
          member(
            f.name,
            f.kind === "sequence"
              ? {
                  type: "dynamic-length-array",
                  "length-field-location": sibling(len),
                  "element-field-class": elementClass(f.element),
                }
              : { type: "dynamic-length-string", "length-field-location": sibling(len) },
          ),
        );
        break;
      }
      case "enum": {
        const mappings: { [k: string]: J } = {};
        for (const m of f.mappings) ((mappings[m.label] ??= []) as J[]).push([m.lo, m.hi]);
        out.push(member(f.name, { ...(intFieldClass(f.container) as object), mappings }));
        break;
      }
    }
  }
  return out;
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

function uuidArray(uuid: string): number[] {
  const hex = uuid.replaceAll("-", "");
  const out: number[] = [];
  for (let i = 0; i < 32; i += 2) out.push(Number.parseInt(hex.slice(i, i + 2), 16));
  return out;
}

/** Preamble, trace class (environment as tsdl.ts's `env`) and the monotonic clock class. */
export function tracePreamble2(t: TraceInfo): string {
  const env: { [k: string]: J } = {
    domain: "ust",
    tracer_name: "ttng",
    tracer_major: 0,
    tracer_minor: 1,
    tracer_buffering_scheme: t.perUid === undefined ? "pid" : "uid",
    tracer_buffering_id: t.perUid === undefined ? t.vpid : t.perUid.uid,
    architecture_bit_width: 64,
    trace_name: t.traceName,
    trace_creation_datetime: t.creationDatetime,
    hostname: t.hostname,
  };
  if (t.perUid === undefined) {
    env.tracer_patchlevel = 0;
    env.vpid = t.vpid;
    env.procname = t.procname;
    env.vpid_datetime = t.creationDatetime;
  }
  const ns = t.clockOffsetNs;
  return (
    fragment({ type: "preamble", version: 2, uuid: uuidArray(t.uuid) }) +
    fragment({
      type: "trace-class",
      uid: t.uuid,
      environment: env,
      "packet-header-field-class": {
        type: "structure",
        "member-classes": [
          member("magic", uint(32, { roles: ["packet-magic-number"] })),
          member("uuid", { type: "static-length-blob", length: 16, roles: ["metadata-stream-uuid"] }),
          member("stream_id", uint(32, { roles: ["data-stream-class-id"] })),
          member("stream_instance_id", uint(64, { roles: ["data-stream-id"] })),
        ],
      },
    }) +
    fragment({
      type: "clock-class",
      id: "monotonic",
      name: "monotonic",
      uid: t.clockUuid,
      description: "Monotonic Clock",
      frequency: 1000000000,
      // No origin, as the TSDL clock (no `absolute`): the offset is counted from an unknown origin.
      "offset-from-origin": { seconds: ns / 1000000000n, cycles: ns % 1000000000n },
    })
  );
}

function contextMembers(c: ContextSpec): J[] {
  // The process ids and namespace inodes, typed as LTTng-UST 2.13 types them (as in tsdl.ts).
  if (c.kind !== "app" && isProcessContext(c.kind))
    return [member(c.kind, intClass(processContextBits(c.kind), false, 10, false))];
  switch (c.kind) {
    case "vpid":
    case "vtid":
    case "worker_id":
      return [member(c.kind, intClass(32, true, 10, false))];
    case "procname":
      return [member("procname", { type: "static-length-string", length: 17 })];
    case "pthread_id":
      return [member("pthread_id", intClass(64, false, 10, false))];
    case "app": {
      const tag = `${c.ident}_tag`;
      const labels = ["none", "int64", "double", "string"];
      const mappings: { [k: string]: J } = {};
      labels.forEach((l, i) => {
        mappings[`_${l}`] = [[i, i]];
      });
      const fcs: J[] = [
        { type: "structure", "member-classes": [] },
        intClass(64, true, 10, false),
        { type: "fixed-length-floating-point-number", length: 64, "byte-order": "little-endian", alignment: 8 },
        { type: "null-terminated-string" },
      ];
      return [
        member(tag, { ...(uint(8) as object), mappings }),
        member(c.ident, {
          type: "variant",
          "selector-field-location": sibling(tag),
          options: labels.map((l, i): J => ({ name: l, "selector-field-ranges": [[i, i]], "field-class": fcs[i]! })),
        }),
      ];
    }
  }
}

/** A data stream class: LTTng's packet context and large event header (compact/extended). */
export function streamBlock2(id: number, contexts: readonly ContextSpec[]): string {
  const ts = (bits: number, role = "default-clock-timestamp") => uint(bits, { roles: [role] });
  return fragment({
    type: "data-stream-class",
    id,
    "default-clock-class-id": "monotonic",
    "packet-context-field-class": {
      type: "structure",
      "member-classes": [
        member("timestamp_begin", ts(64)),
        member("timestamp_end", ts(64, "packet-end-default-clock-timestamp")),
        member("content_size", uint(64, { roles: ["packet-content-length"] })),
        member("packet_size", uint(64, { roles: ["packet-total-length"] })),
        member("packet_seq_num", uint(64, { roles: ["packet-sequence-number"] })),
        member("events_discarded", uint(64, { roles: ["discarded-event-record-counter-snapshot"] })),
        member("cpu_id", uint(32)),
      ],
    },
    "event-record-header-field-class": {
      type: "structure",
      "minimum-alignment": 8,
      "member-classes": [
        member(
          "id",
          uint(16, {
            roles: ["event-record-class-id"],
            mappings: { compact: [[0, 65534]], extended: [[65535, 65535]] },
          }),
        ),
        member("v", {
          type: "variant",
          "selector-field-location": sibling("id"),
          options: [
            {
              name: "compact",
              "selector-field-ranges": [[0, 65534]],
              "field-class": { type: "structure", "member-classes": [member("timestamp", ts(32))] },
            },
            {
              name: "extended",
              "selector-field-ranges": [[65535, 65535]],
              "field-class": {
                type: "structure",
                "member-classes": [
                  member("id", uint(32, { roles: ["event-record-class-id"] })),
                  member("timestamp", ts(64)),
                ],
              },
            },
          ],
        }),
      ],
    },
    "event-record-common-context-field-class":
      contexts.length > 0 ? { type: "structure", "member-classes": contexts.flatMap(contextMembers) } : undefined,
  });
}

/** An event record class (the log level as LTTng 2.15's `lttng.org,2009` attribute). */
export function eventBlock2(
  name: string,
  id: number,
  streamId: number,
  logLevel: number,
  fields: readonly Field[],
): string {
  const ll = LOG_LEVEL_NAMES[logLevel];
  return fragment({
    type: "event-record-class",
    id,
    "data-stream-class-id": streamId,
    name,
    attributes: ll === undefined ? undefined : { "lttng.org,2009": { "log-level": ll } },
    "payload-field-class": { type: "structure", "member-classes": fieldMembers(fields) },
  });
}
