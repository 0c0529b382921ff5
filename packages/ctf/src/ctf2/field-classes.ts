/**
 * CTF 2 field classes (CTF2-SPEC-2.0 §5) -> the CTF IR model (`model.ts`). Every field class
 * type maps onto a model kind: fixed-length bit arrays, bit maps, booleans and integers are
 * `int` (they decode alike; `flavor`, `flags` and `mappings` say what they mean), variable-length
 * integers are `int` with `varLen`, strings and BLOBs are `string`/`array`/`sequence` with their
 * encoding or `isBlob`, optionals are `optional`. Field locations are kept as written here and
 * resolved once every scope exists (`locations.ts`). Unknown properties and any extension are
 * rejected: no extension is supported, and the spec requires refusing what one cannot honour.
 */
import type {
  ArrayFC,
  Ctf2Encoding,
  EnumMapping,
  FieldClass,
  FieldLocation,
  IntFC,
  NamedFC,
  Scope,
  SequenceFC,
  StructFC,
} from "../model.js";
import { ctf2Err } from "./json-seq.js";

/** A parsed JSON value; integer literals beyond 2^53 are bigints (`json-seq.ts`). */
export type Json = null | boolean | number | bigint | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** Field classes converted for one metadata stream, aliases included; bounds the total work. */
export const MAX_FIELD_CLASS_NODES = 500_000;
export const MAX_FC_DEPTH = 256;

export interface FcContext {
  /** Alias name -> its JSON field class (re-converted at each use: each use owns its instance). */
  aliases: Map<string, Json>;
  nodes: number;
}

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function expectObject(v: Json | undefined, what: string): JsonObject {
  if (!isObject(v)) throw ctf2Err(`${what}: expecting a JSON object`);
  return v;
}

/** Rejects properties the spec does not define for `what` (a typo would otherwise be ignored). */
export function allowOnly(o: JsonObject, keys: readonly string[], what: string): void {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) throw ctf2Err(`${what}: unknown property \`${k}\``);
  }
}

/** CTF2-SPEC-2.0 §4.3: this consumer supports no extension, so any extension makes it refuse the stream. */
export function checkExtensions(o: JsonObject, what: string): void {
  const ext = o.extensions;
  if (ext === undefined) return;
  const e = expectObject(ext, `${what}: \`extensions\``);
  const names = Object.keys(e);
  if (names.length > 0) {
    throw ctf2Err(`${what}: unsupported extension namespace \`${names[0]}\` (no CTF 2 extension is supported)`);
  }
}

export function checkAttributes(o: JsonObject, what: string): Record<string, unknown> | undefined {
  if (o.attributes === undefined) return undefined;
  return asJsonNumbers(expectObject(o.attributes, `${what}: \`attributes\``)) as Record<string, unknown>;
}

