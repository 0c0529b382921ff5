/**
 * The CTF 1.8 metadata (TSDL) of a per-process trace, laid out as LTTng-UST 2.13 writes it
 * (lttng-tools ust-metadata.cpp): same typealiases, trace/env/clock blocks, packet context,
 * compact and large event headers, stream and event blocks, packed (align = 8 bits) fields with
 * a leading underscore. Only `tracer_name` (and the tracer version) say "ttng". This module
 * builds text; it does not packetize (`@ttng/protocol` metadata-packets.ts) nor write files.
 */
import type { ElementField, Field, IntField } from "./fields.js";
import { intBits, intSigned } from "./fields.js";
import { isProcessContext, type ProcessContext, processContextBits } from "./process-ids.js";

export interface TraceInfo {
  uuid: string;
  hostname: string;
  procname: string;
  vpid: number;
  /** `20261126T074553+0000` */
  creationDatetime: string;
  traceName: string;
  clockUuid: string;
  clockOffsetNs: bigint;
  /** A session daemon's per-UID trace (LTTng's `--buffers-uid`): no per-process env fields. */
  perUid?: { uid: number };
}

/** TSDL string literal (CTF 1.8 §4.1.5): escape `"` and `\`, and control characters. */
export function tsdlString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (c < 0x20) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

export function tracePreamble(t: TraceInfo): string {
  return `/* CTF 1.8 */

typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
typealias integer { size = 16; align = 8; signed = false; } := uint16_t;
typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
typealias integer { size = 64; align = 8; signed = false; } := uint64_t;
typealias integer { size = 64; align = 8; signed = false; } := unsigned long;
typealias integer { size = 5; align = 1; signed = false; } := uint5_t;
typealias integer { size = 27; align = 1; signed = false; } := uint27_t;

trace {
	major = 1;
	minor = 8;
	uuid = "${t.uuid}";
	byte_order = le;
	packet.header := struct {
		uint32_t magic;
		uint8_t  uuid[16];
		uint32_t stream_id;
		uint64_t stream_instance_id;
	};
};

env {
	domain = "ust";
	tracer_name = "ttng";
	tracer_major = 0;
	tracer_minor = 1;
	tracer_buffering_scheme = "${t.perUid === undefined ? "pid" : "uid"}";
	tracer_buffering_id = ${t.perUid === undefined ? t.vpid : t.perUid.uid};
	architecture_bit_width = 64;
	trace_name = ${tsdlString(t.traceName)};
	trace_creation_datetime = "${t.creationDatetime}";
	hostname = ${tsdlString(t.hostname)};
${
  t.perUid === undefined
    ? `	tracer_patchlevel = 0;
	vpid = ${t.vpid};
	procname = ${tsdlString(t.procname)};
	vpid_datetime = "${t.creationDatetime}";
`
    : ""
}};

clock {
	name = "monotonic";
	uuid = "${t.clockUuid}";
	description = "Monotonic Clock";
	freq = 1000000000; /* Frequency, in Hz */
	/* clock value offset from Epoch is: offset * (1/freq) */
	offset = ${t.clockOffsetNs};
};

typealias integer {
	size = 27; align = 1; signed = false;
	map = clock.monotonic.value;
} := uint27_clock_monotonic_t;

typealias integer {
	size = 32; align = 8; signed = false;
	map = clock.monotonic.value;
} := uint32_clock_monotonic_t;

typealias integer {
	size = 64; align = 8; signed = false;
	map = clock.monotonic.value;
} := uint64_clock_monotonic_t;

struct packet_context {
	uint64_clock_monotonic_t timestamp_begin;
	uint64_clock_monotonic_t timestamp_end;
	uint64_t content_size;
	uint64_t packet_size;
	uint64_t packet_seq_num;
	unsigned long events_discarded;
	uint32_t cpu_id;
};

struct event_header_compact {
	enum : uint5_t { compact = 0 ... 30, extended = 31 } id;
	variant <id> {
		struct {
			uint27_clock_monotonic_t timestamp;
		} compact;
		struct {
			uint32_t id;
			uint64_clock_monotonic_t timestamp;
		} extended;
	} v;
} align(8);

struct event_header_large {
	enum : uint16_t { compact = 0 ... 65534, extended = 65535 } id;
	variant <id> {
		struct {
			uint32_clock_monotonic_t timestamp;
		} compact;
		struct {
			uint32_t id;
			uint64_clock_monotonic_t timestamp;
		} extended;
	} v;
} align(8);

`;
}

function intDecl(bits: number, signed: boolean, base: number, be: boolean, utf8 = false): string {
  return `integer { size = ${bits}; align = 8; signed = ${signed ? 1 : 0}; encoding = ${utf8 ? "UTF8" : "none"}; base = ${base};${be ? " byte_order = be;" : ""} }`;
}

function intFieldDecl(f: IntField): string {
  return intDecl(intBits(f.type), intSigned(f.type), f.base, f.byteOrder === "be");
}

