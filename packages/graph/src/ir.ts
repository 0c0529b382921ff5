/**
 * Babeltrace's trace IR (metadata and data objects), independent of CTF.
 * Field values are plain (see `FieldValue` in a source's docs): a structure
 * value is an array, and a structure member names the `slot` it reads, so a
 * source can hand over what it decoded without copying.
 */

export type IrFieldClass =
  | { kind: "bool" }
  | {
      kind: "bit-array";
      length: number;
      /** Bit map flags (MIP 1, CTF 2 `fixed-length-bit-map`): bit index ranges per flag name. */
      flags?: IrEnumMapping[];
    }
  | {
      kind: "int";
      signed: boolean;
      /** Field value range, in bits. */
      length: number;
      base: 2 | 8 | 10 | 16;
      /** Enumeration mappings, when this is an enumeration field class. */
      mappings: IrEnumMapping[] | undefined;
    }
  | { kind: "real"; single: boolean }
  | { kind: "string" }
  /** MIP 1 BLOB: a value is a `Uint8Array`; `length` for static BLOBs. */
  | { kind: "blob"; mediaType: string; length: number | undefined; lengthPath: IrFieldPath | undefined }
  | { kind: "struct"; members: IrMember[] }
  | { kind: "static-array"; element: IrFieldClass; length: number }
  | { kind: "dynamic-array"; element: IrFieldClass; lengthPath: IrFieldPath | undefined }
  | { kind: "option"; content: IrFieldClass; selectorPath: IrFieldPath | undefined }
  | {
      kind: "variant";
      options: IrVariantOption[];
      selectorPath: IrFieldPath | undefined;
      /** Selector is signed (for details' "signed integer selector"). */
      selectorSigned: boolean;
    };

export interface IrEnumMapping {
  label: string;
  ranges: Array<[number | bigint, number | bigint]>;
}

export interface IrMember {
  name: string;
  fc: IrFieldClass;
  /** Index of this member's value in the structure value array. */
  slot: number;
}

export interface IrVariantOption {
  name: string;
  fc: IrFieldClass;
  ranges: Array<[number | bigint, number | bigint]>;
}

export type IrScope = "packet-context" | "event-common-context" | "event-specific-context" | "event-payload";

export interface IrFieldPath {
  root: IrScope;
  /** Member indexes (IR indexes, not slots); -1 is "current array element". */
  items: number[];
}

export interface IrClockClass {
  name: string | undefined;
  description: string | undefined;
  frequency: number;
  /** Undefined when unknown (CTF 2 clock class without `precision`, MIP 1). */
  precision: number | undefined;
  offsetSeconds: number;
  offsetCycles: number;
  originIsUnixEpoch: boolean;
  uuid: string | undefined;
  /** MIP 1 custom origin identity (CTF 2 `origin` object: namespace, name, UID), when not Unix epoch. */
  originId?: string;
  /** Precomputed offset as [s, ns]. */
  offsetSecNs: [number, number];
}

export interface IrTraceClass {
  /** Unique per graph run, for "first time seen" logic in sinks. */
  readonly id: number;
  streamClasses: IrStreamClass[];
}

export interface IrStreamClass {
  id: number;
  name: string | undefined;
  traceClass: IrTraceClass;
  defaultClock: IrClockClass | undefined;
  supportsPackets: boolean;
  packetsHaveBeginningCs: boolean;
  packetsHaveEndCs: boolean;
  supportsDiscardedEvents: boolean;
  discardedEventsHaveCs: boolean;
  supportsDiscardedPackets: boolean;
  discardedPacketsHaveCs: boolean;
  packetContext: (IrFieldClass & { kind: "struct" }) | undefined;
  eventCommonContext: (IrFieldClass & { kind: "struct" }) | undefined;
  eventClasses: IrEventClass[];
  assignsAutoEventClassIds: boolean;
  assignsAutoStreamIds: boolean;
}

export interface IrEventClass {
  id: number;
  name: string | undefined;
  streamClass: IrStreamClass;
  logLevel: number | undefined;
  emfUri: string | undefined;
  /** MIP 1 user attributes (CTF 2 `attributes`), a JSON object as written. */
  userAttributes?: Record<string, unknown>;
  specContext: (IrFieldClass & { kind: "struct" }) | undefined;
  payload: (IrFieldClass & { kind: "struct" }) | undefined;
}

export type IrEnvValue = string | number | bigint;

export interface IrTrace {
  traceClass: IrTraceClass;
  /** MIP 1 trace namespace (CTF 2 trace class `namespace`). */
  namespace?: string;
  /**
   * MIP 1 trace UID of a CTF 2 trace (its trace class `uid`); such a trace has no `uuid`, which
   * babeltrace2's muxer compares (CTF 1.8 traces: the UUID also serves as the UID).
   */
  uid?: string;
  name: string | undefined;
  uuid: string | undefined;
  env: Array<[string, IrEnvValue]>;
  /** Every stream of the trace, in creation order (details lists them at stream beginning). */
  streams: IrStream[];
}

export interface IrStream {
  id: number;
  name: string | undefined;
  streamClass: IrStreamClass;
  trace: IrTrace;
}

export interface IrPacket {
  stream: IrStream;
  /** Packet context value (structure value array), or undefined. */
  context: unknown[] | undefined;
}

/** The 15 log levels of the trace IR, indexed by their CTF/LTTng number. */
export const LOG_LEVEL_NAMES = [
  "EMERGENCY",
  "ALERT",
  "CRITICAL",
  "ERROR",
  "WARNING",
  "NOTICE",
  "INFO",
  "DEBUG_SYSTEM",
  "DEBUG_PROGRAM",
  "DEBUG_PROCESS",
  "DEBUG_MODULE",
  "DEBUG_UNIT",
  "DEBUG_FUNCTION",
  "DEBUG_LINE",
  "DEBUG",
] as const;

let nextTraceClassId = 1;
export function newTraceClassId(): number {
  return nextTraceClassId++;
}
