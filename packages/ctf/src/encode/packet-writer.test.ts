// The encoders against the decoders: what `PacketWriter` writes (random integers of 1 to 64
// bits at random bit offsets, reals, strings, alignment) decodes to the same values with the
// reference interpreter; index entries parse back; generated TSDL parses back to the classes.
import assert from "node:assert/strict";
import { mulberry32 } from "@ttng/base";
import { test } from "node:test";
import { interpretField } from "../decode/interpret.js";
import { DecodeState } from "../decode/state.js";
import { parseIndexFile } from "../index-file.js";
import type { StructFC } from "../model.js";
import { traceClassFromTsdl } from "../tsdl/visitor.js";
import { indexEntryBytes, indexFileHeader } from "./index-writer.js";
import type { OutTrace } from "./out-model.js";
import { PacketWriter } from "./packet-writer.js";
import { tsdlFromOutTrace } from "./tsdl-gen.js";

function payloadOf(tsdl: string): StructFC {
  const tc = traceClassFromTsdl(tsdl);
  return tc.streamClasses[0]!.eventClasses[0]!.payload!;
}

function decode(fc: StructFC, bytes: Uint8Array): unknown {
  const st = new DecodeState();
  st.setBuffer(bytes, 0);
  st.pos = 0;
  st.end = bytes.length * 8;
  return interpretField(fc, st);
}

