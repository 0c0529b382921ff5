/**
 * `sink.ctf.fs`: writes every trace it receives as a CTF 1.8 trace
 * directory, as babeltrace2 2.0.4 does (see docs/ctf-sink.md): one
 * directory per IR trace (LTTng-style paths for LTTng 2.11+ traces), one
 * data stream file per IR stream, packets as they came (artificial 4 MiB
 * packets for streams without packets), a `metadata` file written when
 * the sink finalizes, then "Created CTF trace `…`." on standard output
 * unless `quiet`. Unlike babeltrace2 2.0.4 it also writes LTTng index
 * files (`index/FILE.idx`, v1.1) for streams whose packets have beginning
 * and end times, declares a clock shared by stream classes once, and
 * keeps stream file names unique for the trace's whole life.
 */
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { Buffer } from "node:buffer";
import { TtngError } from "@ttng/base";
import { ctf2FromOutTrace, indexEntryBytes, indexFileHeader, tsdlFromOutTrace } from "@ttng/ctf";
import {
  type ComponentClass,
  type ComponentContext,
  type IrStream,
  type IrTrace,
  type IterStatus,
  type MapValue,
  type Message,
  type MessageIterator,
  MessageKind,
  type SinkComponent,
  type Value,
} from "@ttng/graph";
import { ARTIFICIAL_PACKET_BYTES, SinkStreamWriter, type StreamOutput } from "../fs-sink/stream-writer.js";
import { streamFileName, tracePath } from "../fs-sink/trace-path.js";
import { SINK_ACTOR, SinkTraceModel } from "../fs-sink/translate-ir.js";

const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/** A byte string (trace names and environment values are bytes) as a file name: UTF-8 when it is valid UTF-8. */
function fsName(s: string): string {
  if (/[^\u0000-\u00ff]/.test(s) || !/[\u0080-\u00ff]/.test(s)) return s;
  try {
    return utf8Strict.decode(Buffer.from(s, "latin1"));
  } catch {
    return s;
  }
}

function typeName(v: Value): string {
  const names: Record<Value["type"], string> = {
    null: "NULL",
    bool: "BOOL",
    uint: "UNSIGNED_INTEGER",
    sint: "SIGNED_INTEGER",
    real: "REAL",
    string: "STRING",
    array: "ARRAY",
    map: "MAP",
  };
  return names[v.type];
}

function paramError(message: string, cause?: unknown): TtngError {
  return new TtngError(
    "ERR_PARAMS",
    message,
    cause === undefined ? { actor: SINK_ACTOR } : { actor: SINK_ACTOR, cause },
  );
}

interface Params {
  path: string;
  assumeSingleTrace: boolean;
  ignoreDiscardedEvents: boolean;
  ignoreDiscardedPackets: boolean;
  quiet: boolean;
  /** `ctf-version` (Babeltrace 2.1's parameter): `1`/`1.8` writes CTF 1.8 TSDL, `2`/`2.0` CTF 2 JSON. */
  ctfVersion: 1 | 2;
}

function parseParams(params: MapValue): Params {
  const p: Params = {
    path: "",
    assumeSingleTrace: false,
    ignoreDiscardedEvents: false,
    ignoreDiscardedPackets: false,
    quiet: false,
    ctfVersion: 1,
  };
  const bools: Record<string, keyof Params> = {
    "assume-single-trace": "assumeSingleTrace",
    "ignore-discarded-events": "ignoreDiscardedEvents",
    "ignore-discarded-packets": "ignoreDiscardedPackets",
    quiet: "quiet",
  };
  for (const [k, v] of params.entries) {
    if (k === "path") {
      if (v.type !== "string")
        throw paramError(
          `Error validating parameter \`path\`: unexpected type: expected-type=STRING, actual-type=${typeName(v)}`,
        );
      p.path = v.value;
    } else if (k === "ctf-version") {
      // Babeltrace 2.1 takes a string; `-p ctf-version=2` parses as an integer, so numbers are taken too.
      const text =
        v.type === "string"
          ? v.value
          : v.type === "sint" || v.type === "uint" || v.type === "real"
            ? String(v.value)
            : undefined;
      if (text === undefined)
        throw paramError(
          `Error validating parameter \`ctf-version\`: unexpected type: expected-type=STRING, actual-type=${typeName(v)}`,
        );
      if (text === "1" || text === "1.8") p.ctfVersion = 1;
      else if (text === "2" || text === "2.0") p.ctfVersion = 2;
      else
        throw paramError(
          `Invalid \`ctf-version\` parameter: expecting \`1\`, \`1.8\`, \`2\` or \`2.0\`: value="${text}"`,
        );
    } else if (bools[k] !== undefined) {
      if (v.type !== "bool")
        throw paramError(
          `Error validating parameter \`${k}\`: unexpected type: expected-type=BOOL, actual-type=${typeName(v)}`,
        );
      (p as unknown as Record<string, unknown>)[bools[k]!] = v.value;
    } else throw paramError(`Unknown parameter: \`${k}\``);
  }
  if (!params.entries.has("path")) throw paramError("Error validating parameters: missing mandatory entry `path`");
  return p;
}

