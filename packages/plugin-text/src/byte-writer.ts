/**
 * Output bytes built in place: text sinks write byte strings (one char code
 * per byte) straight into a reusable buffer instead of concatenating
 * strings, which V8 would have to flatten and re-encode. The sink callback
 * must consume the bytes before returning (it is called synchronously).
 */
export class ByteWriter {
  private buf = new Uint8Array(1 << 18);
  pos = 0;

  constructor(private readonly sink: (bytes: Uint8Array) => void) {}

  str(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.makeRoom(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Copies pre-encoded bytes (constant text encoded once with `latin1Bytes`). */
  bytes(src: Uint8Array): void {
    const n = src.length;
    if (this.pos + n > this.buf.length) this.makeRoom(n);
    const b = this.buf;
    let p = this.pos;
    if (n > 32) {
      b.set(src, p);
      this.pos = p + n;
      return;
    }
    for (let i = 0; i < n; i++) b[p++] = src[i]!;
    this.pos = p;
  }

  byte(c: number): void {
    if (this.pos >= this.buf.length) this.makeRoom(1);
    this.buf[this.pos++] = c;
  }

  /** Writes a non-negative integer below 2^53 in decimal without allocating a string. */
  uint(v: number): void {
    if (v < 10) {
      this.byte(48 + v);
      return;
    }
    this.str(String(v));
  }

  /** Writes 0 <= v < 1e9 as exactly nine digits. */
  digits9(v: number): void {
    if (this.pos + 9 > this.buf.length) this.makeRoom(9);
    const b = this.buf;
    const p = this.pos;
    for (let i = 8; i >= 0; i--) {
      const q = Math.floor(v / 10);
      b[p + i] = 48 + (v - q * 10);
      v = q;
    }
    this.pos = p + 9;
  }

  private makeRoom(n: number): void {
    this.flush();
    if (n > this.buf.length) this.buf = new Uint8Array(Math.max(n, this.buf.length * 2));
  }

  /** Hands buffered bytes to the sink; true when anything was written. */
  flush(): boolean {
    if (this.pos === 0) return false;
    this.sink(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return true;
  }

  get length(): number {
    return this.pos;
  }
}

/** A byte string (one char code per byte) as bytes: constant text is encoded once, then copied. */
export function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}
