/**
 * `sink.text.json`: JSON Lines, one object per event message and one per
 * discarded-items message, for programs that would otherwise parse pretty
 * text. Integers are exact (as strings beyond ±2^53), byte strings are
 * decoded as UTF-8 with invalid bytes replaced by U+FFFD. The format is
 * specified in docs/json.md. It is not a babeltrace2 component class.
 *
 * Each field class compiles once into a closure that returns the value's
 * JSON text, so writing an event does no dispatch on field kinds.
 */
import type { VariantValue } from "@ttng/ctf";
import { TtngError } from "@ttng/base";
import {
  type ClockSnapshot,
  type ComponentClass,
  type ComponentContext,
  type IrFieldClass,
  type IrStream,
  type IterStatus,
  type MapValue,
  type Message,
  type MessageIterator,
  MessageKind,
  type SinkComponent,
} from "@ttng/graph";

const ACTOR = "sink.text.json";
const FLUSH_CHARS = 1 << 16;

type Encoder = (v: unknown) => string;

/** An integer as JSON: a number when exact (|v| <= 2^53 - 1), else a decimal string. */
export function jsonInt(v: number | bigint): string {
  if (typeof v === "number") return Number.isSafeInteger(v) ? String(v) : `"${BigInt(v).toString()}"`;
  return v >= -9007199254740991n && v <= 9007199254740991n ? v.toString() : `"${v.toString()}"`;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });
const NON_ASCII = /[^\x00-\x7f]/;

/** A byte string (one char per byte) decoded as UTF-8 (invalid sequences become U+FFFD), as JSON. */
export function jsonByteString(s: string): string {
  if (!NON_ASCII.test(s)) return JSON.stringify(s);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i) & 0xff;
  return JSON.stringify(utf8.decode(bytes));
}

function jsonReal(v: number): string {
  // JSON has no NaN or infinities: write them as strings.
  return Number.isFinite(v) ? JSON.stringify(v) : `"${String(v)}"`;
}

function enumEncoder(fc: IrFieldClass & { kind: "int" }): Encoder {
  const mappings = fc.mappings!;
  const labels = mappings.map((m) => JSON.stringify(m.label));
  return (v) => {
    const iv = v as number | bigint;
    const hit: string[] = [];
    for (let i = 0; i < mappings.length; i++) {
      for (const r of mappings[i]!.ranges) {
        if (iv >= r[0] && iv <= r[1]) {
          hit.push(labels[i]!);
          break;
        }
      }
    }
    return `{"value":${jsonInt(iv)},"labels":[${hit.join(",")}]}`;
  };
}

/** Compiles the JSON encoder of a field class's values. */
export function compileEncoder(fc: IrFieldClass): Encoder {
  switch (fc.kind) {
    case "int":
      if (fc.mappings !== undefined) return enumEncoder(fc);
      return (v) => jsonInt(v as number | bigint);
    case "bit-array":
      return (v) => jsonInt(v as number | bigint);
    case "bool":
      return (v) => (v ? "true" : "false");
    case "blob":
      // Hexadecimal digits, two per byte.
      return (v) => `"${Array.from(v as Uint8Array, (b) => b.toString(16).padStart(2, "0")).join("")}"`;
    case "real":
      return (v) => jsonReal(v as number);
    case "string":
      return (v) => jsonByteString(v as string);
    case "struct": {
      const keys = fc.members.map((m) => `${JSON.stringify(m.name)}:`);
      const slots = fc.members.map((m) => m.slot);
      const encs = fc.members.map((m) => compileEncoder(m.fc));
      const n = keys.length;
      return (v) => {
        const arr = v as unknown[];
        let out = "{";
        for (let i = 0; i < n; i++) {
          if (i > 0) out += ",";
          out += keys[i]! + encs[i]!(arr[slots[i]!]);
        }
        return `${out}}`;
      };
    }
    case "static-array":
    case "dynamic-array": {
      const enc = compileEncoder(fc.element);
      return (v) => {
        const arr = v as unknown[];
        let out = "[";
        for (let i = 0; i < arr.length; i++) {
          if (i > 0) out += ",";
          out += enc(arr[i]);
        }
        return `${out}]`;
      };
    }
    case "variant": {
      const encs = fc.options.map((o) => compileEncoder(o.fc));
      return (v) => {
        const vv = v as VariantValue;
        return encs[vv.option]!(vv.value);
      };
    }
    case "option": {
      const enc = compileEncoder(fc.content);
      return (v) => (v === undefined || v === null ? "null" : enc(v));
    }
  }
}

/** `{"ns":…,"cycles":…}` of a clock snapshot (ns from origin; raw value). */
function jsonTime(cs: ClockSnapshot): string {
  // ns from origin is exact as a number while |s| stays below 2^53 / 1e9.
  let ns: string;
  if (Math.abs(cs.s) < 9007198) ns = String(cs.s * 1e9 + cs.ns);
  else ns = jsonInt(BigInt(cs.s) * 1000000000n + BigInt(cs.ns));
  const cycles =
    cs.cyclesHi < 0x200000
      ? String(cs.cyclesHi * 4294967296 + cs.cyclesLo)
      : jsonInt((BigInt(cs.cyclesHi) << 32n) | BigInt(cs.cyclesLo));
  return `{"ns":${ns},"cycles":${cycles}}`;
}

