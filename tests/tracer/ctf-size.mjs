// Sizes in an LTTng-layout CTF 1.8 trace, read with no CTF library (this is an
// oracle for @ttng/tracer, so it shares no code with @ttng/ctf): the packet
// header and packet context layout from the metadata's TSDL, then each data
// stream file walked packet by packet through its `packet_size` and
// `content_size` fields. What is left of a packet's content once the header
// and context are taken away is its event records, so
// eventBytes / eventCount is the bytes per event as LTTng's tools count it.
// Handles what LTTng-UST 2.13 writes (integers, byte arrays, typealiases,
// named or inline structures); anything else is an error, never a guess.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const PACKETIZED_MAGIC = 0x75d11d57;

/** Metadata text of the trace in `dir`, packetized (CTF 1.8 §7.1) or plain. */
export function metadataText(dir) {
  const buf = readFileSync(join(dir, "metadata"));
  if (buf.length >= 4 && (buf.readUInt32LE(0) === PACKETIZED_MAGIC || buf.readUInt32BE(0) === PACKETIZED_MAGIC)) {
    const le = buf.readUInt32LE(0) === PACKETIZED_MAGIC;
    const u32 = (o) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
    let text = "";
    for (let off = 0; off + 37 <= buf.length; ) {
      // magic(4) uuid(16) checksum(4) content_size(4) packet_size(4) compression, encryption, checksum_scheme, major, minor (1 each)
      const contentBits = u32(off + 24);
      const packetBits = u32(off + 28);
      if (packetBits === 0 || contentBits < 37 * 8) throw new Error(`bad metadata packet at offset ${off}`);
      text += buf.subarray(off + 37, off + contentBits / 8).toString("utf8");
      off += packetBits / 8;
    }
    return text;
  }
  return buf.toString("utf8");
}

/** `{ ... }` starting at text[open] === "{": the text inside, and the index after "}". */
function braced(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return { body: text.slice(open + 1, i), end: i + 1 };
  }
  throw new Error("unbalanced braces in metadata");
}

function integerAttrs(body) {
  const size = Number(/\bsize\s*=\s*(\d+)/.exec(body)?.[1]);
  if (!Number.isInteger(size)) throw new Error(`integer without size: ${body}`);
  const alignText = /\balign\s*=\s*(\d+)/.exec(body)?.[1];
  return { size, align: alignText === undefined ? (size % 8 === 0 ? 8 : 1) : Number(alignText) };
}

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, " ");
}

/** Field name -> { offsetBits, sizeBits } of the packet header then the packet context, and where events start. */
export function packetLayout(text) {
  const src = stripComments(text);
  const aliases = new Map();
  for (const m of src.matchAll(/typealias\s+integer\s*\{/g)) {
    const { body, end } = braced(src, m.index + m[0].length - 1);
    const name = /^\s*:=\s*([^;]+);/.exec(src.slice(end))?.[1]?.trim();
    if (name) aliases.set(name.replace(/\s+/g, " "), integerAttrs(body));
  }
  const namedStructs = new Map();
  for (const m of src.matchAll(/(?:^|[;}\s])struct\s+(\w+)\s*\{/g)) {
    namedStructs.set(m[1], braced(src, m.index + m[0].length - 1).body);
  }
  const structBody = (scope, key) => {
    const m = new RegExp(`${key.replace(".", "\\.")}\\s*:=\\s*struct\\s*(\\w+)?\\s*(\\{)?`).exec(scope);
    if (!m) return undefined;
    if (m[2]) return braced(scope, m.index + m[0].length - 1).body;
    const body = namedStructs.get(m[1]);
    if (body === undefined) throw new Error(`unknown struct ${m[1]}`);
    return body;
  };
  const block = (kw) => {
    const m = new RegExp(`(?:^|[;}\\s])${kw}\\s*\\{`).exec(src);
    return m ? braced(src, m.index + m[0].length - 1).body : "";
  };
  const trace = block("trace");
  const stream = block("stream");
  const byteOrder = /byte_order\s*=\s*(\w+)/.exec(trace)?.[1] ?? "le";
  const fields = new Map();
  let offset = 0;
  const lay = (body) => {
    if (body === undefined) return;
    // Split on top-level ";" (inline integer { ...; } declarations hold their own).
    const decls = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < body.length; i++) {
      if (body[i] === "{") depth++;
      else if (body[i] === "}") depth--;
      else if (body[i] === ";" && depth === 0) {
        decls.push(body.slice(start, i).trim());
        start = i + 1;
      }
    }
    for (const decl of decls.filter((d) => d.length > 0)) {
      let type;
      let rest;
      if (decl.startsWith("integer")) {
        const b = braced(decl, decl.indexOf("{"));
        type = integerAttrs(b.body);
        rest = decl.slice(b.end).trim();
      } else {
        const m = /^(.*?)\s+(\w+)\s*(\[\s*\d+\s*\])?$/.exec(decl);
        if (!m) throw new Error(`cannot lay out field "${decl}"`);
        type = aliases.get(m[1].replace(/\s+/g, " "));
        if (!type) throw new Error(`unknown field type "${m[1]}" in "${decl}"`);
        rest = `${m[2]}${m[3] ?? ""}`;
      }
      const m = /^(\w+)\s*(?:\[\s*(\d+)\s*\])?$/.exec(rest);
      if (!m) throw new Error(`cannot lay out field "${decl}"`);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      offset = Math.ceil(offset / type.align) * type.align;
      fields.set(m[1], { offsetBits: offset, sizeBits: type.size * count });
      offset += type.size * count;
    }
  };
  lay(structBody(trace, "packet.header"));
  lay(structBody(stream, "packet.context"));
  for (const need of ["packet_size", "content_size"]) {
    if (!fields.has(need)) throw new Error(`packet context has no ${need}`);
  }
  return { byteOrder, fields, eventsOffsetBits: Math.ceil(offset / 8) * 8 };
}

