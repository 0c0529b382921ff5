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
import type { IrFieldClass } from "@ttng/graph";
import { ByteWriter, latin1Bytes } from "./byte-writer.js";
import type { PrettyColors } from "./colors.js";
import { formatInt } from "./format.js";
import { compilePrinter, enumPrinter, type Printer } from "./printer.js";

/** Array element prefixes precomputed for the first indexes (`names`). */
const INDEX_TABLE = 32;

/** The bytes `p` writes for `v`. */
export function captureBytes(p: Printer, v: unknown): Uint8Array {
  const chunks: Uint8Array[] = [];
  const w = new ByteWriter((b) => chunks.push(b.slice()));
  p(w, v);
  w.flush();
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

/** Enumerations: the whole text depends on the value only, so it is memoized per value. */
function memoEnum(p: Printer): Printer {
  const memo = new Map<number, Uint8Array>();
  return (w, v) => {
    if (typeof v !== "number") {
      p(w, v);
      return;
    }
    let b = memo.get(v);
    if (b === undefined) {
      b = captureBytes(p, v);
      // Bounded: a wide enumeration container with ever-new values must not grow memory.
      if (memo.size < 4096) memo.set(v, b);
    }
    w.bytes(b);
  };
}

class Gen {
  readonly K: Uint8Array[] = [];
  readonly P: Printer[] = [];
  readonly T: Uint8Array[][] = [];
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
    if (s.length === 1) this.code += `w.byte(${s.charCodeAt(0) & 0xff});`;
    else this.code += `w.bytes(K[${this.K.push(latin1Bytes(s)) - 1}]);`;
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

  /** Code printing the value held by the local (or parameter) `x` of field class `fc`. */
  field(fc: IrFieldClass, x: string): void {
    const c = this.c;
    switch (fc.kind) {
      case "int": {
        if (fc.mappings !== undefined) {
          this.call(memoEnum(enumPrinter(fc, this.brace, c)), x);
          return;
        }
        const { signed, length, base } = fc;
        this.colored(c?.numberValue, () => {
          if (base === 10) this.stmt(`w.dec(${x});`);
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
        if (this.names) {
          const t =
            this.T.push(Array.from({ length: INDEX_TABLE }, (_, k) => latin1Bytes(`${k > 0 ? "," : ""} [${k}] = `))) -
            1;
          this.stmt(
            `if (${i} < ${INDEX_TABLE}) w.bytes(T[${t}][${i}]); else { w.bytes(K[${this.K.push(latin1Bytes(", ["), latin1Bytes("] = ")) - 2}]); w.uint(${i}); w.bytes(K[${this.K.length - 1}]); }`,
          );
        } else {
          this.stmt(`if (${i} > 0) w.byte(44); w.byte(32);`);
        }
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

  build(fc: IrFieldClass): Printer {
    this.field(fc, "v");
    this.flush();
    const make = new Function("K", "P", "T", "F", `"use strict"; return function print(w, v) {${this.code}};`);
    return make(this.K, this.P, this.T, formatInt) as Printer;
  }
}

/** Same contract and output as `compilePrinter`, as generated code. */
export function generatePrinter(fc: IrFieldClass, names: boolean, brace: boolean, c?: PrettyColors): Printer {
  const g = new Gen(names, brace, c);
  // P[0]: the failure of an option index out of range (calling undefined, as the closure path does).
  g.P.push(undefined as unknown as Printer);
  return g.build(fc);
}
