/**
 * Compiles a checked filter expression, for one event layout, into a
 * closure tree with LTTng-UST 2.13's interpreter semantics
 * (lttng-bytecode-interpreter.c + lttng-bytecode-specialize.c):
 *
 * - integers are s64 for comparisons, u64 bit patterns for `& | ^ ~ << >>`;
 *   a shift count outside [0, 63] fails the whole filter;
 * - `&&`/`||` yield the right operand's value, not 0/1 (`(1 && 5) == 5`);
 *   floats are truncated to s64 there, and an unsigned array element used
 *   there directly fails (LTTng's CAST_TO_S64 on a u64 register falls through
 *   to its error label);
 * - int vs float compares as doubles; strings with star-globs, the legacy
 *   prefix match and `\*`; text arrays and sequences are strings;
 * - anything LTTng refuses to link (unknown field, wrong type, index out of
 *   an array) makes the filter reject every event; anything the interpreter
 *   refuses at run time (out-of-bounds sequence index, bad shift, NULL
 *   string) rejects that event.
 *
 * No `eval`/`new Function`: user text only selects prebuilt closures, and
 * literals are captured as values. Numbers on the hot path, BigInt only when
 * a value leaves the safe-integer range.
 */
import type { ContextProvider, FieldLayout, FieldSlot, FieldValue } from "./field-layout.js";
import type { FilterExpression } from "./filter-expression.js";
import { compileStarGlob } from "./glob.js";
import {
  bitAnd,
  bitNot,
  bitOr,
  bitXor,
  compareI64,
  doubleToI64,
  fromBig,
  type I64,
  isZero,
  loadInteger,
  negate,
  shiftLeft,
  shiftRight,
  toDouble,
} from "./int64.js";
import type { IrNode, IrReference } from "./ir.js";
import { lttngStrcmp } from "./string-compare.js";

/** Values of one event record: payload by slot index, context through a provider. */
export type FilterEvaluator = (payload: ArrayLike<FieldValue>, context?: ContextProvider) => boolean;

type P = ArrayLike<FieldValue>;
type C = ContextProvider | undefined;

/** Thrown inside closures when LTTng's interpreter would return an error. */
const FAIL: { readonly fail: true } = Object.freeze({ fail: true });
/** Thrown while compiling when LTTng would refuse to link the bytecode. */
class LinkError extends Error {}

function fail(): never {
  throw FAIL;
}

type Compiled =
  | { t: "int"; f: (p: P, c: C) => I64; u64: boolean; expr: boolean; k?: I64 }
  | { t: "float"; f: (p: P, c: C) => number; expr: boolean; k?: number }
  | { t: "str"; f: (p: P, c: C) => string; lit: "none" | "plain" | "glob"; k?: string };

function textOf(v: FieldValue): string {
  if (typeof v === "string") {
    const nul = v.indexOf("\0");
    return nul < 0 ? v : v.slice(0, nul);
  }
  if (v === null || v === undefined || typeof v !== "object") return fail();
  let s = "";
  for (let i = 0; i < v.length; i++) {
    const b = Number(v[i]) & 0xff;
    if (b === 0) break;
    s += String.fromCharCode(b);
  }
  return s;
}

function slowInt(v: FieldValue): I64 {
  const r = loadInteger(v);
  return r === undefined ? fail() : r;
}

function readSlot(root: IrReference["root"], index: number): (p: P, c: C) => FieldValue {
  if (root === "payload") return (p) => p[index];
  return (_p, c) => (c === undefined ? fail() : c(index));
}

