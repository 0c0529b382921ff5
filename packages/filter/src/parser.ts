/**
 * Parser for the LTTng filter language (lttng-tools 2.13 `filter-parser.y`).
 *
 * LTTng's precedence is not C's: after unary `+ - ! ~` come `* / %`, `+ -`,
 * `<< >>`, `&`, `^`, `|`, then `< <= > >=`, `== !=`, `&&`, `||`. All binary
 * operators are left-associative. Field references chain with `.` and `->`;
 * `[ … ]` holds a unary expression (LTTng later demands a bare constant).
 *
 * The parser is an operator-precedence machine with explicit stacks instead of
 * recursive descent, so a 64 KiB expression of nested parentheses cannot
 * overflow the JS stack. It also counts the symbols Bison would hold on its
 * LR stack, because Bison gives up at YYMAXDEPTH (10000 states) with
 * "memory exhausted" and LTTng reports that as a parse error.
 *
 * Errors are detected at the same token as Bison (an LR parser never shifts
 * an erroneous token), and the semantic errors raised while reducing a token
 * (`ESCSEQ` in a literal, constants sscanf cannot read) fire in token order.
 */
import type { BinaryOperator, Node, ReferenceNode, UnaryOperator } from "./ast.js";
import { FilterSyntaxError } from "./errors.js";
import { type Token, tokenize } from "./lexer.js";
import { scanDecimal, scanFloat, scanHex, scanOctal } from "./literals.js";

const YYMAXDEPTH = 10000;

const PRECEDENCE: Readonly<Record<string, number>> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 4,
  ">": 4,
  "<=": 4,
  ">=": 4,
  "|": 5,
  "^": 6,
  "&": 7,
  "<<": 8,
  ">>": 8,
  "+": 9,
  "-": 9,
  "*": 10,
  "/": 10,
  "%": 10,
};

const UNARY = new Set(["+", "-", "!", "~"]);

interface Frame {
  kind: "top" | "paren" | "bracket";
  /** Pending `left op` pairs, precedence strictly increasing. */
  pending: Array<{ left: Node; op: BinaryOperator }>;
  /** Unary operators waiting for the current operand, outermost first. */
  unary: UnaryOperator[];
  /** Bracket frames: the reference being indexed. */
  ref?: ReferenceNode;
  /** Symbols this frame holds on Bison's stack. */
  symbols: number;
}

function syntaxError(): FilterSyntaxError {
  return new FilterSyntaxError("Cannot parse filter expression: syntax error", {
    diagnostics: ["error syntax error", "Parse error"],
  });
}

function parseError(what: string): FilterSyntaxError {
  // filter-parser.y's parse_error() appends "\n" to a message yyerror() also ends with one.
  return new FilterSyntaxError(`Cannot parse filter expression: ${what}`, {
    diagnostics: [`error parse error: ${what}`, "", "Parse error"],
  });
}

function exhausted(): FilterSyntaxError {
  return new FilterSyntaxError("Cannot parse filter expression: nesting too deep (memory exhausted)", {
    diagnostics: ["error memory exhausted", "Parse error"],
  });
}

/** Symbols a reference chain occupies before it is reduced. */
function chainSymbols(ref: ReferenceNode): number {
  const last = ref.links[ref.links.length - 1];
  return (ref.links.length > 1 ? 2 : 0) + 1 + 3 * (last?.indexes.length ?? 0);
}

function applyUnary(ops: UnaryOperator[], operand: Node): Node {
  if (ops.length === 0) return operand;
  if (operand.kind === "unary") {
    // Flattening keeps IR depth bounded for `!!!!…x` and `-(-(-x))`.
    return { kind: "unary", operators: [...ops, ...operand.operators], operand: operand.operand };
  }
  return { kind: "unary", operators: ops.slice(), operand };
}

/** Symbols removed by reductions since the caller last read it. */
const reducedSymbols = { count: 0 };

function reduceTo(frame: Frame, operand: Node, minPrecedence: number): Node {
  let right = operand;
  while (frame.pending.length > 0) {
    const top = frame.pending[frame.pending.length - 1]!;
    if ((PRECEDENCE[top.op] ?? 0) < minPrecedence) break;
    frame.pending.pop();
    frame.symbols -= 2;
    reducedSymbols.count += 2;
    right = { kind: "binary", operator: top.op, left: top.left, right };
  }
  return right;
}

/**
 * Parses `text` into an AST, or throws {@link FilterSyntaxError} with the
 * messages LTTng prints for the same input.
 *
 * @example
 * parseFilter("a & 1 == 1"); // (a & 1) == 1
 */
export function parseFilter(text: string): Node {
  const tokens = tokenize(text);
  const at = { pos: 0 };
  try {
    return parseTokens(tokens, at);
  } catch (e) {
    // Where the parser stopped: the token it could not take (LTTng prints no position).
    if (e instanceof FilterSyntaxError && e.offset === undefined) e.offset = tokens[Math.max(0, at.pos - 1)]?.offset;
    throw e;
  }
}

