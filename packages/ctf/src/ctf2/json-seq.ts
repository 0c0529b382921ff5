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

/**
 * Maximum nesting of `[`/`{` outside strings, checked before `JSON.parse` so that the visitor,
 * which recurses, never meets a tree deeper than `MAX_JSON_DEPTH`.
 */
function checkDepth(text: string, index: number): void {
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
  }
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
    checkDepth(body, index);
    try {
      out.push(JSON.parse(body));
    } catch (e) {
      throw ctf2Err(
        `Fragment #${index + 1} of the metadata stream is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
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
