/**
 * Decoded field values. Kept plain for speed: an integer is a number when
 * exact (|v| <= 2^53) and a bigint beyond; a structure or an array is a JS
 * array in member/element order; a string is a byte string (one char code
 * per byte, as read); a variant is a `VariantValue`; a CTF 2 BLOB is a
 * `Uint8Array` (a copy); an absent CTF 2 optional is `null`.
 */
export class VariantValue {
  constructor(
    readonly option: number,
    readonly value: FieldValue,
  ) {}
}

export type FieldValue = number | bigint | string | FieldValue[] | VariantValue | Uint8Array | null;

const CHUNK = 8192;

/** Bytes to a byte string (latin1), without `node:buffer` (browser-safe). */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (len <= 16) {
    let s = "";
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  }
  if (len <= CHUNK) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  let s = "";
  for (let i = start; i < end; i += CHUNK) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + CHUNK)) as unknown as number[]);
  }
  return s;
}
