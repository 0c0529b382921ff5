/**
 * Abstract syntax tree of a filter expression, as produced by the parser
 * (the shape of lttng-tools' `struct filter_node`, flattened where LTTng's
 * later passes see no difference: unary chains are one node, parentheses a flag).
 */

export type BinaryOperator =
  | "||"
  | "&&"
  | "=="
  | "!="
  | "<"
  | ">"
  | "<="
  | ">="
  | "|"
  | "^"
  | "&"
  | "<<"
  | ">>"
  | "+"
  | "-"
  | "*"
  | "/"
  | "%";

export type UnaryOperator = "+" | "-" | "!" | "~";

interface NodeBase {
  /** Written inside `( )`; matters only where LTTng demands a bare constant (`a[(1)]`). */
  parenthesized?: boolean;
}

/** Integer literal: the unsigned 64-bit value LTTng's sscanf produced. */
export interface IntegerNode extends NodeBase {
  kind: "integer";
  value: bigint;
}

export interface FloatNode extends NodeBase {
  kind: "float";
  value: number;
}

/** `"…"` or `'…'`: the raw characters between the quotes (escapes kept). */
export interface StringNode extends NodeBase {
  kind: "string";
  value: string;
}

/** One link of a field reference chain: `name[index]…`. */
export interface ReferenceLink {
  name: string;
  /** Bracket contents as parsed; LTTng checks later that each is a bare constant. */
  indexes: Node[];
}

/** `a.b->c[1]`, `$ctx.vpid`, `$app.prov:name`. */
export interface ReferenceNode extends NodeBase {
  kind: "reference";
  links: ReferenceLink[];
}

export interface UnaryNode extends NodeBase {
  kind: "unary";
  /** Outermost operator first. */
  operators: UnaryOperator[];
  operand: Node;
}

export interface BinaryNode extends NodeBase {
  kind: "binary";
  operator: BinaryOperator;
  left: Node;
  right: Node;
}

export type Node = IntegerNode | FloatNode | StringNode | ReferenceNode | UnaryNode | BinaryNode;