/** A random value of an n-bit integer, as the decoder returns it (number when exact, else bigint). */
function randomInt(rng: () => number, bits: number, signed: boolean): number | bigint {
  let v = 0n;
  for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(Math.floor(rng() * 65536));
  v = BigInt.asUintN(bits, v);
  if (signed) v = BigInt.asIntN(bits, v);
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

test("PacketWriter.writeInt() writes what the decoder reads, any size and bit offset", () => {
  const rng = mulberry32(42);
  for (let round = 0; round < 40; round++) {
    const members: string[] = [];
    const values: Array<number | bigint> = [];
    const specs: Array<{ bits: number; align: number }> = [];
    for (let i = 0; i < 12; i++) {
      const bits = 1 + Math.floor(rng() * 64);
      const signed = rng() < 0.5;
      const align = rng() < 0.3 ? 8 : 1;
      members.push(`integer { size = ${bits}; align = ${align}; signed = ${signed}; } f${i};`);
      values.push(randomInt(rng, bits, signed));
      specs.push({ bits, align });
    }
    const fc = payloadOf(
      `trace { major = 1; minor = 8; byte_order = le; }; event { name = e; fields := struct { ${members.join(" ")} }; };`,
    );
    const w = new PacketWriter(4);
    values.forEach((v, i) => {
      w.writeInt(v, specs[i]!.bits, specs[i]!.align);
    });
    w.align(8);
    assert.deepEqual(decode(fc, w.bytes()), values, `round ${round}`);
  }
});

test("PacketWriter writes reals, strings (up to a null byte) and zero padding", () => {
  const fc = payloadOf(`trace { major = 1; minor = 8; byte_order = le; };
event { name = e; fields := struct {
  integer { size = 3; align = 1; } a;
  floating_point { exp_dig = 8; mant_dig = 24; align = 1; } f;
  floating_point { exp_dig = 11; mant_dig = 53; align = 8; } d;
  integer { size = 5; align = 1; } b;
  string s;
  floating_point { exp_dig = 11; mant_dig = 53; align = 1; } d2;
  integer { size = 16; align = 32; } c;
}; };`);
  const w = new PacketWriter(2);
  w.writeInt(5, 3, 1);
  w.writeFloat32(-1.5, 1);
  w.writeFloat64(Math.PI, 8);
  w.writeInt(17, 5, 1);
  w.writeString("héllo\0ignored");
  w.writeFloat64(-0.125, 1);
  w.writeInt(0xbeef, 16, 32);
  const bytes = w.bytes();
  assert.deepEqual(decode(fc, bytes), [5, -1.5, Math.PI, 17, "h\u00e9llo", -0.125, 0xbeef]);
  // Alignment padding is zero bits.
  const pad = new PacketWriter();
  pad.writeInt(0xff, 8, 8);
  pad.writeInt(1, 1, 1);
  pad.align(32);
  assert.deepEqual([...pad.bytes()], [0xff, 0x01, 0, 0]);
});

test("rewriteAt() patches an earlier region and keeps the write position", () => {
  const w = new PacketWriter();
  w.writeInt(0, 64, 8);
  w.writeString("abc");
  const end = w.posBits;
  w.rewriteAt(0, () => w.writeInt(0x1122334455, 64, 8));
  assert.equal(w.posBits, end);
  assert.deepEqual([...w.bytes().subarray(0, 6)], [0x55, 0x44, 0x33, 0x22, 0x11, 0]);
});

test("indexEntryBytes() and indexFileHeader() parse back with parseIndexFile()", () => {
  const entry = {
    offsetBytes: 4096,
    packetSizeBits: 32768,
    contentSizeBits: 30001,
    tsBegin: [1, 2] as [number, number],
    tsEnd: [0xffffffff, 0xfffffff0] as [number, number],
    eventsDiscarded: 12,
    streamClassId: 3,
    streamInstanceId: 9,
    packetSeqNum: 77,
  };
  const bytes = new Uint8Array([...indexFileHeader(), ...indexEntryBytes(entry), ...indexEntryBytes(entry)]);
  const parsed = parseIndexFile(bytes);
  assert.equal(parsed.length, 2);
  assert.equal(parsed[0]!.offsetBytes, 4096);
  assert.equal(parsed[0]!.contentSizeBits, 30001);
  assert.equal(parsed[0]!.tsBegin, 4294967298);
  assert.equal(parsed[0]!.streamInstanceId, 9);
  assert.equal(parsed[0]!.packetSeqNum, 77);
  assert.equal(parsed[0]!.eventsDiscarded, 12);
});

test("tsdlFromOutTrace() prints TSDL that parses back to the same classes", () => {
  const clock = {
    name: "monotonic",
    description: 'a "quoted"\tclock',
    frequency: 1e9,
    precision: 1,
    offsetSeconds: 1600000000,
    offsetCycles: 5,
    originIsUnixEpoch: true,
    uuid: "12345678-1234-1234-1234-123456789abc",
  };
  const u8 = {
    kind: "int",
    sizeBits: 8,
    alignBits: 8,
    signed: false,
    base: 10,
    mappings: undefined,
    origin: "int",
  } as const;
  const trace: OutTrace = {
    uuid: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    env: [
      ["hostname", "h\u00e9"],
      ["n", -3],
    ],
    streamClasses: [
      {
        id: 2,
        clock,
        packetsHaveTsBegin: true,
        packetsHaveTsEnd: true,
        hasDiscardedEvents: true,
        packetContext: { kind: "struct", members: [{ name: "_cpu", fc: u8, slot: 0 }], alignBits: 8 },
        eventCommonContext: undefined,
        eventClasses: [
          {
            id: 4,
            name: 'ev"1',
            logLevel: 13,
            emfUri: "uri",
            specContext: undefined,
            payload: {
              kind: "struct",
              alignBits: 8,
              members: [
                {
                  name: "_e",
                  slot: 0,
                  fc: {
                    ...u8,
                    signed: true,
                    mappings: [
                      { label: "A", ranges: [[-2, -1]] },
                      { label: "B", ranges: [[3, 3]] },
                    ],
                  },
                },
                {
                  name: "_v",
                  slot: 1,
                  fc: {
                    kind: "variant",
                    tagRef: "",
                    tagBefore: true,
                    alignBits: 1,
                    options: [
                      { name: "a", fc: u8, slot: 0 },
                      { name: "b", fc: { kind: "string", alignBits: 8 }, slot: 1 },
                    ],
                  },
                },
                {
                  name: "_s",
                  slot: 2,
                  fc: { kind: "sequence", element: u8, lengthRef: "", lengthBefore: true, alignBits: 8 },
                },
                { name: "_a", slot: 3, fc: { kind: "array", element: u8, length: 3, alignBits: 8 } },
              ],
            },
          },
        ],
      },
    ],
  };
  // The writer names the generated tag and length fields (translate-ir's job); do it by hand here.
  const p = trace.streamClasses[0]!.eventClasses[0]!.payload!;
  (p.members[1]!.fc as { tagRef: string }).tagRef = "__v_tag";
  (p.members[2]!.fc as { lengthRef: string }).lengthRef = "__s_len";
  const text = tsdlFromOutTrace(trace);
  assert.ok(text.startsWith("/* CTF 1.8 */\n\n"));
  const tc = traceClassFromTsdl(text);
  assert.equal(tc.uuid, trace.uuid);
  const sc = tc.streamClasses[0]!;
  assert.equal(sc.id, 2);
  assert.equal(sc.packetsHaveTsBegin, true);
  assert.equal(sc.hasDiscardedEvents, true);
  const ec = sc.eventClasses[0]!;
  assert.equal(ec.name, 'ev"1');
  assert.equal(ec.logLevel, 13);
  const names = ec.payload!.members.map((m) => m.name);
  assert.deepEqual(names, ["e", "_v_tag", "v", "_s_len", "s", "a"]);
  const v = ec.payload!.members[2]!.fc;
  assert.equal(v.kind, "variant");
  assert.equal(tc.clocks[0]!.description, 'a "quoted"\tclock');
});

test("writeBytes aligns to a byte, writes exactly n bytes (zero-padded when the value is shorter) and grows the buffer", () => {
  const w = new PacketWriter(8);
  w.writeBits(0, 5, 3, 1);
  w.writeBytes(Uint8Array.of(1, 2, 3), 3);
  assert.equal(w.posBits, 32);
  w.writeBytes(Uint8Array.of(9), 4);
  const big = new Uint8Array(100).map((_, i) => i);
  w.writeBytes(big, 100);
  w.writeBytes(new Uint8Array(0), 0);
  assert.deepEqual(Array.from(w.bytes()), [5, 1, 2, 3, 9, 0, 0, 0, ...big]);
});
