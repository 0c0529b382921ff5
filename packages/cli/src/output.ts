/** Synchronous byte output (latin1 byte strings) to a file descriptor, tolerant of non-blocking pipes. */
import { writeSync } from "node:fs";

export function writeAll(fd: number, text: string): void {
  writeBytes(fd, Buffer.from(text, "latin1"));
}

export function writeBytes(fd: number, buf: Uint8Array): void {
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") continue;
      if ((e as NodeJS.ErrnoException).code === "EPIPE") return;
      throw e;
    }
  }
}
