/**
 * One entry point from a decoded metadata stream to a trace class, whichever CTF version the
 * stream is (the first byte decides: CTF2-SPEC-2.0 §6 and CTF 1.8 §7.1).
 */
import { traceClassFromCtf2 } from "./ctf2/metadata.js";
import type { MetadataText } from "./metadata-stream.js";
import type { TraceClass } from "./model.js";
import { type DecoderConfig, traceClassFromTsdl } from "./tsdl/visitor.js";

/**
 * @example
 * const tc = traceClassFromMetadata(decodeMetadataStream(bytes));
 */
export function traceClassFromMetadata(md: MetadataText, config: DecoderConfig = {}): TraceClass {
  return md.ctfVersion === 2 ? traceClassFromCtf2(md.text, config) : traceClassFromTsdl(md.text, config);
}
