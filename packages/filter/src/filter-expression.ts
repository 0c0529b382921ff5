/**
 * The front door: text in, a checked filter expression out, accepting and
 * rejecting exactly what `lttng enable-event --filter` 2.13 accepts and rejects.
 */
import type { Node } from "./ast.js";
import { bytecodeSize, FILTER_MAX_LEN, utf8Length } from "./bytecode-size.js";
import { FilterSyntaxError } from "./errors.js";
import { checkFilter, type IrNode } from "./ir.js";
import { parseFilter } from "./parser.js";

/** A filter expression that LTTng would accept. */
export interface FilterExpression {
  /** The text as given (up to a NUL, which ends a C string). */
  readonly text: string;
  readonly ast: Node;
  /** LTTng's IR after its checks (glob literals normalized). */
  readonly ir: IrNode;
  /** Size of the bytecode LTTng would generate, header included. */
  readonly bytecodeBytes: number;
}

/**
 * Parses and checks a filter expression.
 *
 * @throws {FilterSyntaxError} for lexical/syntax errors and size limits
 * @throws {FilterTypeError} for expressions LTTng's checks reject
 * @example
 * const f = parseFilterExpression('name == "a*b*c" && (arr[2] & 0xF) == 0x3');
 */
export function parseFilterExpression(text: string): FilterExpression {
  const nul = text.indexOf("\0");
  const source = nul < 0 ? text : text.slice(0, nul);
  if (source === "") {
    throw new FilterSyntaxError("Invalid filter expression: empty", {
      diagnostics: [],
      lttngError: "Invalid parameter",
    });
  }
  // lttng-ctl refuses before parsing: strnlen(expr, LTTNG_FILTER_MAX_LEN) == LTTNG_FILTER_MAX_LEN.
  if (source.length >= FILTER_MAX_LEN || utf8Length(source) >= FILTER_MAX_LEN) {
    throw new FilterSyntaxError(`Invalid filter expression: longer than ${FILTER_MAX_LEN - 1} bytes`, {
      diagnostics: [],
    });
  }
  const ast = parseFilter(source);
  const ir = checkFilter(ast);
  const bytecodeBytes = bytecodeSize(ir);
  return { text: source, ast, ir, bytecodeBytes };
}
