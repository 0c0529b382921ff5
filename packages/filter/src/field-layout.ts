/**
 * What an evaluator needs to know about an event class: where each field's
 * value lives and its type, the way LTTng-UST links filter bytecode to an
 * event description (field names, integer signedness, text encoding, array
 * length) before the first event.
 */

/** Integer element of an array or sequence. */
export interface IntegerElementType {
  signed: boolean;
}

export type FieldType =
  | { kind: "integer"; signed: boolean }
  | { kind: "enum"; signed: boolean }
  | { kind: "float" }
  | { kind: "string" }
  /** `text` arrays/sequences (ctf_array_text, ctf_sequence_text) compare as strings. */
  | { kind: "array"; length: number; element: IntegerElementType; text: boolean }
  | { kind: "sequence"; element: IntegerElementType; text: boolean };

/** A field's position in the values the caller passes to the evaluator, and its type. */
export interface FieldSlot {
  index: number;
  type: FieldType;
}

/**
 * Resolves names used by a filter. Return undefined for a name the event
 * does not have: LTTng then refuses to link the filter and records nothing.
 *
 * @example
 * const layout: FieldLayout = {
 *   payload: (name) => (name === "v" ? { index: 0, type: { kind: "integer", signed: true } } : undefined),
 * };
 */
export interface FieldLayout {
  /** Payload field by name (`v`, or a dotted path such as `a.b` for legacy references). */
  payload(name: string): FieldSlot | undefined;
  /** `$ctx.NAME` (NAME as written, e.g. `vpid`, `procname`, `perf:cpu:cycles`). */
  context?(name: string): FieldSlot | undefined;
  /** `$app.PROV:NAME` (NAME is `PROV:NAME`, or `PROV.NAME` when written with a dot). */
  appContext?(name: string): FieldSlot | undefined;
}

/**
 * A field value: numbers or bigints for integers/enums, numbers for floats,
 * strings for strings and text arrays/sequences, arrays of numbers/bigints
 * (or strings, indexed by character) for arrays and sequences. `undefined`
 * and `null` behave as LTTng's NULL string/sequence pointer: the filter fails.
 */
export type FieldValue = number | bigint | string | ArrayLike<number | bigint> | null | undefined;

/** Context values, fetched only when the filter reads them (recorded in the channel or not). */
export type ContextProvider = (index: number) => FieldValue;