/** User attributes are JSON as written, printed with `JSON.stringify`: their big integers as doubles, as before. */
function asJsonNumbers(v: Json): Json {
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(asJsonNumbers);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(out, k, { value: asJsonNumbers(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

/** A JSON value in an error message (`JSON.stringify` refuses bigints). */
export function shown(v: Json | undefined): string {
  return typeof v === "bigint"
    ? String(v)
    : JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? Number(x) : x));
}

export function optString(o: JsonObject, key: string, what: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw ctf2Err(`${what}: \`${key}\` must be a string`);
  return v;
}

export function optUint(o: JsonObject, key: string, what: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0 || v > max) {
    throw ctf2Err(`${what}: \`${key}\` must be an unsigned integer no greater than ${max} (got ${shown(v)})`);
  }
  return v;
}

export function reqUint(o: JsonObject, key: string, what: string, max = Number.MAX_SAFE_INTEGER): number {
  const v = optUint(o, key, what, max);
  if (v === undefined) throw ctf2Err(`${what}: missing \`${key}\` property`);
  return v;
}

const SCOPES: Record<string, Scope> = {
  "packet-header": "packet-header",
  "packet-context": "packet-context",
  "event-record-header": "event-header",
  "event-record-common-context": "event-common-context",
  "event-record-specific-context": "event-specific-context",
  "event-record-payload": "event-payload",
};

export const SCOPE_NAMES: Record<Scope, string> = {
  "packet-header": "packet-header",
  "packet-context": "packet-context",
  "event-header": "event-record-header",
  "event-common-context": "event-record-common-context",
  "event-specific-context": "event-record-specific-context",
  "event-payload": "event-record-payload",
};

function fieldLocation(v: Json | undefined, what: string): FieldLocation {
  const o = expectObject(v, what);
  allowOnly(o, ["origin", "path", "attributes", "extensions"], what);
  checkExtensions(o, what);
  let origin: Scope | undefined;
  if (o.origin !== undefined) {
    if (typeof o.origin !== "string" || !(o.origin in SCOPES))
      throw ctf2Err(`${what}: unknown origin ${shown(o.origin)}`);
    origin = SCOPES[o.origin];
  }
  const p = o.path;
  if (!Array.isArray(p) || p.length === 0) throw ctf2Err(`${what}: \`path\` must be a non-empty array`);
  const path: Array<string | null> = [];
  for (const item of p) {
    if (item !== null && typeof item !== "string") throw ctf2Err(`${what}: path items must be strings or null`);
    if (item === null && origin !== undefined)
      throw ctf2Err(`${what}: an absolute field location's path cannot contain null`);
    path.push(item);
  }
  if (path[path.length - 1] === null) throw ctf2Err(`${what}: a field location's path cannot end with null`);
  return { origin, path };
}

const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;

/**
 * An integer range set (§5.5): a non-empty array of `[lower, upper]` integer pairs. Bounds are
 * exact: numbers, or bigints beyond 2^53 (as TSDL mappings are).
 */
export function exactRangeSet(
  v: Json | undefined,
  signed: boolean,
  what: string,
): Array<[number | bigint, number | bigint]> {
  if (!Array.isArray(v) || v.length === 0) throw ctf2Err(`${what}: expecting a non-empty array of integer ranges`);
  const out: Array<[number | bigint, number | bigint]> = [];
  for (const r of v) {
    if (!Array.isArray(r) || r.length !== 2) throw ctf2Err(`${what}: each range must be a [lower, upper] pair`);
    const [lo, hi] = r;
    if (!isInteger(lo) || !isInteger(hi)) throw ctf2Err(`${what}: range bounds must be integers`);
    if (lo > hi) throw ctf2Err(`${what}: range lower bound ${lo} is greater than its upper bound ${hi}`);
    if (!signed && lo < 0) throw ctf2Err(`${what}: negative bound ${lo} in an unsigned integer range`);
    if (lo < MIN_INT64 || hi > MAX_UINT64) throw ctf2Err(`${what}: range bound beyond 64-bit integers`);
    out.push([lo, hi]);
  }
  return out;
}

function isInteger(v: Json | undefined): v is number | bigint {
  return typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v));
}

/** A range set as numbers (selector ranges: compared with decoded selector values, which are numbers). */
export function rangeSet(v: Json | undefined, signed: boolean, what: string): Array<[number, number]> {
  return exactRangeSet(v, signed, what).map(([lo, hi]) => [Number(lo), Number(hi)]);
}

function mappings(v: Json | undefined, signed: boolean, what: string): EnumMapping[] | undefined {
  if (v === undefined) return undefined;
  const o = expectObject(v, `${what}: \`mappings\``);
  const out: EnumMapping[] = [];
  for (const [label, ranges] of Object.entries(o)) {
    out.push({ label, ranges: exactRangeSet(ranges, signed, `${what}: mapping \`${label}\``) });
  }
  return out;
}

function byteOrder(o: JsonObject, what: string): "le" | "be" {
  const v = o["byte-order"];
  if (v === "little-endian") return "le";
  if (v === "big-endian") return "be";
  throw ctf2Err(`${what}: \`byte-order\` must be "big-endian" or "little-endian" (got ${shown(v)})`);
}

function alignment(o: JsonObject, key: string, what: string): number {
  const a = optUint(o, key, what, 2 ** 31) ?? 1;
  if (a === 0 || (a & (a - 1)) !== 0) throw ctf2Err(`${what}: \`${key}\` must be a power of two (got ${a})`);
  return a;
}

function encoding(o: JsonObject, what: string): Ctf2Encoding {
  const v = o.encoding ?? "utf-8";
  if (v === "utf-8" || v === "utf-16be" || v === "utf-16le" || v === "utf-32be" || v === "utf-32le") return v;
  throw ctf2Err(`${what}: unknown string encoding ${shown(v)}`);
}

function roles(o: JsonObject, what: string): string[] | undefined {
  const v = o.roles;
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((r) => typeof r !== "string"))
    throw ctf2Err(`${what}: \`roles\` must be an array of strings`);
  return v as string[];
}

const COMMON = ["type", "attributes", "extensions"];
const BIT_ARRAY = [...COMMON, "length", "byte-order", "bit-order", "alignment"];
const INT_KEYS = [...BIT_ARRAY, "preferred-display-base", "mappings", "roles"];

