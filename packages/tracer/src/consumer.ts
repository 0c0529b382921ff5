/**
 * The consumer: one worker thread per process (LTTng's consumerd role) that drains closed
 * sub-buffers of every ring and writes the stream files (`<channel>_<thread index>`), the
 * packetized metadata and the LTTng index files v1.1 (lttng-tools ctf-index.h) of one trace
 * directory. It writes each packet as soon as it is closed, so a killed process leaves readable
 * files. It never touches the traced program: errors (ENOSPC, EIO...) are posted once to the
 * main thread, which stops tracing. Not a network consumer (relayd comes with its issue).
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { metadataPackets } from "@ttng/protocol";
import {
  CTL_BYTES,
  Ctl,
  PACKET_HEADER_BYTES,
  PACKET_PREFIX_BYTES,
  type RingConfig,
  type RingMode,
  ringDoorbell,
  SessionCtl,
  writePacketPrefix,
} from "./ring.js";

export type ConsumerMessage =
  | {
      type: "init";
      dir: string;
      session: SharedArrayBuffer;
      uuid: Uint8Array;
      pollMs: number;
      /** false: a session daemon writes this trace's metadata (per-UID). */
      metadata?: boolean;
      /** 2: CTF 2 metadata (packet headers say version 2.0). */
      metadataVersion?: 2;
      /** A snapshot session: nothing is written until `snapshot` (the rings overwrite). */
      snapshot?: boolean;
    }
  /** Writes the packets now in the rings (and the metadata, unless per-UID) under `dir`. */
  /** `packets` > 0: only the newest `packets` closed packets of each stream (`snapshot record -m`). */
  | { type: "snapshot"; dir: string; req: number; packets?: number }
  | {
      type: "ring";
      sab: SharedArrayBuffer;
      file: string;
      streamId: number;
      instanceId: number;
      cpuId: number;
      subbufSize: number;
      numSubbuf: number;
      mode: RingMode;
      /** LTTng's `--tracefile-size` (0 = one file) and `--tracefile-count` (0 = no limit). */
      tracefileSizeBytes?: number;
      tracefileCount?: number;
    }
  | { type: "metadata"; text: string }
  | { type: "finish" };

export interface ConsumerStats {
  packets: number;
  lostPackets: number;
  bytes: number;
  discardedEvents: number;
  recordedEvents: number;
  streams: string[];
}

const INDEX_ENTRY = 72;

interface AtomicsWaitAsync {
  waitAsync(a: Int32Array, i: number, v: number, t: number): { async: boolean; value: Promise<unknown> | string };
}

interface RingState {
  msg: Extract<ConsumerMessage, { type: "ring" }>;
  ctl: Int32Array;
  u8: Uint8Array;
  fd: number;
  idx: number;
  offset: number;
  lastSeq: number;
  written: number;
  /** Trace file number (`FILE_N`) when the stream is split by `tracefileSizeBytes`. */
  fileNo: number;
}

/** Opens a stream file and its LTTng index (v1.1 header written); returns [fd, idx]. */
function openStreamFiles(dir: string, name: string): [number, number] {
  const fd = openSync(join(dir, name), "w");
  const idx = openSync(join(dir, "index", `${name}.idx`), "w");
  const h = new DataView(new ArrayBuffer(16));
  h.setUint32(0, 0xc1f1dcc1);
  h.setUint32(4, 1);
  h.setUint32(8, 1);
  h.setUint32(12, INDEX_ENTRY);
  writeAll(idx, new Uint8Array(h.buffer));
  return [fd, idx];
}

/** writeSync until every byte is written: a full disk first gives a short write, then ENOSPC. */
function writeAll(fd: number, bytes: Uint8Array, length = bytes.length): void {
  let done = 0;
  while (done < length) {
    const n = writeSync(fd, bytes, done, length - done);
    if (n <= 0) throw Object.assign(new Error("short write"), { code: "EIO" });
    done += n;
  }
}

function u64(dv: DataView, at: number): number {
  return dv.getUint32(at, true) + dv.getUint32(at + 4, true) * 4294967296;
}

class Consumer {
  private rings: RingState[] = [];
  private session!: Int32Array;
  private dir = "";
  private uuid: Uint8Array = new Uint8Array(16);
  private metadataVersion: [number, number] = [1, 8];
  private metaFd = -1;
  private metaBytes = 0;
  private pendingMeta = "";
  private failed = false;
  private finishing = false;
  private pollMs = 100;
  private snapshotMode = false;
  private writesMetadata = true;
  /** Snapshot mode: every metadata text so far (written whole into each snapshot). */
  private allMeta = "";
  stats: ConsumerStats = { packets: 0, lostPackets: 0, bytes: 0, discardedEvents: 0, recordedEvents: 0, streams: [] };

