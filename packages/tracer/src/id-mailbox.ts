/**
 * Synchronous event-id requests to the session daemon from any thread of the process (main or
 * worker) through the listener thread (link-worker.ts): a mailbox in a SharedArrayBuffer, one
 * request at a time (a lock word), answered by the listener thread after its round trip to the
 * daemon. This is LTTng-UST's blocking "register event" on the notify socket, bounded: a thread
 * waits at most `timeoutMs`, and after a timeout the mailbox is marked degraded so that nobody
 * waits again until the daemon is back (the listener clears the mark on registration).
 */

/** Int32 indexes of the mailbox. */
export const Box = {
  Lock: 0,
  /** 0 idle, 1 request posted, 2 answered, 3 failed */
  State: 1,
  Id: 2,
  Length: 3,
  Req: 4,
  NextReq: 5,
  Degraded: 6,
} as const;
const HEADER_BYTES = 64;
export const MAILBOX_BYTES = 256 * 1024;

export interface IdRequest {
  link: number;
  trace: string;
  channel: number;
  signature: string;
  tsdlHead: string;
  tsdlTail: string;
}

export function newMailbox(): SharedArrayBuffer {
  return new SharedArrayBuffer(MAILBOX_BYTES);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Requester side (any thread): the id, or undefined (timeout, daemon gone, request too big). */
export function requestEventId(box: SharedArrayBuffer, request: IdRequest, timeoutMs: number): number | undefined {
  const i32 = new Int32Array(box, 0, HEADER_BYTES / 4);
  if (Atomics.load(i32, Box.Degraded) !== 0) return undefined;
  const bytes = encoder.encode(JSON.stringify(request));
  if (bytes.length > MAILBOX_BYTES - HEADER_BYTES) return undefined;
  const deadline = performance.now() + timeoutMs;
  while (Atomics.compareExchange(i32, Box.Lock, 0, 1) !== 0) {
    const left = deadline - performance.now();
    if (left <= 0) return undefined;
    Atomics.wait(i32, Box.Lock, 1, Math.min(left, 10));
  }
  try {
    const req = Atomics.add(i32, Box.NextReq, 1) + 1;
    new Uint8Array(box, HEADER_BYTES, bytes.length).set(bytes);
    Atomics.store(i32, Box.Length, bytes.length);
    Atomics.store(i32, Box.Req, req);
    Atomics.store(i32, Box.State, 1);
    Atomics.notify(i32, Box.State);
    for (;;) {
      const state = Atomics.load(i32, Box.State);
      if (state === 2) return Atomics.load(i32, Box.Id);
      if (state === 3) return undefined;
      const left = deadline - performance.now();
      if (left <= 0) {
        Atomics.store(i32, Box.Degraded, 1);
        return undefined;
      }
      Atomics.wait(i32, Box.State, 1, left);
    }
  } finally {
    Atomics.store(i32, Box.State, 0);
    Atomics.store(i32, Box.Lock, 0);
    Atomics.notify(i32, Box.Lock, 1);
  }
}

interface AtomicsWaitAsync {
  waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<unknown> | string };
}

/**
 * Listener side: calls `handle` for each posted request; `handle` resolves with the id or
 * undefined. Runs until `stopped()` says so.
 */
export async function serveMailbox(
  box: SharedArrayBuffer,
  handle: (request: IdRequest) => Promise<number | undefined>,
  stopped: () => boolean,
): Promise<void> {
  const i32 = new Int32Array(box, 0, HEADER_BYTES / 4);
  while (!stopped()) {
    const state = Atomics.load(i32, Box.State);
    if (state !== 1) {
      const w = (Atomics as unknown as AtomicsWaitAsync).waitAsync(i32, Box.State, state);
      if (w.async) await w.value;
      continue;
    }
    const req = Atomics.load(i32, Box.Req);
    let request: IdRequest | undefined;
    try {
      const len = Atomics.load(i32, Box.Length);
      request = JSON.parse(decoder.decode(new Uint8Array(box, HEADER_BYTES, len).slice())) as IdRequest;
    } catch {}
    const id = request === undefined ? undefined : await handle(request).catch(() => undefined);
    // Answer only the request still waiting (the requester may have timed out and left).
    // (A newer request that arrived meanwhile is taken by the next turn of the loop.)
    if (Atomics.load(i32, Box.Req) === req && Atomics.load(i32, Box.State) === 1) {
      if (id !== undefined) Atomics.store(i32, Box.Id, id);
      Atomics.store(i32, Box.State, id === undefined ? 3 : 2);
      Atomics.notify(i32, Box.State);
    }
  }
}

/** Clears the degraded mark (the daemon answers again). */
export function mailboxHealthy(box: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(box, 0, HEADER_BYTES / 4), Box.Degraded, 0);
}