function elementDecl(e: ElementField): string {
  if (e.kind === "int") return intFieldDecl(e);
  return e.bits === 32
    ? "floating_point { exp_dig = 8; mant_dig = 24; align = 8; }"
    : "floating_point { exp_dig = 11; mant_dig = 53; align = 8; }";
}

const TEXT = intDecl(8, true, 10, false, true);
const lenDecl = (t: "u8" | "u16" | "u32" | "u64") => intDecl(Number(t.slice(1)), false, 10, false);

function enumValue(v: number | bigint): string {
  return String(v);
}

/** Field lines (tab-indented by `indent`) of one event payload, `_`-prefixed as LTTng does. */
export function fieldDecls(fields: readonly Field[], indent: string): string {
  let out = "";
  for (const f of fields) {
    if (f.nowrite) continue;
    const n = `_${f.name}`;
    switch (f.kind) {
      case "int":
        out += `${indent}${intFieldDecl(f)} ${n};\n`;
        break;
      case "float":
        out += `${indent}${elementDecl(f)} ${n};\n`;
        break;
      case "string":
        out += `${indent}string ${n};\n`;
        break;
      case "array":
        out += `${indent}${elementDecl(f.element)} ${n}[${f.length}];\n`;
        break;
      case "textArray":
        out += `${indent}${TEXT} ${n}[${f.length}];\n`;
        break;
      case "sequence":
        out += `${indent}${lenDecl(f.lengthType)} __${f.name}_length;\n`;
        out += `${indent}${elementDecl(f.element)} ${n}[ __${f.name}_length ];\n`;
        break;
      case "textSequence":
        out += `${indent}${lenDecl(f.lengthType)} __${f.name}_length;\n`;
        out += `${indent}${TEXT} ${n}[ __${f.name}_length ];\n`;
        break;
      case "enum": {
        out += `${indent}enum : ${intFieldDecl(f.container)} {\n`;
        for (const m of f.mappings) {
          const v = m.lo === m.hi ? enumValue(m.lo) : `${enumValue(m.lo)} ... ${enumValue(m.hi)}`;
          out += `${indent}\t${tsdlString(m.label)} = ${v},\n`;
        }
        out += `${indent}} ${n};\n`;
        break;
      }
    }
  }
  return out;
}

/** A context recorded as stream event context (LTTng's channel contexts). */
export type ContextSpec =
  | { kind: "vpid" | "vtid" | "procname" | "pthread_id" | "worker_id" }
  | { kind: ProcessContext }
  | { kind: "app"; name: string; ident: string };

export function contextDecl(c: ContextSpec): string {
  // The process ids and namespace inodes, typed as LTTng-UST 2.13 types them.
  if (c.kind !== "app" && isProcessContext(c.kind))
    return `\t\t${intDecl(processContextBits(c.kind), false, 10, false)} _${c.kind};\n`;
  switch (c.kind) {
    case "vpid":
      return `\t\t${intDecl(32, true, 10, false)} _vpid;\n`;
    case "vtid":
      return `\t\t${intDecl(32, true, 10, false)} _vtid;\n`;
    case "procname":
      return `\t\t${TEXT} _procname[17];\n`;
    case "pthread_id":
      return `\t\t${intDecl(64, false, 10, false)} _pthread_id;\n`;
    case "worker_id":
      return `\t\t${intDecl(32, true, 10, false)} _worker_id;\n`;
    case "app":
      // LTTng-UST's dynamic type: an enum tag then a variant (lttng-ust context-provider.h).
      return (
        `\t\tenum : ${intDecl(8, false, 10, false)} { "_none" = 0, "_int64" = 1, "_double" = 2, "_string" = 3 } _${c.ident}_tag;\n` +
        `\t\tvariant <_${c.ident}_tag> {\n` +
        `\t\t\tstruct { } _none;\n` +
        `\t\t\t${intDecl(64, true, 10, false)} _int64;\n` +
        `\t\t\tfloating_point { exp_dig = 11; mant_dig = 53; align = 8; } _double;\n` +
        `\t\t\tstring _string;\n` +
        `\t\t} _${c.ident};\n`
      );
  }
}

export function streamBlock(id: number, contexts: readonly ContextSpec[]): string {
  let out = `stream {\n\tid = ${id};\n\tevent.header := struct event_header_large;\n\tpacket.context := struct packet_context;\n`;
  if (contexts.length > 0) out += `\tevent.context := struct {\n${contexts.map(contextDecl).join("")}\t};\n`;
  return `${out}};\n\n`;
}

export function eventBlock(
  name: string,
  id: number,
  streamId: number,
  logLevel: number,
  fields: readonly Field[],
): string {
  return (
    `event {\n\tname = ${tsdlString(name)};\n\tid = ${id};\n\tstream_id = ${streamId};\n\tloglevel = ${logLevel};\n` +
    `\tfields := struct {\n${fieldDecls(fields, "\t\t")}\t};\n};\n\n`
  );
}
