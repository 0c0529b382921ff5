// A small Normand reader: Normand (efficios/normand) is the text-to-binary language Babeltrace's
// field-decoding cases write their bytes in. This implements the subset those cases use, from the
// language's public description, plus a few cheap forms; it is not the reference implementation.
//
// Supported:
//   ff a0 12                 hexadecimal bytes (pairs of digits; `-` `:` `,` `;` `/` `_` between them are ignored)
//   $42  $-42                decimal byte (two's complement for negatives)
//   %10110010                binary byte: 8 bits, whitespace and comments allowed between bits
//   %% ...  %%% ...          16, 24 ... bits, most significant first
//   u16le"..." u32be"..."    string encoded in UTF-8/16/32 (u8, u16le, u16be, u32le, u32be)
//   [EXPR:uleb128] [EXPR:sleb128]   LEB128 numbers
//   "café\0"                 UTF-8 string; escapes \0 \a \b \e \f \n \r \t \v \\ \" \xHH
//   [EXPR:LEN] [EXPR:LENle]  fixed-length number of LEN bits (a multiple of 8), in the current byte
//   [EXPR:LENbe]             order unless told; EXPR is a Python-like constant expression (integers of
//                            any size, floats for 32/64-bit IEEE 754, ** * // % + - << >> & ^ | ~ ( ))
//   @N   @N~BYTE             pad with zeros (or BYTE) up to the next multiple of N bits
//   !le !be !little !big     current byte order for [EXPR:LEN]
//   ( ... ) * N   ITEM * N   groups and repetition
//   # comment                until the end of the line or the next `#`
//
// The output is whole bytes; `@N` pads in bits but N must leave the offset byte-aligned.

class NormandError extends Error {
  constructor(message, text, at) {
    const line = text.slice(0, at).split("\n").length;
    super(`Normand: ${message} (line ${line})`);
    this.name = "NormandError";
  }
}

const INSIGNIFICANT = new Set([" ", "\t", "\n", "\r", "-", ":", ",", ";", "/", "_"]);
const HEX = /[0-9a-fA-F]/;

/**
 * Parses Normand text into bytes.
 * @param {string} text
 * @param {{ byteOrder?: "le" | "be" }} [options] initial byte order (none by default: `[V:N]` then needs one)
 * @returns {Uint8Array}
 */
export function parseNormand(text, options = {}) {
  const p = new Parser(text, options.byteOrder);
  const out = [];
  p.items(out, false);
  return Uint8Array.from(out);
}

class Parser {
  constructor(text, byteOrder) {
    this.text = text;
    this.i = 0;
    this.byteOrder = byteOrder;
  }

  fail(message) {
    throw new NormandError(message, this.text, this.i);
  }

  /** Skips whitespace, insignificant symbols and comments. */
  skip() {
    const t = this.text;
    for (;;) {
      const c = t[this.i];
      if (c === undefined) return;
      if (INSIGNIFICANT.has(c)) this.i++;
      else if (c === "#") {
        this.i++;
        while (this.i < t.length && t[this.i] !== "\n" && t[this.i] !== "#") this.i++;
        if (t[this.i] === "#") this.i++;
      } else return;
    }
  }

  /** Skips only whitespace (inside expressions, where `-` and `:` mean something). */
  skipSpace() {
    while (/\s/.test(this.text[this.i] ?? "")) this.i++;
  }

  items(out, inGroup) {
    for (;;) {
      this.skip();
      const c = this.text[this.i];
      if (c === undefined) {
        if (inGroup) this.fail("missing `)`");
        return;
      }
      if (c === ")") {
        if (!inGroup) this.fail("unexpected `)`");
        this.i++;
        return;
      }
      const start = out.length;
      this.item(out);
      this.repeat(out, start);
    }
  }

  /** `* N` after an item or a group repeats the bytes it produced. */
  repeat(out, start) {
    const save = this.i;
    this.skipSpace();
    if (this.text[this.i] !== "*") {
      this.i = save;
      return;
    }
    this.i++;
    this.skipSpace();
    const m = /^[0-9]+/.exec(this.text.slice(this.i));
    if (!m) this.fail("expecting a repetition count after `*`");
    this.i += m[0].length;
    const n = Number(m[0]);
    const chunk = out.slice(start);
    out.length = start;
    for (let k = 0; k < n; k++) out.push(...chunk);
  }