class FileOutput implements StreamOutput {
  readonly fd: number;
  constructor(readonly path: string) {
    this.fd = openSync(path, "w");
  }
  write(bytes: Uint8Array): void {
    let off = 0;
    try {
      while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    } catch (e) {
      throw ioError(`Cannot write file: path="${this.path}"`, e);
    }
  }
  close(): void {
    closeSync(this.fd);
  }
}

/** One open output stream; the same object for every message of the stream (no allocation per event). */
interface SinkStreamEntry {
  writer: SinkStreamWriter;
  file: FileOutput;
  trace: SinkTrace;
}

interface SinkTrace {
  ir: IrTrace;
  model: SinkTraceModel;
  /** The directory, as printed (the `path` parameter, `/`, the relative path). */
  dir: string;
  fileNames: Set<string>;
  streams: Map<IrStream, SinkStreamEntry>;
  finished: boolean;
}

/** An I/O failure, the system's error (`ENOSPC: no space left on device, write`) as its cause. */
function ioError(message: string, e: unknown): TtngError {
  return new TtngError("ERR_IO", message, { actor: SINK_ACTOR, cause: e });
}

class CtfFsSink implements SinkComponent {
  readonly kind = "sink";
  private it: MessageIterator | undefined;
  private readonly batch: Message[] = [];
  private readonly p: Params;
  private readonly traces = new Map<IrTrace, SinkTrace>();
  private traceCount = 0;
  /** The stream of the previous message, looked up without maps on the next one. */
  private lastStream: IrStream | undefined;
  private last: SinkStreamEntry | undefined;
  /** Set once the graph failed: finalize then still writes what it can, but never hides that first error. */
  private failed = false;

  constructor(
    params: MapValue,
    private readonly ctx: ComponentContext,
  ) {
    this.p = parseParams(params);
    if (this.p.assumeSingleTrace && existsSync(this.p.path))
      throw new TtngError("ERR_IO", `Single trace mode, but output path exists: output-path="${this.p.path}"`, {
        actor: SINK_ACTOR,
      });
    try {
      mkdirSync(this.p.path, { recursive: true, mode: 0o755 });
    } catch (e) {
      throw ioError(`Cannot create directories for output directory: output-dir-path="${this.p.path}"`, e);
    }
  }

  inputPorts(): string[] {
    return ["in"];
  }

  graphIsConfigured(upstream: Map<string, MessageIterator>): void {
    const it = upstream.get("in");
    if (!it)
      throw new TtngError("ERR_GRAPH", 'Single input port is not connected: port-name="in"', { actor: SINK_ACTOR });
    this.it = it;
  }

  consume(): IterStatus {
    const batch = this.batch;
    batch.length = 0;
    let st: IterStatus;
    try {
      st = this.it!.next(batch);
    } catch (e) {
      this.failed = true;
      throw e;
    }
    if (st !== "ok") return st;
    for (let i = 0; i < batch.length; i++) {
      const m = batch[i]!;
      try {
        this.handle(m);
      } catch (e) {
        this.failed = true;
        throw new TtngError(
          e instanceof TtngError ? e.code : "ERR_IO",
          `Failed to handle message: generated CTF traces could be incomplete: output-dir-path="${this.p.path}"`,
          { actor: SINK_ACTOR, cause: e },
        );
      }
    }
    return "ok";
  }

  private handle(m: Message): void {
    switch (m.kind) {
      case MessageKind.Event: {
        const s = this.stream(m.stream);
        const sc = s.writer.sc;
        const ec = s.trace.model.eventClass(sc, m.eventClass!);
        if (!sc.ir.supportsPackets) {
          // Artificial packets: babeltrace2 closes one once it holds 4 MiB.
          if (s.writer.isOpen && s.writer.contentBytes() >= ARTIFICIAL_PACKET_BYTES) s.writer.closePacket(undefined);
          if (!s.writer.isOpen) s.writer.openPacket(undefined, undefined);
        }
        s.writer.writeEvent(m, ec);
        return;
      }
      case MessageKind.PacketBeginning: {
        const s = this.stream(m.stream);
        const cs = s.writer.sc.out.packetsHaveTsBegin ? m.cs : undefined;
        s.writer.checkPacketBeginning(cs);
        s.writer.openPacket(cs, m.packet);
        return;
      }
      case MessageKind.PacketEnd: {
        const s = this.stream(m.stream);
        const cs = s.writer.sc.out.packetsHaveTsEnd ? m.cs : undefined;
        s.writer.checkPacketEnd(cs);
        s.writer.closePacket(cs);
        return;
      }
      case MessageKind.StreamBeginning:
        this.checkStreamClass(m.stream);
        this.stream(m.stream);
        return;
      case MessageKind.StreamEnd: {
        const s = this.stream(m.stream);
        if (!s.writer.sc.ir.supportsPackets && s.writer.isOpen) s.writer.closePacket(undefined);
        this.closeStream(s.trace, m.stream);
        return;
      }
      case MessageKind.DiscardedEvents:
        this.discardedEvents(m);
        return;
      case MessageKind.DiscardedPackets:
        this.discardedPackets(m);
        return;
      default:
        // Inactivity messages carry nothing to write.
        return;
    }
  }

