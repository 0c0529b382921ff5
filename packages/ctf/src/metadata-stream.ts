/**
 * The metadata stream (CTF 1.8 §7.1): plain TSDL text, or packets with a
 * 37-byte header (magic 0x75D11D57 in either byte order) whose contents
 * concatenate into the text. Text is returned as a byte string (latin1).
 * CTF 2 (CTF2-SPEC-2.0 §6) uses the same packets (version 2.0) around a JSON
 * text sequence, which starts with a record separator (0x1E): `ctfVersion`
 * says which of the two the text is.
 */
import { FormatError } from "@ttng/base";
import { latin1 } from "./decode/values.js";

export const METADATA_PACKET_MAGIC = 0x75d11d57;
const HEADER_BYTES = 37;

export interface MetadataText {
  text: string;
  isPacketized: boolean;
  /** Byte order of packetized metadata headers. */
  byteOrder: "le" | "be" | undefined;
  /** UUID found in the packet headers, if any. */
  uuid: string | undefined;
  warnings: string[];
  /** 2 when the text is a CTF 2 JSON text sequence (first byte 0x1E), else 1. */
  ctfVersion: 1 | 2;
}

function err(message: string): FormatError {
  return new FormatError("ERR_METADATA", message, { actor: "source.ctf.fs" });
}

function uuidString(b: Uint8Array, at: number): string {
  const h = Array.from(b.subarray(at, at + 16), (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Decodes a metadata stream's bytes into TSDL text. */
export function decodeMetadataStream(bytes: Uint8Array): MetadataText {
  if (bytes.byteLength >= 4) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const magicLe = dv.getUint32(0, true);
    const magicBe = dv.getUint32(0, false);
    if (magicLe === METADATA_PACKET_MAGIC || magicBe === METADATA_PACKET_MAGIC) {
      const le = magicLe === METADATA_PACKET_MAGIC;
      const warnings: string[] = [];
      let off = 0;
      let text = "";
      let uuid: string | undefined;
      while (off < bytes.byteLength) {
        if (bytes.byteLength - off < HEADER_BYTES) {
          warnings.push("Remaining buffer isn't large enough to hold a packet header.");
          break;
        }
        const magic = dv.getUint32(off, le);
        if (magic !== METADATA_PACKET_MAGIC) {
          throw err(`Invalid metadata packet magic: offset=${off}, magic=0x${magic.toString(16)}`);
        }
        const pktUuid = uuidString(bytes, off + 4);
        if (uuid === undefined) uuid = pktUuid;
        else if (uuid !== pktUuid) throw err(`Metadata packet's UUID mismatch: offset=${off}`);
        const contentBits = dv.getUint32(off + 24, le);
        const packetBits = dv.getUint32(off + 28, le);
        const compression = bytes[off + 32]!;
        const encryption = bytes[off + 33]!;
        const checksum = bytes[off + 34]!;
        const major = bytes[off + 35]!;
        const minor = bytes[off + 36]!;
        if (compression !== 0)
          throw err(`Unsupported metadata packet compression scheme: scheme=${compression}, offset=${off}`);
        if (encryption !== 0)
          throw err(`Unsupported metadata packet encryption scheme: scheme=${encryption}, offset=${off}`);
        if (checksum !== 0) throw err(`Unsupported metadata packet checksum scheme: scheme=${checksum}, offset=${off}`);
        if (!((major === 1 && minor === 8) || (major === 2 && minor === 0)))
          throw err(`Invalid metadata packet version: version=${major}.${minor}, offset=${off}`);
        if (
          contentBits % 8 !== 0 ||
          packetBits % 8 !== 0 ||
          contentBits > packetBits ||
          contentBits < HEADER_BYTES * 8
        ) {
          throw err(
            `Invalid metadata packet sizes: content-size-bits=${contentBits}, packet-size-bits=${packetBits}, offset=${off}`,
          );
        }
        const contentEnd = off + contentBits / 8;
        if (contentEnd > bytes.byteLength) {
          throw err(
            `Metadata packet is truncated: offset=${off}, content-size-bits=${contentBits}, file-size=${bytes.byteLength}`,
          );
        }
        text += latin1(bytes, off + HEADER_BYTES, contentEnd);
        off += packetBits / 8;
      }
      const ctfVersion = text.charCodeAt(0) === 0x1e ? 2 : 1;
      return { text, isPacketized: true, byteOrder: le ? "le" : "be", uuid, warnings, ctfVersion };
    }
  }
  const text = latin1(bytes, 0, bytes.byteLength);
  const ctfVersion = bytes[0] === 0x1e ? 2 : 1;
  return { text, isPacketized: false, byteOrder: undefined, uuid: undefined, warnings: [], ctfVersion };
}

/**
 * True when `bytes` start like a metadata stream: plain `/* CTF 1.8`, a CTF 2 record separator
 * (0x1E), or packetized magic.
 */
export function looksLikeMetadata(bytes: Uint8Array): boolean {
  if (bytes[0] === 0x1e) return true;
  if (bytes.byteLength >= 4) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (dv.getUint32(0, true) === METADATA_PACKET_MAGIC || dv.getUint32(0, false) === METADATA_PACKET_MAGIC)
      return true;
  }
  return latin1(bytes, 0, Math.min(bytes.byteLength, 10)).startsWith("/* CTF 1.8");
}
