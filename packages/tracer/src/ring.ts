/**
 * One ring buffer: a SharedArrayBuffer holding a control area and `numSubbuf` sub-buffers of
 * `subbufSize` bytes; each sub-buffer becomes one CTF packet (LTTng-UST's per-CPU buffer, here per
 * emitting thread and channel). The producer is the one thread that emits into it; the consumer
 * worker is the one reader. This module is the producer side and the shared layout; the consumer
 * side lives in consumer.ts.
 *
 * Protocol (single producer, single consumer, counters in the control area):
 * - packets are numbered 0, 1, 2...; packet q lives in sub-buffer q % numSubbuf;
 * - PRODUCED = packets closed (the open packet is number PRODUCED); CONSUMED = packets read;
 * - discard: packet q opens only if q - CONSUMED < numSubbuf, else the event is dropped and counted;
 * - blocking: same, but the producer waits (Atomics.wait) for CONSUMED up to the timeout first;
 * - overwrite: packet q always opens; the consumer copies a packet, then checks that PRODUCED is
 *   still below q + numSubbuf (the slot was not reopened while copying) and drops it otherwise,
 *   so lost packets show as gaps in packet_seq_num (LTTng's flight recorder).
 * The hot path touches only plain JS fields of `Ring` plus one plain store of COMMIT (the end of
 * the last whole event) so the consumer can flush a thread that no longer runs JS (remote flush).
 */

export const CTL_BYTES = 64;
export const PACKET_HEADER_BYTES = 32; // magic, uuid[16], stream_id, stream_instance_id
export const PACKET_CONTEXT_BYTES = 52; // ts begin/end, content/packet size, seq, discarded, cpu_id
export const PACKET_PREFIX_BYTES = PACKET_HEADER_BYTES + PACKET_CONTEXT_BYTES;
export const PACKET_MAGIC = 0xc1fc1fc1;
const PAGE = 4096;

/** Int32 indexes in the control area. */
export const Ctl = {
  Produced: 0,
  Consumed: 1,
  Commit: 2,
  Discarded: 3,
  Open: 4,
  BeginLo: 5,
  BeginHi: 6,
  /** 1 once the producer has flushed for good (stop or thread exit). */
  Final: 7,
  /** 1 when the session told this ring to stop (checked on the slow path only). */
  Stopped: 8,
  /** Events written into the buffer, as of the last close (low and high 32-bit words). */
  RecordedLo: 9,
  RecordedHi: 10,
} as const;

/** Session-wide control SAB (Int32): the consumer's doorbell and heartbeat. */
export const SessionCtl = {
  Doorbell: 0,
  Heartbeat: 1,
  /** Set when tracing must stop (consumer error, stop()). */
  Dead: 2,
  /**
   * Set by the main thread when the process exits (`process.exit()`, the end of the main
   * module with a session still open is `beforeExit`'s): the consumer writes what the rings
   * hold, flushing the open packets itself, then sets `ExitDone`.
   */
  ExitFlush: 3,
  ExitDone: 4,
  /**
   * Worker threads that joined the session: each adds 1 before it posts its rings and records,
   * so `stop()` knows how many "joined" messages to wait for, whichever channel is faster.
   */
  Joined: 5,
} as const;

/** Wakes the consumer: bumps the session's doorbell word, which its loop waits on. */
export function ringDoorbell(session: Int32Array): void {
  Atomics.add(session, SessionCtl.Doorbell, 1);
  Atomics.notify(session, SessionCtl.Doorbell);
}

/** Bytes of a session's control words (SessionCtl). */
export const SESSION_CTL_BYTES = 32;

export type RingMode = "discard" | "overwrite" | "blocking";

export interface RingConfig {
  subbufSize: number;
  numSubbuf: number;
  mode: RingMode;
  /** Blocking mode: give up after this long (µs); Infinity waits while the consumer lives. */
  blockingTimeoutUs: number;
  streamId: number;
  instanceId: number;
  cpuId: number;
  uuid: Uint8Array;
  /** Ring the doorbell on each closed packet (off with a read timer, like LTTng's -rt clients). */
  wakeup: boolean;
}

/** Next power of two ≥ n (LTTng rounds sub-buffer sizes and counts this way). */
export function pow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export function ringBytes(subbufSize: number, numSubbuf: number): number {
  return CTL_BYTES + subbufSize * numSubbuf;
}

