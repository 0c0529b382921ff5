/**
 * The field model: what a tracepoint records, in LTTng-UST's terms (`lttng_ust_field_*`
 * macros). A field is a plain description; the writer generator (writer.ts) and the metadata
 * generator (tsdl.ts) read it. This module is not the encoder and holds no state.
 */
import { TtngError } from "@ttng/base";

export type IntType = "u8" | "u16" | "u32" | "u64" | "s8" | "s16" | "s32" | "s64";
export type Base = 2 | 8 | 10 | 16;
export type ByteOrder = "le" | "be";

/** Options shared by every field constructor. */
export interface FieldOptions {
  /** Display base (integers, integer arrays and sequences, enumeration containers). */
  base?: Base;
  /** `be` is LTTng's `_network` variant. */
  byteOrder?: ByteOrder;
  /** Passed to filters, not recorded (LTTng's `_nowrite`). */
  nowrite?: boolean;
}

interface Common {
  readonly name: string;
  readonly nowrite: boolean;
  /** Phantom: the argument type a tracepoint takes for this field. */
  readonly __arg?: unknown;
}

export interface IntField extends Common {
  readonly kind: "int";
  readonly type: IntType;
  readonly base: Base;
  readonly byteOrder: ByteOrder;
  readonly __arg?: number | bigint;
}
export interface FloatField extends Common {
  readonly kind: "float";
  readonly bits: 32 | 64;
  readonly __arg?: number;
}
export interface StringField extends Common {
  readonly kind: "string";
  readonly __arg?: string;
}
export type ElementField = IntField | FloatField;
export interface ArrayField extends Common {
  readonly kind: "array";
  readonly element: ElementField;
  readonly length: number;
  readonly __arg?: ArrayLike<number | bigint>;
}
export interface SequenceField extends Common {
  readonly kind: "sequence";
  readonly element: ElementField;
  readonly lengthType: "u8" | "u16" | "u32" | "u64";
  readonly __arg?: ArrayLike<number | bigint>;
}
export interface TextArrayField extends Common {
  readonly kind: "textArray";
  readonly length: number;
  readonly __arg?: string;
}
export interface TextSequenceField extends Common {
  readonly kind: "textSequence";
  readonly lengthType: "u8" | "u16" | "u32" | "u64";
  readonly __arg?: string;
}
export interface EnumMapping {
  readonly label: string;
  readonly lo: number | bigint;
  readonly hi: number | bigint;
}
export interface EnumField extends Common {
  readonly kind: "enum";
  readonly container: IntField;
  readonly mappings: readonly EnumMapping[];
  readonly __arg?: number | bigint;
}

export type Field =
  | IntField
  | FloatField
  | StringField
  | ArrayField
  | SequenceField
  | TextArrayField
  | TextSequenceField
  | EnumField;

/** The argument tuple of a tracepoint declared with `F`. */
export type ArgsOf<F extends readonly Field[]> = { [K in keyof F]: F[K] extends { __arg?: infer T } ? T : never };

/**
 * Most fields an event may declare. LTTng-UST caps arguments (10 TP_ARGS), not fields; a tracepoint
 * here takes one argument per field, so the cap is on fields, kept small enough for generated code.
 */
export const MAX_FIELDS = 127;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function declError(message: string): TtngError {
  return new TtngError("ERR_USAGE", message, { actor: "tracer" });
}

function checkName(name: unknown, what: string): string {
  if (typeof name !== "string" || (name !== "" && !IDENT.test(name)))
    throw declError(`Invalid ${what} name ${JSON.stringify(name)}: expecting a C identifier`);
  return name;
}

const INT_TYPES: ReadonlySet<string> = new Set(["u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64"]);
const LEN_TYPES: ReadonlySet<string> = new Set(["u8", "u16", "u32", "u64"]);

export function intBits(t: IntType): 8 | 16 | 32 | 64 {
  return Number(t.slice(1)) as 8 | 16 | 32 | 64;
}
export function intSigned(t: IntType): boolean {
  return t[0] === "s";
}

function integer(type: IntType, name: string, options: FieldOptions = {}): IntField {
  if (!INT_TYPES.has(type)) throw declError(`Unknown integer type ${JSON.stringify(type)}`);
  const base = options.base ?? 10;
  if (base !== 2 && base !== 8 && base !== 10 && base !== 16) throw declError(`Invalid base ${String(base)}`);
  const byteOrder = options.byteOrder ?? "le";
  if (byteOrder !== "le" && byteOrder !== "be") throw declError(`Invalid byte order ${String(byteOrder)}`);
  return { kind: "int", name: checkName(name, "field"), type, base, byteOrder, nowrite: options.nowrite === true };
}

