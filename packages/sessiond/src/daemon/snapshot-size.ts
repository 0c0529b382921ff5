/**
 * `snapshot record -m/--max-size`: how many packets each stream may contribute, by
 * lttng-sessiond 2.13's rule (cmd.c `get_session_nb_packets_per_stream`): add one more packet
 * of every stream that still has one (a stream has at most `numSubbuf`) while the total stays
 * within the size; every stream counts a whole sub-buffer per packet (the worst case, packets
 * being padded to their sub-buffer).
 */
import type { SnapshotStream } from "@ttng/protocol";

/**
 * Packets per stream for `maxSizeBytes`: 0 means all of them (no size, or no stream), -1 that
 * the size cannot hold one packet of every stream (LTTng's `MAX_SIZE_INVALID`).
 *
 * @example
 * packetsPerStream([{ subbufSize: 4096, numSubbuf: 4 }, { subbufSize: 4096, numSubbuf: 4 }], 8192); // 1
 */
export function packetsPerStream(streams: readonly SnapshotStream[], maxSizeBytes: number): number {
  if (maxSizeBytes <= 0) return 0;
  let left = maxSizeBytes;
  let packets = 0;
  for (;;) {
    let oneMore = 0;
    for (const s of streams) if (packets < s.numSubbuf) oneMore += s.subbufSize;
    if (oneMore === 0) break; // every packet of every stream already fits
    left -= oneMore;
    if (left < 0) break;
    packets++;
  }
  return packets === 0 && left !== maxSizeBytes ? -1 : packets;
}
