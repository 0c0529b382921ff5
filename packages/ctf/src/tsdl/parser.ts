/**
 * TSDL recursive-descent parser (CTF 1.8 §7.3). Produces the AST of
 * `ast.ts`; every syntax error names the metadata line, as babeltrace2 does.
 */
import type { AstDeclarator, AstEntry, AstEnumerator, AstLength, AstTypeSpec, AstValue } from "./ast.js";
import { Lexer, metadataError, type Token } from "./lexer.js";

const BLOCKS = new Set(["trace", "env", "clock", "stream", "event", "callsite"]);
/** C type keywords that combine into one type name (`unsigned long`). */
const C_TYPE_WORDS = new Set([
  "const",
  "char",
  "double",
  "float",
  "int",
  "long",
  "short",
  "signed",
  "unsigned",
  "void",
  "_Bool",
  "_Complex",
  "_Imaginary",
]);
/** Words that start a type specifier and can never be a type name. */
const TYPE_KEYWORDS = new Set(["integer", "floating_point", "string", "enum", "struct", "variant"]);
/** Reserved words (CTF 1.8 §7.2.1) that cannot be type names or declarators (writers escape them too). */
export const TSDL_RESERVED_WORDS: ReadonlySet<string> = new Set([
  "align",
  "callsite",
  "const",
  "char",
  "clock",
  "double",
  "enum",
  "env",
  "event",
  "floating_point",
  "float",
  "integer",
  "int",
  "long",
  "short",
  "signed",
  "stream",
  "string",
  "struct",
  "trace",
  "typealias",
  "typedef",
  "unsigned",
  "variant",
  "void",
  "_Bool",
  "_Complex",
  "_Imaginary",
]);

const MAX_DEPTH = 200;

class Parser {
  /** The lookahead: tokens from the lexer, a batch at a time; consumed ones are dropped. */
  private toks: Token[] = [];
  private pos = 0;
  private more = true;
  private depth = 0;
  constructor(private readonly lexer: Lexer) {}