/** Unsigned 8-bit integer (`lttng_ust_field_integer(uint8_t, ...)`). */
export const u8 = (name: string, options?: FieldOptions): IntField => integer("u8", name, options);
export const u16 = (name: string, options?: FieldOptions): IntField => integer("u16", name, options);
export const u32 = (name: string, options?: FieldOptions): IntField => integer("u32", name, options);
/** Unsigned 64-bit integer: takes a number (exact up to 2^53) or a bigint. */
export const u64 = (name: string, options?: FieldOptions): IntField => integer("u64", name, options);
export const s8 = (name: string, options?: FieldOptions): IntField => integer("s8", name, options);
export const s16 = (name: string, options?: FieldOptions): IntField => integer("s16", name, options);
export const s32 = (name: string, options?: FieldOptions): IntField => integer("s32", name, options);
export const s64 = (name: string, options?: FieldOptions): IntField => integer("s64", name, options);

/** 32-bit float (`lttng_ust_field_float(float, ...)`). */
export function f32(name: string, options: FieldOptions = {}): FloatField {
  return { kind: "float", name: checkName(name, "field"), bits: 32, nowrite: options.nowrite === true };
}
export function f64(name: string, options: FieldOptions = {}): FloatField {
  return { kind: "float", name: checkName(name, "field"), bits: 64, nowrite: options.nowrite === true };
}
/** NUL-terminated UTF-8 string (`lttng_ust_field_string`); a NUL in the value ends it, as in C. */
export function string(name: string, options: FieldOptions = {}): StringField {
  return { kind: "string", name: checkName(name, "field"), nowrite: options.nowrite === true };
}

type ElementSpec = ElementField | ((name: string) => ElementField);

function element(spec: ElementSpec, options: FieldOptions): ElementField {
  const e = typeof spec === "function" ? spec("") : spec;
  if (e === null || typeof e !== "object" || (e.kind !== "int" && e.kind !== "float"))
    throw declError("Invalid array/sequence element: expecting an integer or float field constructor");
  if (e.kind === "int" && (options.base !== undefined || options.byteOrder !== undefined))
    return integer(e.type, "", { base: options.base ?? e.base, byteOrder: options.byteOrder ?? e.byteOrder });
  return e;
}

function lengthType(t: unknown, dflt: "u8" | "u16" | "u32" | "u64") {
  const v = t ?? dflt;
  if (typeof v !== "string" || !LEN_TYPES.has(v)) throw declError(`Unknown length type ${JSON.stringify(v)}`);
  return v as "u8" | "u16" | "u32" | "u64";
}

function checkLength(length: unknown): number {
  if (typeof length !== "number" || !Number.isInteger(length) || length < 0 || length > 65536)
    throw declError(`Invalid array length ${String(length)}: expecting an integer in [0, 65536]`);
  return length;
}

/** Static array of integers or floats (`lttng_ust_field_array`): `array("a", s32, 3)`. */
export function array(name: string, elem: ElementSpec, length: number, options: FieldOptions = {}): ArrayField {
  return {
    kind: "array",
    name: checkName(name, "field"),
    element: element(elem, options),
    length: checkLength(length),
    nowrite: options.nowrite === true,
  };
}

export interface SequenceOptions extends FieldOptions {
  /** Type of the preceding `__NAME_length` field. */
  lengthType?: "u8" | "u16" | "u32" | "u64";
}

/** Dynamic array (`lttng_ust_field_sequence`), length field type default `u64` (size_t). */
export function sequence(name: string, elem: ElementSpec, options: SequenceOptions = {}): SequenceField {
  return {
    kind: "sequence",
    name: checkName(name, "field"),
    element: element(elem, options),
    lengthType: lengthType(options.lengthType, "u64"),
    nowrite: options.nowrite === true,
  };
}

/** Fixed-size text (`lttng_ust_field_array_text`): UTF-8, cut or NUL-padded to `length` bytes. */
export function textArray(name: string, length: number, options: FieldOptions = {}): TextArrayField {
  return {
    kind: "textArray",
    name: checkName(name, "field"),
    length: checkLength(length),
    nowrite: options.nowrite === true,
  };
}

