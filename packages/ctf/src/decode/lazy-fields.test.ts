// Lazy event fields: `skipEvent` then, later and in any order, `readEventFields` on a scratch
// state gives the values `readEvent` gives, even when a sequence length comes from the packet
// header or the event header (those stored values are snapshotted when the event is skipped).
import assert from "node:assert/strict";
import { test } from "node:test";
import { traceClassFromTsdl } from "../tsdl/visitor.js";
import type { CompiledEvent } from "./trace-decoder.js";
import { TraceDecoder } from "./trace-decoder.js";

const TSDL = `/* CTF 1.8 */
typealias integer { size = 8; align = 8; } := u8;
trace { major = 1; minor = 8; byte_order = le; packet.header := struct { u8 n; }; };
stream {
  event.header := struct { u8 id; u8 hlen; };
  event.context := struct { u8 clen; u8 a[clen]; };
};
event { id = 0; name = e; fields := struct { u8 b[stream.event.header.hlen]; u8 c[trace.packet.header.n]; string s; }; };
`;

test("readEventFields() after skipEvent() gives readEvent()'s values, snapshotting only outer stored values", () => {
  const tc = traceClassFromTsdl(TSDL);
  const decoder = new TraceDecoder(tc);
  // Packet header n=2, then events: id, hlen, clen, a[clen], b[hlen], c[2], s.
  const bytes: number[] = [2];
  for (let i = 0; i < 6; i++) {
    const hlen = i % 3;
    const clen = (i + 1) % 3;
    bytes.push(0, hlen, clen);
    for (let j = 0; j < clen; j++) bytes.push(10 + j + i);
    for (let j = 0; j < hlen; j++) bytes.push(20 + j + i);
    bytes.push(30 + i, 40 + i, 0x61 + i, 0);
  }
  const buf = new Uint8Array(bytes);
  const read = decoder.newState();
  read.setBuffer(buf, 0);
  const pre = decoder.readPreamble(read);
  const expected: unknown[] = [];
  while (read.pos < read.end) {
    const ev = decoder.readEvent(read, pre.streamClass);
    expected.push([ev.commonContext, ev.specContext, ev.payload]);
  }
  assert.equal(expected.length, 6);

  const skip = decoder.newState();
  skip.setBuffer(buf, 0);
  decoder.readPreamble(skip);
  const snapshot: number[] = [];
  const skipped: Array<{ ev: CompiledEvent; pos: number; at: number }> = [];
  while (skip.pos < skip.end) {
    const at = snapshot.length;
    const ev = decoder.skipEvent(skip, pre.streamClass, snapshot);
    skipped.push({ ev, pos: skip.eventFieldsPos, at });
  }
  assert.equal(skip.pos, read.pos);
  // `clen` is written before `a` reads it: only `hlen` and `n` are snapshotted.
  assert.equal(skipped[0]!.ev.snapshotSlots.length, 2);
  assert.equal(snapshot.length, 12);

  const scratch = decoder.newState();
  scratch.setBuffer(buf, 0);
  scratch.end = skip.end;
  for (const i of [5, 0, 3, 1, 4, 2]) {
    const { ev, pos, at } = skipped[i]!;
    const out = {
      commonContext: undefined as unknown,
      specContext: undefined as unknown,
      payload: undefined as unknown,
    };
    decoder.readEventFields(scratch, ev, pos, snapshot, at, out);
    assert.deepEqual([out.commonContext, out.specContext, out.payload], expected[i], `event ${i}`);
  }
});

test("an event class is compiled when its first record is read, once, whether read or skipped", () => {
  const tsdl = `/* CTF 1.8 */
typealias integer { size = 8; align = 8; } := u8;
trace { major = 1; minor = 8; byte_order = le; };
stream { event.header := struct { u8 id; }; };
event { id = 0; name = a; fields := struct { u8 x; }; };
event { id = 1; name = b; fields := struct { string s; }; };
event { id = 7; name = c; fields := struct { u8 y; u8 z; }; };
`;
  const decoder = new TraceDecoder(traceClassFromTsdl(tsdl));
  assert.equal(decoder.compiledEventClassCount(), 0);
  const buf = new Uint8Array([7, 1, 2, 7, 3, 4, 1, 0x68, 0x69, 0, 7, 5, 6]);
  const st = decoder.newState();
  st.setBuffer(buf, 0);
  const pre = decoder.readPreamble(st);
  const names: string[] = [];
  names.push(decoder.skipEvent(st, pre.streamClass, []).ec.name);
  assert.equal(decoder.compiledEventClassCount(), 1);
  names.push(decoder.readEvent(st, pre.streamClass).eventClass.name);
  names.push(decoder.readEvent(st, pre.streamClass).eventClass.name);
  assert.equal(decoder.compiledEventClassCount(), 2);
  names.push(decoder.skipEvent(st, pre.streamClass, []).ec.name);
  assert.deepEqual(names, ["c", "c", "b", "c"]);
  assert.equal(st.pos, st.end);
  // Event class `a` never appeared: never compiled. An unknown ID is still an error.
  assert.equal(decoder.compiledEventClassCount(), 2);
  st.setBuffer(new Uint8Array([3, 0]), 0);
  decoder.readPreamble(st);
  assert.throws(() => decoder.skipEvent(st, pre.streamClass, []), /No event class with ID 3 in stream class 0/);
  assert.equal(decoder.compiledEventClassCount(), 2);
});
