/**
 * LTTng's intermediate representation and the checks lttng-tools 2.13 runs on
 * it, in its order and with its messages: IR generation
 * (filter-visitor-generate-ir.c), string validation, globbing validation.
 *
 * Post-order like LTTng: the first error printed is the one LTTng prints.
 */
import type { BinaryOperator, Node, UnaryOperator } from "./ast.js";
import { FilterSyntaxError, FilterTypeError } from "./errors.js";
import { isStarAtEndOnlyGlobPattern, isStarGlobPattern, normalizeStarGlobPattern } from "./glob.js";

/** `IR_DATA_*`: what LTTng knows about a value before the event is known. */
export type IrDataType = "string" | "numeric" | "float" | "expression";

/** How a string literal compares: plain/star-at-end (legacy prefix) or full star-glob. */
export type StringLiteralType = "plain" | "glob-star-end" | "glob-star";

/** Where a reference starts. */
export type ReferenceRoot = "payload" | "context" | "app-context";

export interface IrReference {
  root: ReferenceRoot;
  /** Symbols after the root (`$ctx.` excluded), with their constant indexes. */
  links: Array<{ name: string; indexes: bigint[] }>;
}

export type IrNode =
  | { op: "load-string"; dataType: "string"; value: string; stringType: StringLiteralType }
  | { op: "load-numeric"; dataType: "numeric"; value: bigint }
  | { op: "load-float"; dataType: "float"; value: number }
  | { op: "load-reference"; dataType: "expression"; ref: IrReference }
  | { op: "unary"; dataType: IrDataType; operator: UnaryOperator; operand: IrNode }
  | { op: "binary"; dataType: "numeric"; operator: BinaryOperator; left: IrNode; right: IrNode }
  | { op: "logical"; dataType: "numeric"; operator: "&&" | "||"; left: IrNode; right: IrNode };

function irError(message: string): FilterTypeError {
  return new FilterTypeError(`Invalid filter expression: ${message}`, {
    diagnostics: [`[error] ${message}`, "Generate IR error"],
  });
}

function stringType(value: string): StringLiteralType {
  if (!isStarGlobPattern(value)) return "plain";
  return isStarAtEndOnlyGlobPattern(value) ? "glob-star-end" : "glob-star";
}

function makeReference(node: Extract<Node, { kind: "reference" }>): IrReference {
  const links = node.links;
  const first = links[0]!;
  let root: ReferenceRoot = "payload";
  let start = 0;
  if (first.name === "$ctx" || first.name === "$app") {
    root = first.name === "$ctx" ? "context" : "app-context";
    // LTTng skips the root node itself, brackets included.
    if (links.length < 2) throw irError(`Expecting identifier after '${first.name}'`);
    start = 1;
  } else if (first.name.startsWith("$")) {
    throw irError(`Unexpected identifier '${first.name}'`);
  }
  const out: IrReference = { root, links: [] };
  for (let i = start; i < links.length; i++) {
    const link = links[i]!;
    const indexes: bigint[] = [];
    for (const index of link.indexes) {
      if (index.kind !== "integer" || index.parenthesized) {
        throw irError("Expecting constant index in array expression");
      }
      indexes.push(index.value);
    }
    out.links.push({ name: link.name, indexes });
  }
  return out;
}

const COMPARISONS = new Set<BinaryOperator>(["==", "!=", "<", ">", "<=", ">="]);

function generateLeaf(node: Exclude<Node, { kind: "unary" | "binary" }>): IrNode {
  switch (node.kind) {
    case "integer":
      return { op: "load-numeric", dataType: "numeric", value: node.value };
    case "float":
      return { op: "load-float", dataType: "float", value: node.value };
    case "string":
      return { op: "load-string", dataType: "string", value: node.value, stringType: stringType(node.value) };
    case "reference":
      return { op: "load-reference", dataType: "expression", ref: makeReference(node) };
  }
}

function makeUnary(node: Extract<Node, { kind: "unary" }>, operand: IrNode): IrNode {
  let ir = operand;
  for (let i = node.operators.length - 1; i >= 0; i--) {
    const operator = node.operators[i]!;
    if (ir.dataType === "string") throw irError(`unary operation '${operator}' not allowed on string literal`);
    ir = { op: "unary", dataType: ir.dataType, operator, operand: ir };
  }
  return ir;
}

