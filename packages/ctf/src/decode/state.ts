/**
 * Mutable decoding state shared by the reference interpreter and the
 * compiled decoders: the packet's bytes, the bit cursor, stored values
 * (sequence lengths, variant tags), the stream's default clock (two 32-bit
 * halves: no BigInt on the hot path) and the special fields' values.
 */
import { FormatError } from "@ttng/base";

export class DecodeState {
  buf: Uint8Array = new Uint8Array(0);
  dv: DataView = new DataView(new ArrayBuffer(0));
  /** Bit cursor, relative to `buf`. */
  pos = 0;
  /** Bits that may be read (packet content size). */
  end = 0;
  /** Absolute byte offset of `buf` in its file, for messages. */
  fileOffsetBytes = 0;
  stored: number[] = [];
  /** Default clock value, high and low 32 bits. */
  clockHi = 0;
  clockLo = 0;
  /**
   * Byte order of the last bit array (integer, enumeration, floating point number) that may have
   * ended inside a byte: 0 unknown (start of a scope), 1 little-endian, 2 big-endian.
   */
  lastBo = 0;
  /**
   * Set by `TraceDecoder.skipEvent`: the default clock after the event header (the event's time)
   * and the bit position of the event's first field after the header.
   */
  eventClockHi = 0;
  eventClockLo = 0;
  eventFieldsPos = 0;
  /** Scratch: last raw integer read, high/low 32 bits (unsigned). */
  hi = 0;
  lo = 0;
  // Special fields (babeltrace2 "meanings"), reset per packet / event.
  eventClassId = -1;
  streamClassId = -1;
  dataStreamId = -1;
  packetSizeBits = -1;
  contentSizeBits = -1;
  tsBeginHi = -1;
  tsBeginLo = 0;
  tsEndHi = -1;
  tsEndLo = 0;
  discardedEvents = -1;
  seqNum = -1;

  constructor() {
    // The fields that hold unsigned 32-bit words start as doubles. V8 gives a field first set to
    // a small integer a small-integer representation; the first word of 2^31 or more (a clock's
    // low word does get there, midway through a trace) then changes the object's hidden class,
    // and every optimized function that reads the state is thrown away and compiled again.
    this.clockHi = this.clockLo = this.eventClockHi = this.eventClockLo = this.hi = this.lo = 0.5;
    this.tsBeginLo = this.tsEndLo = this.discardedEvents = this.seqNum = 0.5;
    // So do the bit counts and the special fields a packet's header and context set (read as
    // words, or from a 64-bit field).
    this.end = this.fileOffsetBytes = this.streamClassId = this.dataStreamId = 0.5;
    this.packetSizeBits = this.contentSizeBits = this.tsBeginHi = this.tsEndHi = 0.5;
    this.clockHi = this.clockLo = this.eventClockHi = this.eventClockLo = this.hi = this.lo = 0;
    this.tsBeginLo = this.tsEndLo = this.end = this.fileOffsetBytes = 0;
    this.discardedEvents = this.seqNum = this.streamClassId = this.dataStreamId = -1;
    this.packetSizeBits = this.contentSizeBits = this.tsBeginHi = this.tsEndHi = -1;
  }

  setBuffer(buf: Uint8Array, fileOffsetBytes: number): void {
    this.buf = buf;
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = 0;
    this.end = buf.byteLength * 8;
    this.fileOffsetBytes = fileOffsetBytes;
  }

  /**
   * CTF 1.8 §4.1.5 packs little-endian and big-endian bit fields from opposite ends of a byte, so
   * two of different byte orders cannot share one: babeltrace2 rejects a byte order change at a
   * bit offset that is not a multiple of 8 (bfcr's `validate_contiguous_bo`).
   */
  failByteOrderChange(what: string): never {
    const at = this.fileOffsetBytes * 8 + this.pos;
    const from = this.lastBo === 1 ? "little-endian" : "big-endian";
    const to = this.lastBo === 1 ? "big-endian" : "little-endian";
    throw new FormatError(
      "ERR_DECODE",
      `Cannot decode ${what}: byte order changes from ${from} to ${to} inside a byte: offset-bits=${at}`,
      { actor: "source.ctf.fs" },
    );
  }

  /**
   * Rejects an array or sequence length that cannot be honest before anything is allocated for
   * it: negative (a signed length field) or more elements than bits left plus 65536 (a bound even
   * for elements that take no bits, which would otherwise loop and allocate without end).
   */
  checkLength(n: number, what: string): void {
    if (n >= 0 && n <= this.end - this.pos + 65536) return;
    const at = this.fileOffsetBytes * 8 + this.pos;
    throw new FormatError(
      "ERR_DECODE",
      `Cannot decode ${what}: invalid length: length=${n}, offset-bits=${at}, remaining-bits=${this.end - this.pos}`,
      { actor: "source.ctf.fs" },
    );
  }

  fail(what: string, needBits: number): never {
    const at = this.fileOffsetBytes * 8 + this.pos;
    throw new FormatError(
      "ERR_DECODE",
      `Cannot decode ${what}: not enough data: offset-bits=${at}, needed-bits=${needBits}, remaining-bits=${this.end - this.pos}`,
      { actor: "source.ctf.fs" },
    );
  }
}
