/**
 * Which stored values (sequence lengths, variant tags) a run of scopes reads
 * before it has certainly written them itself. Decoding those scopes again
 * later (lazy event fields) gives the same values only if these slots hold
 * what they held the first time: the caller snapshots exactly them.
 */
import type { FieldClass, StructFC } from "../model.js";

/** Slots that `scopes`, decoded in order, may read before writing them; sorted. */
export function storedReadsBeforeWrites(scopes: ReadonlyArray<StructFC | undefined>): number[] {
  const written = new Set<number>();
  const needed = new Set<number>();
  const walk = (fc: FieldClass, w: Set<number>): void => {
    switch (fc.kind) {
      case "int":
        if (fc.storingIndex >= 0) w.add(fc.storingIndex);
        return;
      case "float":
      case "string":
        return;
      case "struct":
        for (const m of fc.members) walk(m.fc, w);
        return;
      case "array":
      case "sequence": {
        if (fc.kind === "sequence") {
          const slot = fc.lengthFc?.storingIndex ?? -1;
          if (!w.has(slot)) needed.add(slot);
        }
        // Elements may not be decoded at all (length 0): what they write is not certain after them.
        walk(fc.element, new Set(w));
        return;
      }
      case "optional": {
        const slot = fc.selectorFc?.storingIndex ?? -1;
        if (!w.has(slot)) needed.add(slot);
        walk(fc.content, new Set(w));
        return;
      }
      case "variant": {
        const slot = fc.tagFc?.storingIndex ?? -1;
        if (!w.has(slot)) needed.add(slot);
        for (const o of fc.options) walk(o.fc, new Set(w));
        return;
      }
    }
  };
  for (const s of scopes) if (s) walk(s, written);
  return [...needed].filter((s) => s >= 0).sort((a, b) => a - b);
}