function compileReference(ref: IrReference, layout: FieldLayout): Compiled {
  const names = ref.links.map((l) => l.name);
  const indexed = ref.links.some((l) => l.indexes.length > 0);
  const lookup = (name: string): FieldSlot | undefined =>
    ref.root === "payload"
      ? layout.payload(name)
      : ref.root === "context"
        ? layout.context?.(name)
        : layout.appContext?.(name);
  if (!indexed) {
    const slot = lookup(names.join("."));
    if (slot === undefined) throw new LinkError();
    const read = readSlot(ref.root, slot.index);
    const i = slot.index;
    switch (slot.type.kind) {
      case "integer":
      case "enum":
        if (ref.root === "payload") {
          return {
            t: "int",
            u64: false,
            expr: true,
            f: (p) => {
              const v = p[i];
              return typeof v === "number" ? v : slowInt(v);
            },
          };
        }
        return { t: "int", u64: false, expr: true, f: (p, c) => slowInt(read(p, c)) };
      case "float":
        return {
          t: "float",
          expr: true,
          f: (p, c) => {
            const v = read(p, c);
            return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : fail();
          },
        };
      case "string":
        return {
          t: "str",
          lit: "none",
          f: (p, c) => {
            const v = read(p, c);
            return typeof v === "string" ? textOf(v) : fail();
          },
        };
      case "array":
      case "sequence":
        if (!slot.type.text) throw new LinkError();
        return { t: "str", lit: "none", f: (p, c) => textOf(read(p, c)) };
    }
  }
  // The non-legacy path: only `field[index]` on a payload array/sequence of integers links.
  const link = ref.links[0]!;
  if (ref.root !== "payload" || ref.links.length !== 1 || link.indexes.length !== 1) throw new LinkError();
  const slot = layout.payload(link.name);
  if (slot === undefined) throw new LinkError();
  const type = slot.type;
  // Indexing a text array/sequence does not link either (observed): only integer elements.
  if ((type.kind !== "array" && type.kind !== "sequence") || type.text) throw new LinkError();
  const index = link.indexes[0]!;
  if (type.kind === "array" && index >= BigInt(type.length)) throw new LinkError();
  if (index > 0xffffffffn) throw new LinkError();
  const at = Number(index);
  const i = slot.index;
  const signed = type.element.signed;
  return {
    t: "int",
    u64: !signed,
    expr: true,
    f: (p) => {
      const v = p[i];
      if (typeof v === "string") {
        if (at >= v.length) return fail();
        const b = v.charCodeAt(at) & 0xff;
        return signed && b >= 128 ? b - 256 : b;
      }
      if (v === null || v === undefined || typeof v !== "object" || at >= v.length) return fail();
      const e = v[at]!;
      return typeof e === "number" ? e : slowInt(e);
    },
  };
}

const EQ = (r: number) => (r === 0 ? 1 : 0);
const COMPARE: Readonly<Record<string, (r: number) => number>> = {
  "==": EQ,
  "!=": (r) => (r !== 0 ? 1 : 0),
  "<": (r) => (r < 0 ? 1 : 0),
  ">": (r) => (r > 0 ? 1 : 0),
  "<=": (r) => (r <= 0 ? 1 : 0),
  ">=": (r) => (r >= 0 ? 1 : 0),
};