  constructor(private readonly post: (m: unknown) => void) {}

  private fail(e: unknown): void {
    if (this.failed) return;
    this.failed = true;
    Atomics.store(this.session, SessionCtl.Dead, 1);
    const err = e as NodeJS.ErrnoException;
    this.post({ type: "error", code: err?.code ?? "EIO", message: String(err?.message ?? e) });
  }

  private io(fn: () => void): void {
    if (this.failed) return;
    try {
      fn();
    } catch (e) {
      this.fail(e);
    }
  }

  handle(m: ConsumerMessage): void {
    switch (m.type) {
      case "init":
        this.session = new Int32Array(m.session);
        this.dir = m.dir;
        this.uuid = m.uuid;
        if (m.metadataVersion === 2) this.metadataVersion = [2, 0];
        this.pollMs = m.pollMs;
        this.writesMetadata = m.metadata !== false;
        if (m.snapshot === true) {
          this.snapshotMode = true;
          break;
        }
        this.io(() => {
          mkdirSync(join(m.dir, "index"), { recursive: true });
          if (m.metadata !== false) this.metaFd = openSync(join(m.dir, "metadata"), "w");
        });
        void this.loop();
        break;
      case "ring": {
        let fd = -1;
        let idx = -1;
        if (!this.snapshotMode)
          this.io(() => {
            // Split streams are CHANNEL_N_0, CHANNEL_N_1, ... from the first file on (LTTng's names).
            [fd, idx] = openStreamFiles(this.dir, (m.tracefileSizeBytes ?? 0) > 0 ? `${m.file}_0` : m.file);
          });
        this.stats.streams.push(m.file);
        this.rings.push({
          msg: m,
          ctl: new Int32Array(m.sab, 0, CTL_BYTES / 4),
          u8: new Uint8Array(m.sab),
          fd,
          idx,
          offset: 0,
          lastSeq: -1,
          written: 0,
          fileNo: 0,
        });
        break;
      }
      case "metadata":
        if (this.snapshotMode) this.allMeta += m.text;
        else {
          this.pendingMeta += m.text;
          // Written now, not at the next poll (up to a second away): the loop waits on the bell.
          ringDoorbell(this.session);
        }
        break;
      case "snapshot":
        this.post({ type: "snapshot-done", req: m.req, error: this.writeSnapshot(m.dir, m.packets ?? 0) });
        break;
      case "finish":
        if (this.snapshotMode) {
          for (const r of this.rings) {
            this.stats.discardedEvents += Atomics.load(r.ctl, Ctl.Discarded);
            this.stats.recordedEvents += (r.ctl[Ctl.RecordedLo]! >>> 0) + r.ctl[Ctl.RecordedHi]! * 4294967296;
          }
          this.post({ type: "done", stats: this.stats });
          break;
        }
        this.finishing = true;
        ringDoorbell(this.session);
        break;
    }
  }

  private writeMetadata(): void {
    if (this.pendingMeta === "") return;
    const text = this.pendingMeta;
    this.pendingMeta = "";
    const bytes = metadataPackets(text, this.uuid, this.metadataVersion);
    this.io(() => {
      try {
        writeAll(this.metaFd, bytes);
      } catch (err) {
        try {
          ftruncateSync(this.metaFd, this.metaBytes);
        } catch {}
        throw err;
      }
      this.metaBytes += bytes.length;
    });
  }

