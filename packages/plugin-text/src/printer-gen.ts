/**
 * Generated field printers for sink.text.pretty: one JavaScript function per
 * scope field class (built with `new Function`, as `@ttng/ctf`'s skippers
 * are), so printing a structure is straight-line code instead of a tree of
 * closure calls, and each member's constant text (`, name = `, with its
 * colors) is merged with the text around it into one pre-encoded constant.
 *
 * No trace text ever becomes code: generated source holds only numbers,
 * local names and fixed literals; member names, labels and colors reach it
 * through the constant table `K`. Output is byte for byte that of
 * `compilePrinter` (tested against it on random field classes and values).
 */
import { compileField, type DecodeState, type FieldClass, type IntFC, type StructFC } from "@ttng/ctf";
import type { IrFieldClass } from "@ttng/graph";
import { ByteWriter, constText, type Text, textOf } from "./byte-writer.js";
import type { PrettyColors } from "./colors.js";
import { formatInt } from "./format.js";
import { compilePrinter, enumPrinter, type Printer } from "./printer.js";

/** Constant text up to this many 32-bit words is written by generated code as literals. */
const INLINE_WORDS = 6;

/**
 * Code writing the short constant text `t`: its words as number literals, stored without a loop
 * or table loads (`first`: an expression replacing the first word).
 */
function literal(t: Text, first?: string): string {
  let c = `{ const p = w.reserve(${t.n + 4}); const d = w.dv;`;
  t.words.forEach((x, i) => {
    c += ` d.setUint32(p + ${4 * i}, ${i === 0 && first !== undefined ? first : x}, true);`;
  });
  return `${c} w.pos = p + ${t.n}; }`;
}

/** Array element prefixes precomputed for the first indexes (`names`). */
const INDEX_TABLE = 32;

let captureChunks: Uint8Array[] = [];
const captureWriter = new ByteWriter((b) => captureChunks.push(b.slice()));
let captureBusy = false;

/** The bytes `p` writes for `v`. */
export function captureBytes(p: Printer, v: unknown): Uint8Array {
  if (captureBusy) {
    // Nested (an enumeration's first value inside a captured packet context): a writer of its own.
    const saved = captureChunks;
    captureChunks = [];
    const w = new ByteWriter((b) => captureChunks.push(b.slice()));
    try {
      p(w, v);
      w.flush();
      return joinChunks(captureChunks);
    } finally {
      captureChunks = saved;
    }
  }
  captureBusy = true;
  captureChunks = [];
  try {
    p(captureWriter, v);
    captureWriter.flush();
    return joinChunks(captureChunks);
  } finally {
    // After an exception the scratch writer may hold bytes: drop them.
    captureWriter.pos = 0;
    captureBusy = false;
  }
}

function joinChunks(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 0) return new Uint8Array(0);
  if (chunks.length === 1) return chunks[0]!;
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const c of chunks) {
    out.set(c, n);
    n += c.length;
  }
  return out;
}

/** Enumeration values below this are memoized in an array. */
const SMALL_ENUM = 256;

/** Enumerations: the whole text depends on the value only, so it is memoized per value. */
function memoEnum(p: Printer): Printer {
  const memo = new Map<number, Text>();
  // Small non-negative values (the usual ones) are looked up by index, cheaper than a map.
  const small: Array<Text | undefined> = new Array(SMALL_ENUM).fill(undefined);
  return (w, v) => {
    if (typeof v !== "number") {
      p(w, v);
      return;
    }
    const smallIndex = v >= 0 && v < SMALL_ENUM && Number.isInteger(v);
    let b = smallIndex ? small[v] : memo.get(v);
    if (b === undefined) {
      b = textOf(captureBytes(p, v));
      if (smallIndex) small[v] = b;
      // Bounded: a wide enumeration container with ever-new values must not grow memory.
      else if (memo.size < 4096) memo.set(v, b);
    }
    w.put(b);
  };
}