function parseTokens(tokens: Token[], at: { pos: number }): Node {
  const frames: Frame[] = [{ kind: "top", pending: [], unary: [], symbols: 0 }];
  let stackSymbols = 0; // sum of frames' symbols
  let pos = 0;
  let operand: Node | undefined;
  let ref: ReferenceNode | undefined; // operand is a reference chain still open to `[`, `.`, `->`

  const shift = (extra: number): void => {
    // 1 for Bison's initial state, `extra` for what is above the frames, 1 for the token.
    if (1 + stackSymbols + extra + 1 >= YYMAXDEPTH) throw exhausted();
  };
  const frame = (): Frame => frames[frames.length - 1]!;
  const addSymbols = (f: Frame, n: number): void => {
    f.symbols += n;
    stackSymbols += n;
  };
  const finishOperand = (f: Frame): Node => {
    let node = applyUnary(f.unary, operand!);
    stackSymbols -= f.unary.length;
    f.symbols -= f.unary.length;
    f.unary = [];
    reducedSymbols.count = 0;
    node = reduceTo(f, node, 0);
    stackSymbols -= reducedSymbols.count;
    return node;
  };

  for (;;) {
    const tok: Token = tokens[pos++]!;
    at.pos = pos;
    const f = frame();
    if (operand === undefined) {
      // Expecting an operand.
      if (tok.kind === "PUNCT" && UNARY.has(tok.text)) {
        shift(0);
        f.unary.push(tok.text as UnaryOperator);
        addSymbols(f, 1);
        continue;
      }
      if (tok.kind === "PUNCT" && tok.text === "(") {
        shift(0);
        frames.push({ kind: "paren", pending: [], unary: [], symbols: 0 });
        addSymbols(frame(), 1);
        continue;
      }
      const operandKinds = ["DEC", "OCT", "HEX", "FLOAT", "STRING", "IDENT", "GLOBAL_IDENT"];
      if (!operandKinds.includes(tok.kind)) throw syntaxError();
      shift(0);
      switch (tok.kind) {
        case "DEC":
        case "OCT":
        case "HEX": {
          const value =
            tok.kind === "DEC" ? scanDecimal(tok.text) : tok.kind === "OCT" ? scanOctal(tok.text) : scanHex(tok.text);
          if (value === undefined) {
            throw parseError(
              `cannot scanf ${tok.kind === "DEC" ? "decimal" : tok.kind === "OCT" ? "octal" : "hexadecimal"} constant`,
            );
          }
          operand = { kind: "integer", value };
          break;
        }
        case "FLOAT":
          operand = { kind: "float", value: scanFloat(tok.text) };
          break;
        case "STRING":
          if (tok.escseq) throw parseError("escape sequences not supported yet");
          if (!tok.terminated || (tok.charConst && tok.text === "")) throw syntaxError();
          operand = { kind: "string", value: tok.text };
          break;
        case "IDENT":
        case "GLOBAL_IDENT":
          ref = { kind: "reference", links: [{ name: tok.text, indexes: [] }] };
          operand = ref;
          break;
        default:
          throw syntaxError();
      }
      continue;
    }
    // Expecting an operator (or a continuation of a reference chain).
    if (ref !== undefined && tok.kind === "PUNCT" && tok.text === "[") {
      shift(chainSymbols(ref));
      frames.push({ kind: "bracket", pending: [], unary: [], ref, symbols: 0 });
      addSymbols(frame(), chainSymbols(ref) + 1);
      operand = undefined;
      ref = undefined;
      continue;
    }
    if (ref !== undefined && tok.kind === "PUNCT" && (tok.text === "." || tok.text === "->")) {
      shift(1);
      const next = tokens[pos++]!;
      at.pos = pos;
      if (next.kind !== "IDENT" && next.kind !== "GLOBAL_IDENT") throw syntaxError();
      shift(2);
      ref.links.push({ name: next.text, indexes: [] });
      continue;
    }
    if (tok.kind === "PUNCT" && PRECEDENCE[tok.text] !== undefined) {
      if (f.kind === "bracket") throw syntaxError();
      const prec = PRECEDENCE[tok.text]!;
      let node = applyUnary(f.unary, operand);
      stackSymbols -= f.unary.length;
      f.symbols -= f.unary.length;
      f.unary = [];
      reducedSymbols.count = 0;
      node = reduceTo(f, node, prec);
      stackSymbols -= reducedSymbols.count;
      shift(1);
      f.pending.push({ left: node, op: tok.text as BinaryOperator });
      addSymbols(f, 2);
      operand = undefined;
      ref = undefined;
      continue;
    }
    if (tok.kind === "PUNCT" && tok.text === ")") {
      if (f.kind !== "paren") throw syntaxError();
      const node = finishOperand(f);
      shift(1);
      frames.pop();
      stackSymbols -= f.symbols;
      node.parenthesized = true;
      operand = node;
      ref = undefined;
      continue;
    }
    if (tok.kind === "PUNCT" && tok.text === "]") {
      if (f.kind !== "bracket") throw syntaxError();
      const node = finishOperand(f);
      shift(1);
      frames.pop();
      stackSymbols -= f.symbols;
      ref = f.ref!;
      ref.links[ref.links.length - 1]!.indexes.push(node);
      operand = ref;
      continue;
    }
    if (tok.kind === "EOF") {
      if (f.kind !== "top") throw syntaxError();
      return finishOperand(f);
    }
    throw syntaxError();
  }
}
