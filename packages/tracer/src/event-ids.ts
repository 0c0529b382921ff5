/**
 * Event ids shared by every thread of a session: one event class per channel for each
 * (name, field layout), whichever threads declare it, as LTTng's session daemon registry gives
 * one id per event signature. A lock-free open-addressing table in a SharedArrayBuffer maps a
 * 64-bit hash of the signature to an id; the thread that inserts it owns the metadata for it.
 * Used when an event is bound (off the hot path). A full table (more than SLOTS distinct events
 * per channel) falls back to fresh ids, still correct, one event class per thread.
 */
import type { Field } from "./fields.js";

const SLOTS = 4096; // per channel, power of two
const WORDS = 4; // state, hash lo, hash hi, id
const EMPTY = 0;
const CLAIMING = 1;
const READY = 2;

/** Bytes of the table for `channels` channels (word 0 of each channel: the next id). */
export function eventIdsBytes(channels: number): number {
  return channels * (1 + SLOTS * WORDS) * 4;
}

function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h | 0;
}

/** The event's identity: name, log level and the exact field layout. */
export function eventSignature(fullName: string, logLevel: number, fields: readonly Field[]): string {
  return `${fullName}\u0000${logLevel}\u0000${JSON.stringify(fields, (_, v) => (typeof v === "bigint" ? `${v}n` : v))}`;
}

/**
 * The id of `signature` in `channel`, and whether this call created it (then the caller writes
 * its metadata).
 */
export function eventId(table: Int32Array, channel: number, signature: string): { id: number; created: boolean } {
  const base = channel * (1 + SLOTS * WORDS);
  const lo = fnv1a(signature, 0x811c9dc5);
  const hi = fnv1a(signature, 0x01234567) | 1; // never 0: empty slots hold zeros
  let slot = lo & (SLOTS - 1);
  for (let probes = 0; probes < SLOTS; probes++) {
    const at = base + 1 + slot * WORDS;
    for (;;) {
      const state = Atomics.load(table, at);
      if (state === EMPTY) {
        if (Atomics.compareExchange(table, at, EMPTY, CLAIMING) !== EMPTY) continue;
        const id = Atomics.add(table, base, 1);
        Atomics.store(table, at + 1, lo);
        Atomics.store(table, at + 2, hi);
        Atomics.store(table, at + 3, id);
        Atomics.store(table, at, READY);
        Atomics.notify(table, at);
        return { id, created: true };
      }
      if (state === CLAIMING) {
        Atomics.wait(table, at, CLAIMING, 10);
        continue;
      }
      if (Atomics.load(table, at + 1) === lo && Atomics.load(table, at + 2) === hi)
        return { id: Atomics.load(table, at + 3), created: false };
      break;
    }
    slot = (slot + 1) & (SLOTS - 1);
  }
  return { id: Atomics.add(table, base, 1), created: true };
}
