// A tiny YAML-subset reader for the expected values of Babeltrace's field-decoding cases (the text
// its test sink prints). Not a YAML implementation: block maps and block lists by indentation,
// `- key: value` list items holding maps, `-` alone followed by an indented block, and scalars.
//
// Scalars:
//   "text"                  a string (escapes \\ \" \n \t \0 \xHH \uHHHH); 'text' too ('' is a quote)
//   42  -7                  an integer: a bigint, so 64-bit values stay exact
//   0x2a  0o52  0b101010    an integer with a display base: { base: 16 | 8 | 2, value: bigint }
//   1.500000  -2.5e3        a float: a number
//   ∅  {}  []               an empty structure or array: EMPTY
//   [1, 0, 1]               a flow list of scalars (bit arrays)
//   ~  null                 null
//   anything else           a plain string

/** Stands for an empty structure or array (Babeltrace prints both as `∅`). */
export const EMPTY = Symbol("empty");

/**
 * Parses `text` into plain values.
 * @param {string} text
 */
export function parseYaml(text) {
  const lines = [];
  for (const raw of text.split("\n")) {
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) continue;
    if (raw.includes("\t")) throw new Error(`mini-yaml: tab in indentation: ${JSON.stringify(raw)}`);
    const indent = raw.length - raw.trimStart().length;
    lines.push({ indent, text: raw.trim() });
  }
  if (lines.length === 0) return null;
  const r = new Reader(lines);
  const v = r.block(lines[0].indent);
  if (r.k < lines.length) throw new Error(`mini-yaml: unexpected line: ${JSON.stringify(lines[r.k].text)}`);
  return v;
}

class Reader {
  constructor(lines) {
    this.lines = lines;
    this.k = 0;
  }

  /** A block (map, list or lone scalar) whose lines start at column `indent`. */
  block(indent) {
    const first = this.lines[this.k];
    if (first.text === "-" || first.text.startsWith("- ")) return this.list(indent);
    if (splitKey(first.text) !== undefined) return this.map(indent);
    this.k++;
    return scalar(first.text);
  }

  list(indent) {
    const out = [];
    while (this.k < this.lines.length) {
      const line = this.lines[this.k];
      if (line.indent < indent) break;
      if (line.indent > indent) throw new Error(`mini-yaml: bad indentation: ${JSON.stringify(line.text)}`);
      if (!(line.text === "-" || line.text.startsWith("- "))) break;
      if (line.text === "-") {
        this.k++;
        const next = this.lines[this.k];
        if (next === undefined || next.indent <= indent) out.push(null);
        else out.push(this.block(next.indent));
        continue;
      }
      // `- rest`: rest is a scalar, or the first line of a map/list indented at indent + 2.
      const inner = indent + 2;
      this.lines[this.k] = { indent: inner, text: line.text.slice(2).trimStart() };
      out.push(this.block(inner));
    }
    return out;
  }

  map(indent) {
    const out = {};
    while (this.k < this.lines.length) {
      const line = this.lines[this.k];
      if (line.indent < indent) break;
      if (line.indent > indent) throw new Error(`mini-yaml: bad indentation: ${JSON.stringify(line.text)}`);
      const kv = splitKey(line.text);
      if (kv === undefined) break;
      const [key, rest] = kv;
      this.k++;
      if (Object.hasOwn(out, key)) throw new Error(`mini-yaml: duplicate key \`${key}\``);
      if (rest !== "") {
        out[key] = scalar(rest);
        continue;
      }
      const next = this.lines[this.k];
      // A list may sit at the key's own indentation (`key:\n- a`), as YAML allows.
      if (next !== undefined && (next.indent > indent || (next.indent === indent && next.text.startsWith("-")))) {
        out[key] = this.block(next.indent);
      } else out[key] = null;
    }
    return out;
  }
}

/** `key: rest` -> [key, rest]; undefined when the line is not a map entry. */
function splitKey(text) {
  if (text.startsWith('"') || text.startsWith("'")) return undefined;
  const m = /^([^\s:#"'][^:#]*?):(?:\s+(.*))?$/.exec(text);
  if (!m) return undefined;
  return [m[1], (m[2] ?? "").trim()];
}

function scalar(text) {
  if (text.startsWith('"')) return doubleQuoted(text);
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) throw new Error(`mini-yaml: unterminated string: ${text}`);
    return text.slice(1, -1).replaceAll("''", "'");
  }
  if (text === "∅" || text === "{}" || text === "[]") return EMPTY;
  // A flow list of scalars (`[1, 0, 1]`, how bit arrays print).
  if (text.startsWith("[") && text.endsWith("]"))
    return text
      .slice(1, -1)
      .split(",")
      .map((x) => scalar(x.trim()));
  if (text === "~" || text === "null") return null;
  if (text === "true" || text === "false") return text === "true";
  if (/^[-+]?[0-9]+$/.test(text)) return BigInt(text);
  const based = /^([-+]?)0([xob])([0-9a-fA-F]+)$/.exec(text);
  if (based) {
    const base = { x: 16, o: 8, b: 2 }[based[2]];
    const value = BigInt(`0${based[2]}${based[3]}`);
    return { base, value: based[1] === "-" ? -value : value };
  }
  if (/^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(text)) return Number.NaN;
  return text;
}

function doubleQuoted(text) {
  let s = "";
  let i = 1;
  for (;;) {
    const c = text[i++];
    if (c === undefined) throw new Error(`mini-yaml: unterminated string: ${text}`);
    if (c === '"') break;
    if (c !== "\\") {
      s += c;
      continue;
    }
    const e = text[i++];
    const simple = { n: "\n", t: "\t", r: "\r", 0: "\0", "\\": "\\", '"': '"', "/": "/" };
    if (e in simple) s += simple[e];
    else if (e === "x" || e === "u") {
      const n = e === "x" ? 2 : 4;
      s += String.fromCodePoint(Number.parseInt(text.slice(i, i + n), 16));
      i += n;
    } else throw new Error(`mini-yaml: unknown escape \\${e}`);
  }
  if (text.slice(i).trim() !== "") throw new Error(`mini-yaml: text after string: ${text}`);
  return s;
}