function makeBinary(op: BinaryOperator, left: IrNode, right: IrNode): IrNode {
  if (op === "&&" || op === "||") {
    if (left.dataType === "string" || right.dataType === "string") {
      throw irError(`logical binary operation '${op}' cannot have string operand`);
    }
    return { op: "logical", dataType: "numeric", operator: op, left, right };
  }
  if (COMPARISONS.has(op)) {
    const ls = left.dataType === "string";
    const rs = right.dataType === "string";
    const ln = left.dataType === "numeric" || left.dataType === "float";
    const rn = right.dataType === "numeric" || right.dataType === "float";
    if ((ls && rn) || (ln && rs)) throw irError(`binary operation '${op}' operand type mismatch`);
    return { op: "binary", dataType: "numeric", operator: op, left, right };
  }
  if (left.dataType === "string" || right.dataType === "string") {
    throw irError(`bitwise binary operation '${op}' cannot have string operand`);
  }
  if (left.dataType === "float" || right.dataType === "float") {
    throw irError(`bitwise binary operation '${op}' cannot have floating point operand`);
  }
  return { op: "binary", dataType: "numeric", operator: op, left, right };
}

/**
 * generate_ir_recursive(), as an explicit post-order walk: `a|a|a|…` within
 * 64 KiB is a left-deep tree 20000 levels deep.
 */
function generate(root: Node): IrNode {
  type Work = { node: Node; visited: boolean };
  const work: Work[] = [{ node: root, visited: false }];
  const results: IrNode[] = [];
  while (work.length > 0) {
    const item = work[work.length - 1]!;
    const node = item.node;
    if (node.kind === "binary") {
      if (!item.visited) {
        const op = node.operator;
        if (op === "*" || op === "/" || op === "%" || op === "+" || op === "-") {
          throw irError(`make_op: binary operation '${op}' not supported`);
        }
        item.visited = true;
        work.push({ node: node.right, visited: false }, { node: node.left, visited: false });
        continue;
      }
      work.pop();
      const right = results.pop()!;
      const left = results.pop()!;
      results.push(makeBinary(node.operator, left, right));
    } else if (node.kind === "unary") {
      if (!item.visited) {
        item.visited = true;
        work.push({ node: node.operand, visited: false });
        continue;
      }
      work.pop();
      results.push(makeUnary(node, results.pop()!));
    } else {
      work.pop();
      results.push(generateLeaf(node));
    }
  }
  return results[0]!;
}

function forEachPreOrder(root: IrNode, visit: (node: IrNode) => void): void {
  const stack: IrNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    if (node.op === "unary") stack.push(node.operand);
    else if (node.op === "binary" || node.op === "logical") stack.push(node.right, node.left);
  }
}

function validateString(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) === 92) {
      const next = value.charCodeAt(i + 1);
      if (next !== 92 && next !== 42) return false;
      i++;
    }
  }
  return true;
}

/**
 * Runs LTTng's IR generation and validation passes on a parsed expression.
 * Throws {@link FilterTypeError} (or {@link FilterSyntaxError} for bad
 * escapes, which LTTng reports without "Generate IR error").
 */
export function checkFilter(ast: Node): IrNode {
  const ir = generate(ast);
  if (ir.dataType === "string") throw irError("String cannot be root data type");
  // make_op_root() lists the data types it accepts; IR_DATA_FLOAT is not one of them.
  if (ir.dataType === "float") throw irError("Unknown root child data type");
  forEachPreOrder(ir, (node) => {
    if (node.op === "load-string" && node.stringType !== "plain") node.value = normalizeStarGlobPattern(node.value);
  });
  forEachPreOrder(ir, (node) => {
    if (node.op === "load-string" && !validateString(node.value)) {
      throw new FilterSyntaxError("Invalid filter expression: unsupported escape character in string literal", {
        diagnostics: ["Unsupported escape character detected."],
      });
    }
  });
  forEachPreOrder(ir, (node) => {
    if (node.op !== "binary") return;
    const { left, right } = node;
    const ls = left.op === "load-string" ? left.stringType : undefined;
    const rs = right.op === "load-string" ? right.stringType : undefined;
    if (ls !== undefined && rs !== undefined) {
      if ((ls === "glob-star" && rs !== "plain") || (rs === "glob-star" && ls !== "plain")) {
        throw globError("Cannot compare two globbing patterns");
      }
    }
    if ((ls === "glob-star" || rs === "glob-star") && node.operator !== "==" && node.operator !== "!=") {
      throw globError("Only the `==` and `!=` operators are allowed with a globbing pattern");
    }
  });
  return ir;
}

function globError(message: string): FilterTypeError {
  return new FilterTypeError(`Invalid filter expression: ${message}`, { diagnostics: [`[error] ${message}`] });
}
