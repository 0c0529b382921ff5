/**
 * TSDL lexer (CTF 1.8 §7.2 lexical conventions).
 *
 * Turns metadata text into tokens with line numbers. The text is a "byte
 * string": each char code is one byte of the metadata stream (read as
 * latin1), so bytes pass through to printed names unchanged. This is not a C
 * preprocessor: there are no macros; comments are skipped.
 */
import { FormatError } from "@ttng/base";

export type TokenKind = "ident" | "int" | "float" | "string" | "char" | "punct" | "eof";

export interface Token {
  kind: TokenKind;
  /** Identifier name, punctuator, or the literal's decoded text. */
  text: string;
  /** For `int` tokens: the value as a bigint-free pair (exact when `big` is undefined). */
  value: number;
  /** For `int` tokens whose value exceeds 2^53: the decimal digits, exact. */
  big: bigint | undefined;
  line: number;
}

/** The one-character punctuators, indexed by character code. */
const PUNCT1_BY_CODE: Array<string | undefined> = new Array(128).fill(undefined);
for (const p of "{}[]()<>;,=:.*+-~!&|^?/%") PUNCT1_BY_CODE[p.charCodeAt(0)] = p;

export function metadataError(line: number, message: string): FormatError {
  return new FormatError("ERR_METADATA_SYNTAX", `At line ${line} in metadata stream: ${message}`, {
    actor: "source.ctf.fs",
  });
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

const U64_MAX = (1n << 64n) - 1n;

/** Tokenizes the whole text; throws a `FormatError` with the line on bad input. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const lexer = new Lexer(text);
  while (lexer.fill(tokens, Number.POSITIVE_INFINITY)) {
    // Until the eof token.
  }
  return tokens;
}

/**
 * The tokens of a text a batch at a time, for a parser that keeps only its lookahead: the
 * tokens of a large metadata text (a kernel trace's) then die young instead of all surviving
 * until the end of the parse. A lexing error is thrown when the tokens before it are used up.
 */
export class Lexer {
  private i = 0;
  private line = 1;
  private ended = false;
  /** A lexing error met after some tokens of a batch: thrown by the next `fill`. */
  private pending: unknown = undefined;

  constructor(private readonly text: string) {}

  /**
   * Appends tokens to `tokens` until it holds `upTo` of them or the text ends (then an `eof`
   * token, once). Returns false once the `eof` token has been appended.
   */
  fill(tokens: Token[], upTo: number): boolean {
    if (this.ended) return false;
    if (this.pending !== undefined) throw this.pending;
    const start = tokens.length;
    const text = this.text;
    let i = this.i;
    let line = this.line;
    const n = text.length;
    const push = (kind: TokenKind, t: string, value = 0, big: bigint | undefined = undefined) =>
      tokens.push({ kind, text: t, value, big, line });
    try {
      while (i < n && tokens.length < upTo) {
        const c = text.charCodeAt(i);
        if (c === 10) {
          line++;
          i++;
          continue;
        }
        if (c === 32 || c === 9 || c === 13 || c === 11 || c === 12) {
          i++;
          continue;
        }
        if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
          const end = text.indexOf("*/", i + 2);
          if (end < 0) throw metadataError(line, "Unterminated comment");
          for (let k = i; k < end; k++) if (text.charCodeAt(k) === 10) line++;
          i = end + 2;
          continue;
        }
        if (c === 47 && text.charCodeAt(i + 1) === 47) {
          while (i < n && text.charCodeAt(i) !== 10) i++;
          continue;
        }
        if (isIdentStart(c)) {
          let j = i + 1;
          while (j < n && isIdentPart(text.charCodeAt(j))) j++;
          push("ident", text.slice(i, j));
          i = j;
          continue;
        }
        if (isDigit(c)) {
          i = lexNumber(text, i, line, push);
          continue;
        }
        if (c === 34 /* " */ || c === 39 /* ' */) {
          const startLine = line;
          let j = i + 1;
          let out = "";
          while (true) {
            if (j >= n) throw metadataError(startLine, "Unterminated string literal");
            const d = text.charCodeAt(j);
            if (d === c) break;
            if (d === 10) line++;
            if (d === 92 /* \ */) {
              const [s, next] = unescapeAt(text, j + 1, startLine);
              out += s;
              j = next;
              continue;
            }
            out += text[j];
            j++;
          }
          push(c === 34 ? "string" : "char", out);
          i = j + 1;
          continue;
        }
        // Punctuators by character code: no substring per token.
        if (c === 46 && text.charCodeAt(i + 1) === 46 && text.charCodeAt(i + 2) === 46) {
          push("punct", "...");
          i += 3;
          continue;
        }
        const d = text.charCodeAt(i + 1);
        const two =
          c === 58 && d === 61
            ? ":="
            : c === 45 && d === 62
              ? "->"
              : c === 60 && d === 60
                ? "<<"
                : c === 62 && d === 62
                  ? ">>"
                  : undefined;
        if (two !== undefined) {
          push("punct", two);
          i += 2;
          continue;
        }
        const one = c < 128 ? PUNCT1_BY_CODE[c] : undefined;
        if (one !== undefined) {
          push("punct", one);
          i++;
          continue;
        }
        throw metadataError(line, `syntax error, unexpected character: char=\`${printable(text[i]!)}\``);
      }
    } catch (e) {
      // The tokens before the error first: a parser stopping at a syntax error there reports it,
      // as babeltrace2's (which lexes as it parses) does.
      if (tokens.length === start) throw e;
      this.pending = e;
      return true;
    } finally {
      this.i = i;
      this.line = line;
    }
    if (i < n) return true;
    tokens.push({ kind: "eof", text: "", value: 0, big: undefined, line });
    this.ended = true;
    return false;
  }
}

