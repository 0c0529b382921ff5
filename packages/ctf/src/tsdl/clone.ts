/** Deep copy of a field class: each use of a type alias gets its own instance (per-field flags live on it). */
import type { FieldClass, NamedFC } from "../model.js";

function cloneNamed(n: NamedFC): NamedFC {
  return { name: n.name, origName: n.origName, fc: cloneFc(n.fc) };
}

export function cloneFc(fc: FieldClass): FieldClass {
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
      return { ...fc, members: fc.members.map(cloneNamed) };
    case "array":
    case "sequence":
      return { ...fc, element: cloneFc(fc.element) };
    case "variant":
      return { ...fc, options: fc.options.map(cloneNamed), ranges: [] };
  }
}
