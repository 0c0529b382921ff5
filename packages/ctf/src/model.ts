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
  /** CTF 2: the clock class's namespace, UID and custom origin (`origin` object), when given. */
  namespace?: string;
  uid?: string;
  origin?: { namespace: string | undefined; name: string; uid: string };
  /** CTF 2: `precision` may be absent (unknown). */
  precisionUnknown?: boolean;
  accuracy?: number;
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
  /**
   * CTF 2 only. What the bit array means to the trace IR: a boolean, a bit array (a bit map when
   * `flags` is set), or (absent) an integer. All decode the same way.
   */
  flavor?: "bool" | "bit-array";
  /** CTF 2 bit map flags: bit index ranges per flag name, in declaration order. */
  flags?: EnumMapping[];
  /**
   * CTF 2 variable-length integer (unsigned/signed LEB128): `sizeBits` is 64 (the value range),
   * `byteOrder` and `alignBits` (8) are fixed.
   */
  varLen?: boolean;
  /** CTF 2 `bit-order` opposite to the byte order's natural one: the value's bits are reversed. */
  bitOrderReversed?: boolean;
  /** CTF 2 roles, as written (the decoders use `meaning` and `mappedClock`). */
  roles?: string[];
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
  /** CTF 2 `bit-order` opposite to the byte order's natural one. */
  bitOrderReversed?: boolean;
}

/** CTF 2 string encodings; UTF-16/32 strings are decoded to UTF-8 byte strings. */
export type Ctf2Encoding = "utf-8" | "utf-16be" | "utf-16le" | "utf-32be" | "utf-32le";

export interface StringFC extends FcBase {
  kind: "string";
  encoding: "none" | "utf8";
  /** CTF 2 null-terminated string encoding other than UTF-8. */
  unicode?: Ctf2Encoding;
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
  /** CTF 2 static-length string encoding (with `isText`); the length counts bytes. */
  unicode?: Ctf2Encoding;
  /** CTF 2 static-length BLOB: `length` bytes, decoded as a `Uint8Array`. */
  isBlob?: boolean;
  mediaType?: string;
}

export interface SequenceFC extends FcBase {
  kind: "sequence";
  element: FieldClass;
  lengthPath: string;
  lengthRef: FieldRef | undefined;
  /** Resolved integer class of the length field. */
  lengthFc: IntFC | undefined;
  isText: boolean;
  /** CTF 2 dynamic-length string encoding (with `isText`); the length counts bytes. */
  unicode?: Ctf2Encoding;
  /** CTF 2 dynamic-length BLOB, decoded as a `Uint8Array`. */
  isBlob?: boolean;
  mediaType?: string;
  /** CTF 2 field location of the length field, as written (for writers and messages). */
  lengthLocation?: FieldLocation;
}

/** A CTF 2 field location (CTF2-SPEC-2.0 §5.4): absent origin means relative; null goes up. */
export interface FieldLocation {
  origin: Scope | undefined;
  path: Array<string | null>;
}

/**
 * CTF 2 optional: its content is present when the selector (a boolean, or an integer within
 * `ranges`) says so. The decoded value is `null` when absent.
 */
export interface OptionalFC extends FcBase {
  kind: "optional";
  content: FieldClass;
  selectorLocation: FieldLocation;
  selectorRef: FieldRef | undefined;
  selectorFc: IntFC | undefined;
  /** Integer selector ranges; undefined for a boolean selector. */
  ranges: Array<[number | bigint, number | bigint]> | undefined;
}

export interface VariantFC extends FcBase {
  kind: "variant";
  tagPath: string;
  tagRef: FieldRef | undefined;
  tagFc: IntFC | undefined;
  options: NamedFC[];
  /** Tag value ranges to option index, in babeltrace's order (option order, then range order). */
  ranges: Array<{ lo: number | bigint; hi: number | bigint; option: number }>;
  /** CTF 2: options may be unnamed (`name` is then ""); location as written. */
  selectorLocation?: FieldLocation;
  unnamedOptions?: boolean;
}

export type FieldClass = IntFC | FloatFC | StringFC | StructFC | ArrayFC | SequenceFC | VariantFC | OptionalFC;

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
  /** CTF 2 event record class namespace, UID and attributes (JSON as written). */
  namespace?: string;
  uid?: string;
  attributes?: Record<string, unknown>;
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
  /** CTF 2 data stream class name, namespace, UID. */
  name?: string;
  namespace?: string;
  uid?: string;
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
  /** 2 when read from CTF 2 metadata; absent for CTF 1.8. */
  ctfVersion?: 2;
  /** CTF 2 trace class namespace, name, UID and attributes. */
  namespace?: string;
  name?: string;
  uid?: string;
  attributes?: Record<string, unknown>;
}
