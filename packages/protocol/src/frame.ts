/**
 * Framing for ttng's sockets: one JSON value per line (UTF-8, `\n`-terminated),
 * with a bound on line length so a peer sending garbage or an endless line
 * cannot make the other side buffer without limit. Transport-agnostic (no
 * node:*): feed it byte chunks, get values or typed errors back.
 */
import { TtngError } from "@ttng/base";

/** Longest accepted line; longer input is a protocol error. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

export class ProtocolError extends TtngError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_PROTOCOL", message, options?.cause === undefined ? {} : { cause: options.cause });
  }
}

const encoder = new TextEncoder();

/** Encodes one value as a frame. */
export function encodeFrame(value: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(value)}\n`);
}

export type DecodedFrame = { ok: true; value: unknown } | { ok: false; error: ProtocolError };

/** Splits a byte stream into frames; a bad line yields an error and decoding goes on with the next line. */
export class FrameDecoder {
  private readonly decoder = new TextDecoder("utf-8", { fatal: false });
  private pending = "";
  private pendingBytes = 0;
  private discarding = false;

  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  push(chunk: Uint8Array): DecodedFrame[] {
    const out: DecodedFrame[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      const end = nl < 0 ? chunk.length : nl;
      const piece = chunk.subarray(start, end);
      if (!this.discarding) {
        this.pendingBytes += piece.length;
        if (this.pendingBytes > this.maxFrameBytes) {
          this.discarding = true;
          this.pending = "";
          out.push({ ok: false, error: new ProtocolError(`Frame longer than ${this.maxFrameBytes} bytes`) });
        } else {
          this.pending += this.decoder.decode(piece, { stream: nl < 0 });
        }
      }
      if (nl < 0) break;
      if (!this.discarding) {
        const line = this.pending;
        if (line.trim() !== "") {
          try {
            out.push({ ok: true, value: JSON.parse(line) });
          } catch (e) {
            out.push({ ok: false, error: new ProtocolError("Frame is not valid JSON", { cause: e }) });
          }
        }
      }
      this.pending = "";
      this.pendingBytes = 0;
      this.discarding = false;
      start = nl + 1;
    }
    return out;
  }
}