function newInt(o: JsonObject, what: string, signed: boolean): IntFC {
  const sizeBits = reqUint(o, "length", what, 64);
  if (sizeBits === 0) throw ctf2Err(`${what}: \`length\` must be at least 1`);
  const bo = byteOrder(o, what);
  const bitOrder = o["bit-order"];
  if (bitOrder !== undefined && bitOrder !== "first-to-last" && bitOrder !== "last-to-first")
    throw ctf2Err(`${what}: \`bit-order\` must be "first-to-last" or "last-to-first"`);
  // §5.6.1: the default bit order follows the byte order.
  const natural = bo === "le" ? "first-to-last" : "last-to-first";
  const fc: IntFC = {
    kind: "int",
    alignBits: alignment(o, "alignment", what),
    inIr: false,
    sizeBits,
    signed,
    byteOrder: bo,
    base: 10,
    encoding: "none",
    mappedClock: undefined,
    meaning: "none",
    storingIndex: -1,
    mappings: undefined,
  };
  if (bitOrder !== undefined && bitOrder !== natural) fc.bitOrderReversed = true;
  return fc;
}

function displayBase(o: JsonObject, what: string): 2 | 8 | 10 | 16 {
  const v = o["preferred-display-base"];
  if (v === undefined) return 10;
  if (v === 2 || v === 8 || v === 10 || v === 16) return v;
  throw ctf2Err(`${what}: \`preferred-display-base\` must be 2, 8, 10 or 16`);
}

