/**
 * LTTng packet index files (`index/<stream>.idx`, lttng-tools'
 * ctf-index.h): a header (magic 0xC1F1DCC1, version, entry length) then
 * one big-endian entry per packet. Versions 1.0 and 1.1 (adds stream
 * instance ID and packet sequence number).
 */
import { FormatError } from "@ttng/base";

export const INDEX_MAGIC = 0xc1f1dcc1;

export interface IndexEntry {
  offsetBytes: number;
  packetSizeBits: number;
  contentSizeBits: number;
  tsBegin: number;
  tsEnd: number;
  eventsDiscarded: number;
  streamClassId: number;
  streamInstanceId: number | undefined;
  packetSeqNum: number | undefined;
}

function u64(dv: DataView, at: number): number {
  return dv.getUint32(at, false) * 4294967296 + dv.getUint32(at + 4, false);
}

/** Parses an index file; throws `ERR_DECODE` on a malformed one. */
export function parseIndexFile(bytes: Uint8Array): IndexEntry[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (m: string) =>
    new FormatError("ERR_DECODE", `Invalid LTTng index file: ${m}`, { actor: "source.ctf.fs" });
  if (bytes.byteLength < 16) throw fail("too short for a header");
  if (dv.getUint32(0, false) !== INDEX_MAGIC) throw fail("bad magic number");
  const major = dv.getUint32(4, false);
  const minor = dv.getUint32(8, false);
  const entryLen = dv.getUint32(12, false);
  if (major !== 1) throw fail(`unsupported version ${major}.${minor}`);
  if (entryLen < 56) throw fail(`entry length too small: ${entryLen}`);
  const out: IndexEntry[] = [];
  for (let at = 16; at + entryLen <= bytes.byteLength; at += entryLen) {
    out.push({
      offsetBytes: u64(dv, at),
      packetSizeBits: u64(dv, at + 8),
      contentSizeBits: u64(dv, at + 16),
      tsBegin: u64(dv, at + 24),
      tsEnd: u64(dv, at + 32),
      eventsDiscarded: u64(dv, at + 40),
      streamClassId: u64(dv, at + 48),
      streamInstanceId: entryLen >= 64 ? u64(dv, at + 56) : undefined,
      packetSeqNum: entryLen >= 72 ? u64(dv, at + 64) : undefined,
    });
  }
  return out;
}