  /**
   * Snapshot: the closed packets still in each ring (overwrite mode keeps the last
   * numSubbuf - 1 whole ones; the one being reopened is skipped; at most `packets` of them when
   * not 0, the newest), oldest first, into stream
   * files and index files under `dir`, plus the metadata. Returns an error message or null.
   */
  private writeSnapshot(dir: string, packets: number): string | null {
    const fds: number[] = [];
    try {
      mkdirSync(join(dir, "index"), { recursive: true });
      if (this.writesMetadata) {
        const fd = openSync(join(dir, "metadata"), "w");
        fds.push(fd);
        writeAll(fd, metadataPackets(this.allMeta, this.uuid));
      }
      for (const r of this.rings) {
        const { ctl, msg } = r;
        const n = msg.numSubbuf;
        const fd = openSync(join(dir, msg.file), "w");
        fds.push(fd);
        const idx = openSync(join(dir, "index", `${msg.file}.idx`), "w");
        fds.push(idx);
        const h = new DataView(new ArrayBuffer(16));
        h.setUint32(0, 0xc1f1dcc1);
        h.setUint32(4, 1);
        h.setUint32(8, 1);
        h.setUint32(12, INDEX_ENTRY);
        writeAll(idx, new Uint8Array(h.buffer));
        const snap: RingState = { ...r, fd, idx, offset: 0, written: 0, lastSeq: -1, fileNo: 0 };
        const produced = Atomics.load(ctl, Ctl.Produced);
        const first = Math.max(0, produced - n + 1, packets > 0 ? produced - packets : 0);
        for (let q = first; q < produced; q++) {
          const start = CTL_BYTES + (q % n) * msg.subbufSize;
          const copy = r.u8.slice(start, start + msg.subbufSize);
          if (Atomics.load(ctl, Ctl.Produced) >= q + n) continue; // reopened while copied
          this.writePacket(snap, copy);
          if (this.failed) return "cannot write the snapshot";
        }
      }
      return null;
    } catch (e) {
      return `cannot write the snapshot into ${dir}: ${(e as Error).message}`;
    } finally {
      for (const fd of fds) {
        try {
          closeSync(fd);
        } catch {}
      }
    }
  }

  /**
   * LTTng's tracefile rotation: the stream goes on in a new file once the next packet would pass
   * `--tracefile-size`; with `--tracefile-count`, file numbers wrap and the oldest file is replaced.
   */
  private nextTraceFile(r: RingState): void {
    const count = r.msg.tracefileCount ?? 0;
    const no = count > 0 ? (r.fileNo + 1) % count : r.fileNo + 1;
    this.io(() => {
      closeSync(r.fd);
      closeSync(r.idx);
      r.fd = -1;
      r.idx = -1;
      [r.fd, r.idx] = openStreamFiles(this.dir, `${r.msg.file}_${no}`);
    });
    r.fileNo = no;
    r.offset = 0;
    r.written = 0;
  }

  private writePacket(r: RingState, bytes: Uint8Array): void {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const c = PACKET_HEADER_BYTES;
    const packetBytes = Math.min(bytes.length, u64(dv, c + 24) / 8);
    const seq = u64(dv, c + 32);
    const limit = r.msg.tracefileSizeBytes ?? 0;
    if (limit > 0 && r.offset > 0 && r.offset + packetBytes > limit && !this.snapshotMode) this.nextTraceFile(r);
    if (this.failed) return;
    r.lastSeq = seq;
    const e = new DataView(new ArrayBuffer(INDEX_ENTRY));
    const vals = [
      r.offset,
      packetBytes * 8,
      u64(dv, c + 16),
      u64(dv, c),
      u64(dv, c + 8),
      u64(dv, c + 40),
      r.msg.streamId,
      r.msg.instanceId,
      seq,
    ];
    vals.forEach((v, j) => {
      e.setUint32(j * 8, Math.floor(v / 4294967296));
      e.setUint32(j * 8 + 4, v >>> 0);
    });
    this.io(() => {
      try {
        writeAll(r.fd, bytes, packetBytes);
        writeAll(r.idx, new Uint8Array(e.buffer));
      } catch (err) {
        // Leave whole packets only (a full disk may take part of a write), then report.
        try {
          ftruncateSync(r.fd, r.offset);
          ftruncateSync(r.idx, 16 + r.written * INDEX_ENTRY);
        } catch {}
        throw err;
      }
    });
    if (this.failed) return;
    r.offset += packetBytes;
    r.written++;
    this.stats.packets++;
    this.stats.bytes += packetBytes;
  }

  private drain(r: RingState): void {
    const { ctl, msg } = r;
    const n = msg.numSubbuf;
    for (;;) {
      const produced = Atomics.load(ctl, Ctl.Produced);
      let consumed = Atomics.load(ctl, Ctl.Consumed);
      if (consumed >= produced) return;
      if (msg.mode === "overwrite" && consumed < produced - n + 1) consumed = produced - n + 1;
      const start = CTL_BYTES + (consumed % n) * msg.subbufSize;
      if (msg.mode !== "overwrite") {
        // Discard and blocking modes: the producer leaves this sub-buffer alone until it is
        // released, so it is written from the ring itself, then released (no 256 KiB copy per
        // packet).
        if (!this.failed) this.writePacket(r, r.u8.subarray(start, start + msg.subbufSize));
        Atomics.store(ctl, Ctl.Consumed, consumed + 1);
        Atomics.notify(ctl, Ctl.Consumed);
        continue;
      }
      const copy = r.u8.slice(start, start + msg.subbufSize);
      if (Atomics.load(ctl, Ctl.Produced) >= consumed + n) {
        // The producer reopened this sub-buffer while we copied it: the packet is lost.
        Atomics.store(ctl, Ctl.Consumed, consumed + 1);
        continue;
      }
      Atomics.store(ctl, Ctl.Consumed, consumed + 1);
      Atomics.notify(ctl, Ctl.Consumed);
      if (!this.failed) this.writePacket(r, copy);
    }
  }

