/**
 * A bit-level writer for one CTF 1.8 packet in little-endian byte order:
 * the encoding side of `decode/bits.ts`. Integers of 1 to 64 bits at any
 * bit offset, IEEE 754 reals, null-terminated strings, alignment padding,
 * and rewriting an earlier region (the packet context, once the packet's
 * sizes are known). It is not a serializer of field classes: callers walk
 * their own classes (see `sink.ctf.fs`) and call these primitives.
 *
 * The buffer grows by doubling and is reused from packet to packet, so a
 * steady stream of packets allocates nothing. Numbers stay numbers: a
 * 64-bit value is written from two 32-bit halves; a bigint is only split
 * when a caller hands one over (values beyond 2^53).
 */

const TWO_32 = 4294967296;

export class PacketWriter {
  private buf: Uint8Array;
  private dv: DataView;
  /** Write position, in bits from the packet's first byte. */
  posBits = 0;

  constructor(initialBytes = 1 << 16) {
    this.buf = new Uint8Array(initialBytes);
    this.dv = new DataView(this.buf.buffer);
  }

  /** Starts a new packet at offset 0 (the buffer is kept). */
  reset(): void {
    this.posBits = 0;
  }

  /** The bytes written so far: the packet up to its last (partially) written byte. */
  bytes(): Uint8Array {
    return this.buf.subarray(0, (this.posBits + 7) >>> 3);
  }

  private ensure(extraBits: number): void {
    const needBytes = ((this.posBits + extraBits + 7) >>> 3) + 8;
    if (needBytes <= this.buf.length) return;
    let n = this.buf.length * 2;
    while (n < needBytes) n *= 2;
    const nb = new Uint8Array(n);
    nb.set(this.buf);
    this.buf = nb;
    this.dv = new DataView(nb.buffer);
  }

  /** Pads with zero bits up to the next multiple of `alignBits` (CTF 1.8 §4.1.1). */
  align(alignBits: number): void {
    if (alignBits <= 1) return;
    const rem = this.posBits % alignBits;
    if (rem === 0) return;
    const pad = alignBits - rem;
    this.ensure(pad);
    this.putBits(0, 0, pad);
  }

  /**
   * Writes the low `sizeBits` bits of the 64-bit value `hi * 2^32 + lo` (each half an
   * unsigned 32-bit number), least significant bit first (little-endian bit order).
   */
  writeBits(hi: number, lo: number, sizeBits: number, alignBits: number): void {
    this.align(alignBits);
    this.ensure(sizeBits);
    if ((this.posBits & 7) === 0) {
      const at = this.posBits >>> 3;
      switch (sizeBits) {
        case 8:
          this.buf[at] = lo & 0xff;
          this.posBits += 8;
          return;
        case 16:
          this.dv.setUint16(at, lo & 0xffff, true);
          this.posBits += 16;
          return;
        case 32:
          this.dv.setUint32(at, lo >>> 0, true);
          this.posBits += 32;
          return;
        case 64:
          this.dv.setUint32(at, lo >>> 0, true);
          this.dv.setUint32(at + 4, hi >>> 0, true);
          this.posBits += 64;
          return;
      }
    }
    this.putBits(hi >>> 0, lo >>> 0, sizeBits);
  }

  /** Bit-by-chunk path for unaligned or odd-sized fields; leaves the other bits of each byte as they were. */
  private putBits(hi: number, lo: number, sizeBits: number): void {
    const buf = this.buf;
    let pos = this.posBits;
    let left = sizeBits;
    while (left > 0) {
      const byte = pos >>> 3;
      const bit = pos & 7;
      const take = Math.min(8 - bit, left);
      const mask = ((1 << take) - 1) << bit;
      buf[byte] = (buf[byte]! & ~mask) | ((lo << bit) & mask);
      // Shift the 64-bit value right by `take` bits.
      lo = ((lo >>> take) | (hi << (32 - take))) >>> 0;
      hi = hi >>> take;
      pos += take;
      left -= take;
    }
    this.posBits = pos;
  }

  /**
   * Writes an integer value (number or bigint, signed or not) on `sizeBits` bits, two's
   * complement for negative values; bits above `sizeBits` are dropped, as a C cast would.
   */
  writeInt(v: number | bigint, sizeBits: number, alignBits: number): void {
    if (typeof v === "number") {
      if (sizeBits <= 32 && v >= -2147483648 && v < TWO_32) {
        this.writeBits(0, v >>> 0, sizeBits, alignBits);
        return;
      }
      const hi = Math.floor(v / TWO_32);
      const lo = v - hi * TWO_32;
      this.writeBits(hi >>> 0, lo >>> 0, sizeBits, alignBits);
      return;
    }
    const u = BigInt.asUintN(64, v);
    this.writeBits(Number(u >> 32n), Number(u & 0xffffffffn), sizeBits, alignBits);
  }

  writeFloat32(v: number, alignBits: number): void {
    this.align(alignBits);
    this.ensure(32);
    if ((this.posBits & 7) === 0) {
      this.dv.setFloat32(this.posBits >>> 3, v, true);
      this.posBits += 32;
      return;
    }
    const tmp = new DataView(new ArrayBuffer(4));
    tmp.setFloat32(0, v, true);
    this.putBits(0, tmp.getUint32(0, true), 32);
  }

  writeFloat64(v: number, alignBits: number): void {
    this.align(alignBits);
    this.ensure(64);
    if ((this.posBits & 7) === 0) {
      this.dv.setFloat64(this.posBits >>> 3, v, true);
      this.posBits += 64;
      return;
    }
    const tmp = new DataView(new ArrayBuffer(8));
    tmp.setFloat64(0, v, true);
    this.putBits(tmp.getUint32(4, true), tmp.getUint32(0, true), 64);
  }

  /**
   * Writes a byte string (one char code per byte) and its terminating null byte, byte-aligned
   * (CTF 1.8 §4.2.5). A string stops at its first null byte, as a C string does.
   */
  writeString(s: string): void {
    this.align(8);
    let n = s.indexOf("\0");
    if (n < 0) n = s.length;
    this.ensure((n + 1) * 8);
    const buf = this.buf;
    let at = this.posBits >>> 3;
    for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i) & 0xff;
    buf[at++] = 0;
    this.posBits = at * 8;
  }

  /** Writes `n` bytes, byte-aligned: those of `bytes`, then zeros if it is shorter (a BLOB's value). */
  writeBytes(bytes: Uint8Array, n: number): void {
    this.align(8);
    this.ensure(n * 8);
    const at = this.posBits >>> 3;
    const k = Math.min(n, bytes.length);
    this.buf.set(k === bytes.length ? bytes : bytes.subarray(0, k), at);
    if (k < n) this.buf.fill(0, at + k, at + n);
    this.posBits = (at + n) * 8;
  }

  /** Runs `write` at `atBits` (an earlier position), then restores the write position. */
  rewriteAt(atBits: number, write: () => void): void {
    const saved = this.posBits;
    this.posBits = atBits;
    try {
      write();
    } finally {
      this.posBits = saved;
    }
  }
}
