/**
 * Prints an `OutTrace` as CTF 1.8 TSDL, laid out as babeltrace2 2.0.4's
 * `sink.ctf.fs` lays it out (tabs, member order, comments), so that
 * metadata written by ttng diffs cleanly against babeltrace2's. The fixed
 * scopes (packet header, the packet context's first members, event header)
 * match what `fs-sink` writes in each packet. Returns a byte string.
 */
import type { OutClock, OutEventClass, OutFieldClass, OutStreamClass, OutStruct, OutTrace } from "./out-model.js";

const ESCAPES: Record<number, string> = { 7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v" };

/** A TSDL string literal's content: C escapes for control and non-ASCII bytes (CTF 1.8 §7.2). */
export function tsdlQuotedContent(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) & 0xff;
    if (c < 32 || c >= 127) out += ESCAPES[c] ?? `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c === 0x22 || c === 0x5c) out += `\\${s[i]}`;
    else out += s[i];
  }
  return out;
}

function quoted(s: string): string {
  return `"${tsdlQuotedContent(s)}"`;
}

function intProps(
  sizeBits: number,
  alignBits: number,
  signed: boolean,
  base: 2 | 8 | 10 | 16,
  mapClock: string | undefined,
): string {
  let s = `integer { size = ${sizeBits}; align = ${alignBits};`;
  if (signed) s += " signed = true;";
  if (base !== 10) s += ` base = ${base === 2 ? "b" : base === 8 ? "o" : "x"};`;
  if (mapClock !== undefined) s += ` map = clock.${mapClock}.value;`;
  return `${s} }`;
}

class Printer {
  out = "";
  level = 0;
  /** Clock classes already declared (stream classes may share one). */
  private readonly clocks = new Set<OutClock>();

  indent(): void {
    this.out += "\t".repeat(this.level);
  }

  line(text: string): void {
    this.indent();
    this.out += `${text}\n`;
  }

  endBlock(): void {
    this.level--;
    this.indent();
    this.out += "}";
  }

  endBlockSemiNlNl(): void {
    this.level--;
    this.indent();
    this.out += "};\n\n";
  }

  fieldClass(fc: OutFieldClass): void {
    switch (fc.kind) {
      case "int":
        if (fc.origin !== "int" || fc.mappings === undefined) {
          this.out += intProps(fc.sizeBits, fc.alignBits, fc.signed, fc.base, undefined);
          return;
        }
        this.out += `enum : ${intProps(fc.sizeBits, fc.alignBits, fc.signed, fc.base, undefined)} {\n`;
        this.level++;
        for (const m of fc.mappings) {
          for (const [lo, hi] of m.ranges) {
            this.indent();
            this.out += `${quoted(m.label)} = ${lo === hi ? String(lo) : `${String(lo)} ... ${String(hi)}`},\n`;
          }
        }
        this.endBlock();
        return;
      case "float":
        this.out += `floating_point { mant_dig = ${fc.sizeBits === 32 ? 24 : 53}; exp_dig = ${fc.sizeBits === 32 ? 8 : 11}; align = ${fc.alignBits}; }`;
        return;
      case "string":
        this.out += "string { encoding = UTF8; }";
        return;
      case "struct":
        this.out += "struct {\n";
        this.level++;
        this.members(fc);
        this.endBlock();
        this.out += ` align(${fc.alignBits})`;
        return;
      case "option":
        this.out += `variant <${fc.tagRef}> {\n`;
        this.level++;
        this.line("struct { } none;");
        this.indent();
        this.member("content", fc.content);
        this.endBlock();
        return;
      case "variant":
        this.out += `variant <${fc.tagRef}> {\n`;
        this.level++;
        for (const o of fc.options) {
          this.indent();
          this.member(o.name, o.fc);
        }
        this.endBlock();
        return;
      case "blob":
        // The IR translation refuses BLOBs for CTF 1.8 output: a model holding one is printed as CTF 2.
        throw new Error("BLOB field class in a CTF 1.8 model");
      case "array":
      case "sequence":
        // Arrays and sequences are printed by member() (CTF 1.8 declares their lengths after the name).
        throw new Error("array field class outside of a member");
    }
  }

  member(name: string, fc: OutFieldClass): void {
    let lengths = "";
    let cur = fc;
    while (cur.kind === "array" || cur.kind === "sequence") {
      lengths += cur.kind === "array" ? `[${cur.length}]` : `[${cur.lengthRef}]`;
      cur = cur.element;
    }
    this.fieldClass(cur);
    this.out += ` ${name}${lengths};\n`;
  }

  members(st: OutStruct): void {
    for (const m of st.members) {
      const fc = m.fc;
      if (fc.kind === "sequence" && fc.lengthBefore) {
        this.line(`${intProps(32, 8, false, 10, undefined)} ${fc.lengthRef};`);
      } else if (fc.kind === "option") {
        this.line("/* The enumeration and variant field classes below were a trace IR option field class. */");
        this.indent();
        this.out += `enum : ${intProps(8, 8, false, 10, undefined)} {\n`;
        this.level++;
        this.line("none = 0,");
        this.line("content = 1,");
        this.endBlock();
        this.out += ` ${fc.tagRef};\n`;
      } else if (fc.kind === "variant" && fc.tagBefore) {
        this.indent();
        this.out += `enum : ${intProps(16, 8, false, 10, undefined)} {\n`;
        this.level++;
        fc.options.forEach((o, i) => {
          this.line(`"${o.name}" = ${i},`);
        });
        this.endBlock();
        this.out += ` ${fc.tagRef};\n`;
      } else if (fc.kind === "int" && fc.origin === "bool") {
        this.line("/* The integer field class below was a trace IR boolean field class. */");
      } else if (fc.kind === "int" && fc.origin === "bit-array") {
        this.line("/* The integer field class below was a trace IR bit array field class. */");
      }
      this.indent();
      this.member(m.name, fc);
    }
  }

  clock(c: OutClock): void {
    this.line("clock {");
    this.level++;
    this.line(`name = ${c.name};`);
    if (c.description !== undefined) this.line(`description = ${quoted(c.description)};`);
    this.line(`freq = ${c.frequency};`);
    this.line(`precision = ${c.precision};`);
    this.line(`offset_s = ${c.offsetSeconds};`);
    this.line(`offset = ${c.offsetCycles};`);
    this.line(`absolute = ${c.originIsUnixEpoch ? "true" : "false"};`);
    if (c.uuid !== undefined) this.line(`uuid = "${c.uuid}";`);
    this.endBlockSemiNlNl();
  }

  streamClass(sc: OutStreamClass): void {
    if (sc.clock && !this.clocks.has(sc.clock)) {
      this.clocks.add(sc.clock);
      this.clock(sc.clock);
    }
    const clock = sc.clock?.name;
    this.line("stream {");
    this.level++;
    this.line(`id = ${sc.id};`);
    this.line("packet.context := struct {");
    this.level++;
    const u64 = (name: string, map?: string) => this.line(`${intProps(64, 8, false, 10, map)} ${name};`);
    u64("packet_size");
    u64("content_size");
    if (sc.packetsHaveTsBegin) u64("timestamp_begin", clock);
    if (sc.packetsHaveTsEnd) u64("timestamp_end", clock);
    if (sc.hasDiscardedEvents) u64("events_discarded");
    u64("packet_seq_num");
    if (sc.packetContext) this.members(sc.packetContext);
    this.endBlock();
    this.out += ` align(${sc.packetContext ? Math.max(8, sc.packetContext.alignBits) : 8});\n\n`;
    this.line("event.header := struct {");
    this.level++;
    u64("id");
    if (clock !== undefined) u64("timestamp", clock);
    this.endBlock();
    this.out += " align(8);\n";
    if (sc.eventCommonContext) {
      this.indent();
      this.out += "event.context := ";
      this.fieldClass(sc.eventCommonContext);
      this.out += ";\n";
    }
    this.endBlockSemiNlNl();
    for (const ec of sc.eventClasses) this.eventClass(ec, sc.id);
  }

  eventClass(ec: OutEventClass, scId: number): void {
    this.line("event {");
    this.level++;
    this.line(`name = ${quoted(ec.name)};`);
    this.line(`stream_id = ${scId};`);
    this.line(`id = ${ec.id};`);
    if (ec.emfUri !== undefined) this.line(`model.emf.uri = ${quoted(ec.emfUri)};`);
    if (ec.logLevel !== undefined) this.line(`loglevel = ${ec.logLevel};`);
    for (const [label, fc] of [
      ["context", ec.specContext],
      ["fields", ec.payload],
    ] as const) {
      if (!fc) continue;
      this.indent();
      this.out += `${label} := `;
      this.fieldClass(fc);
      this.out += ";\n";
    }
    this.endBlockSemiNlNl();
  }
}

/** The TSDL text (a byte string) of `trace`, babeltrace2 2.0.4 `sink.ctf.fs` layout. */
export function tsdlFromOutTrace(trace: OutTrace): string {
  const p = new Printer();
  p.out = "/* CTF 1.8 */\n\n/* This was generated by a Babeltrace `sink.ctf.fs` component. */\n\n";
  p.line("trace {");
  p.level++;
  p.line("major = 1;");
  p.line("minor = 8;");
  p.line(`uuid = "${trace.uuid}";`);
  p.line("byte_order = le;");
  p.line("packet.header := struct {");
  p.level++;
  p.line(`${intProps(32, 8, false, 16, undefined)} magic;`);
  p.line(`${intProps(8, 8, false, 10, undefined)} uuid[16];`);
  p.line(`${intProps(64, 8, false, 10, undefined)} stream_id;`);
  p.line(`${intProps(64, 8, false, 10, undefined)} stream_instance_id;`);
  p.endBlock();
  p.out += " align(8);\n";
  p.endBlockSemiNlNl();
  if (trace.env.length > 0) {
    p.line("env {");
    p.level++;
    for (const [name, v] of trace.env) p.line(`${name} = ${typeof v === "string" ? quoted(v) : String(v)};`);
    p.endBlockSemiNlNl();
  }
  for (const sc of trace.streamClasses) p.streamClass(sc);
  return p.out;
}
