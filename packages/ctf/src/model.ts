/**
 * The CTF metadata model: what a CTF 1.8 metadata stream describes, after
 * TSDL has been resolved (aliases expanded, field paths resolved, meanings
 * assigned). Decoders read data streams with it; plugin-ctf translates it
 * into Babeltrace's trace IR. It is not the trace IR: it keeps header
 * fields, byte orders and alignments, which the trace IR has no notion of.
 */

export type ByteOrder = "le" | "be";

/** Integer fields babeltrace2 gives a special role by name (ctf-meta-update-meanings). */
export type Meaning =
  | "none"
  | "magic"
  | "stream-class-id"
  | "data-stream-id"
  | "packet-beginning-time"
  | "packet-end-time"
  | "disc-ev-rec-counter-snapshot"
  | "packet-counter-snapshot"
  | "exp-packet-total-size"
  | "exp-packet-content-size"
  | "event-class-id";

export interface ClockClass {
  name: string;
  description: string | undefined;
  /** Hz. */
  frequency: number;
  precision: number;
  /** Offset from origin: seconds part. */
  offsetSeconds: number;
  /** Offset from origin: cycles part (normalised to less than `frequency`). */
  offsetCycles: number;
  originIsUnixEpoch: boolean;
  uuid: string | undefined;
  /** Set when `offset` exceeded `frequency` or offsets were adjusted (`--clock-offset`). */
}

interface FcBase {
  alignBits: number;
  /** Part of the trace IR (babeltrace's `in_ir`). */
  inIr: boolean;
}

export interface IntFC extends FcBase {
  kind: "int";
  sizeBits: number;
  signed: boolean;
  byteOrder: ByteOrder;
  base: 2 | 8 | 10 | 16;
  encoding: "none" | "utf8";
  mappedClock: ClockClass | undefined;
  meaning: Meaning;
  /** Slot in the stored-values array when a sequence or variant depends on this field, else -1. */
  storingIndex: number;
  /** Enumeration mappings, in declaration order; undefined for plain integers. */
  mappings: EnumMapping[] | undefined;
}

export interface EnumMapping {
  label: string;
  /** Closed ranges [lo, hi]; values as numbers (exact up to 2^53) or bigints beyond. */
  ranges: Array<[number | bigint, number | bigint]>;
}

export interface FloatFC extends FcBase {
  kind: "float";
  sizeBits: 32 | 64;
  byteOrder: ByteOrder;
}

export interface StringFC extends FcBase {
  kind: "string";
  encoding: "none" | "utf8";
}

export interface NamedFC {
  /** Name with one leading underscore removed (CTF 1.8 §4.1.6). */
  name: string;
  origName: string;
  fc: FieldClass;
}

export interface StructFC extends FcBase {
  kind: "struct";
  members: NamedFC[];
}

export interface ArrayFC extends FcBase {
  kind: "array";
  element: FieldClass;
  length: number;
  /** 8-bit integer elements with an encoding: read as a string. */
  isText: boolean;
  isUuid: boolean;
}

export interface SequenceFC extends FcBase {
  kind: "sequence";
  element: FieldClass;
  lengthPath: string;
  lengthRef: FieldRef | undefined;
  /** Resolved integer class of the length field. */
  lengthFc: IntFC | undefined;
  isText: boolean;
}

export interface VariantFC extends FcBase {
  kind: "variant";
  tagPath: string;
  tagRef: FieldRef | undefined;
  tagFc: IntFC | undefined;
  options: NamedFC[];
  /** Tag value ranges to option index, in babeltrace's order (option order, then range order). */
  ranges: Array<{ lo: number | bigint; hi: number | bigint; option: number }>;
}

export type FieldClass = IntFC | FloatFC | StringFC | StructFC | ArrayFC | SequenceFC | VariantFC;

/** The six dynamic scopes of CTF 1.8 §7.3.2, in decoding order. */
export type Scope =
  | "packet-header"
  | "packet-context"
  | "event-header"
  | "event-common-context"
  | "event-specific-context"
  | "event-payload";

/** A resolved field reference: a scope and member indexes from the scope's root structure. */
export interface FieldRef {
  scope: Scope;
  /** Member indexes; -1 stands for "current element" of an array/sequence on the way. */
  path: number[];
}

export interface EventClass {
  id: number;
  name: string;
  /** 0..14, LTTng/syslog levels. */
  logLevel: number | undefined;
  emfUri: string | undefined;
  specContext: StructFC | undefined;
  payload: StructFC | undefined;
  streamClassId: number;
}

export interface StreamClass {
  id: number;
  packetContext: StructFC | undefined;
  eventHeader: StructFC | undefined;
  eventCommonContext: StructFC | undefined;
  eventClasses: EventClass[];
  eventClassById: Map<number, EventClass>;
  defaultClock: ClockClass | undefined;
  packetsHaveTsBegin: boolean;
  packetsHaveTsEnd: boolean;
  hasDiscardedEvents: boolean;
  hasDiscardedPackets: boolean;
  discardedEventsHaveTs: boolean;
  discardedPacketsHaveTs: boolean;
}

export type EnvValue = string | number | bigint;

export interface TraceClass {
  major: number;
  minor: number;
  uuid: string | undefined;
  /** Byte order of the trace (`byte_order` of the `trace` block). */
  byteOrder: ByteOrder;
  packetHeader: StructFC | undefined;
  env: Array<[string, EnvValue]>;
  clocks: ClockClass[];
  streamClasses: StreamClass[];
  streamClassById: Map<number, StreamClass>;
  /** Count of stored-value slots (sequence lengths, variant tags). */
  storedValueCount: number;
  quirks: { lttngCrash: boolean; lttngEventAfterPacket: boolean; barectfEventBeforePacket: boolean };
  /** Non-fatal remarks made while reading the metadata (unknown attributes ...). */
  warnings: string[];
}