/** Converts one JSON field class (an object or an alias name). */
export function convertFc(ctx: FcContext, v: Json | undefined, what: string, depth = 0): FieldClass {
  if (depth > MAX_FC_DEPTH) throw ctf2Err(`${what}: field classes nested more than ${MAX_FC_DEPTH} levels deep`);
  if (++ctx.nodes > MAX_FIELD_CLASS_NODES)
    throw ctf2Err(
      `Metadata stream expands to more than ${MAX_FIELD_CLASS_NODES} field classes (aliases used too many times)`,
    );
  if (typeof v === "string") {
    const alias = ctx.aliases.get(v);
    if (alias === undefined) throw ctf2Err(`${what}: unknown field class alias \`${v}\``);
    return convertFc(ctx, alias, `${what} (alias \`${v}\`)`, depth + 1);
  }
  const o = expectObject(v, what);
  const type = o.type;
  if (typeof type !== "string") throw ctf2Err(`${what}: missing \`type\` property`);
  const w = `${what} (${type})`;
  checkExtensions(o, w);
  checkAttributes(o, w);
  switch (type) {
    case "fixed-length-bit-array": {
      allowOnly(o, BIT_ARRAY, w);
      const fc = newInt(o, w, false);
      fc.flavor = "bit-array";
      return fc;
    }
    case "fixed-length-bit-map": {
      allowOnly(o, [...BIT_ARRAY, "flags"], w);
      const fc = newInt(o, w, false);
      fc.flavor = "bit-array";
      const flags = mappings(o.flags, false, w);
      if (!flags || flags.length === 0) throw ctf2Err(`${w}: \`flags\` must be a non-empty object`);
      for (const f of flags) {
        for (const [, hi] of f.ranges) {
          if (hi >= fc.sizeBits)
            throw ctf2Err(`${w}: flag \`${f.label}\` names bit ${hi}, beyond the ${fc.sizeBits}-bit length`);
        }
      }
      fc.flags = flags;
      return fc;
    }
    case "fixed-length-boolean": {
      allowOnly(o, BIT_ARRAY, w);
      const fc = newInt(o, w, false);
      fc.flavor = "bool";
      return fc;
    }
    case "fixed-length-unsigned-integer":
    case "fixed-length-signed-integer": {
      const signed = type === "fixed-length-signed-integer";
      allowOnly(o, signed ? INT_KEYS.filter((k) => k !== "roles") : INT_KEYS, w);
      const fc = newInt(o, w, signed);
      fc.base = displayBase(o, w);
      fc.mappings = mappings(o.mappings, signed, w);
      const r = roles(o, w);
      if (r) fc.roles = r;
      return fc;
    }
    case "variable-length-unsigned-integer":
    case "variable-length-signed-integer": {
      const signed = type === "variable-length-signed-integer";
      allowOnly(o, [...COMMON, "preferred-display-base", "mappings", ...(signed ? [] : ["roles"])], w);
      const fc: IntFC = {
        kind: "int",
        alignBits: 8,
        inIr: false,
        sizeBits: 64,
        signed,
        byteOrder: "le",
        base: displayBase(o, w),
        encoding: "none",
        mappedClock: undefined,
        meaning: "none",
        storingIndex: -1,
        mappings: mappings(o.mappings, signed, w),
        varLen: true,
      };
      const r = roles(o, w);
      if (r) fc.roles = r;
      return fc;
    }
    case "fixed-length-floating-point-number": {
      allowOnly(o, BIT_ARRAY, w);
      const len = reqUint(o, "length", w, 128);
      if (len !== 32 && len !== 64) throw ctf2Err(`${w}: unsupported length ${len} (32 and 64 are supported)`);
      const bo = byteOrder(o, w);
      const bitOrder = o["bit-order"];
      if (bitOrder !== undefined && bitOrder !== "first-to-last" && bitOrder !== "last-to-first")
        throw ctf2Err(`${w}: \`bit-order\` must be "first-to-last" or "last-to-first"`);
      const fl: FieldClass = {
        kind: "float",
        alignBits: alignment(o, "alignment", w),
        inIr: false,
        sizeBits: len,
        byteOrder: bo,
      };
      if (bitOrder !== undefined && bitOrder !== (bo === "le" ? "first-to-last" : "last-to-first"))
        fl.bitOrderReversed = true;
      return fl;
    }
    case "null-terminated-string": {
      allowOnly(o, [...COMMON, "encoding"], w);
      const enc = encoding(o, w);
      const fc: FieldClass = { kind: "string", alignBits: 8, inIr: false, encoding: "utf8" };
      if (enc !== "utf-8") fc.unicode = enc;
      return fc;
    }
    case "static-length-string":
    case "static-length-blob": {
      const blob = type === "static-length-blob";
      allowOnly(o, blob ? [...COMMON, "length", "media-type", "roles"] : [...COMMON, "length", "encoding"], w);
      const fc: ArrayFC = {
        kind: "array",
        alignBits: 8,
        inIr: false,
        element: byteElement(),
        length: reqUint(o, "length", w, 2 ** 31),
        isText: !blob,
        isUuid: false,
      };
      if (blob) {
        fc.isBlob = true;
        fc.mediaType = optString(o, "media-type", w) ?? "application/octet-stream";
        const r = roles(o, w);
        if (r) {
          for (const role of r) {
            if (role !== "metadata-stream-uuid") throw ctf2Err(`${w}: unknown role \`${role}\``);
            if (fc.length !== 16) throw ctf2Err(`${w}: a \`metadata-stream-uuid\` BLOB must be 16 bytes long`);
            fc.isUuid = true;
          }
        }
      } else {
        const enc = encoding(o, w);
        if (enc !== "utf-8") fc.unicode = enc;
      }
      return fc;
    }
    case "dynamic-length-string":
    case "dynamic-length-blob": {
      const blob = type === "dynamic-length-blob";
      allowOnly(o, [...COMMON, "length-field-location", blob ? "media-type" : "encoding"], w);
      const fc: SequenceFC = {
        kind: "sequence",
        alignBits: 8,
        inIr: false,
        element: byteElement(),
        lengthPath: "",
        lengthRef: undefined,
        lengthFc: undefined,
        isText: !blob,
        lengthLocation: fieldLocation(o["length-field-location"], `${w}: \`length-field-location\``),
      };
      if (blob) {
        fc.isBlob = true;
        fc.mediaType = optString(o, "media-type", w) ?? "application/octet-stream";
      } else {
        const enc = encoding(o, w);
        if (enc !== "utf-8") fc.unicode = enc;
      }
      return fc;
    }
    case "structure": {
      allowOnly(o, [...COMMON, "member-classes", "minimum-alignment"], w);
      const minAlign = alignment(o, "minimum-alignment", w);
      const list = o["member-classes"] ?? [];
      if (!Array.isArray(list)) throw ctf2Err(`${w}: \`member-classes\` must be an array`);
      const members: NamedFC[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < list.length; i++) {
        const m = expectObject(list[i], `${w}: member class #${i + 1}`);
        const mw = `${w}: member class #${i + 1}`;
        allowOnly(m, ["name", "field-class", "attributes", "extensions"], mw);
        checkExtensions(m, mw);
        checkAttributes(m, mw);
        const name = m.name;
        if (typeof name !== "string") throw ctf2Err(`${mw}: \`name\` must be a string`);
        if (seen.has(name)) throw ctf2Err(`${w}: duplicate member name \`${name}\``);
        seen.add(name);
        const fc = convertFc(ctx, m["field-class"], `${w}: member \`${name}\``, depth + 1);
        members.push({ name, origName: name, fc });
      }
      let a = minAlign;
      for (const m of members) a = Math.max(a, m.fc.alignBits);
      const s: StructFC = { kind: "struct", alignBits: a, inIr: false, members };
      return s;
    }
    case "static-length-array":
    case "dynamic-length-array": {
      const dyn = type === "dynamic-length-array";
      allowOnly(
        o,
        [...COMMON, "element-field-class", "minimum-alignment", dyn ? "length-field-location" : "length"],
        w,
      );
      const minAlign = alignment(o, "minimum-alignment", w);
      const element = convertFc(ctx, o["element-field-class"], `${w}: element field class`, depth + 1);
      const a = Math.max(minAlign, element.alignBits);
      if (dyn) {
        return {
          kind: "sequence",
          alignBits: a,
          inIr: false,
          element,
          lengthPath: "",
          lengthRef: undefined,
          lengthFc: undefined,
          isText: false,
          lengthLocation: fieldLocation(o["length-field-location"], `${w}: \`length-field-location\``),
        };
      }
      return {
        kind: "array",
        alignBits: a,
        inIr: false,
        element,
        length: reqUint(o, "length", w, 2 ** 31),
        isText: false,
        isUuid: false,
      };
    }
    case "optional": {
      allowOnly(o, [...COMMON, "field-class", "selector-field-location", "selector-field-ranges"], w);
      const content = convertFc(ctx, o["field-class"], `${w}: content field class`, depth + 1);
      return {
        kind: "optional",
        alignBits: 1,
        inIr: false,
        content,
        selectorLocation: fieldLocation(o["selector-field-location"], `${w}: \`selector-field-location\``),
        selectorRef: undefined,
        selectorFc: undefined,
        ranges:
          o["selector-field-ranges"] === undefined
            ? undefined
            : rangeSet(o["selector-field-ranges"], true, `${w}: \`selector-field-ranges\``),
      };
    }
    case "variant": {
      allowOnly(o, [...COMMON, "options", "selector-field-location"], w);
      const list = o.options;
      if (!Array.isArray(list) || list.length === 0) throw ctf2Err(`${w}: \`options\` must be a non-empty array`);
      const options: NamedFC[] = [];
      const ranges: Array<{ lo: number; hi: number; option: number }> = [];
      let unnamed = false;
      const seen = new Set<string>();
      for (let i = 0; i < list.length; i++) {
        const ow = `${w}: option #${i + 1}`;
        const opt = expectObject(list[i], ow);
        allowOnly(opt, ["name", "field-class", "selector-field-ranges", "attributes", "extensions"], ow);
        checkExtensions(opt, ow);
        checkAttributes(opt, ow);
        const name = opt.name;
        if (name !== undefined && typeof name !== "string") throw ctf2Err(`${ow}: \`name\` must be a string`);
        if (name === undefined) unnamed = true;
        else if (seen.has(name)) throw ctf2Err(`${w}: duplicate option name \`${name}\``);
        else seen.add(name);
        const fc = convertFc(ctx, opt["field-class"], ow, depth + 1);
        options.push({ name: name ?? "", origName: name ?? "", fc });
        for (const [lo, hi] of rangeSet(opt["selector-field-ranges"], true, `${ow}: \`selector-field-ranges\``)) {
          for (const r of ranges) {
            if (lo <= r.hi && r.lo <= hi)
              throw ctf2Err(`${w}: the selector field ranges of options #${r.option + 1} and #${i + 1} overlap`);
          }
          ranges.push({ lo, hi, option: i });
        }
      }
      return {
        kind: "variant",
        alignBits: 1,
        inIr: false,
        tagPath: "",
        tagRef: undefined,
        tagFc: undefined,
        options,
        ranges,
        selectorLocation: fieldLocation(o["selector-field-location"], `${w}: \`selector-field-location\``),
        unnamedOptions: unnamed,
      };
    }
    default:
      throw ctf2Err(`${what}: unknown field class type \`${type}\``);
  }
}

/** The byte "element" of strings and BLOBs: what decoders skip over and size with. */
function byteElement(): IntFC {
  return {
    kind: "int",
    alignBits: 8,
    inIr: false,
    sizeBits: 8,
    signed: false,
    byteOrder: "le",
    base: 10,
    encoding: "none",
    mappedClock: undefined,
    meaning: "none",
    storingIndex: -1,
    mappings: undefined,
  };
}
