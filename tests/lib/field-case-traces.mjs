// Babeltrace's CTF 2 field cases (`field-cases/ctf-2-*.mp`) as trace directories, and the plain
// value a decoded field reads as. The same construction as tests/field-cases.test.mjs (which
// documents it): aliases, one data stream class, one event record class whose payload holds
// `root`; a `data` file with one packet of one event record, no header nor context.
import { readFileSync } from "node:fs";

/** Splits a `.mp` case into its parts (each starts with a `---` line). */
export function caseParts(path) {
  const out = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (/^---\s*$/.test(line)) out.push([]);
    else if (out.length > 0) out[out.length - 1].push(line);
  }
  return out.map((p) => p.join("\n"));
}

/** The CTF 2 metadata of a case whose field class is the JSON `fieldClassText`. */
export function ctf2CaseMetadata(fieldClassText) {
  const frags = [{ type: "preamble", version: 2 }];
  const alias = (name, fc) => frags.push({ type: "field-class-alias", name, "field-class": fc });
  const orders = [
    ["", "little-endian"],
    ["le", "little-endian"],
    ["be", "big-endian"],
  ];
  for (const signed of [false, true]) {
    for (const length of [8, 16, 32, 64]) {
      for (const [suffix, bo] of orders) {
        alias(`${signed ? "i" : "u"}${length}${suffix}`, {
          type: `fixed-length-${signed ? "signed" : "unsigned"}-integer`,
          length,
          "byte-order": bo,
          alignment: 8,
        });
      }
    }
  }
  for (const length of [32, 64]) {
    for (const [suffix, bo] of orders) {
      alias(`flt${length}${suffix}`, {
        type: "fixed-length-floating-point-number",
        length,
        "byte-order": bo,
        alignment: 8,
      });
    }
  }
  for (const enc of ["utf-8", "utf-16be", "utf-16le", "utf-32be", "utf-32le"]) {
    alias(`nt-str-${enc}`, { type: "null-terminated-string", encoding: enc });
  }
  frags.push({ type: "trace-class" });
  frags.push({ type: "data-stream-class" });
  frags.push({
    type: "event-record-class",
    name: "the_event",
    "payload-field-class": {
      type: "structure",
      "member-classes": [{ name: "root", "field-class": JSON.parse(fieldClassText) }],
    },
  });
  return frags.map((f) => `\x1e${JSON.stringify(f)}\n`).join("");
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A decoded value (as source.ctf.fs hands it over) as a plain, comparable value (kinds kept). */
export function plainValue(fc, v) {
  switch (fc.kind) {
    case "int":
      return { int: BigInt(v), base: fc.base, signed: fc.signed };
    case "real":
      return { real: v, single: fc.single };
    case "string":
      return utf8.decode(Uint8Array.from(v, (c) => c.charCodeAt(0)));
    case "struct":
      return Object.fromEntries(fc.members.map((m) => [m.name, plainValue(m.fc, v[m.slot])]));
    case "static-array":
    case "dynamic-array":
      return { [fc.kind]: v.map((e) => plainValue(fc.element, e)) };
    case "variant":
      return { option: fc.options[v.option].name, value: plainValue(fc.options[v.option].fc, v.value) };
    case "bool":
      return { bool: Boolean(v) };
    case "bit-array":
      return { bits: BigInt(v), length: fc.length, flags: fc.flags?.map((f) => f.label) ?? [] };
    case "blob":
      return { blob: Array.from(v) };
    case "option":
      return { option: v === null ? null : plainValue(fc.content, v) };
    default:
      throw new Error(`unexpected field class kind: ${fc.kind}`);
  }
}
