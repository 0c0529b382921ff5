/**
 * Packetized CTF metadata as LTTng writes it (CTF 1.8 §4.1.1 "metadata packet"): 4096-byte
 * packets, each a 37-byte header (magic 0x75D11D57, trace UUID, checksum 0, content_size and
 * packet_size in bits, no compression/encryption/checksum, version 1.8) then TSDL text, the rest
 * of the packet zero-filled.
 */
export const METADATA_MAGIC = 0x75d11d57;
export const METADATA_PACKET_BYTES = 4096;
const HEADER = 37;

export function metadataPackets(text: string, uuid: Uint8Array): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  const per = METADATA_PACKET_BYTES - HEADER;
  const count = Math.max(1, Math.ceil(bytes.length / per));
  const out = new Uint8Array(count * METADATA_PACKET_BYTES);
  const dv = new DataView(out.buffer);
  for (let k = 0; k < count; k++) {
    const at = k * METADATA_PACKET_BYTES;
    const chunk = bytes.subarray(k * per, Math.min(bytes.length, (k + 1) * per));
    dv.setUint32(at, METADATA_MAGIC, true);
    out.set(uuid, at + 4);
    dv.setUint32(at + 20, 0, true);
    dv.setUint32(at + 24, (HEADER + chunk.length) * 8, true);
    dv.setUint32(at + 28, METADATA_PACKET_BYTES * 8, true);
    out[at + 35] = 1;
    out[at + 36] = 8;
    out.set(chunk, at + HEADER);
  }
  return out;
}

export function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, "");
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