class Gen {
  readonly K: Text[] = [];
  readonly P: Printer[] = [];
  readonly T: Text[][] = [];
  private code = "";
  private pending = "";
  private nextVar = 0;

  constructor(
    private readonly names: boolean,
    private readonly brace: boolean,
    private readonly c: PrettyColors | undefined,
  ) {}

  text(s: string): void {
    this.pending += s;
  }

  private flush(): void {
    const s = this.pending;
    if (s === "") return;
    this.pending = "";
    if (s.length === 1) {
      this.code += `w.byte(${s.charCodeAt(0) & 0xff});`;
      return;
    }
    const t = constText(s);
    if (t.words.length > INLINE_WORDS) {
      this.code += `w.put(K[${this.K.push(t) - 1}]);`;
      return;
    }
    this.code += literal(t);
  }

  /** Appends a statement that writes something variable (pending constant text first). */
  stmt(s: string): void {
    this.flush();
    this.code += s;
  }

  v(): string {
    return `v${this.nextVar++}`;
  }

  /** Calls a closure printer (kinds the generator leaves to `compilePrinter`). */
  private call(p: Printer, expr: string): void {
    this.stmt(`P[${this.P.push(p) - 1}](w, ${expr});`);
  }

  private colored(color: string | undefined, body: () => void): void {
    const c = this.c;
    if (c !== undefined && color !== undefined) {
      this.text(color);
      body();
      this.text(c.rst);
    } else body();
  }

  /** Code writing what comes before element `i` of an array (`i` the loop's local). */
  private elementPrefix(i: string): void {
    if (this.names) {
      const t =
        this.T.push(Array.from({ length: INDEX_TABLE }, (_, k) => constText(`${k > 0 ? "," : ""} [${k}] = `))) - 1;
      // Indexes 1 to 9: `, [i] = `, whose first word holds the digit in its high byte.
      const one = constText(", [0] = ");
      this.stmt(
        `if (${i} === 0) ${literal(constText(" [0] = "))} else if (${i} < 10) ${literal(one, `${one.words[0]} + (${i} << 24)`)}` +
          ` else if (${i} < ${INDEX_TABLE}) w.put(T[${t}][${i}]); else { w.put(K[${this.K.push(constText(", ["), constText("] = ")) - 2}]); w.uint(${i}); w.put(K[${this.K.length - 1}]); }`,
      );
    } else {
      this.stmt(`if (${i} > 0) w.byte(44); w.byte(32);`);
    }
  }

