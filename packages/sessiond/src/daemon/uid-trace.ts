/**
 * One per-UID trace (LTTng's per-(uid, bitness) registry of a session): the daemon assigns the
 * trace UUID, each registered process's stream instance ids and the event class ids of every
 * channel, and writes the trace's single metadata stream; each process writes its own data
 * stream files (`<channel>_<instance id>`) into the same directory. The metadata text comes from
 * the apps (they know their field types); the ids in it are the daemon's.
 */
import { randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { metadataPackets, uuidBytes } from "@ttng/protocol";

/** Instance ids of one process are `base + thread index`; bases are this far apart. */
export const INSTANCE_STRIDE = 1024;

export class UidTrace {
  readonly uuid = randomUUID();
  private readonly uuidBytes: Uint8Array;
  private fd: number | null = null;
  private preambleWritten = false;
  private readonly ids = new Map<string, number>();
  private readonly nextId: number[] = [];
  private nextInstance = 0;
  private readonly instances = new Map<number, number>();
  error: string | null = null;
  /** All the metadata text so far (snapshots write it whole into each snapshot directory). */
  private text = "";

  /** `dir` null: a snapshot session's trace, written only by `writeSnapshot`. */
  constructor(
    readonly key: string,
    readonly dir: string | null,
    /** CTF 2 metadata (the apps send JSON fragments): packets of version 2.0. */
    private readonly ctf2 = false,
  ) {
    this.uuidBytes = uuidBytes(this.uuid);
  }

  /** The stream instance base of the app with registry id `appId` (stable while the trace lives). */
  instanceBase(appId: number): number {
    let b = this.instances.get(appId);
    if (b === undefined) {
      b = this.nextInstance++ * INSTANCE_STRIDE;
      this.instances.set(appId, b);
    }
    return b;
  }

  /** The app stopped recording: its next start writes new stream files (a new base). */
  release(appId: number): void {
    this.instances.delete(appId);
  }

  private append(text: string): void {
    this.text += text;
    if (this.error !== null || this.dir === null) return;
    try {
      if (this.fd === null) {
        mkdirSync(this.dir, { recursive: true });
        this.fd = openSync(join(this.dir, "metadata"), "w");
      }
      const bytes = metadataPackets(text, this.uuidBytes, this.ctf2 ? [2, 0] : [1, 8]);
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    } catch (e) {
      this.error = `cannot write ${join(this.dir, "metadata")}: ${(e as Error).message}`;
    }
  }

  /** The first preamble wins: every app of the session sends the same trace/stream blocks. */
  preamble(tsdl: string): void {
    if (this.preambleWritten) return;
    this.preambleWritten = true;
    this.append(tsdl + this.early);
    this.early = "";
  }

  /**
   * Event blocks whose ids were asked (through the id mailbox) before the preamble arrived
   * (through the link): metadata must start with the preamble (a CTF 2 reader requires it first).
   */
  private early = "";

  /** The id of an event signature in a channel; a new one gets its metadata block written. */
  eventId(channel: number, signature: string, tsdlHead: string, tsdlTail: string): number {
    const key = `${channel}\u0000${signature}`;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const id = this.nextId[channel] ?? 0;
    this.nextId[channel] = id + 1;
    this.ids.set(key, id);
    if (this.preambleWritten) this.append(`${tsdlHead}${id}${tsdlTail}`);
    else this.early += `${tsdlHead}${id}${tsdlTail}`;
    return id;
  }

  /** Writes the whole metadata stream into a snapshot's trace directory. */
  writeSnapshot(dir: string): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "metadata"), metadataPackets(this.text, this.uuidBytes, this.ctf2 ? [2, 0] : [1, 8]));
  }

  close(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {}
      this.fd = null;
    }
  }
}
