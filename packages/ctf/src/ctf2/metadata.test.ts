// CTF 2 metadata: detection by the first byte (plain and packetized), the fragment rules, roles
// and relative field locations, and the lazy (skip then read) path on CTF 2 field classes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { TtngError } from "@ttng/base";
import { TraceDecoder } from "../decode/trace-decoder.js";
import { decodeMetadataStream, looksLikeMetadata, METADATA_PACKET_MAGIC } from "../metadata-stream.js";
import { traceClassFromMetadata } from "../trace-class.js";
import { traceClassFromCtf2 } from "./metadata.js";

const frag = (o: unknown): string => `\x1e${JSON.stringify(o)}\n`;
const u8 = { type: "fixed-length-unsigned-integer", length: 8, "byte-order": "little-endian", alignment: 8 };

const TEXT =
  frag({ type: "preamble", version: 2, uuid: Array.from({ length: 16 }, (_, i) => i) }) +
  frag({ type: "field-class-alias", name: "u8", "field-class": u8 }) +
  frag({
    type: "trace-class",
    "packet-header-field-class": {
      type: "structure",
      "member-classes": [
        { name: "magic", "field-class": { ...u8, length: 32, roles: ["packet-magic-number"] } },
        { name: "uuid", "field-class": { type: "static-length-blob", length: 16, roles: ["metadata-stream-uuid"] } },
      ],
    },
  }) +
  frag({ type: "data-stream-class" }) +
  frag({
    type: "event-record-class",
    name: "e",
    "payload-field-class": {
      type: "structure",
      "member-classes": [
        { name: "n", "field-class": { type: "variable-length-unsigned-integer" } },
        {
          name: "inner",
          "field-class": {
            type: "structure",
            "member-classes": [
              {
                name: "blob",
                "field-class": { type: "dynamic-length-blob", "length-field-location": { path: [null, "n"] } },
              },
              { name: "ok", "field-class": { type: "fixed-length-boolean", length: 8, "byte-order": "little-endian" } },
              {
                name: "opt",
                "field-class": { type: "optional", "selector-field-location": { path: ["ok"] }, "field-class": "u8" },
              },
            ],
          },
        },
      ],
    },
  });

function bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** `text` split into metadata packets (version 2.0), little-endian headers. */
function packetize(text: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (let off = 0; off < text.length; off += 100) {
    const body = text.subarray(off, off + 100);
    const p = new Uint8Array(37 + body.length);
    const dv = new DataView(p.buffer);
    dv.setUint32(0, METADATA_PACKET_MAGIC, true);
    for (let i = 0; i < 16; i++) p[4 + i] = i;
    dv.setUint32(24, p.length * 8, true);
    dv.setUint32(28, p.length * 8, true);
    p[35] = 2;
    p[36] = 0;
    p.set(body, 37);
    chunks.push(p);
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

test("decodeMetadataStream() tells CTF 2 by its first byte, plain or packetized (version 2.0)", () => {
  const plain = decodeMetadataStream(bytes(TEXT));
  assert.equal(plain.ctfVersion, 2);
  assert.equal(plain.isPacketized, false);
  assert.ok(looksLikeMetadata(bytes(TEXT).subarray(0, 4)));
  const packed = decodeMetadataStream(packetize(bytes(TEXT)));
  assert.equal(packed.ctfVersion, 2);
  assert.equal(packed.isPacketized, true);
  assert.equal(packed.uuid, "00010203-0405-0607-0809-0a0b0c0d0e0f");
  const tc = traceClassFromMetadata(packed);
  assert.equal(tc.ctfVersion, 2);
  assert.equal(tc.uuid, packed.uuid);
});

test("traceClassFromCtf2() applies roles and resolves a relative location that goes up", () => {
  const tc = traceClassFromCtf2(decodeMetadataStream(bytes(TEXT)).text);
  const ph = tc.packetHeader!;
  assert.equal(ph.members[0]!.fc.kind === "int" && ph.members[0]!.fc.meaning, "magic");
  assert.equal(ph.members[1]!.fc.kind === "array" && ph.members[1]!.fc.isUuid, true);
  const payload = tc.streamClasses[0]!.eventClasses[0]!.payload!;
  const inner = payload.members[1]!.fc;
  assert.ok(inner.kind === "struct");
  const blob = inner.members[0]!.fc;
  assert.ok(blob.kind === "sequence" && blob.isBlob);
  assert.deepEqual(blob.lengthRef, { scope: "event-payload", path: [0] });
  assert.ok(blob.lengthFc === payload.members[0]!.fc);
});

test("CTF 2 fields decode alike read at once and skipped then read (lazy fields)", () => {
  const tc = traceClassFromCtf2(decodeMetadataStream(bytes(TEXT)).text);
  // Packet header: magic, UUID; event: n = 3 (LEB128), blob, ok = 1, opt = 0x2a.
  const data = Uint8Array.from([
    0xc1,
    0x1f,
    0xfc,
    0xc1,
    ...Array.from({ length: 16 }, (_, i) => i),
    0x03,
    0xaa,
    0xbb,
    0xcc,
    0x01,
    0x2a,
  ]);
  for (const mode of ["compiled", "interpreted"] as const) {
    const d = new TraceDecoder(tc, mode);
    const st = d.newState();
    st.setBuffer(data, 0);
    const pre = d.readPreamble(st);
    const ev = d.readEvent(st, pre.streamClass);
    assert.deepEqual(ev.payload, [3, [Uint8Array.from([0xaa, 0xbb, 0xcc]), 1, 0x2a]], mode);
    // Skipped, then read from the event's position: the same values, the same end.
    const skip = d.newState();
    skip.setBuffer(data, 0);
    d.readPreamble(skip);
    const snapshot: number[] = [];
    const sk = d.skipEvent(skip, pre.streamClass, snapshot);
    assert.equal(skip.pos, st.pos, mode);
    const scratch = d.newState();
    scratch.setBuffer(data, 0);
    const out = {
      commonContext: undefined as unknown,
      specContext: undefined as unknown,
      payload: undefined as unknown,
    };
    d.readEventFields(scratch, sk, skip.eventFieldsPos, snapshot, 0, out);
    assert.deepEqual(out.payload, ev.payload, `${mode} lazy`);
  }
});

test("CTF 2 metadata errors are typed and say what is wrong", () => {
  const cases: Array<[string, RegExp]> = [
    [frag({ type: "trace-class" }), /first fragment .* must be a preamble/],
    [frag({ type: "preamble", version: 3 }), /unsupported CTF version 3/],
    [frag({ type: "preamble", version: 2 }) + frag({ type: "trace-class", nope: 1 }), /unknown property `nope`/],
    [frag({ type: "preamble", version: 2 }), /Missing data stream class fragment/],
    [
      frag({ type: "preamble", version: 2 }) + frag({ type: "data-stream-class", "default-clock-class-id": "x" }),
      /no clock class with ID `x`/,
    ],
    [`${frag({ type: "preamble", version: 2 })}\x1e{"type":`, /not valid JSON/],
    ["{}", /record separator/],
  ];
  for (const [text, re] of cases) {
    assert.throws(
      () => traceClassFromCtf2(text),
      (e: unknown) => e instanceof TtngError && re.test(e.message),
      re.source,
    );
  }
});