  /** Code printing the value held by the local (or parameter) `x` of field class `fc`. */
  field(fc: IrFieldClass, x: string, u32 = false): void {
    const c = this.c;
    switch (fc.kind) {
      case "int": {
        if (fc.mappings !== undefined) {
          this.call(memoEnum(enumPrinter(fc, this.brace, c)), x);
          return;
        }
        const { signed, length, base } = fc;
        this.colored(c?.numberValue, () => {
          if (base === 10) this.stmt(u32 ? `w.udec(${x});` : `w.dec(${x});`);
          else if (base === 16 && u32) this.stmt(`w.hex32(${x});`);
          else if (base === 16)
            // Any non-negative number below 2^32 prints as itself whatever the length (masking keeps it).
            this.stmt(
              `if (typeof ${x} === "number" && ${x} >= 0 && ${x} <= 4294967295) w.hex32(${x}); else w.str(F(${x}, ${signed}, ${length}, 16));`,
            );
          else this.stmt(`w.str(F(${x}, ${signed}, ${length}, ${base}));`);
        });
        return;
      }
      case "real":
        this.colored(c?.numberValue, () => this.stmt(`w.g(${x});`));
        return;
      case "string":
        this.colored(c?.stringValue, () => this.stmt(`w.esc(${x});`));
        return;
      case "bool":
        this.colored(c?.numberValue, () => this.stmt(`w.str(${x} ? "true" : "false");`));
        return;
      case "bit-array":
        if (fc.flags === undefined) {
          const length = fc.length;
          this.colored(c?.numberValue, () =>
            this.stmt(
              `if (typeof ${x} === "number" && ${x} >= 0 && ${x} <= 4294967295) w.hex32(${x}); else w.str(F(${x}, false, ${length}, 16));`,
            ),
          );
          return;
        }
        this.call(compilePrinter(fc, this.names, this.brace, c), x);
        return;
      case "blob":
        this.call(compilePrinter(fc, this.names, this.brace, c), x);
        return;
      case "struct": {
        if (fc.members.length === 0) {
          this.text("{ }");
          return;
        }
        fc.members.forEach((m, i) => {
          this.text(i > 0 ? ", " : "{ ");
          if (this.names) this.text(c ? `${c.fieldName}${m.name}${c.rst} = ` : `${m.name} = `);
          const y = this.v();
          this.stmt(`const ${y} = ${x}[${m.slot}];`);
          this.field(m.fc, y);
        });
        this.text(" }");
        return;
      }
      case "static-array":
      case "dynamic-array": {
        const i = this.v();
        const n = this.v();
        this.text("[");
        this.stmt(`const ${n} = ${x}.length; for (let ${i} = 0; ${i} < ${n}; ${i}++) {`);
        this.elementPrefix(i);
        const y = this.v();
        this.stmt(`const ${y} = ${x}[${i}];`);
        this.field(fc.element, y);
        this.stmt("}");
        this.text(" ]");
        return;
      }
      case "variant": {
        this.text("{ ");
        const y = this.v();
        this.stmt(`const ${y} = ${x}.value; switch (${x}.option) {`);
        fc.options.forEach((o, k) => {
          this.stmt(`case ${k}: {`);
          this.field(o.fc, y);
          this.stmt("break; }");
        });
        // An option index the class does not have: what `compilePrinter` does (a TypeError).
        this.stmt("default: P[0](); }");
        this.text(" }");
        return;
      }
      case "option": {
        this.stmt(`if (${x} === undefined || ${x} === null) w.str("<none>"); else {`);
        this.text("{ ");
        this.field(fc.content, x);
        this.text(" }");
        this.stmt("}");
        return;
      }
    }
  }

  // ---- Fused decode and print (CTF event fields read straight from the packet's bytes) ----

  /** Compiled readers of fields the fused code does not read itself (`R`). */
  readonly R: Array<(st: DecodeState) => unknown> = [];

  private reader(fc: FieldClass): number {
    return this.R.push(compileField(fc)) - 1;
  }

  /**
   * A power of two `st.pos` is known to be a multiple of at this point of the generated code
   * (1: nothing known), so that alignments already satisfied cost nothing.
   */
  private known = 1;

  /** Code aligning `st.pos` to `alignBits` (a power of two), as the compiled readers do. */
  private align(alignBits: number): void {
    if (alignBits <= this.known) return;
    this.stmt(`{ const r = st.pos & ${alignBits - 1}; if (r !== 0) st.pos += ${alignBits} - r; }`);
    this.known = alignBits;
  }

  /** `st.pos` moved by `bits` (a constant). */
  private advanced(bits: number): void {
    if (bits === 0) return;
    const low = bits & -bits;
    if (low < this.known) this.known = low;
  }

