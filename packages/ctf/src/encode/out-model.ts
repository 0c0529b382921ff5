/**
 * The CTF 1.8 metadata a writer produces: field classes with their final
 * TSDL names, sizes and alignments, plus the references (sequence lengths,
 * variant tags) as TSDL spells them. It is what `tsdl-gen.ts` prints and
 * what a packet serializer walks. It is not the decoding model
 * (`model.ts`): there is no byte order per field (the whole trace is
 * little-endian) and no clock mapping beyond the writer's fixed headers.
 * A CTF 2 writer would print the same model as JSON beside `tsdl-gen.ts`.
 */

export type OutFieldClass =
  | {
      kind: "int";
      sizeBits: number;
      alignBits: number;
      signed: boolean;
      base: 2 | 8 | 10 | 16;
      /** Enumeration mappings (label and inclusive ranges), when this is an enumeration. */
      mappings: OutEnumMapping[] | undefined;
      /** What the trace IR class was: CTF 1.8 has no boolean or bit array, they become integers. */
      origin: "int" | "bool" | "bit-array";
      /** Bit map flags of a trace IR bit array (MIP 1): CTF 2 writes them, CTF 1.8 cannot. */
      flags?: OutEnumMapping[] | undefined;
    }
  | { kind: "float"; sizeBits: 32 | 64; alignBits: number }
  | { kind: "string"; alignBits: 8 }
  | { kind: "struct"; members: OutNamedFieldClass[]; alignBits: number }
  | { kind: "array"; element: OutFieldClass; length: number; alignBits: number }
  | {
      kind: "sequence";
      element: OutFieldClass;
      /** TSDL length reference (relative name, absolute path, or the generated field's name). */
      lengthRef: string;
      /** True when the writer emits the length as an extra `uint32` member just before. */
      lengthBefore: boolean;
      alignBits: number;
    }
  | {
      /**
       * A MIP 1 BLOB (CTF 2 output only: CTF 1.8 has none). Static when `length` is set; else its
       * length comes from `lengthRef`, resolved and added before as a sequence's is.
       */
      kind: "blob";
      mediaType: string;
      length: number | undefined;
      lengthRef: string;
      lengthBefore: boolean;
      alignBits: 8;
    }
  | {
      /** The trace IR option: an extra `uint8` enumeration tag (`none`/`content`) before a two-option variant. */
      kind: "option";
      content: OutFieldClass;
      tagRef: string;
      alignBits: number;
    }
  | {
      kind: "variant";
      options: OutNamedFieldClass[];
      tagRef: string;
      /** True when the writer emits the selected option's index as an extra `uint16` enumeration tag just before. */
      tagBefore: boolean;
      alignBits: number;
    };

export interface OutEnumMapping {
  label: string;
  ranges: Array<[number | bigint, number | bigint]>;
}

export interface OutNamedFieldClass {
  /** TSDL name (already a valid, protected identifier). */
  name: string;
  fc: OutFieldClass;
  /** Where the member's value sits in the trace IR structure value (struct members only). */
  slot: number;
  /** A CTF 2 variant option without a name: `name` is the writer's placeholder, not written. */
  unnamed?: boolean;
}

export type OutStruct = OutFieldClass & { kind: "struct" };

export interface OutClock {
  name: string;
  description: string | undefined;
  frequency: number;
  precision: number;
  offsetSeconds: number;
  offsetCycles: number;
  originIsUnixEpoch: boolean;
  uuid: string | undefined;
}

export interface OutEventClass {
  id: number;
  name: string;
  logLevel: number | undefined;
  emfUri: string | undefined;
  specContext: OutStruct | undefined;
  payload: OutStruct | undefined;
}

export interface OutStreamClass {
  id: number;
  clock: OutClock | undefined;
  packetsHaveTsBegin: boolean;
  packetsHaveTsEnd: boolean;
  hasDiscardedEvents: boolean;
  /** User packet context members, after the writer's fixed ones. */
  packetContext: OutStruct | undefined;
  eventCommonContext: OutStruct | undefined;
  /** In the order the writer met them. */
  eventClasses: OutEventClass[];
}

export interface OutTrace {
  uuid: string;
  /** Environment entries: names are valid identifiers, values signed integers or byte strings. */
  env: Array<[string, string | number | bigint]>;
  streamClasses: OutStreamClass[];
}
