/**
 * Writes LTTng packet index files (`index/<stream>.idx`, lttng-tools'
 * ctf-index.h), version 1.1: the encoding side of `index-file.ts`. A
 * header (magic, version, entry length) then one big-endian entry per
 * packet. Sizes are in bits, timestamps in clock cycles (raw values).
 */
import { INDEX_MAGIC } from "../index-file.js";

/** Bytes of a version 1.1 entry: nine 64-bit fields. */
export const INDEX_ENTRY_V1_1_BYTES = 72;

/** One packet of a version 1.1 index; 64-bit values as [hi, lo] unsigned 32-bit halves where they may exceed 2^53. */
export interface IndexEntryOut {
  offsetBytes: number;
  packetSizeBits: number;
  contentSizeBits: number;
  tsBegin: [number, number];
  tsEnd: [number, number];
  eventsDiscarded: number;
  streamClassId: number;
  streamInstanceId: number;
  packetSeqNum: number;
}

function put64(dv: DataView, at: number, v: number): void {
  const hi = Math.floor(v / 4294967296);
  dv.setUint32(at, hi >>> 0, false);
  dv.setUint32(at + 4, (v - hi * 4294967296) >>> 0, false);
}

/** The header of a version 1.1 index file. */
export function indexFileHeader(): Uint8Array {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, INDEX_MAGIC, false);
  dv.setUint32(4, 1, false);
  dv.setUint32(8, 1, false);
  dv.setUint32(12, INDEX_ENTRY_V1_1_BYTES, false);
  return b;
}

/** One version 1.1 entry. */
export function indexEntryBytes(e: IndexEntryOut): Uint8Array {
  const b = new Uint8Array(INDEX_ENTRY_V1_1_BYTES);
  const dv = new DataView(b.buffer);
  put64(dv, 0, e.offsetBytes);
  put64(dv, 8, e.packetSizeBits);
  put64(dv, 16, e.contentSizeBits);
  dv.setUint32(24, e.tsBegin[0] >>> 0, false);
  dv.setUint32(28, e.tsBegin[1] >>> 0, false);
  dv.setUint32(32, e.tsEnd[0] >>> 0, false);
  dv.setUint32(36, e.tsEnd[1] >>> 0, false);
  put64(dv, 40, e.eventsDiscarded);
  put64(dv, 48, e.streamClassId);
  put64(dv, 56, e.streamInstanceId);
  put64(dv, 64, e.packetSeqNum);
  return b;
}