  /**
   * Code reading the CTF field `ctf` at `st.pos` and printing it as the IR field class `ir`
   * (what `compileField(ctf)` then `field(ir, value)` do): byte-aligned plain integers, strings,
   * text arrays, structures and arrays are read in place; anything else goes through the
   * compiled reader and prints its value.
   */
  fused(ctf: FieldClass, ir: IrFieldClass): void {
    const pow2 = (ctf.alignBits & (ctf.alignBits - 1)) === 0;
    if (ctf.kind === "int" && ir.kind === "int" && pow2 && ctf.alignBits >= 8 && directInt(ctf)) {
      const n = ctf.sizeBits;
      const le = ctf.byteOrder === "le";
      this.align(ctf.alignBits);
      const x = this.v();
      const get =
        n === 8
          ? ctf.signed
            ? "st.dv.getInt8(p)"
            : "st.buf[p]"
          : `st.dv.get${ctf.signed ? "Int" : "Uint"}${n}(p, ${le})`;
      this.stmt(`let ${x}; { const p = st.pos >>> 3; st.pos += ${n}; ${x} = ${get}; }`);
      this.advanced(n);
      // A sequence length or variant tag: stored for the fields that depend on it.
      if (ctf.storingIndex >= 0) this.stmt(`st.stored[${ctf.storingIndex}] = ${x};`);
      // An unsigned value read from at most 32 bits: a non-negative number below 2^32.
      this.field(ir, x, !ctf.signed);
      return;
    }
    if (ctf.kind === "float" && ir.kind === "real" && pow2 && ctf.alignBits >= 8 && ctf.bitOrderReversed !== true) {
      // What readFloat does at a byte boundary.
      const n = ctf.sizeBits;
      this.align(ctf.alignBits);
      const x = this.v();
      this.stmt(
        `let ${x}; { const p = st.pos >>> 3; st.pos += ${n}; ${x} = st.dv.getFloat${n}(p, ${ctf.byteOrder === "le"}); }`,
      );
      this.advanced(n);
      this.field(ir, x);
      return;
    }
    if (ctf.kind === "string" && ir.kind === "string" && ctf.unicode === undefined) {
      const s = this.v();
      const e = this.v();
      if (this.known < 8) this.stmt("{ const r = st.pos & 7; if (r !== 0) st.pos += 8 - r; }");
      this.known = 8;
      this.stmt(
        `const ${s} = st.pos >>> 3; const ${e} = st.buf.indexOf(0, ${s});` +
          ` if (${e} < 0 || ${e} >= st.end >>> 3) st.fail("string field (no terminating null byte)", 8); st.pos = (${e} + 1) * 8;`,
      );
      this.colored(this.c?.stringValue, () => this.stmt(`w.escBytes(st.buf, ${s}, ${e});`));
      return;
    }
    if (
      (ctf.kind === "array" || ctf.kind === "sequence") &&
      pow2 &&
      ctf.isBlob !== true &&
      ctf.unicode === undefined &&
      (ctf.kind === "array" || ctf.lengthFc !== undefined)
    ) {
      const len = ctf.kind === "array" ? String(ctf.length) : `st.stored[${ctf.lengthFc!.storingIndex}]`;
      if (ctf.isText && ir.kind === "string") {
        const s = this.v();
        const e = this.v();
        const n = this.v();
        this.align(ctf.alignBits);
        this.stmt(
          `const ${n} = ${len}; st.checkLength(${n}, "text array field"); if (st.pos + ${n} * 8 > st.end) st.fail("text array field", ${n} * 8);` +
            ` const ${s} = st.pos >>> 3; let ${e} = ${s}; { const lim = ${s} + ${n}; const b = st.buf; while (${e} < lim && b[${e}] !== 0) ${e}++; } st.pos += ${n} * 8;`,
        );
        if (ctf.kind === "array") this.advanced(ctf.length * 8);
        else if (this.known > 8) this.known = 8;
        this.colored(this.c?.stringValue, () => this.stmt(`w.escBytes(st.buf, ${s}, ${e});`));
        return;
      }
      if (!ctf.isText && (ir.kind === "static-array" || ir.kind === "dynamic-array")) {
        // The skip that came first checked lengths and sizes: these bytes decode.
        this.align(ctf.alignBits);
        const n = this.v();
        const i = this.v();
        this.text("[");
        this.stmt(
          `const ${n} = ${len}; st.checkLength(${n}, "array field"); for (let ${i} = 0; ${i} < ${n}; ${i}++) {`,
        );
        this.elementPrefix(i);
        // Elements after the first start wherever the previous one ended.
        this.known = 1;
        this.fused(ctf.element, ir.element);
        this.stmt("}");
        this.known = 1;
        this.text(" ]");
        return;
      }
    }
    if (ctf.kind === "struct" && ir.kind === "struct" && pow2) {
      this.align(ctf.alignBits);
      let k = 0;
      ctf.members.forEach((m, i) => {
        if (!m.fc.inIr) {
          this.stmt(`R[${this.reader(m.fc)}](st);`);
          this.known = 1;
          return;
        }
        const irm = ir.members[k];
        if (irm === undefined || irm.slot !== i) throw new Unfusable();
        this.text(k > 0 ? ", " : "{ ");
        if (this.names) this.text(this.c ? `${this.c.fieldName}${irm.name}${this.c.rst} = ` : `${irm.name} = `);
        k++;
        this.fused(m.fc, irm.fc);
      });
      if (k !== ir.members.length) throw new Unfusable();
      this.text(k === 0 ? "{ }" : " }");
      return;
    }
    const x = this.v();
    this.stmt(`const ${x} = R[${this.reader(ctf)}](st);`);
    this.known = 1;
    this.field(ir, x);
  }