export class Ring {
  readonly sab: SharedArrayBuffer;
  readonly u8: Uint8Array;
  readonly dv: DataView;
  readonly ctl: Int32Array;
  readonly session: Int32Array;
  readonly cfg: RingConfig;
  /** Next write offset (absolute in the SAB). */
  pos = 0;
  /** End of the open sub-buffer; 0 when none is open, so every reservation takes the slow path. */
  end = 0;
  /**
   * Timestamp of the last recorded event: `timestamp >> 27` and its low 27 bits (small integers).
   * LTTng-UST's rule on 64-bit hosts (last_tsc_overflow): an event takes the extended header when
   * 2^27 ns or more passed since the last one, that is unless its `ts >> 27` is the same, or one
   * more with lower low bits. -1 (first event) forces it.
   */
  lastHigh = -1;
  lastLow = 0;
  pktStart = 0;
  seq = 0;
  discarded = 0;
  open = false;
  beginLo = 0;
  beginHi = 0;
  dead = false;
  /** Events written (the writers increment it at commit). */
  count = 0;
  private closedDiscarded = 0;

  constructor(sab: SharedArrayBuffer, session: Int32Array, cfg: RingConfig) {
    this.sab = sab;
    this.u8 = new Uint8Array(sab);
    this.dv = new DataView(sab);
    this.ctl = new Int32Array(sab, 0, CTL_BYTES / 4);
    this.session = session;
    this.cfg = cfg;
  }

  /**
   * Header bytes of an event whose `ts >> 27` (`high`) differs from the last event's: 6 (compact)
   * when less than 2^27 ns passed since it (`high` one more and lower low bits), else 14.
   */
  headerBytes(high: number, low: number): number {
    return high === this.lastHigh + 1 && low < this.lastLow ? 6 : 14;
  }

  /** Writes an extended event header (id 65535, then the 32-bit id and 64-bit timestamp) at `p`; returns its end. */
  extended(p: number, id: number, hi: number, lo: number): number {
    const dv = this.dv;
    dv.setUint16(p, 0xffff, true);
    dv.setUint32(p + 2, id, true);
    dv.setUint32(p + 6, lo, true);
    dv.setUint32(p + 10, hi, true);
    return p + 14;
  }

  /**
   * Slow path of a reservation: room for `need` bytes, switching sub-buffers when needed.
   * Returns the write position, or -1 when the event is dropped (counted as discarded).
   */
  slow(need: number, hi: number, lo: number): number {
    if (this.open && this.pos + need <= this.end) return this.pos;
    if (this.dead || this.session[SessionCtl.Dead] !== 0 || this.ctl[Ctl.Stopped] !== 0) return -1;
    const cfg = this.cfg;
    if (need > cfg.subbufSize - PACKET_PREFIX_BYTES) return this.drop();
    if (this.open) this.close(hi, lo);
    if (!this.tryOpen(hi, lo)) return this.drop();
    return this.pos;
  }

  private drop(): number {
    this.discarded++;
    this.ctl[Ctl.Discarded] = this.discarded;
    return -1;
  }

  private slotFree(): boolean {
    const cfg = this.cfg;
    if (cfg.mode === "overwrite") return true;
    if (this.seq - Atomics.load(this.ctl, Ctl.Consumed) < cfg.numSubbuf) return true;
    if (cfg.mode !== "blocking") return false;
    // LTTng-UST polls (RETRY_DELAY_MS); here the consumer notifies CONSUMED, so wait on it.
    const deadline =
      cfg.blockingTimeoutUs === Number.POSITIVE_INFINITY ? Infinity : performance.now() + cfg.blockingTimeoutUs / 1000;
    let beat = Atomics.load(this.session, SessionCtl.Heartbeat);
    let beatAt = performance.now();
    for (;;) {
      const consumed = Atomics.load(this.ctl, Ctl.Consumed);
      if (this.seq - consumed < cfg.numSubbuf) return true;
      const now = performance.now();
      if (now >= deadline || this.session[SessionCtl.Dead] !== 0) return false;
      const b = Atomics.load(this.session, SessionCtl.Heartbeat);
      if (b !== beat) {
        beat = b;
        beatAt = now;
      } else if (now - beatAt > 2000) {
        return false; // the consumer stopped beating: never stall on a dead consumer
      }
      Atomics.wait(this.ctl, Ctl.Consumed, consumed, Math.min(50, Math.max(1, deadline - now)));
    }
  }