function readUint(buf, byteOffset, sizeBits, le) {
  if (sizeBits === 64) return Number(le ? buf.readBigUInt64LE(byteOffset) : buf.readBigUInt64BE(byteOffset));
  if (sizeBits === 32) return le ? buf.readUInt32LE(byteOffset) : buf.readUInt32BE(byteOffset);
  throw new Error(`unsupported packet field size ${sizeBits}`);
}

/**
 * Walks every data stream file of the trace in `dir` (one LTTng trace:
 * metadata plus stream files). Returns packet and stream counts, total
 * content bytes, event record bytes (content minus header and context) and
 * the events discarded (each stream's last `events_discarded`, summed).
 */
export function traceSizes(dir) {
  const layout = packetLayout(metadataText(dir));
  const le = layout.byteOrder !== "be" && layout.byteOrder !== "network";
  const field = (buf, base, name) => {
    const f = layout.fields.get(name);
    if (f.offsetBits % 8 !== 0) throw new Error(`${name} is not byte-aligned`);
    return readUint(buf, base + f.offsetBits / 8, f.sizeBits, le);
  };
  const out = {
    /** Stream file name -> [packet bytes, content bytes] of each packet. */
    packetsByStream: {},
    streams: 0,
    packets: 0,
    contentBytes: 0,
    eventBytes: 0,
    discarded: 0,
    headerBytes: layout.eventsOffsetBits / 8,
  };
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === "metadata" || name.startsWith(".") || statSync(path).isDirectory()) continue;
    const buf = readFileSync(path);
    out.streams++;
    const list = [];
    out.packetsByStream[name] = list;
    let lastDiscarded = 0;
    for (let off = 0; off < buf.length; ) {
      const packetBits = field(buf, off, "packet_size");
      const contentBits = field(buf, off, "content_size");
      if (
        packetBits === 0 ||
        packetBits % 8 !== 0 ||
        contentBits > packetBits ||
        contentBits < layout.eventsOffsetBits
      ) {
        throw new Error(`${name}: bad packet at offset ${off}: packet_size=${packetBits}, content_size=${contentBits}`);
      }
      out.packets++;
      list.push([packetBits / 8, contentBits / 8]);
      out.contentBytes += contentBits / 8;
      out.eventBytes += (contentBits - layout.eventsOffsetBits) / 8;
      if (layout.fields.has("events_discarded")) lastDiscarded = field(buf, off, "events_discarded");
      off += packetBits / 8;
    }
    out.discarded += lastDiscarded;
  }
  return out;
}

/** Directories under `root` that hold a `metadata` file: one per LTTng trace. */
export function findTraces(root) {
  const found = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (name === "metadata") found.push(d);
      else if (statSync(p).isDirectory()) walk(p);
    }
  };
  walk(root);
  return found;
}
