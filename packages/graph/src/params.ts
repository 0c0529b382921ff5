/**
 * Babeltrace's `--params` grammar: `KEY=VALUE[,KEY=VALUE]...` where VALUE
 * is null (`null`, `nul`, `NULL`), a boolean (`true`/`TRUE`/`yes`/`YES`,
 * `false`/`FALSE`/`no`/`NO`), an integer (decimal, `0x` hex, `0` octal,
 * `0b` binary; signed unless prefixed with `+`), a real, a double-quoted
 * string (`\"` and `\\` escapes), an unquoted string, an array `[...]` or a
 * map `{...}`.
 */
import { TtngError } from "@ttng/base";
import { type MapValue, type Value, vArray, vBool, vMap, vNull, vReal, vSint, vString, vUint } from "./value.js";

function fail(text: string, at: number, what: string): never {
  throw new TtngError("ERR_PARAMS", `Cannot parse parameters: ${what} at position ${at + 1}: ${JSON.stringify(text)}`);
}

class ParamsParser {
  i = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }
  key(): string {
    this.ws();
    const m = /^[A-Za-z0-9_:.\-]+/.exec(this.s.slice(this.i));
    if (!m) fail(this.s, this.i, "expecting a key");
    this.i += m[0].length;
    return m[0];
  }
  map(end: string | undefined): MapValue {
    const out = vMap();
    this.ws();
    if (end && this.s[this.i] === end) {
      this.i++;
      return out;
    }
    while (true) {
      const k = this.key();
      this.ws();
      if (this.s[this.i] !== "=") fail(this.s, this.i, "expecting `=`");
      this.i++;
      out.entries.set(k, this.value());
      this.ws();
      const c = this.s[this.i];
      if (c === ",") {
        this.i++;
        continue;
      }
      if (end === undefined && c === undefined) return out;
      if (end !== undefined && c === end) {
        this.i++;
        return out;
      }
      fail(this.s, this.i, "expecting `,`");
    }
  }
  value(): Value {
    this.ws();
    const c = this.s[this.i];
    if (c === "[") {
      this.i++;
      const items: Value[] = [];
      this.ws();
      if (this.s[this.i] === "]") {
        this.i++;
        return vArray(items);
      }
      while (true) {
        items.push(this.value());
        this.ws();
        if (this.s[this.i] === ",") {
          this.i++;
          continue;
        }
        if (this.s[this.i] === "]") {
          this.i++;
          return vArray(items);
        }
        fail(this.s, this.i, "expecting `,` or `]`");
      }
    }
    if (c === "{") {
      this.i++;
      return this.map("}");
    }
    if (c === '"') {
      let j = this.i + 1;
      let out = "";
      while (j < this.s.length && this.s[j] !== '"') {
        if (this.s[j] === "\\" && (this.s[j + 1] === '"' || this.s[j + 1] === "\\")) j++;
        out += this.s[j];
        j++;
      }
      if (j >= this.s.length) fail(this.s, this.i, "unterminated string");
      this.i = j + 1;
      return vString(out);
    }
    const m = /^[^,\]}\s]*/.exec(this.s.slice(this.i))!;
    const tok = m[0];
    if (tok === "") fail(this.s, this.i, "expecting a value");
    this.i += tok.length;
    return scalar(tok);
  }
}

function scalar(tok: string): Value {
  switch (tok) {
    case "null":
    case "nul":
    case "NULL":
      return vNull;
    case "true":
    case "TRUE":
    case "yes":
    case "YES":
      return vBool(true);
    case "false":
    case "FALSE":
    case "no":
    case "NO":
      return vBool(false);
  }
  const im = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(tok);
  if (im) {
    const sign = im[1];
    const body = im[2]!;
    let v: bigint;
    if (/^0[xXbB]/.test(body)) v = BigInt(body.toLowerCase());
    else if (body.length > 1 && body[0] === "0") v = BigInt(`0o${body.slice(1)}`);
    else v = BigInt(body);
    if (sign === "+") return vUint(v);
    return vSint(sign === "-" ? -v : v);
  }
  if (/^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/.test(tok)) return vReal(Number.parseFloat(tok));
  return vString(tok);
}

/**
 * Parses a `--params` argument into a map value.
 *
 * @example
 * parseParams('clock-gmt=yes,step=+100') // map { clock-gmt: true, step: 100 (unsigned) }
 */
export function parseParams(text: string): MapValue {
  const p = new ParamsParser(text);
  p.ws();
  if (p.i >= text.length) return vMap();
  return p.map(undefined);
}
