/**
 * The fewest bits a field of a class can take in a data stream (alignment padding aside, which
 * only adds). Decoders use it to reject an array or sequence length that cannot fit in what is
 * left of the packet before allocating anything for it; classes that may take no bits at all
 * (empty structures, sequences, some variants) give 0, and then no length is rejected early.
 */
import type { FieldClass } from "../model.js";

export function minSizeBits(fc: FieldClass): number {
  switch (fc.kind) {
    case "int":
      return fc.varLen ? 8 : fc.sizeBits;
    case "float":
      return fc.sizeBits;
    case "string":
      return 8;
    case "struct": {
      let n = 0;
      for (const m of fc.members) n += minSizeBits(m.fc);
      return n;
    }
    case "array":
      return fc.isText || fc.isBlob ? fc.length * 8 : fc.length * minSizeBits(fc.element);
    case "sequence":
    case "optional":
      return 0;
    case "variant": {
      let n = Number.POSITIVE_INFINITY;
      for (const o of fc.options) n = Math.min(n, minSizeBits(o.fc));
      return Number.isFinite(n) ? n : 0;
    }
  }
}