  /** What babeltrace2's CTF 1.8 encoding cannot carry: refused at stream beginning, like fs-sink.c. */
  private checkStreamClass(stream: IrStream): void {
    const sc = stream.streamClass;
    const ident = `stream-id=${stream.id}, stream-name="${stream.name ?? ""}"`;
    const fail = (why: string) =>
      new TtngError("ERR_UNSUPPORTED", `Unsupported stream: ${why}: ${ident}`, { actor: SINK_ACTOR });
    const withTimes = sc.packetsHaveBeginningCs && sc.packetsHaveEndCs;
    if (!sc.supportsPackets && !this.p.ignoreDiscardedEvents && sc.supportsDiscardedEvents)
      throw fail("stream does not support packets, but supports discarded events");
    if (!this.p.ignoreDiscardedEvents && sc.supportsDiscardedEvents && sc.discardedEventsHaveCs && !withTimes)
      throw fail(
        "discarded events have default clock snapshots, but packets have no beginning and/or end default clock snapshots",
      );
    if (!this.p.ignoreDiscardedPackets && sc.supportsDiscardedPackets && sc.discardedPacketsHaveCs && !withTimes)
      throw fail(
        "discarded packets have default clock snapshots, but packets have no beginning and/or end default clock snapshots",
      );
  }

  private discardedEvents(m: Message): void {
    const s = this.stream(m.stream);
    if (this.p.ignoreDiscardedEvents) return;
    const w = s.writer;
    if (w.discardedEvents.inRange) throw w.fail("Unsupported contiguous discarded events message");
    const hasCs = m.stream.streamClass.discardedEventsHaveCs;
    if (w.isOpen && hasCs)
      throw w.fail("Unsupported discarded events message with default clock snapshots occurring within a packet");
    if (hasCs && m.cs && m.endCs) {
      w.discardedEvents.inRange = true;
      w.discardedEvents.begin = [m.cs.cyclesHi >>> 0, m.cs.cyclesLo >>> 0];
      w.discardedEvents.end = [m.endCs.cyclesHi >>> 0, m.endCs.cyclesLo >>> 0];
    }
    // An unknown count still says something was lost: count one, as babeltrace2 does.
    w.discardedEventsCounter += countToAdd(m.count);
  }

  private discardedPackets(m: Message): void {
    const s = this.stream(m.stream);
    if (this.p.ignoreDiscardedPackets) return;
    const w = s.writer;
    if (w.discardedPackets.inRange) throw w.fail("Unsupported contiguous discarded packets message");
    if (m.stream.streamClass.discardedPacketsHaveCs && m.cs && m.endCs) {
      w.discardedPackets.inRange = true;
      w.discardedPackets.begin = [m.cs.cyclesHi >>> 0, m.cs.cyclesLo >>> 0];
      w.discardedPackets.end = [m.endCs.cyclesHi >>> 0, m.endCs.cyclesLo >>> 0];
    }
    w.seqNum += countToAdd(m.count);
  }

  private trace(ir: IrTrace, stream: IrStream): SinkTrace {
    let t = this.traces.get(ir);
    if (t) return t;
    if (this.p.assumeSingleTrace && this.traceCount > 0)
      throw new TtngError(
        "ERR_UNSUPPORTED",
        `Single trace mode, but getting more than one trace: stream-name="${stream.name ?? ""}"`,
        { actor: SINK_ACTOR },
      );
    const model = new SinkTraceModel(ir, randomUUID(), this.p.ctfVersion === 2);
    let dir: string;
    if (this.p.assumeSingleTrace) dir = this.p.path;
    else {
      const named: IrTrace = { ...ir, name: ir.name === undefined ? undefined : fsName(ir.name) };
      const env = ir.env.map(([k, v]): [string, typeof v] => [k, typeof v === "string" ? fsName(v) : v]);
      dir = tracePath({ ...named, env }, this.p.path, existsSync);
    }
    try {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
    } catch (e) {
      throw ioError(`Cannot create directories for trace directory: path="${dir}"`, e);
    }
    t = { ir, model, dir, fileNames: new Set(), streams: new Map(), finished: false };
    this.traces.set(ir, t);
    this.traceCount++;
    return t;
  }

