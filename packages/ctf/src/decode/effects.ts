/**
 * What decoding an integer does besides producing a value (babeltrace2's
 * "meanings", clock updates, stored values). Only special integers take
 * this path; plain ones never call it.
 */
import { FormatError } from "@ttng/base";
import type { IntFC } from "../model.js";
import { toSint, toUint } from "./bits.js";
import type { DecodeState } from "./state.js";

const TWO32 = 4294967296;

export function hasEffects(fc: IntFC): boolean {
  return fc.meaning !== "none" || fc.mappedClock !== undefined || fc.storingIndex >= 0;
}

/**
 * Updates the stream's default clock from an `n`-bit value (CTF 1.8 §8:
 * keep the high bits, replace the low `n`, assume at most one wrap).
 */
export function updateClock(st: DecodeState, n: number): void {
  const nhi = st.hi;
  const nlo = st.lo;
  if (n === 64) {
    st.clockHi = nhi;
    st.clockLo = nlo;
    return;
  }
  let hi = st.clockHi;
  let lo = st.clockLo;
  if (n < 31) {
    // Common case (LTTng's 27-bit compact timestamps): int32 bit operations are exact here.
    const mask = (1 << n) - 1;
    const cur = lo & mask;
    if (nlo < cur) {
      lo += mask + 1;
      if (lo >= TWO32) {
        lo -= TWO32;
        hi = (hi + 1) % TWO32;
      }
    }
    st.clockLo = lo - (lo & mask) + nlo;
    st.clockHi = hi;
    return;
  }
  if (n <= 32) {
    const mod = 2 ** n;
    const cur = n === 32 ? lo : lo % mod;
    if (nlo < cur) {
      if (n === 32) hi = (hi + 1) % TWO32;
      else {
        lo += mod;
        if (lo >= TWO32) {
          lo -= TWO32;
          hi = (hi + 1) % TWO32;
        }
      }
    }
    lo = n === 32 ? nlo : lo - (lo % mod) + nlo;
  } else {
    const hmod = 2 ** (n - 32);
    const curHi = hi % hmod;
    if (nhi < curHi || (nhi === curHi && nlo < lo)) hi = (hi + hmod) % TWO32;
    hi = hi - (hi % hmod) + nhi;
    lo = nlo;
  }
  st.clockHi = hi;
  st.clockLo = lo;
}

/** Applies `fc`'s effects for the raw value in `st.hi`/`st.lo`; returns the field's value. */
export function applyEffects(st: DecodeState, fc: IntFC): number | bigint {
  const value = fc.signed ? toSint(st, fc.sizeBits) : toUint(st);
  switch (fc.meaning) {
    case "none":
      break;
    case "event-class-id":
      st.eventClassId = Number(value);
      break;
    case "stream-class-id":
      st.streamClassId = Number(value);
      break;
    case "data-stream-id":
      st.dataStreamId = Number(value);
      break;
    case "packet-beginning-time":
      st.tsBeginHi = st.hi;
      st.tsBeginLo = st.lo;
      break;
    case "packet-end-time":
      st.tsEndHi = st.hi;
      st.tsEndLo = st.lo;
      break;
    case "magic":
      if (value !== 0xc1fc1fc1) {
        throw new FormatError(
          "ERR_DECODE",
          `Invalid CTF magic number: magic=0x${value.toString(16)}, offset-bytes=${st.fileOffsetBytes + Math.floor((st.pos - fc.sizeBits) / 8)}`,
          { actor: "source.ctf.fs" },
        );
      }
      break;
    case "packet-counter-snapshot":
      st.seqNum = Number(value);
      break;
    case "disc-ev-rec-counter-snapshot":
      st.discardedEvents = Number(value);
      break;
    case "exp-packet-total-size":
      st.packetSizeBits = Number(value);
      break;
    case "exp-packet-content-size":
      st.contentSizeBits = Number(value);
      break;
  }
  if (fc.mappedClock) updateClock(st, fc.sizeBits);
  if (fc.storingIndex >= 0) st.stored[fc.storingIndex] = Number(value);
  return value;
}