  item(out) {
    const t = this.text;
    const c = t[this.i];
    if (HEX.test(c)) {
      const hi = c;
      this.i++;
      this.skip();
      const lo = t[this.i];
      if (lo === undefined || !HEX.test(lo)) this.fail("expecting a second hexadecimal digit");
      this.i++;
      out.push(Number.parseInt(hi + lo, 16));
      return;
    }
    switch (c) {
      case "$": {
        this.i++;
        const m = /^-?[0-9]+/.exec(t.slice(this.i));
        if (!m) this.fail("expecting a decimal byte after `$`");
        this.i += m[0].length;
        const v = Number(m[0]);
        if (v < -128 || v > 255) this.fail(`decimal byte out of range: ${v}`);
        out.push(v & 0xff);
        return;
      }
      case "%": {
        // `%` `%%` `%%%` ...: 8, 16, 24 ... bits, most significant first.
        let k = 0;
        while (t[this.i] === "%") {
          k++;
          this.i++;
        }
        for (let byte = 0; byte < k; byte++) {
          let v = 0;
          for (let bit = 0; bit < 8; bit++) {
            this.skip();
            const b = t[this.i];
            if (b !== "0" && b !== "1") this.fail(`expecting ${8 * k} binary digits after \`${"%".repeat(k)}\``);
            v = (v << 1) | (b === "1" ? 1 : 0);
            this.i++;
          }
          out.push(v);
        }
        return;
      }
      case "u": {
        // Encoded string: u8"..." u16le"..." u16be"..." u32le"..." u32be"...".
        const m = /^u(8|16|32)(le|be)?"/.exec(t.slice(this.i));
        if (!m || (m[1] !== "8" && m[2] === undefined)) this.fail('expecting an encoded string (`u16le"..."`)');
        this.i += m[0].length - 1;
        const text = new TextDecoder().decode(Uint8Array.from(this.string()));
        if (m[1] === "8") out.push(...new TextEncoder().encode(text));
        else {
          const le = m[2] === "le";
          const width = m[1] === "16" ? 2 : 4;
          const units = [];
          if (width === 2) for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i));
          else for (const ch of text) units.push(ch.codePointAt(0));
          for (const u of units) {
            const b = [];
            for (let k = 0; k < width; k++) b.push((u >>> (8 * k)) & 0xff);
            if (!le) b.reverse();
            out.push(...b);
          }
        }
        return;
      }
      case '"':
        out.push(...this.string());
        return;
      case "[":
        this.fixedNumber(out);
        return;
      case "@":
        this.alignment(out);
        return;
      case "!": {
        const m = /^!(le|be|little|big)\b/.exec(t.slice(this.i));
        if (!m) this.fail("expecting `!le` or `!be`");
        this.i += m[0].length;
        this.byteOrder = m[1] === "le" || m[1] === "little" ? "le" : "be";
        return;
      }
      case "(":
        this.i++;
        this.items(out, true);
        return;
      default:
        this.fail(`unexpected character \`${c}\``);
    }
  }

  string() {
    const t = this.text;
    this.i++;
    let s = "";
    for (;;) {
      const c = t[this.i];
      if (c === undefined) this.fail("unterminated string");
      this.i++;
      if (c === '"') break;
      if (c !== "\\") {
        s += c;
        continue;
      }
      const e = t[this.i++];
      const simple = { 0: "\0", a: "\x07", b: "\b", e: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
      if (e === "x") {
        const h = t.slice(this.i, this.i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) this.fail("bad `\\x` escape");
        s += String.fromCharCode(Number.parseInt(h, 16));
        this.i += 2;
      } else if (e !== undefined && e in simple) s += simple[e];
      else if (e === "\\" || e === '"') s += e;
      else this.fail(`unknown escape \`\\${e}\``);
    }
    return new TextEncoder().encode(s);
  }

  fixedNumber(out) {
    this.i++;
    const value = this.expr();
    this.skipSpace();
    if (this.text[this.i] !== ":") this.fail("expecting `:` in a fixed-length number");
    this.i++;
    this.skipSpace();
    const leb = /^(u|s)leb128\s*\]/.exec(this.text.slice(this.i));
    if (leb) {
      // LEB128 (unsigned or signed), 7 bits per byte, least significant group first.
      this.i += leb[0].length;
      if (typeof value !== "bigint") this.fail("a LEB128 number must be an integer");
      let v = value;
      if (leb[1] === "u" && v < 0n) this.fail("negative value for uleb128");
      for (;;) {
        const b = Number(v & 0x7fn);
        v >>= 7n;
        const done = leb[1] === "u" ? v === 0n : (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
        out.push(done ? b : b | 0x80);
        if (done) return;
      }
    }
    const m = /^([0-9]+)\s*(le|be)?\s*\]/.exec(this.text.slice(this.i));
    if (!m) this.fail("expecting `LEN]`, `LENle]` or `LENbe]`");
    this.i += m[0].length;
    const lenBits = Number(m[1]);
    const order = m[2] ?? this.byteOrder;
    if (order === undefined) this.fail("fixed-length number without a byte order (use `!le`/`!be`)");
    if (lenBits === 0 || lenBits % 8 !== 0 || lenBits > 64) this.fail(`unsupported length: ${lenBits} bits`);
    const bytes = [];
    if (typeof value === "number") {
      if (lenBits !== 32 && lenBits !== 64) this.fail("a floating point number needs 32 or 64 bits");
      const dv = new DataView(new ArrayBuffer(8));
      if (lenBits === 32) dv.setFloat32(0, value, false);
      else dv.setFloat64(0, value, false);
      for (let k = 0; k < lenBits / 8; k++) bytes.push(dv.getUint8(k));
    } else {
      const lim = 1n << BigInt(lenBits);
      if (value >= lim || value < -(lim >> 1n)) this.fail(`value ${value} does not fit in ${lenBits} bits`);
      let v = BigInt.asUintN(lenBits, value);
      for (let k = 0; k < lenBits / 8; k++) {
        bytes.unshift(Number(v & 0xffn));
        v >>= 8n;
      }
    }
    if (order === "le") bytes.reverse();
    out.push(...bytes);
  }

  alignment(out) {
    this.i++;
    const m = /^([0-9]+)(?:\s*~\s*(0x[0-9a-fA-F]+|\$?[0-9]+))?/.exec(this.text.slice(this.i));
    if (!m) this.fail("expecting an alignment in bits after `@`");
    this.i += m[0].length;
    const alignBits = Number(m[1]);
    if (alignBits === 0 || alignBits % 8 !== 0) this.fail(`unsupported alignment: ${alignBits} bits`);
    const fill = m[2] === undefined ? 0 : Number(m[2].replace("$", "")) & 0xff;
    while ((out.length * 8) % alignBits !== 0) out.push(fill);
  }

  // Expressions, with Python's precedence: | ^ & (<< >>) (+ -) (* // %) unary ** atom.
  // Integers are bigints; any float operand makes the result a float.
  expr() {
    return this.binary(0);
  }

  binary(level) {
    const LEVELS = [["|"], ["^"], ["&"], ["<<", ">>"], ["+", "-"], ["*", "//", "/", "%"]];
    if (level === LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      this.skipSpace();
      const op = LEVELS[level].find((o) => this.text.startsWith(o, this.i) && !this.text.startsWith("**", this.i));
      if (op === undefined) return left;
      this.i += op.length;
      const right = this.binary(level + 1);
      left = this.apply(op, left, right);
    }
  }

  unary() {
    this.skipSpace();
    const c = this.text[this.i];
    if (c === "-" || c === "+" || c === "~") {
      this.i++;
      const v = this.unary();
      if (c === "-") return -v;
      if (c === "+") return v;
      if (typeof v !== "bigint") this.fail("`~` needs an integer");
      return ~v;
    }
    return this.power();
  }

  power() {
    const base = this.atom();
    this.skipSpace();
    if (!this.text.startsWith("**", this.i)) return base;
    this.i += 2;
    const exp = this.unary();
    return this.apply("**", base, exp);
  }

  atom() {
    this.skipSpace();
    const rest = this.text.slice(this.i);
    if (rest[0] === "(") {
      this.i++;
      const v = this.expr();
      this.skipSpace();
      if (this.text[this.i] !== ")") this.fail("missing `)` in expression");
      this.i++;
      return v;
    }
    let m = /^0[xX][0-9a-fA-F_]+|^0[oO][0-7_]+|^0[bB][01_]+/.exec(rest);
    if (m) {
      this.i += m[0].length;
      return BigInt(m[0].replaceAll("_", ""));
    }
    m = /^(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*|[0-9][0-9_]*)(?:[eE][+-]?[0-9]+)?/.exec(rest);
    if (m) {
      this.i += m[0].length;
      const s = m[0].replaceAll("_", "");
      return /[.eE]/.test(s) ? Number(s) : BigInt(s);
    }
    this.fail("expecting a number in expression");
  }

  apply(op, a, b) {
    if (typeof a === "bigint" && typeof b === "bigint") {
      switch (op) {
        case "|":
          return a | b;
        case "^":
          return a ^ b;
        case "&":
          return a & b;
        case "<<":
          return a << b;
        case ">>":
          return a >> b;
        case "+":
          return a + b;
        case "-":
          return a - b;
        case "*":
          return a * b;
        case "/":
          return Number(a) / Number(b);
        case "//":
        case "%": {
          if (b === 0n) this.fail("division by zero");
          // Python floors; BigInt truncates.
          let q = a / b;
          if (a % b !== 0n && a < 0n !== b < 0n) q -= 1n;
          return op === "//" ? q : a - q * b;
        }
        case "**":
          return b < 0n ? Number(a) ** Number(b) : a ** b;
      }
    }
    if (["|", "^", "&", "<<", ">>"].includes(op)) this.fail(`\`${op}\` needs integers`);
    const x = Number(a);
    const y = Number(b);
    switch (op) {
      case "+":
        return x + y;
      case "-":
        return x - y;
      case "*":
        return x * y;
      case "/":
        return x / y;
      case "//":
        return Math.floor(x / y);
      case "%":
        return x - Math.floor(x / y) * y;
      case "**":
        return x ** y;
    }
    this.fail(`unknown operator \`${op}\``);
  }
}
