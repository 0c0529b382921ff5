/**
 * The size LTTng's filter bytecode would have, to enforce its 64 KiB limit
 * exactly (filter-visitor-generate-bytecode.c and bytecode.c in lttng-tools
 * 2.13): a filter whose bytecode or relocation table outgrows
 * LTTNG_FILTER_MAX_LEN is rejected even though it parses.
 *
 * Only sizes are computed; ttng never executes LTTng bytecode.
 */
import { FilterSyntaxError } from "./errors.js";
import type { IrNode, IrReference } from "./ir.js";

/** `LTTNG_FILTER_MAX_LEN`. */
export const FILTER_MAX_LEN = 65536;
/** `sizeof(struct lttng_bytecode)`: len, reloc_table_offset, seqnum. */
const BYTECODE_HEADER_BYTES = 16;

class TooLarge extends Error {}

export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** The legacy symbol LTTng relocates (`a.b`, `$ctx.vpid`), or undefined when an index forces the new path. */
export function legacySymbol(ref: IrReference): string | undefined {
  if (ref.links.some((l) => l.indexes.length > 0)) return undefined;
  const prefix = ref.root === "context" ? "$ctx." : ref.root === "app-context" ? "$app." : "";
  return prefix + ref.links.map((l) => l.name).join(".");
}

/**
 * Total bytes of the bytecode LTTng would send (header included), or throws
 * {@link FilterSyntaxError} with LTTng's messages when a limit is exceeded.
 */
export function bytecodeSize(root: IrNode): number {
  let len = 0;
  let relocLen = 0;
  const push = (n: number): void => {
    if (len + n > FILTER_MAX_LEN) throw new TooLarge();
    len += n;
  };
  const pushReloc = (n: number): void => {
    if (relocLen + n > FILTER_MAX_LEN) throw new TooLarge();
    relocLen += n;
  };
  const pushSymbol = (symbol: string): void => {
    if (len > FILTER_MAX_LEN - 1) throw new TooLarge();
    push(3);
    pushReloc(2);
    pushReloc(utf8Length(symbol) + 1);
  };
  const castIfNeeded = (node: IrNode): void => {
    if (node.dataType === "expression" || node.dataType === "float") push(1);
  };
  // Post-order walk with an explicit stack: unary chains can be 10^4 deep.
  type Work = { node: IrNode; phase: number };
  const stack: Work[] = [{ node: root, phase: 0 }];
  try {
    while (stack.length > 0) {
      const work = stack[stack.length - 1]!;
      const node = work.node;
      switch (node.op) {
        case "load-string":
          push(1 + utf8Length(node.value) + 1);
          stack.pop();
          break;
        case "load-numeric":
        case "load-float":
          push(9);
          stack.pop();
          break;
        case "load-reference": {
          const symbol = legacySymbol(node.ref);
          if (symbol !== undefined) pushSymbol(symbol);
          else {
            push(1);
            for (const link of node.ref.links) {
              pushSymbol(link.name);
              for (let i = 0; i < link.indexes.length; i++) push(9);
            }
            push(1);
          }
          stack.pop();
          break;
        }
        case "unary":
          if (work.phase === 0) {
            work.phase = 1;
            stack.push({ node: node.operand, phase: 0 });
          } else {
            if (node.operator !== "+") push(1);
            stack.pop();
          }
          break;
        case "binary":
          if (work.phase === 0) {
            work.phase = 1;
            stack.push({ node: node.right, phase: 0 }, { node: node.left, phase: 0 });
          } else {
            push(1);
            stack.pop();
          }
          break;
        case "logical":
          if (work.phase === 0) {
            work.phase = 1;
            stack.push({ node: node.left, phase: 0 });
          } else if (work.phase === 1) {
            castIfNeeded(node.left);
            push(3);
            work.phase = 2;
            stack.push({ node: node.right, phase: 0 });
          } else {
            castIfNeeded(node.right);
            stack.pop();
          }
          break;
      }
    }
    push(1); // RETURN
    push(relocLen);
  } catch (e) {
    if (!(e instanceof TooLarge)) throw e;
    throw new FilterSyntaxError("Invalid filter expression: bytecode exceeds 65536 bytes", {
      diagnostics: ["Generate bytecode error"],
    });
  }
  const total = len + BYTECODE_HEADER_BYTES;
  if (total > FILTER_MAX_LEN) {
    throw new FilterSyntaxError("Invalid filter expression: bytecode exceeds 65536 bytes", { diagnostics: [] });
  }
  return total;
}
