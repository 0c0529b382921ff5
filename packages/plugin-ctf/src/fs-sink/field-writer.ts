/**
 * Serializers of trace IR field values for the classes of the output
 * model: each class compiles once into a closure, so writing an event
 * does no dispatch on field kinds. Values are the graph's plain values
 * (structures as arrays indexed by slot, integers as numbers or bigints,
 * byte strings, `VariantValue`s, `undefined` for an empty option).
 */
import type { OutFieldClass, OutStruct, PacketWriter, VariantValue } from "@ttng/ctf";

export type FieldWriter = (w: PacketWriter, v: unknown) => void;

/** Compiles the writer of `fc`'s values; `alignStruct` false skips a structure's own alignment (packet context). */
export function compileWriter(fc: OutFieldClass, alignStruct = true): FieldWriter {
  switch (fc.kind) {
    case "int": {
      const size = fc.sizeBits;
      const align = fc.alignBits;
      if (fc.origin === "bool") return (w, v) => w.writeBits(0, v ? 1 : 0, size, align);
      return (w, v) => w.writeInt(v as number | bigint, size, align);
    }
    case "float": {
      const align = fc.alignBits;
      if (fc.sizeBits === 32) return (w, v) => w.writeFloat32(v as number, align);
      return (w, v) => w.writeFloat64(v as number, align);
    }
    case "string":
      return (w, v) => w.writeString(v as string);
    case "struct":
      return compileStruct(fc, alignStruct);
    case "array": {
      const el = compileWriter(fc.element);
      const n = fc.length;
      const align = fc.alignBits;
      // Readers align an array to its element's alignment even when it is empty (CTF 1.8 §4.2.3);
      // babeltrace2 2.0.4's writer does not, and its empty arrays after odd-sized fields read back shifted.
      return (w, v) => {
        w.align(align);
        const arr = v as unknown[];
        for (let i = 0; i < n; i++) el(w, arr[i]);
      };
    }
    case "sequence": {
      const el = compileWriter(fc.element);
      const align = fc.alignBits;
      if (fc.lengthBefore) {
        return (w, v) => {
          const arr = v as unknown[];
          w.writeBits(0, arr.length, 32, 8);
          w.align(align);
          for (let i = 0; i < arr.length; i++) el(w, arr[i]);
        };
      }
      return (w, v) => {
        w.align(align);
        const arr = v as unknown[];
        for (let i = 0; i < arr.length; i++) el(w, arr[i]);
      };
    }
    case "blob": {
      const n = fc.length;
      if (n !== undefined) return (w, v) => w.writeBytes(v as Uint8Array, n);
      if (fc.lengthBefore) {
        return (w, v) => {
          const b = v as Uint8Array;
          w.writeBits(0, b.length, 32, 8);
          w.writeBytes(b, b.length);
        };
      }
      return (w, v) => {
        const b = v as Uint8Array;
        w.writeBytes(b, b.length);
      };
    }
    case "option": {
      const content = compileWriter(fc.content);
      return (w, v) => {
        const has = v !== undefined && v !== null;
        w.writeBits(0, has ? 1 : 0, 8, 8);
        if (has) content(w, v);
      };
    }
    case "variant": {
      const opts = fc.options.map((o) => compileWriter(o.fc));
      if (fc.tagBefore) {
        return (w, v) => {
          const vv = v as VariantValue;
          w.writeBits(0, vv.option, 16, 8);
          opts[vv.option]!(w, vv.value);
        };
      }
      return (w, v) => {
        const vv = v as VariantValue;
        opts[vv.option]!(w, vv.value);
      };
    }
  }
}

function compileStruct(fc: OutStruct, alignStruct: boolean): FieldWriter {
  const writers = fc.members.map((m) => compileWriter(m.fc));
  const slots = fc.members.map((m) => m.slot);
  const n = writers.length;
  const align = alignStruct ? fc.alignBits : 1;
  return (w, v) => {
    w.align(align);
    const arr = v as unknown[];
    for (let i = 0; i < n; i++) writers[i]!(w, arr[slots[i]!]);
  };
}
