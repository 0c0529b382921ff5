import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type ComponentContext,
  type FilterComponent,
  type IrClockClass,
  type IrStream,
  type IrStreamClass,
  type IrTrace,
  Message,
  type MessageIterator,
  MessageKind,
  newTraceClassId,
  vMap,
} from "@ttng/graph";
import { compareMessages, muxerClass } from "./muxer.js";

function clock(name: string, frequency: number, offsetSecNs: [number, number]): IrClockClass {
  return {
    name,
    description: undefined,
    frequency,
    precision: 0,
    offsetSeconds: offsetSecNs[0],
    offsetCycles: 0,
    originIsUnixEpoch: true,
    uuid: undefined,
    offsetSecNs,
  };
}

function makeStream(id: number, cc: IrClockClass): IrStream {
  const tc = { id: newTraceClassId(), streamClasses: [] };
  const sc: IrStreamClass = {
    id: 0,
    name: undefined,
    traceClass: tc,
    defaultClock: cc,
    supportsPackets: false,
    packetsHaveBeginningCs: false,
    packetsHaveEndCs: false,
    supportsDiscardedEvents: false,
    discardedEventsHaveCs: false,
    supportsDiscardedPackets: false,
    discardedPacketsHaveCs: false,
    packetContext: undefined,
    eventCommonContext: undefined,
    eventClasses: [],
    assignsAutoEventClassIds: true,
    assignsAutoStreamIds: true,
  };
  const trace: IrTrace = { traceClass: tc, name: "t", uuid: undefined, env: [], streams: [] };
  return { id, name: `s${id}`, streamClass: sc, trace };
}

/** Hands out `msgs` a few at a time (batches end at arbitrary places). */
function iteratorOf(msgs: Message[], batch: number): MessageIterator {
  let i = 0;
  return {
    next(out) {
      if (i >= msgs.length) return "end";
      for (const end = Math.min(msgs.length, i + batch); i < end; i++) out.push(msgs[i]!);
      return "ok";
    },
  };
}

function mux(streams: Message[][], batch: number): Message[] {
  const comp = muxerClass.create(vMap(), {} as ComponentContext) as FilterComponent;
  for (let i = 0; i < streams.length; i++) comp.inputPortConnected?.(`in${i}`);
  const it = comp.createIterator("out", new Map(streams.map((s, i) => [`in${i}`, iteratorOf(s, batch)])));
  const out: Message[] = [];
  for (;;) {
    const batch: Message[] = [];
    if (it.next(batch) !== "ok") return out;
    out.push(...batch);
  }
}

const TWO32 = 4294967296;

/** A stream's messages: beginning, events at increasing raw values (`lazy`: `setCycles`, else `cs`), end. */
function streamMessages(stream: IrStream, values: number[], lazy: boolean, tag: string[]): Message[] {
  const cc = stream.streamClass.defaultClock!;
  const out = [new Message(MessageKind.StreamBeginning, stream)];
  tag.push(`${stream.id}:begin`);
  for (const v of values) {
    const m = new Message(MessageKind.Event, stream);
    const hi = Math.floor(v / TWO32);
    const lo = v - hi * TWO32;
    if (!lazy || !m.setCycles(cc, hi, lo)) {
      const s = cc.offsetSecNs[0] + Math.floor(v / 1e9);
      const ns = cc.offsetSecNs[1] + (v % 1e9);
      m.cs = ns >= 1e9 ? { cyclesHi: hi, cyclesLo: lo, s: s + 1, ns: ns - 1e9 } : { cyclesHi: hi, cyclesLo: lo, s, ns };
    }
    out.push(m);
  }
  out.push(new Message(MessageKind.StreamEnd, stream));
  return out;
}

/**
 * The muxer's specification, naively: repeatedly take the smallest head by time (a head without
 * one has the last taken time), then `compareMessages`, then input port.
 */
function referenceOrder(streams: Message[][]): Message[] {
  const pos = streams.map(() => 0);
  const out: Message[] = [];
  let last = { s: Number.NEGATIVE_INFINITY, ns: 0 };
  for (;;) {
    let best = -1;
    for (let i = 0; i < streams.length; i++) {
      const m = streams[i]![pos[i]!];
      if (m === undefined) continue;
      if (best === -1) {
        best = i;
        continue;
      }
      const b = streams[best]![pos[best]!]!;
      const x = m.cs ?? last;
      const y = b.cs ?? last;
      const c = x.s !== y.s ? x.s - y.s : x.ns - y.ns;
      if (c < 0 || (c === 0 && compareMessages(m, b) < 0)) best = i;
    }
    if (best === -1) return out;
    const m = streams[best]![pos[best]!++]!;
    if (m.cs !== undefined) last = m.cs;
    out.push(m);
  }
}

function label(m: Message): string {
  if (m.kind === MessageKind.StreamBeginning) return `${m.stream.id}:begin`;
  if (m.kind === MessageKind.StreamEnd) return `${m.stream.id}:end`;
  return `${m.stream.id}:${m.cs!.s}.${m.cs!.ns}`;
}