  /** Closes, from here, the open packet of a thread that did not flush (busy or gone). */
  private remoteFlush(r: RingState): void {
    const { ctl, msg } = r;
    if (Atomics.load(ctl, Ctl.Final) !== 0 || Atomics.load(ctl, Ctl.Open) === 0) return;
    Atomics.store(ctl, Ctl.Stopped, 1);
    const seq = Atomics.load(ctl, Ctl.Produced);
    const start = CTL_BYTES + (seq % msg.numSubbuf) * msg.subbufSize;
    const commit = ctl[Ctl.Commit]!;
    const content = commit - start;
    if (content <= PACKET_PREFIX_BYTES || content > msg.subbufSize) return;
    const packetBytes = Math.min(msg.subbufSize, Math.ceil(content / 4096) * 4096);
    const copy = new Uint8Array(packetBytes);
    copy.set(r.u8.subarray(start, commit));
    const now = Number(process.hrtime.bigint());
    const hi = Math.floor(now / 4294967296);
    const cfg: RingConfig = {
      subbufSize: msg.subbufSize,
      numSubbuf: msg.numSubbuf,
      mode: msg.mode,
      blockingTimeoutUs: 0,
      streamId: msg.streamId,
      instanceId: msg.instanceId,
      cpuId: msg.cpuId,
      uuid: this.uuid,
      wakeup: false,
    };
    writePacketPrefix(new DataView(copy.buffer), copy, 0, cfg, {
      beginLo: ctl[Ctl.BeginLo]! >>> 0,
      beginHi: ctl[Ctl.BeginHi]! >>> 0,
      endLo: now >>> 0,
      endHi: hi,
      contentBytes: content,
      packetBytes,
      seq,
      discarded: ctl[Ctl.Discarded]!,
    });
    this.writePacket(r, copy);
  }

  private async loop(): Promise<void> {
    const s = this.session;
    for (;;) {
      const bell = Atomics.load(s, SessionCtl.Doorbell);
      Atomics.add(s, SessionCtl.Heartbeat, 1);
      this.writeMetadata();
      for (const r of this.rings) this.drain(r);
      if (this.finishing || Atomics.load(s, SessionCtl.ExitFlush) !== 0) break;
      const w = (Atomics as unknown as AtomicsWaitAsync).waitAsync(s, SessionCtl.Doorbell, bell, this.pollMs);
      if (w.async) await w.value;
      else await new Promise((res) => setImmediate(res));
    }
    this.writeMetadata();
    for (const r of this.rings) {
      this.drain(r);
      this.remoteFlush(r);
      this.stats.discardedEvents += Atomics.load(r.ctl, Ctl.Discarded);
      this.stats.recordedEvents += (r.ctl[Ctl.RecordedLo]! >>> 0) + r.ctl[Ctl.RecordedHi]! * 4294967296;
      this.stats.lostPackets += r.lastSeq + 1 - r.written;
    }
    for (const r of this.rings) {
      try {
        if (r.fd >= 0) closeSync(r.fd);
        if (r.idx >= 0) closeSync(r.idx);
      } catch {}
    }
    try {
      if (this.metaFd >= 0) closeSync(this.metaFd);
    } catch {}
    Atomics.store(s, SessionCtl.ExitDone, 1);
    Atomics.notify(s, SessionCtl.ExitDone);
    this.post({ type: "done", stats: this.stats });
  }
}

// A consumer started by the daemon link's thread talks to the session over the port it was given.
const given = (workerData as { port?: MessagePort } | null)?.port;
const sessionPort = given ?? parentPort;
if (sessionPort !== null) {
  const port = sessionPort;
  const post = (m: unknown) => port.postMessage(m);
  // Each session starts with "init": a thread kept for the next in-process session (session.ts
  // keepIdleConsumer) starts afresh.
  let c = new Consumer(post);
  port.on("message", (m: ConsumerMessage) => {
    if (m.type === "init") c = new Consumer(post);
    c.handle(m);
  });
}