function compileCompare(op: string, l: Compiled, r: Compiled): Compiled {
  const verdict = COMPARE[op]!;
  if (l.t === "str" || r.t === "str") {
    if (l.t !== "str" || r.t !== "str") throw new LinkError();
    const lf = l.f;
    const rf = r.f;
    if (l.lit === "glob" || r.lit === "glob") {
      if (l.lit === "glob" && r.lit === "glob") throw new LinkError();
      const eq = op === "==";
      // The pattern is a literal: cut it at its stars once, not per event.
      if (r.lit === "glob") {
        const match = compileStarGlob(r.k!);
        return { t: "int", u64: false, expr: false, f: (p, c) => (match(lf(p, c)) === eq ? 1 : 0) };
      }
      const match = compileStarGlob(l.k!);
      return { t: "int", u64: false, expr: false, f: (p, c) => (match(rf(p, c)) === eq ? 1 : 0) };
    }
    const lp = l.lit === "plain";
    const rp = r.lit === "plain";
    // Fast path: field == "literal" without stars or escapes is plain equality.
    if (!lp && rp && (op === "==" || op === "!=") && !/[*\\]/.test(r.k!)) {
      const k = r.k!;
      const want = op === "==" ? 1 : 0;
      return { t: "int", u64: false, expr: false, f: (p, c) => (lf(p, c) === k ? want : 1 - want) };
    }
    return { t: "int", u64: false, expr: false, f: (p, c) => verdict(lttngStrcmp(lf(p, c), lp, rf(p, c), rp)) };
  }
  if (l.t === "int" && r.t === "int") {
    const lf = l.f;
    const rf = r.f;
    if (r.k !== undefined && typeof r.k === "number") {
      const k = r.k;
      switch (op) {
        case "<":
          return {
            t: "int",
            u64: false,
            expr: false,
            f: (p, c) => {
              const a = lf(p, c);
              return typeof a === "number" ? (a < k ? 1 : 0) : verdict(compareI64(a, k));
            },
          };
        case "==":
          return {
            t: "int",
            u64: false,
            expr: false,
            f: (p, c) => {
              const a = lf(p, c);
              return typeof a === "number" ? (a === k ? 1 : 0) : verdict(compareI64(a, k));
            },
          };
      }
    }
    return {
      t: "int",
      u64: false,
      expr: false,
      f: (p, c) => {
        const a = lf(p, c);
        const b = rf(p, c);
        if (typeof a === "number" && typeof b === "number") return verdict(a < b ? -1 : a > b ? 1 : 0);
        return verdict(compareI64(a, b));
      },
    };
  }
  const lf = l.t === "int" ? (p: P, c: C) => toDouble(l.f(p, c)) : l.f;
  const rf = r.t === "int" ? (p: P, c: C) => toDouble(r.f(p, c)) : r.f;
  return {
    t: "int",
    u64: false,
    expr: false,
    f: (p, c) => {
      const a = (lf as (p: P, c: C) => number)(p, c);
      const b = (rf as (p: P, c: C) => number)(p, c);
      // NaN compares unordered, as in C: only != is true.
      return verdict(a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.NaN);
    },
  };
}

const BITWISE: Readonly<Record<string, (a: I64, b: I64) => I64>> = {
  "&": bitAnd,
  "|": bitOr,
  "^": bitXor,
};

function shiftCount(n: I64): number {
  if (typeof n !== "number" || n < 0 || n >= 64) return fail();
  return n;
}

function compileBitwise(op: string, l: Compiled, r: Compiled): Compiled {
  if (l.t !== "int" || r.t !== "int") {
    // LTTng-UST refuses to link bitwise operators on a float or string field (observed).
    throw new LinkError();
  }
  const lf = l.f;
  const rf = r.f;
  if (op === "<<") return { t: "int", u64: false, expr: false, f: (p, c) => shiftLeft(lf(p, c), shiftCount(rf(p, c))) };
  if (op === ">>")
    return { t: "int", u64: false, expr: false, f: (p, c) => shiftRight(lf(p, c), shiftCount(rf(p, c))) };
  const fn = BITWISE[op]!;
  if (op === "&" && r.k !== undefined && typeof r.k === "number" && (r.k | 0) === r.k) {
    const k = r.k;
    return {
      t: "int",
      u64: false,
      expr: false,
      f: (p, c) => {
        const a = lf(p, c);
        return typeof a === "number" && (a | 0) === a ? a & k : bitAnd(a, k);
      },
    };
  }
  return { t: "int", u64: false, expr: false, f: (p, c) => fn(lf(p, c), rf(p, c)) };
}

/** The value a logical operator sees after LTTng's CAST_TO_S64 / CAST_DOUBLE_TO_S64. */
function logicalOperand(node: Compiled): (p: P, c: C) => I64 {
  if (node.t === "str") throw new LinkError();
  if (node.t === "float") {
    const f = node.f;
    return (p, c) => doubleToI64(f(p, c));
  }
  if (node.expr && node.u64) {
    const f = node.f;
    return (p, c) => {
      f(p, c);
      return fail();
    };
  }
  return node.f;
}