function streamJson(stream: IrStream): string {
  const t = stream.trace;
  let out = `"trace":${t.name === undefined ? "null" : jsonByteString(t.name)}`;
  const uuid = t.uuid ?? t.uid;
  out += `,"trace_uuid":${uuid === undefined ? "null" : JSON.stringify(uuid)}`;
  out += `,"stream_class_id":${stream.streamClass.id}`;
  out += `,"stream_id":${stream.id >= 0 ? stream.id : "null"}`;
  if (stream.name !== undefined) out += `,"stream_name":${jsonByteString(stream.name)}`;
  return out;
}

class JsonSink implements SinkComponent {
  readonly kind = "sink";
  private it: MessageIterator | undefined;
  private readonly batch: Message[] = [];
  private out = "";
  private readonly encoders = new Map<IrFieldClass, Encoder>();
  private readonly streamParts = new Map<IrStream, string>();
  private readonly utf8Out = new TextEncoder();

  constructor(
    params: MapValue,
    private readonly ctx: ComponentContext,
  ) {
    for (const k of params.entries.keys())
      throw new TtngError("ERR_PARAMS", `Unknown parameter: \`${k}\``, { actor: ACTOR });
  }

  inputPorts(): string[] {
    return ["in"];
  }

  graphIsConfigured(upstream: Map<string, MessageIterator>): void {
    const it = upstream.get("in");
    if (!it) throw new TtngError("ERR_GRAPH", 'Single input port is not connected: port-name="in"', { actor: ACTOR });
    this.it = it;
  }

  consume(): IterStatus {
    const batch = this.batch;
    batch.length = 0;
    let st: IterStatus;
    try {
      st = this.it!.next(batch);
    } catch (e) {
      this.flush();
      throw e;
    }
    if (st !== "ok") {
      this.flush();
      return st;
    }
    for (let i = 0; i < batch.length; i++) {
      const m = batch[i]!;
      if (m.kind === MessageKind.Event) this.event(m);
      else if (m.kind === MessageKind.DiscardedEvents || m.kind === MessageKind.DiscardedPackets) this.discarded(m);
    }
    if (this.out.length >= FLUSH_CHARS) this.flush();
    return "ok";
  }

  finalize(): void {
    this.flush();
  }

  private flush(): void {
    if (this.out.length === 0) return;
    this.ctx.stdoutBytes(this.utf8Out.encode(this.out));
    this.out = "";
  }

  private enc(fc: IrFieldClass): Encoder {
    let e = this.encoders.get(fc);
    if (e === undefined) {
      e = compileEncoder(fc);
      this.encoders.set(fc, e);
    }
    return e;
  }

  private stream(stream: IrStream): string {
    let s = this.streamParts.get(stream);
    if (s === undefined) {
      s = streamJson(stream);
      this.streamParts.set(stream, s);
    }
    return s;
  }

  private event(m: Message): void {
    const ec = m.eventClass!;
    const sc = m.stream.streamClass;
    let o = `{"type":"event","name":${ec.name === undefined ? "null" : jsonByteString(ec.name)}`;
    if (m.cs !== undefined) o += `,"timestamp":${jsonTime(m.cs)}`;
    o += `,${this.stream(m.stream)},"event_class_id":${ec.id}`;
    const pc = m.packet?.context;
    if (sc.packetContext !== undefined && pc !== undefined) o += `,"packet_context":${this.enc(sc.packetContext)(pc)}`;
    if (sc.eventCommonContext !== undefined) {
      const v = m.commonContext;
      if (v !== undefined) o += `,"common_context":${this.enc(sc.eventCommonContext)(v)}`;
    }
    if (ec.specContext !== undefined) {
      const v = m.specContext;
      if (v !== undefined) o += `,"specific_context":${this.enc(ec.specContext)(v)}`;
    }
    if (ec.payload !== undefined) {
      const v = m.payload;
      if (v !== undefined) o += `,"payload":${this.enc(ec.payload)(v)}`;
    }
    this.out += `${o}}\n`;
  }

  private discarded(m: Message): void {
    const type = m.kind === MessageKind.DiscardedEvents ? "discarded-events" : "discarded-packets";
    // A wrapped-around count (a counter that went backwards) is above 2^53: a string, as 64-bit integers are.
    const count = typeof m.count === "bigint" ? `"${m.count}"` : m.count < 0 ? "null" : m.count;
    let o = `{"type":"${type}","count":${count}`;
    if (m.cs !== undefined) o += `,"begin":${jsonTime(m.cs)}`;
    if (m.endCs !== undefined) o += `,"end":${jsonTime(m.endCs)}`;
    this.out += `${o},${this.stream(m.stream)}}\n`;
  }
}

export const jsonSinkClass: ComponentClass = {
  type: "sink",
  plugin: "text",
  name: "json",
  description: "Write events and discarded-items messages as JSON Lines (ttng, not in babeltrace2).",
  help: "One JSON object per line; see docs/json.md.",
  readsEventFields: true,
  create: (params, ctx) => new JsonSink(params, ctx),
};
