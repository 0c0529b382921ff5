/**
 * The CTF 2 metadata stream's text (CTF2-SPEC-2.0 §6): an RFC 7464 JSON text sequence, each
 * fragment a record separator (0x1E) then one JSON text. This module splits the text and parses
 * each fragment, bounded: a fragment too large or nested too deep is a typed error, never a
 * stack overflow. It is not the fragment visitor (`metadata.ts`).
 */
import { FormatError } from "@ttng/base";

export const RECORD_SEPARATOR = 0x1e;

/** Nesting limit of arrays/objects in one fragment (a field class tree far deeper than any tracer writes). */
export const MAX_JSON_DEPTH = 512;

export function ctf2Err(message: string, cause?: unknown): FormatError {
  return new FormatError(
    "ERR_METADATA",
    message,
    cause === undefined ? { actor: "source.ctf.fs" } : { actor: "source.ctf.fs", cause },
  );
}

/** True when metadata text (or its first bytes) starts as a CTF 2 JSON text sequence. */
export function isCtf2Text(first: number | undefined): boolean {
  return first === RECORD_SEPARATOR;
}

/** Integer literals longer than this many digits are beyond 64 bits anyway: left to `JSON.parse` (bounded work). */
const MAX_EXACT_DIGITS = 40;

/** An integer literal of `text` whose magnitude exceeds `Number.MAX_SAFE_INTEGER`: [start, end) and its value. */
interface BigLiteral {
  start: number;
  end: number;
  value: bigint;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A character of a number's fraction or exponent: `0-9 . e E + -`. */
function isNumberTail(c: number): boolean {
  return isDigit(c) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

/**
 * One pass over a fragment outside strings: checks the maximum nesting of `[`/`{` before
 * `JSON.parse` (so that the visitor, which recurses, never meets a tree deeper than
 * `MAX_JSON_DEPTH`), and finds the integer literals `JSON.parse` would round to a double.
 */
function scanFragment(text: string, index: number): BigLiteral[] {
  const big: BigLiteral[] = [];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH)
        throw ctf2Err(
          `Fragment #${index + 1} of the metadata stream is nested too deeply (more than ${MAX_JSON_DEPTH} levels)`,
        );
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2d || isDigit(c)) {
      // A number token: `-`, digits, then maybe a fraction/exponent (which makes it a double).
      const start = i;
      let j = c === 0x2d ? i + 1 : i;
      while (j < text.length && isDigit(text.charCodeAt(j))) j++;
      const digits = j - (c === 0x2d ? i + 1 : i);
      let k = j;
      while (k < text.length && isNumberTail(text.charCodeAt(k))) k++;
      if (k === j && digits > 15 && digits <= MAX_EXACT_DIGITS) {
        const value = BigInt(text.slice(start, j));
        if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER))
          big.push({ start, end: j, value });
      }
      i = k - 1;
    }
  }
  return big;
}

/** Control characters without a short JSON escape: a decoded string holds one only if the text has `\u00XX`. */
const MARKERS = [0, 1, 2, 3, 4, 5, 6, 7, 0x0b, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18];

/**
 * Parses a (valid) fragment whose `big` integer literals must stay exact: each becomes a JSON
 * string made of a marker character no string of the fragment can hold, then its digits, which
 * the reviver turns into a bigint.
 */
function parseWithBigInts(body: string, big: BigLiteral[], index: number): unknown {
  const lower = body.toLowerCase();
  const marker = MARKERS.find((m) => !lower.includes(`\\u00${m.toString(16).padStart(2, "0")}`));
  if (marker === undefined)
    throw ctf2Err(
      `Fragment #${index + 1} of the metadata stream: cannot read its integers beyond 2^53 exactly (it escapes every marker character)`,
    );
  const escaped = `\\u00${marker.toString(16).padStart(2, "0")}`;
  let text = "";
  let at = 0;
  for (const b of big) {
    text += `${body.slice(at, b.start)}"${escaped}${b.value}"`;
    at = b.end;
  }
  text += body.slice(at);
  const values = new Map<string, bigint>(big.map((b) => [`${String.fromCharCode(marker)}${b.value}`, b.value]));
  return JSON.parse(text, (_key, v: unknown) => (typeof v === "string" ? (values.get(v) ?? v) : v));
}

/**
 * Splits a JSON text sequence into parsed fragments. `text` is the metadata as UTF-8 decoded
 * text. Whitespace between a JSON text and the next separator is allowed (RFC 7464 §2.1 ends
 * each text with a line feed); anything before the first separator is an error.
 */
export function parseJsonSequence(text: string): unknown[] {
  if (text.charCodeAt(0) !== RECORD_SEPARATOR) {
    throw ctf2Err("Metadata stream does not begin with a record separator (0x1E): not a CTF 2 metadata stream");
  }
  const out: unknown[] = [];
  let start = 1;
  while (start <= text.length) {
    let next = text.indexOf("\x1e", start);
    if (next < 0) next = text.length;
    const body = text.slice(start, next);
    const index = out.length;
    if (body.trim() === "") throw ctf2Err(`Fragment #${index + 1} of the metadata stream is empty`);
    const big = scanFragment(body, index);
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (e) {
      throw ctf2Err(
        `Fragment #${index + 1} of the metadata stream is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    out.push(big.length === 0 ? value : parseWithBigInts(body, big, index));
    start = next + 1;
  }
  return out;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Metadata bytes held in a byte string (one char per byte, as `decodeMetadataStream` gives) to text. */
export function utf8FromByteString(s: string): string {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  try {
    return utf8.decode(b);
  } catch (e) {
    throw ctf2Err("CTF 2 metadata stream is not valid UTF-8", e);
  }
}