function compileUnary(op: string, x: Compiled): Compiled {
  if (x.t === "str") throw new LinkError();
  switch (op) {
    case "+":
      return x;
    case "-":
      if (x.t === "float") {
        const f = x.f;
        return { t: "float", expr: x.expr, f: (p, c) => -f(p, c) };
      }
      return { t: "int", u64: x.u64, expr: x.expr, f: (p, c) => negate(x.f(p, c)) };
    case "!":
      if (x.t === "float") {
        const f = x.f;
        return { t: "int", u64: false, expr: x.expr, f: (p, c) => (f(p, c) === 0 ? 1 : 0) };
      }
      return { t: "int", u64: false, expr: x.expr, f: (p, c) => (isZero(x.f(p, c)) ? 1 : 0) };
    default:
      if (x.t === "float") {
        const f = x.f;
        return {
          t: "int",
          u64: false,
          expr: x.expr,
          f: (p, c) => {
            f(p, c);
            return fail();
          },
        };
      }
      return { t: "int", u64: x.u64, expr: x.expr, f: (p, c) => bitNot(x.f(p, c)) };
  }
}

function compileNode(node: IrNode, layout: FieldLayout): Compiled {
  switch (node.op) {
    case "load-numeric": {
      const k = fromBig(node.value);
      return { t: "int", u64: false, expr: false, k, f: () => k };
    }
    case "load-float": {
      const k = node.value;
      return { t: "float", expr: false, k, f: () => k };
    }
    case "load-string": {
      const k = node.value;
      return { t: "str", lit: node.stringType === "glob-star" ? "glob" : "plain", k, f: () => k };
    }
    case "load-reference":
      return compileReference(node.ref, layout);
    case "unary":
      return compileUnary(node.operator, compileNode(node.operand, layout));
    case "logical": {
      // Left-deep chains (`a && b && c …`) are walked iteratively.
      const chain: Array<{ op: "&&" | "||"; right: IrNode }> = [];
      let leftmost: IrNode = node;
      while (leftmost.op === "logical") {
        chain.push({ op: leftmost.operator, right: leftmost.right });
        leftmost = leftmost.left;
      }
      let acc = compileNode(leftmost, layout);
      for (let i = chain.length - 1; i >= 0; i--) {
        const { op, right } = chain[i]!;
        const lf = logicalOperand(acc);
        const rf = logicalOperand(compileNode(right, layout));
        acc =
          op === "&&"
            ? {
                t: "int",
                u64: false,
                expr: false,
                f: (p, c) => {
                  const a = lf(p, c);
                  return isZero(a) ? 0 : rf(p, c);
                },
              }
            : { t: "int", u64: false, expr: false, f: (p, c) => (isZero(lf(p, c)) ? rf(p, c) : 1) };
      }
      return acc;
    }
    case "binary": {
      const chain: Array<{ op: string; right: IrNode }> = [];
      let leftmost: IrNode = node;
      while (leftmost.op === "binary") {
        chain.push({ op: leftmost.operator, right: leftmost.right });
        leftmost = leftmost.left;
      }
      let acc = compileNode(leftmost, layout);
      for (let i = chain.length - 1; i >= 0; i--) {
        const { op, right } = chain[i]!;
        const r = compileNode(right, layout);
        acc = op in COMPARE ? compileCompare(op, acc, r) : compileBitwise(op, acc, r);
      }
      return acc;
    }
  }
}

/**
 * Binds a filter to an event layout and returns its evaluator.
 *
 * @example
 * const f = parseFilterExpression("(arr[2] & 0xF) == 0x3");
 * const accept = compileFilter(f, {
 *   payload: (n) => (n === "arr" ? { index: 0, type: { kind: "array", length: 4, text: false, element: { signed: false } } } : undefined),
 * });
 * accept([[0, 0, 0x13, 0]]); // true
 */
export function compileFilter(filter: FilterExpression, layout: FieldLayout): FilterEvaluator {
  let root: Compiled;
  try {
    root = compileNode(filter.ir, layout);
  } catch (e) {
    if (e instanceof LinkError) return () => false;
    throw e;
  }
  if (root.t !== "int") return () => false;
  const f = root.f;
  return (payload, context) => {
    try {
      const v = f(payload, context);
      return v !== 0 && v !== 0n;
    } catch (e) {
      if (e === FAIL) return false;
      throw e;
    }
  };
}