test("muxer orders messages whose snapshots are built on first read exactly as built ones", () => {
  let seed = 0x2545f491;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const shared = clock("c", 1e9, [1700000000, 999999990]);
  // One stream of another clock class (same origin): its messages compare through built snapshots.
  const other = clock("d", 1e9, [1700000000, 999999990]);
  for (let round = 0; round < 40; round++) {
    const streams = [0, 1, 2, 3].map((id) => makeStream(id, id === 3 ? other : shared));
    const values = streams.map(() => {
      let v = 4294967000 + rand(3);
      // Many ties across streams, runs of one stream, and values across a 2^32 boundary.
      return Array.from({ length: 20 + rand(30) }, () => (v += rand(4) === 0 ? rand(600) : rand(2)));
    });
    const orders = [true, false].map((lazy) => {
      const tag: string[] = [];
      const msgs = streams.map((s, i) => streamMessages(s, values[i]!, lazy, tag));
      return mux(msgs, 1 + rand(9)).map(label);
    });
    const tag: string[] = [];
    const expected = referenceOrder(streams.map((s, i) => streamMessages(s, values[i]!, false, tag))).map(label);
    assert.deepEqual(orders[0], expected, `round ${round}`);
    assert.deepEqual(orders[1], expected, `round ${round}`);
    assert.equal(
      orders[0]!.length,
      values.reduce((n, v) => n + v.length + 2, 0),
    );
  }
});

test("Message.setCycles() builds the snapshot babeltrace2 computes, once, on first read", () => {
  const cc = clock("c", 1e9, [1700000000, 999999990]);
  const m = new Message(MessageKind.Event, makeStream(0, cc));
  assert.equal(m.setCycles(cc, 1, 25), true);
  const cs = m.cs!;
  // 2^32 + 25 cycles = 4.294967321 s; plus the offset's 0.999999990 s.
  assert.deepEqual(cs, { cyclesHi: 1, cyclesLo: 25, s: 1700000005, ns: 294967311 });
  assert.equal(m.cs, cs);
  assert.equal(m.setCycles(clock("slow", 1e6, [0, 0]), 0, 1), false, "only 1 GHz clock classes");
  assert.equal(m.setCycles(cc, 0x200000, 0), false, "only values below 2^53");
  m.cs = undefined;
  assert.equal(m.cs, undefined);
  assert.equal(m.csClock, undefined);
});

test("muxer reports a stream going back in time after the messages before it", () => {
  const cc = clock("c", 1e9, [0, 0]);
  const s = makeStream(0, cc);
  const msgs = [new Message(MessageKind.StreamBeginning, s)];
  for (const v of [10, 20, 15]) {
    const m = new Message(MessageKind.Event, s);
    m.setCycles(cc, 0, v);
    msgs.push(m);
  }
  const comp = muxerClass.create(vMap(), {} as ComponentContext) as FilterComponent;
  const it = comp.createIterator("out", new Map([["in0", iteratorOf(msgs, 10)]]));
  const out: Message[] = [];
  assert.equal(it.next(out), "ok");
  assert.deepEqual(out.map(label), ["0:begin", "0:0.10", "0:0.20"]);
  assert.throws(() => it.next([]), /its timestamp is before the last returned one: ts-ns=15, last-ts-ns=20/);
});

test("muxer keeps no reference to a message it has passed on", () => {
  // A scavenge copies every young message still referenced: the upstream buffers must let go of
  // what was taken, on the run path (raw cycle values) and on the message-by-message path.
  for (const lazy of [true, false]) {
    const cc = clock("c", 1e9, [0, 0]);
    const tags: string[] = [];
    const streams = [0, 1, 2].map((id) =>
      streamMessages(
        makeStream(id, cc),
        // Streams 0 and 2 tie at every time (the message-by-message path); stream 1 runs between.
        Array.from({ length: 200 }, (_, i) => i * 3 + (id === 1 ? 1 : 0)),
        lazy,
        tags,
      ),
    );
    const bufs: Message[][] = [];
    const inputs = streams.map((msgs, k): MessageIterator => {
      let i = 0;
      return {
        next(out) {
          if (!bufs.includes(out)) bufs.push(out);
          if (i >= msgs.length) return "end";
          for (const end = Math.min(msgs.length, i + 13 + k); i < end; i++) out.push(msgs[i]!);
          return "ok";
        },
      };
    });
    const comp = muxerClass.create(vMap(), {} as ComponentContext) as FilterComponent;
    for (let i = 0; i < inputs.length; i++) comp.inputPortConnected?.(`in${i}`);
    const it = comp.createIterator("out", new Map(inputs.map((s, i) => [`in${i}`, s])));
    let passed = 0;
    for (;;) {
      const batch: Message[] = [];
      if (it.next(batch) !== "ok") break;
      passed += batch.length;
      const taken = new Set(batch);
      for (const buf of bufs) assert.ok(!buf.some((m) => taken.has(m)), `lazy=${lazy}: a passed message is still held`);
    }
    assert.equal(passed, streams.flat().length);
  }
});