  private peek(offset = 0): Token {
    if (this.pos + offset >= this.toks.length && this.more) this.refill(offset);
    return this.toks[Math.min(this.pos + offset, this.toks.length - 1)]!;
  }
  private refill(offset: number): void {
    if (this.pos >= 1024) {
      this.toks = this.toks.slice(this.pos);
      this.pos = 0;
    }
    while (this.more && this.pos + offset >= this.toks.length)
      this.more = this.lexer.fill(this.toks, this.pos + offset + 256);
  }
  private next(): Token {
    const t = this.peek();
    // The last token is `eof`: the parser stays on it.
    if (t.kind !== "eof") this.pos++;
    return t;
  }
  private isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "punct" && t.text === text;
  }
  private isIdent(text?: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "ident" && (text === undefined || t.text === text);
  }
  private fail(t: Token = this.peek()): never {
    const what = t.kind === "eof" ? "end of file" : `token="${t.text}"`;
    throw metadataError(t.line, `syntax error, unexpected ${what}`);
  }
  private expectPunct(text: string): Token {
    if (!this.isPunct(text)) this.fail();
    return this.next();
  }
  private expectIdent(): Token {
    if (!this.isIdent()) this.fail();
    return this.next();
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw metadataError(this.peek().line, "metadata nesting is too deep");
  }
  private leave(): void {
    this.depth--;
  }

  parseTop(): AstEntry[] {
    const entries: AstEntry[] = [];
    while (this.peek().kind !== "eof") {
      if (this.isPunct(";")) {
        this.next();
        continue;
      }
      entries.push(this.parseEntry(true));
    }
    return entries;
  }

  /** Entries until the closing `}` (consumed). */
  private parseBody(): AstEntry[] {
    this.enter();
    const entries: AstEntry[] = [];
    while (!this.isPunct("}")) {
      if (this.peek().kind === "eof") this.fail();
      if (this.isPunct(";")) {
        this.next();
        continue;
      }
      entries.push(this.parseEntry(false));
    }
    this.next();
    this.leave();
    return entries;
  }

  private parseEntry(top: boolean): AstEntry {
    const t = this.peek();
    if (t.kind === "ident") {
      if (t.text === "typealias") return this.parseTypealias();
      if (t.text === "typedef") {
        this.next();
        const type = this.parseTypeSpec();
        const declarators = this.parseDeclarators(false);
        this.expectPunct(";");
        return { k: "typedef", type, declarators, line: t.line };
      }
      if (top && BLOCKS.has(t.text) && this.isPunct("{", 1)) {
        this.next();
        this.next();
        const body = this.parseBody();
        this.expectPunct(";");
        return { k: "block", kind: t.text as "trace", body, line: t.line };
      }
      const assign = this.tryAssignment();
      if (assign) return assign;
    }
    const type = this.parseTypeSpec();
    const declarators = this.isPunct(";") ? [] : this.parseDeclarators(false);
    this.expectPunct(";");
    return { k: "field", type, declarators, line: t.line };
  }

  /** `a.b.c = value;` or `a.b := type;` when the lookahead says so. */
  private tryAssignment(): AstEntry | undefined {
    let k = 0;
    const parts: string[] = [];
    while (true) {
      const t = this.peek(k);
      if (t.kind !== "ident") return undefined;
      parts.push(t.text);
      k++;
      if (this.isPunct(".", k) || this.isPunct("->", k)) {
        k++;
        continue;
      }
      break;
    }
    const op = this.peek(k);
    if (op.kind !== "punct" || (op.text !== "=" && op.text !== ":=")) return undefined;
    const line = this.peek().line;
    this.pos += k + 1;
    const left = parts.join(".");
    if (op.text === "=") {
      const value = this.parseValue();
      this.expectPunct(";");
      return { k: "assign", left, value, line };
    }
    const type = this.parseTypeSpec();
    let declarator: AstDeclarator | undefined;
    if (!this.isPunct(";")) declarator = this.parseDeclarator(true);
    this.expectPunct(";");
    return { k: "typeassign", left, type, declarator, line };
  }

  private parseValue(): AstValue {
    // Unary signs in a loop, not by recursion: `------...1` must not overflow the stack.
    let sign: Token | undefined;
    let negate = false;
    let t = this.next();
    while (t.kind === "punct" && (t.text === "-" || t.text === "+")) {
      sign = t;
      if (t.text === "-") negate = !negate;
      t = this.next();
    }
    if (sign === undefined) return this.parsePrimaryValue(t);
    const v = this.parsePrimaryValue(t);
    if (v.k === "int") return negate ? { ...v, negative: !v.negative } : v;
    if (v.k === "float") return negate ? { ...v, value: -v.value } : v;
    this.fail(sign);
  }

  private parsePrimaryValue(t: Token): AstValue {
    switch (t.kind) {
      case "int":
        return { k: "int", value: t.value, big: t.big, negative: false, text: t.text, line: t.line };
      case "float":
        return { k: "float", value: t.value, line: t.line };
      case "string":
      case "char":
        return { k: "string", value: t.text, line: t.line };
      case "ident": {
        const parts = [t.text];
        while (this.isPunct(".") || this.isPunct("->")) {
          this.next();
          parts.push(this.expectIdent().text);
        }
        return { k: "path", parts, line: t.line };
      }
      default:
        this.fail(t);
    }
  }

  private parseTypealias(): AstEntry {
    const line = this.next().line;
    const target = this.parseTypeSpec();
    let targetDecl: AstDeclarator | undefined;
    if (!this.isPunct(":=")) targetDecl = this.parseDeclarator(true);
    this.expectPunct(":=");
    const words: string[] = [];
    while (this.isIdent()) words.push(this.next().text);
    if (words.length === 0) this.fail();
    // `typealias ... := name[...]` or pointers are not meaningful in CTF.
    if (!this.isPunct(";")) this.fail();
    this.next();
    return { k: "typealias", target, targetDecl, alias: words.join(" "), line };
  }

  private parseAttrsBlock(): AstEntry[] {
    this.expectPunct("{");
    const attrs = this.parseBody();
    for (const a of attrs) {
      if (a.k !== "assign" && a.k !== "typeassign") throw metadataError(a.line, "syntax error, expecting attribute");
    }
    return attrs;
  }

  parseTypeSpec(): AstTypeSpec {
    const t = this.peek();
    if (t.kind !== "ident") this.fail();
    switch (t.text) {
      case "integer":
        this.next();
        return { k: "integer", attrs: this.parseAttrsBlock(), line: t.line };
      case "floating_point":
        this.next();
        return { k: "floating_point", attrs: this.parseAttrsBlock(), line: t.line };
      case "string":
        this.next();
        return { k: "string", attrs: this.isPunct("{") ? this.parseAttrsBlock() : undefined, line: t.line };
      case "enum":
        return this.parseEnum();
      case "struct":
        return this.parseStruct();
      case "variant":
        return this.parseVariant();
    }
    const words: string[] = [];
    while (this.isIdent() && C_TYPE_WORDS.has(this.peek().text)) words.push(this.next().text);
    if (words.length === 0) {
      if (TSDL_RESERVED_WORDS.has(t.text) || TYPE_KEYWORDS.has(t.text)) this.fail();
      words.push(this.next().text);
    }
    return { k: "named", name: words.join(" "), line: t.line };
  }

  private parseEnum(): AstTypeSpec {
    const line = this.next().line;
    this.enter();
    let name: string | undefined;
    if (this.isIdent()) name = this.next().text;
    let container: AstTypeSpec | undefined;
    if (this.isPunct(":")) {
      this.next();
      container = this.parseTypeSpec();
    }
    let enumerators: AstEnumerator[] | undefined;
    if (this.isPunct("{")) {
      this.next();
      enumerators = [];
      while (!this.isPunct("}")) {
        const lt = this.next();
        if (lt.kind !== "ident" && lt.kind !== "string") this.fail(lt);
        let lo: AstValue | undefined;
        let hi: AstValue | undefined;
        if (this.isPunct("=")) {
          this.next();
          lo = this.parseValue();
          if (this.isPunct("...")) {
            this.next();
            hi = this.parseValue();
          }
        }
        enumerators.push({ label: lt.text, lo, hi, line: lt.line });
        if (this.isPunct(",")) this.next();
        else if (!this.isPunct("}")) this.fail();
      }
      this.next();
    }
    this.leave();
    if (name === undefined && enumerators === undefined) this.fail();
    return { k: "enum", name, container, enumerators, line };
  }

  private parseStruct(): AstTypeSpec {
    const line = this.next().line;
    let name: string | undefined;
    if (this.isIdent() && !this.isIdent("align")) name = this.next().text;
    let body: AstEntry[] | undefined;
    if (this.isPunct("{")) {
      this.next();
      body = this.parseBody();
    }
    let align: AstValue | undefined;
    if (this.isIdent("align") && this.isPunct("(", 1)) {
      this.next();
      this.next();
      align = this.parseValue();
      this.expectPunct(")");
    }
    if (name === undefined && body === undefined) this.fail();
    return { k: "struct", name, body, align, line };
  }

  private parseVariant(): AstTypeSpec {
    const line = this.next().line;
    let name: string | undefined;
    if (this.isIdent()) name = this.next().text;
    let tag: string | undefined;
    if (this.isPunct("<")) {
      this.next();
      const parts = [this.expectIdent().text];
      while (this.isPunct(".") || this.isPunct("->")) {
        this.next();
        parts.push(this.expectIdent().text);
      }
      this.expectPunct(">");
      tag = parts.join(".");
    }
    let body: AstEntry[] | undefined;
    if (this.isPunct("{")) {
      this.next();
      body = this.parseBody();
    }
    if (name === undefined && body === undefined) this.fail();
    return { k: "variant", name, tag, body, line };
  }

  private parseDeclarators(abstract: boolean): AstDeclarator[] {
    const out = [this.parseDeclarator(abstract)];
    while (this.isPunct(",")) {
      this.next();
      out.push(this.parseDeclarator(abstract));
    }
    return out;
  }

  private parseDeclarator(abstract: boolean): AstDeclarator {
    const line = this.peek().line;
    let pointer = false;
    while (this.isPunct("*")) {
      this.next();
      pointer = true;
      while (this.isIdent("const")) this.next();
    }
    let name: string | undefined;
    if (this.isIdent()) {
      name = this.next().text;
    } else if (!abstract) {
      this.fail();
    }
    const lengths: AstLength[] = [];
    while (this.isPunct("[")) {
      this.next();
      const t = this.peek();
      if (t.kind === "int") {
        this.next();
        lengths.push({ k: "int", value: t.value, line: t.line });
      } else if (t.kind === "ident") {
        const parts = [this.next().text];
        while (this.isPunct(".") || this.isPunct("->")) {
          this.next();
          parts.push(this.expectIdent().text);
        }
        lengths.push({ k: "path", path: parts.join("."), line: t.line });
      } else {
        this.fail();
      }
      this.expectPunct("]");
    }
    return { name, lengths, pointer, line };
  }
}

/** Parses TSDL text into top-level entries. */
export function parseTsdl(text: string): AstEntry[] {
  return new Parser(new Lexer(text)).parseTop();
}
