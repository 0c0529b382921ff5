/** Deep copy of a field class: each use of a type alias gets its own instance (per-field flags live on it). */
import { FormatError } from "@ttng/base";
import type { FieldClass, NamedFC } from "../model.js";

/**
 * Deepest field class a copy accepts. Chains of type aliases (or named structures, or array
 * dimensions) nest without the parser seeing any nesting; without a bound they would cost
 * quadratic memory here and overflow the stack in every recursive walk after.
 */
export const MAX_FIELD_CLASS_DEPTH = 1000;

function cloneNamed(n: NamedFC, depth: number): NamedFC {
  return { name: n.name, origName: n.origName, fc: cloneFc(n.fc, depth) };
}

export function cloneFc(fc: FieldClass, depth = 0): FieldClass {
  if (depth > MAX_FIELD_CLASS_DEPTH) {
    throw new FormatError(
      "ERR_METADATA",
      `Field class nesting is too deep: more than ${MAX_FIELD_CLASS_DEPTH} levels (chained type aliases, named structures or array dimensions)`,
      { actor: "source.ctf.fs" },
    );
  }
  switch (fc.kind) {
    case "int":
      return {
        ...fc,
        mappings: fc.mappings?.map((m) => ({ label: m.label, ranges: m.ranges.map((r) => [r[0], r[1]]) })),
      };
    case "float":
    case "string":
      return { ...fc };
    case "struct":
      return { ...fc, members: fc.members.map((m) => cloneNamed(m, depth + 1)) };
    case "array":
    case "sequence":
      return { ...fc, element: cloneFc(fc.element, depth + 1) };
    case "variant":
      return { ...fc, options: fc.options.map((o) => cloneNamed(o, depth + 1)), ranges: [] };
    case "optional":
      return { ...fc, content: cloneFc(fc.content, depth + 1) };
  }
}