function printable(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 32 || code >= 127 ? `\\x${code.toString(16).padStart(2, "0")}` : ch;
}

function unescapeAt(text: string, j: number, line: number): [string, number] {
  const e = text[j];
  switch (e) {
    case "n":
      return ["\n", j + 1];
    case "t":
      return ["\t", j + 1];
    case "r":
      return ["\r", j + 1];
    case "a":
      return ["\x07", j + 1];
    case "b":
      return ["\b", j + 1];
    case "f":
      return ["\f", j + 1];
    case "v":
      return ["\v", j + 1];
    case "\\":
    case "'":
    case '"':
    case "?":
      return [e, j + 1];
    case "x": {
      let k = j + 1;
      while (k < text.length && k < j + 3 && /[0-9a-fA-F]/.test(text[k]!)) k++;
      if (k === j + 1) throw metadataError(line, "Invalid hexadecimal escape sequence");
      return [String.fromCharCode(Number.parseInt(text.slice(j + 1, k), 16)), k];
    }
    default:
      if (e !== undefined && e >= "0" && e <= "7") {
        let k = j;
        while (k < text.length && k < j + 3 && text[k]! >= "0" && text[k]! <= "7") k++;
        return [String.fromCharCode(Number.parseInt(text.slice(j, k), 8) & 0xff), k];
      }
      if (e === undefined) throw metadataError(line, "Unterminated string literal");
      return [e, j + 1];
  }
}

function lexNumber(
  text: string,
  i: number,
  line: number,
  push: (kind: TokenKind, t: string, value?: number, big?: bigint) => void,
): number {
  const n = text.length;
  let j = i;
  let base = 10;
  let digits: string;
  if (text[i] === "0" && (text[i + 1] === "x" || text[i + 1] === "X")) {
    base = 16;
    j = i + 2;
    while (j < n && isHexDigit(text.charCodeAt(j))) j++;
    digits = text.slice(i + 2, j);
  } else {
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    // A decimal point or exponent makes it a float (only used in unknown attributes).
    if (text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) {
      let k = j + 1;
      while (k < n && isDigit(text.charCodeAt(k))) k++;
      if (text[k] === "e" || text[k] === "E") {
        k++;
        if (text[k] === "+" || text[k] === "-") k++;
        while (k < n && isDigit(text.charCodeAt(k))) k++;
      }
      const t = text.slice(i, k);
      push("float", t, Number.parseFloat(t));
      return k;
    }
    digits = text.slice(i, j);
    if (digits.length > 1 && digits[0] === "0") {
      base = 8;
      if (/[89]/.test(digits)) throw metadataError(line, `Invalid octal constant: text="${digits}"`);
      digits = digits.slice(1);
    }
  }
  // C integer suffixes.
  while (j < n) {
    const s = text.charCodeAt(j);
    if (s !== 117 && s !== 85 && s !== 108 && s !== 76) break; // u U l L
    j++;
  }
  if (j < n && isIdentPart(text.charCodeAt(j))) {
    let k = j;
    while (k < n && isIdentPart(text.charCodeAt(k))) k++;
    throw metadataError(line, `syntax error, invalid constant: token="${text.slice(i, k)}"`);
  }
  const literal = text.slice(i, j);
  if (digits === "") digits = "0";
  // Up to 13 digits in any of these bases (16^13 = 2^52), the value is exact as a number.
  if (digits.length <= 13) {
    push("int", literal, Number.parseInt(digits, base));
    return j;
  }
  const prefix = base === 16 ? "0x" : base === 8 ? "0o" : "";
  const big = BigInt(prefix + digits);
  if (big > U64_MAX) {
    throw metadataError(line, `Cannot parse constant integer: base=${base}, text="${literal}"`);
  }
  if (big <= BigInt(Number.MAX_SAFE_INTEGER)) push("int", literal, Number(big));
  else push("int", literal, Number(big), big);
  return j;
}