  buildFused(ctf: StructFC, ir: IrFieldClass): FusedPrinter {
    this.fused(ctf, ir);
    this.flush();
    const make = new Function("K", "P", "T", "F", "R", `"use strict"; return function print(w, st) {${this.code}};`);
    return make(this.K, this.P, this.T, formatInt, this.R) as FusedPrinter;
  }

  build(fc: IrFieldClass): Printer {
    this.field(fc, "v");
    this.flush();
    const make = new Function("K", "P", "T", "F", `"use strict"; return function print(w, v) {${this.code}};`);
    return make(this.K, this.P, this.T, formatInt) as Printer;
  }
}

/** Prints one scope of an event straight from its bytes: `st` at the scope's first bit. */
export type FusedPrinter = (w: ByteWriter, st: DecodeState) => void;

/** A field-class pair the fused printer cannot follow (IR members not in CTF order). */
class Unfusable extends Error {}

/** Integers the fused code reads in place: whole bytes, no effects but a stored value (no clock, no meaning). */
function directInt(fc: IntFC): boolean {
  return (
    (fc.sizeBits === 8 || fc.sizeBits === 16 || fc.sizeBits === 32) &&
    fc.varLen !== true &&
    fc.bitOrderReversed !== true &&
    fc.meaning === "none" &&
    fc.mappedClock === undefined
  );
}

/**
 * A printer of the CTF scope `ctf` (translated to the IR as `ir`) that reads the field values
 * from the bytes as it prints them: the same text as decoding with `compileField(ctf)` then
 * printing with `generatePrinter(ir, ...)`, without building the values. Undefined when the IR
 * does not follow the CTF class member for member (then use the value path).
 */
export function generateFusedPrinter(
  ctf: StructFC,
  ir: IrFieldClass,
  names: boolean,
  brace: boolean,
  c?: PrettyColors,
): FusedPrinter | undefined {
  const g = new Gen(names, brace, c);
  g.P.push(undefined as unknown as Printer);
  try {
    return g.buildFused(ctf, ir);
  } catch (e) {
    // EvalError: code generation from strings is disallowed (node flag, CSP): the value path.
    if (e instanceof Unfusable || e instanceof EvalError) return undefined;
    throw e;
  }
}

/** Same contract and output as `compilePrinter`, as generated code. */
export function generatePrinter(fc: IrFieldClass, names: boolean, brace: boolean, c?: PrettyColors): Printer {
  const g = new Gen(names, brace, c);
  // P[0]: the failure of an option index out of range (calling undefined, as the closure path does).
  g.P.push(undefined as unknown as Printer);
  try {
    return g.build(fc);
  } catch (e) {
    // Code generation from strings is disallowed (node flag, CSP): the closure printer.
    if (e instanceof EvalError) return compilePrinter(fc, names, brace, c);
    throw e;
  }
}
