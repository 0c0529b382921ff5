/**
 * Lexer for the LTTng filter language: a transcription of lttng-tools 2.13's
 * `src/common/filter/filter-lexer.l` with flex's rules (longest match; on a
 * tie, the rule listed first wins) and its start conditions for comments,
 * strings and character constants.
 *
 * It is not a C lexer: `:` is an identifier character, `'…'` is a string,
 * and the only thing inside a literal that is not a plain character is the
 * literal word `ESCSEQ` (a flex rule written without braces). Quirks are kept
 * on purpose because the parser's error messages depend on them.
 *
 * Linear time: every rule is tried only where its first character can start
 * it, and each token is scanned once.
 */

export type TokenKind =
  | "IDENT"
  | "GLOBAL_IDENT"
  | "DEC"
  | "OCT"
  | "HEX"
  | "FLOAT"
  | "STRING"
  | "PUNCT"
  | "ERROR"
  | "EOF";

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for STRING: the characters between the quotes). */
  text: string;
  /** Offset of the token in the expression. */
  offset: number;
  /** STRING only: the literal contained the word `ESCSEQ`. */
  escseq?: boolean;
  /** STRING only: the closing quote was found before the end of input. */
  terminated?: boolean;
  /** STRING only: single-quoted (a character constant). */
  charConst?: boolean;
}

const PUNCTUATORS = [
  "...",
  "->",
  ">>",
  "<<",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  ":=",
  "[",
  "]",
  "(",
  ")",
  "{",
  "}",
  "*",
  "+",
  "-",
  "%",
  "/",
  "<",
  ">",
  "!",
  ":",
  ";",
  ".",
  "=",
  ",",
  "^",
  "&",
  "|",
  "~",
];

// Each regex is a flex rule; alternatives are ordered so that JS's
// first-alternative-wins gives flex's longest match.
const IS = "(?:[uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?";
const NUMBER_RULES: Array<[TokenKind, RegExp]> = [
  ["HEX", new RegExp(`0[xX][0-9a-fA-F]+${IS}`, "y")],
  ["OCT", new RegExp(`0[0-7]*${IS}`, "y")],
  ["DEC", new RegExp(`[1-9][0-9]*${IS}`, "y")],
  ["FLOAT", /[0-9]+[Ee][+-]?[0-9]+[fFlL]?/y],
  ["FLOAT", /[0-9]*\.[0-9]+(?:[Ee][+-]?[0-9]+)?[fFlL]?/y],
  ["FLOAT", /[0-9]+\.[0-9]*(?:[Ee][+-]?[0-9]+)?[fFlL]?/y],
  ["FLOAT", /0[xX][0-9a-fA-F]+[Pp][+-]?[0-9]+[fFlL]?/y],
  ["FLOAT", /0[xX][0-9a-fA-F]*\.[0-9a-fA-F]+(?:[Pp][+-]?[0-9]+)?[fFlL]?/y],
  ["FLOAT", /0[xX][0-9a-fA-F]+\.[0-9a-fA-F]*(?:[Pp][+-]?[0-9]+)?[fFlL]?/y],
];
const IDENT_RE =
  /(?:[a-zA-Z_:]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})(?:[a-zA-Z_:0-9]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*/y;

function matchLength(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  const m = re.exec(text);
  return m === null ? 0 : m[0].length;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Splits `text` into tokens the way LTTng's flex scanner does. Never throws:
 * characters no rule accepts become `ERROR` tokens, which the parser turns
 * into LTTng's `syntax error`.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    // [ \t\n]+ is skipped; any other control character is an ERROR token.
    if (c === 32 || c === 9 || c === 10) {
      i++;
      continue;
    }
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      // `[^\n]*\n`; without a newline flex's default rule echoes the rest,
      // which produces no token either.
      const end = text.indexOf("\n", i + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }
    let quote = 0;
    let start = i;
    if (c === 34 || c === 39) {
      quote = c;
      start = i + 1;
    } else if (c === 76 /* L */ && (text.charCodeAt(i + 1) === 34 || text.charCodeAt(i + 1) === 39)) {
      quote = text.charCodeAt(i + 1);
      start = i + 2;
    }
    if (quote !== 0) {
      let j = start;
      let value = "";
      let escseq = false;
      let terminated = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === quote) {
          terminated = true;
          break;
        }
        if (d === 69 /* E */ && text.startsWith("ESCSEQ", j)) {
          escseq = true;
          j += 6;
          continue;
        }
        if (d !== 10) value += text[j];
        j++;
      }
      const tok: Token = { kind: "STRING", text: value, offset: i, escseq, terminated, charConst: quote === 39 };
      tokens.push(tok);
      i = terminated ? j + 1 : n;
      continue;
    }
    if (isDigit(c) || c === 46 /* . */) {
      let bestLen = 0;
      let bestKind: TokenKind = "PUNCT";
      for (const [kind, re] of NUMBER_RULES) {
        const len = matchLength(re, text, i);
        if (len > bestLen) {
          bestLen = len;
          bestKind = kind;
        }
      }
      if (c === 46) {
        const len = text.startsWith("...", i) ? 3 : 1;
        if (len > bestLen) {
          bestLen = len;
          bestKind = "PUNCT";
        }
      }
      tokens.push({ kind: bestKind, text: text.slice(i, i + bestLen), offset: i });
      i += bestLen;
      continue;
    }
    if (c === 36 /* $ */) {
      const len = matchLength(IDENT_RE, text, i + 1);
      if (len > 0) {
        tokens.push({ kind: "GLOBAL_IDENT", text: text.slice(i, i + 1 + len), offset: i });
        i += 1 + len;
      } else {
        tokens.push({ kind: "ERROR", text: "$", offset: i });
        i++;
      }
      continue;
    }
    const identLen = matchLength(IDENT_RE, text, i);
    let punct = "";
    for (const p of PUNCTUATORS) {
      if (text.startsWith(p, i)) {
        punct = p;
        break;
      }
    }
    // Punctuators are listed before IDENTIFIER in the .l file: they win ties (`:`).
    if (identLen > punct.length) {
      tokens.push({ kind: "IDENT", text: text.slice(i, i + identLen), offset: i });
      i += identLen;
    } else if (punct.length > 0) {
      tokens.push({ kind: "PUNCT", text: punct, offset: i });
      i += punct.length;
    } else {
      tokens.push({ kind: "ERROR", text: text[i] ?? "", offset: i });
      i++;
    }
  }
  tokens.push({ kind: "EOF", text: "", offset: n });
  return tokens;
}
