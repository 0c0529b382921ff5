/**
 * `source.ctf.fs`: reads one logical CTF 1.8 trace from one or more trace
 * directories (session-rotation chunks and overlapping snapshots merge by
 * UUID; tracefile-rotation files merge into one stream; duplicate packets
 * are dropped). One output port per logical stream, named as babeltrace2
 * names them. Packets are indexed from the LTTng index file (`index/*.idx`)
 * when it matches the data file, else by reading each packet's header and
 * context; then read one at a time: memory stays bounded by the largest
 * packet, whatever the trace's size. The index lets iterators seek to a
 * time by skipping whole packets (`seekNsFromOrigin`).
 */
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { Buffer } from "node:buffer";
import { join, resolve } from "node:path";
import { FormatError, silentLogger, TtngError } from "@ttng/base";
import {
  type DecoderConfig,
  decodeMetadataStream,
  type IndexEntry,
  type NsFromOrigin,
  parseIndexFile,
  nsFromOrigin,
  nsToDecimal,
  looksLikeMetadata,
  type TraceClass,
  TraceDecoder,
  traceClassFromMetadata,
} from "@ttng/ctf";
import {
  type ComponentClass,
  type ComponentContext,
  type IrEventClass,
  type IrStream,
  type IrTrace,
  type IteratorHints,
  type MapValue,
  NO_TERMINAL,
  type SourceComponent,
  type Value,
  vArray,
  vBool,
  vMap,
  vReal,
  vSint,
  vString,
} from "@ttng/graph";
import { CtfStreamIterator, type PacketEntry, type PacketSource } from "../msg-iter.js";
import { translateTraceClass } from "../translate.js";

const ACTOR = "source.ctf.fs";
const MAX_PACKET_BYTES = 256 * 1024 * 1024;

function fsErr(message: string, cause?: unknown): TtngError {
  return new TtngError("ERR_DECODE", message, cause === undefined ? { actor: ACTOR } : { actor: ACTOR, cause });
}

export interface OpenedTrace {
  path: string;
  tc: TraceClass;
  metadataText: string;
  isPacketized: boolean;
}

function readMetadataFile(dir: string): Uint8Array {
  const path = join(dir, "metadata");
  try {
    return readFileSync(path);
  } catch (e) {
    throw fsErr(`Cannot read metadata file \`${path}\``, e);
  }
}

function parseMetadata(dir: string, bytes: Uint8Array, config: DecoderConfig, warn: (m: string) => void): OpenedTrace {
  try {
    const md = decodeMetadataStream(bytes);
    for (const w of md.warnings) warn(w);
    const tc = traceClassFromMetadata(md, config);
    for (const w of tc.warnings) warn(w);
    if (md.uuid && tc.uuid && md.uuid !== tc.uuid) {
      // Packetized metadata UUID and trace UUID disagree: babeltrace2 rejects such traces.
      throw new FormatError(
        "ERR_METADATA",
        `Metadata packet UUID (${md.uuid}) differs from the trace's UUID (${tc.uuid})`,
      );
    }
    return { path: dir, tc, metadataText: md.text, isPacketized: md.isPacketized };
  } catch (e) {
    throw fsErr(`Cannot create trace for \`${dir}\`: invalid metadata in \`${join(dir, "metadata")}\``, e);
  }
}

const configKey = (c: DecoderConfig) =>
  `${c.clockOffsetSeconds ?? 0}/${c.clockOffsetNs ?? 0}/${c.forceOriginUnixEpoch === true}`;

/**
 * Traces parsed by `metadataUuid` (the CLI groups the traces it discovers by UUID), each kept for
 * the one source that opens the same metadata next with the default configuration: one parse
 * instead of two. Used only if the file still holds the same bytes; at most `MAX_KEPT`.
 */
const kept = new Map<string, { bytes: Uint8Array; opened: OpenedTrace; warnings: string[] }>();
const MAX_KEPT = 16;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Reads and parses `DIR/metadata`. */
export function openMetadata(dir: string, config: DecoderConfig, warn: (m: string) => void): OpenedTrace {
  const bytes = readMetadataFile(dir);
  const at = resolve(dir);
  const k = kept.get(at);
  if (k !== undefined && configKey(config) === configKey({}) && sameBytes(k.bytes, bytes)) {
    kept.delete(at);
    for (const w of k.warnings) warn(w);
    return { ...k.opened, path: dir };
  }
  return parseMetadata(dir, bytes, config, warn);
}