  private tryOpen(hi: number, lo: number): boolean {
    if (!this.slotFree()) return false;
    const cfg = this.cfg;
    const start = CTL_BYTES + (this.seq % cfg.numSubbuf) * cfg.subbufSize;
    this.pktStart = start;
    this.pos = start + PACKET_PREFIX_BYTES;
    this.end = start + cfg.subbufSize;
    // lastHigh and lastLow stay: like LTTng-UST (last_tsc_overflow), a packet's first event is
    // compact when less than 2^27 ns passed since the previous event; timestamp_begin is this
    // event's ts, so readers rebuild it exactly.
    this.beginLo = lo;
    this.beginHi = hi;
    this.open = true;
    const ctl = this.ctl;
    ctl[Ctl.BeginLo] = lo | 0;
    ctl[Ctl.BeginHi] = hi | 0;
    ctl[Ctl.Commit] = this.pos;
    Atomics.store(ctl, Ctl.Open, 1);
    return true;
  }

  /** Writes the packet header and context, then publishes the packet (CTF 1.8 §5). */
  close(hi: number, lo: number): void {
    const cfg = this.cfg;
    const start = this.pktStart;
    const contentBytes = this.pos - start;
    const packetBytes = Math.min(cfg.subbufSize, Math.ceil(contentBytes / PAGE) * PAGE);
    writePacketPrefix(this.dv, this.u8, start, cfg, {
      beginLo: this.beginLo,
      beginHi: this.beginHi,
      endLo: lo,
      endHi: hi,
      contentBytes,
      packetBytes,
      seq: this.seq,
      discarded: this.discarded,
    });
    this.u8.fill(0, this.pos, start + packetBytes);
    this.closedDiscarded = this.discarded;
    this.ctl[Ctl.RecordedLo] = this.count | 0;
    this.ctl[Ctl.RecordedHi] = Math.floor(this.count / 4294967296);
    this.open = false;
    this.end = 0;
    this.pos = 0;
    this.seq++;
    Atomics.store(this.ctl, Ctl.Open, 0);
    Atomics.store(this.ctl, Ctl.Produced, this.seq);
    if (cfg.wakeup) {
      ringDoorbell(this.session);
    }
  }

  /**
   * Closes the open packet if it holds events (switch timer, stop); on `final`, also makes sure
   * the last discarded count reaches the trace in an (empty) packet, then marks the ring final.
   */
  flush(hi: number, lo: number, final: boolean): boolean {
    if (this.open) {
      if (this.pos > this.pktStart + PACKET_PREFIX_BYTES || final) this.close(hi, lo);
    } else if (
      final &&
      this.discarded !== this.lastCloseDiscarded() &&
      !this.dead &&
      this.session[SessionCtl.Dead] === 0
    ) {
      // Events dropped after the last packet: their count needs one more (empty) packet, once
      // the consumer frees a sub-buffer; the caller retries.
      if (!this.tryOpenNoBlock(hi, lo)) return false;
      this.close(hi, lo);
    }
    if (final) this.markFinal();
    return true;
  }

  markFinal(): void {
    this.ctl[Ctl.Stopped] = 1;
    Atomics.store(this.ctl, Ctl.Final, 1);
    ringDoorbell(this.session);
  }

  private lastCloseDiscarded(): number {
    return this.closedDiscarded;
  }

  private tryOpenNoBlock(hi: number, lo: number): boolean {
    const mode = this.cfg.mode;
    if (mode === "blocking") (this.cfg as { mode: RingMode }).mode = "discard";
    const ok = this.tryOpen(hi, lo);
    (this.cfg as { mode: RingMode }).mode = mode;
    return ok;
  }
}

export interface PacketPrefix {
  beginLo: number;
  beginHi: number;
  endLo: number;
  endHi: number;
  contentBytes: number;
  packetBytes: number;
  seq: number;
  discarded: number;
}

function setU64(dv: DataView, at: number, value: number): void {
  dv.setUint32(at, value >>> 0, true);
  dv.setUint32(at + 4, Math.floor(value / 4294967296), true);
}

/** Packet header + LTTng's packet context, little-endian, packed. */
export function writePacketPrefix(dv: DataView, u8: Uint8Array, start: number, cfg: RingConfig, p: PacketPrefix): void {
  dv.setUint32(start, PACKET_MAGIC, true);
  u8.set(cfg.uuid, start + 4);
  dv.setUint32(start + 20, cfg.streamId, true);
  setU64(dv, start + 24, cfg.instanceId);
  const c = start + PACKET_HEADER_BYTES;
  dv.setUint32(c, p.beginLo, true);
  dv.setUint32(c + 4, p.beginHi, true);
  dv.setUint32(c + 8, p.endLo, true);
  dv.setUint32(c + 12, p.endHi, true);
  setU64(dv, c + 16, p.contentBytes * 8);
  setU64(dv, c + 24, p.packetBytes * 8);
  setU64(dv, c + 32, p.seq);
  setU64(dv, c + 40, p.discarded);
  dv.setUint32(c + 48, cfg.cpuId, true);
}