/** Dynamic text (`lttng_ust_field_sequence_text`), length field type default `u32` (unsigned int). */
export function textSequence(name: string, options: SequenceOptions = {}): TextSequenceField {
  return {
    kind: "textSequence",
    name: checkName(name, "field"),
    lengthType: lengthType(options.lengthType, "u32"),
    nowrite: options.nowrite === true,
  };
}

export type EnumValues =
  | Readonly<Record<string, number | bigint | readonly [number | bigint, number | bigint]>>
  | ReadonlyArray<readonly [string, number | bigint | readonly [number | bigint, number | bigint]]>;

export interface EnumOptions extends FieldOptions {
  /** Container integer type; default `s32` (a C `int`). */
  type?: IntType;
}

/** Enumeration (`lttng_ust_field_enum`): labels for values and ranges: `{ IDLE: 0, BUSY: [1, 5] }`. */
export function enumeration(name: string, values: EnumValues, options: EnumOptions = {}): EnumField {
  const container = integer(options.type ?? "s32", "", options);
  const entries = Array.isArray(values) ? values : Object.entries(values as object);
  if (entries.length === 0) throw declError(`Enumeration ${name} has no mappings`);
  const mappings: EnumMapping[] = [];
  for (const entry of entries as Array<[string, unknown]>) {
    const [label, v] = entry;
    if (typeof label !== "string") throw declError(`Invalid enumeration label in ${name}`);
    const range = Array.isArray(v) ? v : [v, v];
    const [lo, hi] = range as [unknown, unknown];
    const ok = (x: unknown) => typeof x === "bigint" || (typeof x === "number" && Number.isInteger(x));
    if (!ok(lo) || !ok(hi) || (lo as number) > (hi as number))
      throw declError(`Invalid enumeration value for ${JSON.stringify(label)} in ${name}`);
    mappings.push({ label, lo: lo as number | bigint, hi: hi as number | bigint });
  }
  return {
    kind: "enum",
    name: checkName(name, "field"),
    container,
    mappings,
    nowrite: options.nowrite === true,
  };
}

function withBase<F extends Field>(field: F, base: Base): F {
  switch (field.kind) {
    case "int":
      return { ...field, base };
    case "array":
    case "sequence":
      if (field.element.kind !== "int") throw declError(`Field ${field.name}: a base applies to integers only`);
      return { ...field, element: { ...field.element, base } };
    case "enum":
      return { ...field, container: { ...field.container, base } };
    default:
      throw declError(`Field ${field.name}: a base applies to integers only`);
  }
}

/** Hexadecimal display (`_hex` macros). */
export const hex = <F extends Field>(field: F): F => withBase(field, 16);
export const oct = <F extends Field>(field: F): F => withBase(field, 8);
export const bin = <F extends Field>(field: F): F => withBase(field, 2);

/** Network (big-endian) byte order (`_network` macros). */
export function network<F extends Field>(field: F): F {
  switch (field.kind) {
    case "int":
      return { ...field, byteOrder: "be" };
    case "array":
    case "sequence":
      if (field.element.kind !== "int") throw declError(`Field ${field.name}: network byte order applies to integers`);
      return { ...field, element: { ...field.element, byteOrder: "be" } };
    default:
      throw declError(`Field ${field.name}: network byte order applies to integers`);
  }
}

/** Filter-only field (`_nowrite`): the tracepoint takes the argument, filters see it, nothing is recorded. */
export const nowrite = <F extends Field>(field: F): F => ({ ...field, nowrite: true });

const KINDS: ReadonlySet<string> = new Set([
  "int",
  "float",
  "string",
  "array",
  "sequence",
  "textArray",
  "textSequence",
  "enum",
]);

/** Checks a declared field list (from untyped callers too). */
export function checkFields(eventName: string, fields: unknown): readonly Field[] {
  if (!Array.isArray(fields)) throw declError(`Event ${eventName}: fields must be an array`);
  if (fields.length > MAX_FIELDS)
    throw declError(`Event ${eventName}: too many fields (${fields.length}, at most ${MAX_FIELDS})`);
  const seen = new Set<string>();
  for (const f of fields as Field[]) {
    if (f === null || typeof f !== "object" || !KINDS.has((f as Field).kind))
      throw declError(`Event ${eventName}: unknown field type ${JSON.stringify(f)}`);
    if (f.name === "") throw declError(`Event ${eventName}: a field needs a name`);
    if (seen.has(f.name)) throw declError(`Event ${eventName}: duplicate field name ${f.name}`);
    seen.add(f.name);
  }
  return fields as Field[];
}