/**
 * The UUID of the trace in `dir` (undefined if it has none); throws as `openMetadata` does. The
 * parsed trace is kept for the next `openMetadata` of the same directory.
 */
export function metadataUuid(dir: string): string | undefined {
  const bytes = readMetadataFile(dir);
  const warnings: string[] = [];
  const opened = parseMetadata(dir, bytes, {}, (w) => warnings.push(w));
  const at = resolve(dir);
  kept.delete(at);
  kept.set(at, { bytes, opened, warnings });
  if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
  return opened.tc.uuid;
}

/** True when `dir` holds a `metadata` file that looks like CTF 1.8. */
export function isCtfTraceDir(dir: string): boolean {
  const p = join(dir, "metadata");
  if (!existsSync(p)) return false;
  try {
    if (!statSync(p).isFile()) return false;
    const fd = openSync(p, "r");
    try {
      const b = new Uint8Array(16);
      const n = readSync(fd, b, 0, 16, 0);
      return looksLikeMetadata(b.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

interface FileIndex {
  path: string;
  scId: number;
  dataStreamId: number;
  beginNs: number | undefined;
  packets: PacketEntry[];
}

type Preamble = ReturnType<TraceDecoder["readPreamble"]>;

/** Reads the packet header and context at `offset` (more bytes while the decoder asks for them). */
function preambleAt(
  fd: number,
  path: string,
  offset: number,
  size: number,
  decoder: TraceDecoder,
  st = decoder.newState(),
): Preamble {
  let want = Math.min(4096, size - offset);
  for (;;) {
    // A fresh buffer: the preamble's values may keep views of it.
    const chunk = new Uint8Array(want);
    const n = readSync(fd, chunk, 0, want, offset);
    st.setBuffer(chunk.subarray(0, n), offset);
    try {
      return decoder.readPreamble(st);
    } catch (e) {
      if (e instanceof FormatError && /not enough data/.test(e.message) && want < size - offset) {
        want = Math.min(want * 4, size - offset);
        continue;
      }
      throw fsErr(
        `Failed to index CTF stream file '${path}': cannot decode packet header/context at offset ${offset}`,
        e,
      );
    }
  }
}

/** Nanoseconds from origin of a packet's beginning (ordering only; exact times come from the snapshots). */
function beginNsOf(pre: Preamble, hi: number, lo: number): number {
  const cc = pre.streamClass.defaultClock;
  if (hi === -1 || !cc) return Number.NEGATIVE_INFINITY;
  const freq = cc.frequency;
  const v = hi * 4294967296 + lo;
  return (
    cc.offsetSeconds * 1e9 +
    (freq === 1e9 ? cc.offsetCycles : (1e9 * cc.offsetCycles) / freq) +
    (freq === 1e9 ? v : (1e9 * v) / freq)
  );
}

function entryOf(path: string, offset: number, pre: Preamble, sizeBytes: number): PacketEntry {
  return {
    path,
    offsetBytes: offset,
    sizeBytes,
    tsBeginNs: pre.tsBegin ? beginNsOf(pre, pre.tsBegin.hi, pre.tsBegin.lo) : Number.NEGATIVE_INFINITY,
    tsBeginHi: pre.tsBegin?.hi ?? -1,
    tsBeginLo: pre.tsBegin?.lo ?? 0,
    tsEndHi: pre.tsEnd?.hi ?? -1,
    tsEndLo: pre.tsEnd?.lo ?? 0,
    seqNum: pre.seqNum,
    packetSizeBits: pre.packetSizeBits,
  };
}

function fileIndexOf(path: string, scId: number, dataStreamId: number, packets: PacketEntry[]): FileIndex {
  const first = packets[0];
  return {
    path,
    scId,
    dataStreamId,
    beginNs: first && first.tsBeginHi !== -1 ? first.tsBeginNs : undefined,
    packets,
  };
}

/** Scans every packet's header and context (no event is decoded). */
function indexFile(path: string, decoder: TraceDecoder): FileIndex {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const packets: PacketEntry[] = [];
    let offset = 0;
    let scId = -1;
    let dataStreamId = -1;
    const st = decoder.newState();
    while (offset < size) {
      const pre = preambleAt(fd, path, offset, size, decoder, st);
      let totalBits = pre.packetSizeBits;
      if (totalBits < 0) totalBits = (size - offset) * 8;
      const sizeBytes = totalBits / 8;
      if (totalBits === 0 || offset + sizeBytes > size) {
        throw fsErr(
          `Failed to index CTF stream file '${path}': invalid packet size: offset=${offset}, packet-size-bytes=${sizeBytes}, file-size=${size}`,
        );
      }
      if (sizeBytes > MAX_PACKET_BYTES) {
        throw fsErr(`Packet too large: offset=${offset}, packet-size-bytes=${sizeBytes} (limit ${MAX_PACKET_BYTES})`);
      }
      if (scId === -1) {
        scId = pre.streamClass.id;
        dataStreamId = pre.dataStreamId;
      } else if (pre.streamClass.id !== scId) {
        throw fsErr(`Stream class ID changes within data stream file '${path}' at offset ${offset}`);
      }
      packets.push(entryOf(path, offset, pre, sizeBytes));
      offset += sizeBytes;
    }
    return fileIndexOf(path, scId, dataStreamId, packets);
  } finally {
    closeSync(fd);
  }
}

const TWO32 = 4294967296;

/**
 * The packet list from the LTTng index file `DIR/index/NAME.idx` (lttng-tools ctf-index.h),
 * reading only the first and last packets' header and context to check it: one read of the
 * index instead of one per packet. Undefined (then the caller scans the packets) when there is
 * no index, or it is malformed, or it does not describe this file exactly (packets end to end
 * over the whole file, and the first and last entries agree with those packets' contexts).
 */
function indexFromLttngIndex(path: string, idxPath: string, decoder: TraceDecoder): FileIndex | undefined {
  let entries: IndexEntry[];
  try {
    if (!existsSync(idxPath)) return undefined;
    entries = parseIndexFile(readFileSync(idxPath));
  } catch {
    return undefined;
  }
  if (entries.length === 0) return undefined;
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    let expect = 0;
    for (const e of entries) {
      if (e.offsetBytes !== expect || e.packetSizeBits <= 0 || e.packetSizeBits % 8 !== 0) return undefined;
      if (e.contentSizeBits > e.packetSizeBits || e.packetSizeBits / 8 > MAX_PACKET_BYTES) return undefined;
      if (e.tsEnd < e.tsBegin || e.tsEnd > Number.MAX_SAFE_INTEGER) return undefined;
      expect += e.packetSizeBits / 8;
    }
    if (expect !== size) return undefined;
    const firstEntry = entries[0]!;
    const lastEntry = entries[entries.length - 1]!;
    const first = preambleAt(fd, path, 0, size, decoder);
    const last = entries.length === 1 ? first : preambleAt(fd, path, lastEntry.offsetBytes, size, decoder);
    const hasTs = first.tsBegin !== undefined && first.tsEnd !== undefined;
    const hasSeq = first.seqNum !== -1;
    const agrees = (pre: Preamble, e: IndexEntry): boolean =>
      pre.streamClass.id === first.streamClass.id &&
      pre.packetSizeBits === e.packetSizeBits &&
      pre.contentSizeBits === e.contentSizeBits &&
      (pre.tsBegin !== undefined) === hasTs &&
      (pre.tsEnd !== undefined) === hasTs &&
      (!hasTs ||
        (pre.tsBegin!.hi * TWO32 + pre.tsBegin!.lo === e.tsBegin &&
          pre.tsEnd!.hi * TWO32 + pre.tsEnd!.lo === e.tsEnd)) &&
      (pre.seqNum !== -1) === hasSeq &&
      (!hasSeq || pre.seqNum === e.packetSeqNum);
    if (!agrees(first, firstEntry) || !agrees(last, lastEntry)) return undefined;
    const packets: PacketEntry[] = entries.map((e) => {
      const bHi = hasTs ? Math.floor(e.tsBegin / TWO32) : -1;
      const bLo = hasTs ? e.tsBegin % TWO32 : 0;
      return {
        path,
        offsetBytes: e.offsetBytes,
        sizeBytes: e.packetSizeBits / 8,
        tsBeginNs: hasTs ? beginNsOf(first, bHi, bLo) : Number.NEGATIVE_INFINITY,
        tsBeginHi: bHi,
        tsBeginLo: bLo,
        tsEndHi: hasTs ? Math.floor(e.tsEnd / TWO32) : -1,
        tsEndLo: hasTs ? e.tsEnd % TWO32 : 0,
        seqNum: hasSeq ? (e.packetSeqNum ?? -1) : -1,
        packetSizeBits: e.packetSizeBits,
      };
    });
    return fileIndexOf(path, first.streamClass.id, first.dataStreamId, packets);
  } finally {
    closeSync(fd);
  }
}

function sameEntry(a: PacketEntry, b: PacketEntry): boolean {
  return (
    a.packetSizeBits === b.packetSizeBits &&
    a.tsBeginHi === b.tsBeginHi &&
    a.tsBeginLo === b.tsBeginLo &&
    a.tsEndHi === b.tsEndHi &&
    a.tsEndLo === b.tsEndLo &&
    a.seqNum === b.seqNum
  );
}

interface Group {
  scId: number;
  streamId: number;
  files: FileIndex[];
  entries: PacketEntry[];
}

class FilePackets implements PacketSource {
  private fds = new Map<string, number>();
  read(e: PacketEntry): Uint8Array {
    let fd = this.fds.get(e.path);
    if (fd === undefined) {
      fd = openSync(e.path, "r");
      this.fds.set(e.path, fd);
    }
    // A fresh array per packet: its event messages keep it to decode their fields lazily. Memory
    // stays bounded: a packet's bytes live as long as its messages. Not zero-filled: it is read
    // whole (a short read is an error), and a plain `Uint8Array` keeps decoders monomorphic.
    const buf = new Uint8Array(Buffer.allocUnsafeSlow(e.sizeBytes).buffer, 0, e.sizeBytes);
    const n = readSync(fd, buf, 0, e.sizeBytes, e.offsetBytes);
    if (n !== e.sizeBytes)
      throw fsErr(`Short read in '${e.path}' at offset ${e.offsetBytes}: ${n} of ${e.sizeBytes} bytes`);
    return buf;
  }
  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

function getString(params: MapValue, key: string): string | undefined {
  const v = params.entries.get(key);
  if (v === undefined) return undefined;
  if (v.type !== "string") throw new TtngError("ERR_PARAMS", `\`${key}\` parameter must be a string`, { actor: ACTOR });
  return v.value;
}

function getInt(params: MapValue, key: string): number {
  const v = params.entries.get(key);
  if (v === undefined) return 0;
  if (v.type !== "sint" && v.type !== "uint")
    throw new TtngError("ERR_PARAMS", `\`${key}\` parameter must be a signed integer`, { actor: ACTOR });
  return Number(v.value);
}

function getBool(params: MapValue, key: string): boolean {
  const v = params.entries.get(key);
  if (v === undefined) return false;
  if (v.type !== "bool") throw new TtngError("ERR_PARAMS", `\`${key}\` parameter must be a boolean`, { actor: ACTOR });
  return v.value;
}

function inputsOf(params: MapValue): string[] {
  const v = params.entries.get("inputs");
  if (!v) throw new TtngError("ERR_PARAMS", "Missing `inputs` parameter", { actor: ACTOR });
  if (v.type !== "array" || v.items.length === 0 || v.items.some((i) => i.type !== "string")) {
    throw new TtngError("ERR_PARAMS", "`inputs` parameter must be a non-empty array of strings", { actor: ACTOR });
  }
  return v.items.map((i) => (i as { value: string }).value);
}

function tracerInfo(tc: TraceClass): { name: string; major: number; minor: number; patch: number } | undefined {
  const env = new Map(tc.env);
  const name = env.get("tracer_name");
  const major = env.get("tracer_major");
  if (typeof name !== "string" || typeof major !== "number") return undefined;
  const minor = env.get("tracer_minor");
  const patch = env.get("tracer_patch") ?? env.get("tracer_patchlevel");
  return { name, major, minor: typeof minor === "number" ? minor : 0, patch: typeof patch === "number" ? patch : 0 };
}

function applyQuirks(tc: TraceClass): void {
  const t = tracerInfo(tc);
  if (!t) return;
  if (t.name === "lttng-ust" && (t.major < 2 || (t.major === 2 && t.minor < 11)))
    tc.quirks.lttngEventAfterPacket = true;
  if (
    t.name === "lttng-modules" &&
    (t.major < 2 ||
      (t.major === 2 && (t.minor < 9 || (t.minor === 9 && t.patch < 13) || (t.minor === 10 && t.patch < 10))))
  ) {
    tc.quirks.lttngEventAfterPacket = true;
  }
  if (t.name === "barectf" && (t.major < 2 || (t.major === 2 && (t.minor < 3 || (t.minor === 3 && t.patch < 1))))) {
    tc.quirks.barectfEventBeforePacket = true;
  }
  if (t.name === "lttng-ust" || t.name === "lttng-modules") tc.quirks.lttngCrash = true;
}

class CtfFsSource implements SourceComponent {
  readonly kind = "source";
  private readonly ports: string[] = [];
  private readonly portGroups = new Map<string, { group: Group; stream: IrStream }>();
  private readonly decoder: TraceDecoder;
  private readonly tc: TraceClass;
  private readonly eventClasses: Map<number, Map<number, IrEventClass>>;
  private readonly packetSources: FilePackets[] = [];
  readonly trace: IrTrace;

  constructor(params: MapValue, ctx: ComponentContext) {
    // Normalized absolute paths, as babeltrace2 does (bt_common_normalize_path): stream names use them.
    const inputs = [...inputsOf(params)].map((p) => resolve(p)).sort();
    const traceName = getString(params, "trace-name");
    const config: DecoderConfig = {
      clockOffsetSeconds: getInt(params, "clock-class-offset-s"),
      clockOffsetNs: getInt(params, "clock-class-offset-ns"),
      forceOriginUnixEpoch: getBool(params, "force-clock-class-origin-unix-epoch"),
    };
    const warn = (m: string) => ctx.logger.log("warning", m);
    const opened = inputs.map((dir) => openMetadata(dir, config, warn));
    if (opened.length > 1) {
      for (const o of opened) {
        if (!o.tc.uuid) throw fsErr(`Multiple traces given, but a trace does not have a UUID: path=${o.path}`);
        if (o.tc.uuid !== opened[0]!.tc.uuid) {
          throw fsErr(
            `Multiple traces given, but UUIDs don't match: first-trace-uuid=${opened[0]!.tc.uuid}, first-trace-path=${opened[0]!.path}, trace-uuid=${o.tc.uuid}, trace-path=${o.path}`,
          );
        }
      }
    }
    // The trace with the most stream and event classes has the most complete metadata.
    let winner = opened[0]!;
    const classCount = (t: TraceClass) => t.streamClasses.reduce((n, s) => n + 1 + s.eventClasses.length, 0);
    for (const o of opened) if (classCount(o.tc) > classCount(winner.tc)) winner = o;
    this.tc = winner.tc;
    applyQuirks(this.tc);
    this.decoder = new TraceDecoder(this.tc);
    const translated = translateTraceClass(this.tc);
    this.eventClasses = translated.eventClasses;

    const hostname = this.tc.env.find(([k]) => k === "hostname")?.[1];
    let name = typeof hostname === "string" ? hostname : "";
    if (traceName !== undefined) name = typeof hostname === "string" ? `${hostname}/${traceName}` : traceName;
    this.trace = { traceClass: translated.traceClass, name, uuid: this.tc.uuid, env: this.tc.env, streams: [] };
    if (this.tc.namespace !== undefined) this.trace.namespace = this.tc.namespace;
    if (this.tc.ctfVersion === 2) {
      this.trace.uuid = undefined;
      if (this.tc.uid !== undefined) this.trace.uid = this.tc.uid;
    }

    const groups: Group[] = [];
    for (const o of opened) {
      const names = readdirSync(o.path).sort();
      for (const base of names) {
        if (base === "metadata" || base.startsWith(".")) continue;
        const full = join(o.path, base);
        let st: ReturnType<typeof statSync>;
        try {
          st = statSync(full);
        } catch (e) {
          throw fsErr(`Cannot stat data stream file \`${full}\``, e);
        }
        if (!st.isFile() || st.size === 0) continue;
        let fi: FileIndex;
        try {
          fi =
            indexFromLttngIndex(full, join(o.path, "index", `${base}.idx`), this.decoder) ??
            indexFile(full, this.decoder);
        } catch (e) {
          throw fsErr(`Cannot create trace for \`${o.path}\``, e);
        }
        if (fi.packets.length === 0) continue;
        let streamId = fi.dataStreamId;
        if (fi.beginNs === undefined) streamId = -1;
        let g = streamId === -1 ? undefined : groups.find((x) => x.scId === fi.scId && x.streamId === streamId);
        if (!g) {
          g = { scId: fi.scId, streamId, files: [], entries: [] };
          groups.push(g);
        }
        g.files.push(fi);
        // A file's own packets are already in order; only merging files dedupes (overlapping snapshots).
        if (g.files.length === 1) g.entries.push(...fi.packets);
        else for (const e of fi.packets) insertSorted(g.entries, e);
      }
    }
    for (const g of groups) g.files.sort((a, b) => (a.beginNs ?? 0) - (b.beginNs ?? 0));
    groups.sort((a, b) => (a.files[0]!.path < b.files[0]!.path ? -1 : a.files[0]!.path > b.files[0]!.path ? 1 : 0));
    let nextStreamId = 0;
    const traceId = this.tc.uuid ?? winner.path;
    for (const g of groups) {
      const sc = translated.streamClasses.get(g.scId)!;
      const firstPath = g.files[0]!.path;
      const stream: IrStream = {
        id: g.streamId === -1 ? nextStreamId++ : g.streamId,
        name: firstPath,
        streamClass: sc,
        trace: this.trace,
      };
      this.trace.streams.push(stream);
      const port = `${traceId} | ${g.scId} | ${g.streamId === -1 ? firstPath : g.streamId}`;
      this.ports.push(port);
      this.portGroups.set(port, { group: g, stream });
    }
  }

  outputPorts(): string[] {
    return this.ports;
  }

  createIterator(port: string, hints?: IteratorHints): CtfStreamIterator {
    const pg = this.portGroups.get(port);
    if (!pg) throw fsErr(`No such output port: ${port}`);
    const src = new FilePackets();
    this.packetSources.push(src);
    return new CtfStreamIterator(
      this.tc,
      this.decoder,
      pg.stream,
      this.eventClasses.get(pg.group.scId)!,
      pg.group.entries,
      src,
      256,
      hints?.eventFieldsRead === false,
    );
  }

  /** Per-stream time ranges (the `babeltrace.trace-infos` query). */
  streamRanges(): Array<{ port: string; begin: NsFromOrigin | undefined; end: NsFromOrigin | undefined }> {
    return this.ports.map((port) => {
      const { group, stream } = this.portGroups.get(port)!;
      const cc = this.tc.streamClassById.get(group.scId)?.defaultClock;
      const first = group.entries[0];
      const last = group.entries[group.entries.length - 1];
      const ns = (hi: number | undefined, lo: number | undefined) =>
        cc && hi !== undefined && lo !== undefined && hi !== -1 ? nsFromOrigin(cc, hi, lo) : undefined;
      void stream;
      return { port, begin: ns(first?.tsBeginHi, first?.tsBeginLo), end: ns(last?.tsEndHi, last?.tsEndLo) };
    });
  }

  /**
   * Each packet's beginning time (ns from origin) and size in bytes, over all streams: what the
   * parallel reader splits the time range by (sizes weigh the work). Undefined when a stream has
   * no default clock or a packet no beginning time.
   */
  packetStarts(): Array<{ s: number; ns: number; bytes: number }> | undefined {
    const out: Array<{ s: number; ns: number; bytes: number }> = [];
    for (const { group } of this.portGroups.values()) {
      const cc = this.tc.streamClassById.get(group.scId)?.defaultClock;
      if (cc === undefined) return undefined;
      for (const e of group.entries) {
        if (e.tsBeginHi === -1) return undefined;
        const t = nsFromOrigin(cc, e.tsBeginHi, e.tsBeginLo);
        out.push({ s: t.s, ns: t.ns, bytes: e.sizeBytes });
      }
    }
    return out;
  }

  finalize(): void {
    for (const s of this.packetSources) s.close();
  }
}

function insertSorted(entries: PacketEntry[], e: PacketEntry): void {
  let i = 0;
  while (i < entries.length && e.tsBeginNs > entries[i]!.tsBeginNs) i++;
  if (i < entries.length && sameEntry(e, entries[i]!)) return;
  entries.splice(i, 0, e);
}

function queryContext(): ComponentContext {
  return {
    name: "query",
    logger: silentLogger,
    stderr: () => {},
    stdout: () => {},
    stdoutBytes: () => {},
    mipVersion: 1,
    terminal: NO_TERMINAL,
  };
}

function query(object: string, params: MapValue): Value {
  switch (object) {
    case "babeltrace.support-info": {
      const type = getString(params, "type");
      const input = getString(params, "input");
      // babeltrace2 answers a map with a zero weight (not a bare real) for what it cannot read.
      if (type !== "directory" || input === undefined || !isCtfTraceDir(input)) return vMap({ weight: vReal(0) });
      let group: string | undefined;
      try {
        group = openMetadata(input, {}, () => {}).tc.uuid;
      } catch (e) {
        throw fsErr("Failed to read metadata for support-info query", e);
      }
      const m = vMap({ weight: vReal(0.75) });
      if (group) m.entries.set("group", vString(group));
      return m;
    }
    case "metadata-info": {
      const path = getString(params, "path");
      if (path === undefined) throw new TtngError("ERR_PARAMS", "Missing `path` parameter", { actor: ACTOR });
      const bytes = readFileSync(join(path, "metadata"));
      const md = decodeMetadataStream(bytes);
      return vMap({ text: vString(md.text), "is-packetized": vBool(md.isPacketized) });
    }
    case "babeltrace.trace-infos": {
      // One trace per query (the inputs of one source.ctf.fs component), babeltrace2's layout.
      const src = new CtfFsSource(params, queryContext());
      try {
        const infos = src.streamRanges().map((r) => {
          const info = vMap({ "port-name": vString(r.port) });
          if (r.begin && r.end) {
            info.entries.set(
              "range-ns",
              vMap({ begin: vSint(BigInt(nsToDecimal(r.begin))), end: vSint(BigInt(nsToDecimal(r.end))) }),
            );
          }
          return info;
        });
        if (infos.length === 0) {
          // As babeltrace2: a trace without data streams fails the query.
          const inputs = params.entries.get("inputs");
          const first = inputs?.type === "array" ? inputs.items[0] : undefined;
          throw fsErr(`Trace has no streams: trace-path=${first?.type === "string" ? first.value : ""}`);
        }
        return vArray([vMap({ "stream-infos": vArray(infos) })]);
      } finally {
        src.finalize();
      }
    }
    default:
      throw new TtngError("ERR_UNSUPPORTED", `Unknown query object: \`${object}\``, { actor: ACTOR });
  }
}

const FS_PARAMS = [
  "inputs",
  "trace-name",
  "clock-class-offset-s",
  "clock-class-offset-ns",
  "force-clock-class-origin-unix-epoch",
];

export const ctfFsSourceClass: ComponentClass = {
  type: "source",
  plugin: "ctf",
  name: "fs",
  description: "Read CTF traces from the file system.",
  help: "See the babeltrace2-source.ctf.fs(7) manual page.",
  create: (params, ctx) => {
    // babeltrace2 validates the parameters: a key it does not know is an error (a `run -b` base parameter meant for another component, say).
    for (const k of params.entries.keys())
      if (!FS_PARAMS.includes(k))
        throw new TtngError("ERR_PARAMS", `Error validating parameters: unexpected key \`${k}\`.`, { actor: ACTOR });
    return new CtfFsSource(params, ctx);
  },
  query: (object, params) => query(object, params),
};