  private stream(ir: IrStream): SinkStreamEntry {
    if (this.last !== undefined && this.lastStream === ir) return this.last;
    const t = this.trace(ir.trace, ir);
    const s = t.streams.get(ir);
    if (s) {
      this.lastStream = ir;
      this.last = s;
      return s;
    }
    const sc = t.model.streamClass(ir.streamClass);
    const fileName = streamFileName(ir.name === undefined ? undefined : fsName(ir.name), t.fileNames);
    t.fileNames.add(fileName);
    const path = `${t.dir}/${fileName}`;
    let file: FileOutput;
    try {
      file = new FileOutput(path);
    } catch (e) {
      throw ioError(`Cannot open stream file for writing: path="${path}"`, e);
    }
    const writer = new SinkStreamWriter(sc, ir, t.model.out.uuid, fileName, file, path);
    const entry: SinkStreamEntry = { writer, file, trace: t };
    t.streams.set(ir, entry);
    if (this.ctx.logger.enabled("info"))
      this.ctx.logger.log("info", `Created new, empty stream file: ${writer.describe()}`);
    this.lastStream = ir;
    this.last = entry;
    return entry;
  }

  private closeStream(t: SinkTrace, ir: IrStream): void {
    const s = t.streams.get(ir);
    if (!s) return;
    t.streams.delete(ir);
    if (this.lastStream === ir) {
      this.lastStream = undefined;
      this.last = undefined;
    }
    s.file.close();
    this.writeIndex(t, s.writer);
  }

  private writeIndex(t: SinkTrace, w: SinkStreamWriter): void {
    if (!w.index || w.index.length === 0) return;
    const dir = `${t.dir}/index`;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      const out = new FileOutput(`${dir}/${w.fileName}.idx`);
      try {
        out.write(indexFileHeader());
        for (const e of w.index) out.write(indexEntryBytes(e));
      } finally {
        out.close();
      }
    } catch (e) {
      throw ioError(`Cannot write index file: path="${dir}/${w.fileName}.idx"`, e);
    }
  }

  finalize(): void {
    let firstError: unknown;
    // babeltrace2 writes a trace's metadata when its IR trace is destroyed, which happens in the
    // order its sources were created: trace class IDs follow that order.
    const traces = [...this.traces.values()].sort((a, b) => a.ir.traceClass.id - b.ir.traceClass.id);
    for (const t of traces) {
      if (t.finished) continue;
      t.finished = true;
      try {
        for (const [ir, s] of [...t.streams]) {
          // A stream the graph never ended (error, interruption): keep what was written.
          if (s.writer.isOpen) s.writer.closeInterrupted();
          this.closeStream(t, ir);
        }
        const text =
          this.p.ctfVersion === 2
            ? ctf2FromOutTrace(t.model.out, { namespace: t.ir.namespace })
            : tsdlFromOutTrace(t.model.out);
        const md = new FileOutput(`${t.dir}/metadata`);
        try {
          md.write(Buffer.from(text, "latin1"));
        } finally {
          md.close();
        }
        if (!this.p.quiet) this.ctx.stdout(`Created CTF trace \`${t.dir}\`.\n`);
      } catch (e) {
        firstError ??= e instanceof TtngError ? e : ioError(`Cannot write metadata file: path="${t.dir}/metadata"`, e);
      }
    }
    if (firstError === undefined) return;
    if (!this.failed) throw firstError;
    if (this.ctx.logger.enabled("warning"))
      this.ctx.logger.log("warning", `After an earlier error: ${(firstError as Error).message}`);
  }
}

export const ctfFsSinkClass: ComponentClass = {
  type: "sink",
  plugin: "ctf",
  name: "fs",
  description: "Write CTF traces to the file system.",
  help: "See the babeltrace2-sink.ctf.fs(7) manual page.",
  readsEventFields: true,
  create: (params, ctx) => new CtfFsSink(params, ctx),
};

/**
 * What a discarded-items message adds to a uint64 counter: an unknown count (-1) counts
 * one, as babeltrace2 does; a wrapped-around count (a bigint: the source's counter went
 * backwards) adds its uint64 meaning, so the written counter goes backwards the same way.
 */
function countToAdd(count: number | bigint): number {
  if (typeof count === "bigint") return -Number((1n << 64n) - count);
  return count < 0 ? 1 : count;
}
