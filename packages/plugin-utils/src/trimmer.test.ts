import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type ClockSnapshot,
  type IrClockClass,
  type IrStream,
  type IrStreamClass,
  type IrTrace,
  Message,
  type MessageIterator,
  MessageKind,
  type MessageKind as Kind,
  newTraceClassId,
  vMap,
  vSint,
  vString,
} from "@ttng/graph";
import { snapshotAt, trimmerClass } from "./trimmer.js";

const clock: IrClockClass = {
  name: "c",
  description: undefined,
  frequency: 1e9,
  precision: 0,
  offsetSeconds: 0,
  offsetCycles: 0,
  originIsUnixEpoch: true,
  uuid: undefined,
  offsetSecNs: [0, 0],
};

function makeStream(): IrStream {
  const tc = { id: newTraceClassId(), streamClasses: [] };
  const sc: IrStreamClass = {
    id: 0,
    name: undefined,
    traceClass: tc,
    defaultClock: clock,
    supportsPackets: true,
    packetsHaveBeginningCs: true,
    packetsHaveEndCs: true,
    supportsDiscardedEvents: true,
    discardedEventsHaveCs: true,
    supportsDiscardedPackets: false,
    discardedPacketsHaveCs: false,
    packetContext: undefined,
    eventCommonContext: undefined,
    eventClasses: [],
    assignsAutoEventClassIds: true,
    assignsAutoStreamIds: true,
  };
  const trace: IrTrace = { traceClass: tc, name: undefined, uuid: undefined, env: [], streams: [] };
  return { id: 0, name: "s", streamClass: sc, trace };
}

const cs = (ns: number): ClockSnapshot => ({ cyclesHi: 0, cyclesLo: ns, s: 0, ns });

/** SB, PB@0, events and a discarded range, PE@100, SE. */
function messages(stream: IrStream): Message[] {
  const packet = { stream, context: undefined };
  const out: Message[] = [];
  const add = (kind: Kind, t?: number, end?: number, count = -1) => {
    const m = new Message(kind, stream);
    if (kind !== MessageKind.StreamBeginning && kind !== MessageKind.StreamEnd) m.packet = packet;
    if (t !== undefined) m.cs = cs(t);
    if (end !== undefined) m.endCs = cs(end);
    m.count = count;
    out.push(m);
  };
  add(MessageKind.StreamBeginning);
  add(MessageKind.PacketBeginning, 0);
  add(MessageKind.Event, 10);
  add(MessageKind.DiscardedEvents, 10, 40, 5);
  add(MessageKind.Event, 40);
  add(MessageKind.Event, 60);
  add(MessageKind.PacketEnd, 100);
  add(MessageKind.StreamEnd);
  return out;
}

function trim(params: Record<string, string | number>): Message[] {
  const stream = makeStream();
  const src = messages(stream);
  const up: MessageIterator = {
    next(out) {
      if (src.length === 0) return "end";
      out.push(...src.splice(0));
      return "ok";
    },
  };
  const map = vMap();
  for (const [k, v] of Object.entries(params)) map.entries.set(k, typeof v === "number" ? vSint(v) : vString(v));
  const comp = trimmerClass.create(map, undefined as never);
  assert.equal(comp.kind, "filter");
  if (comp.kind !== "filter") return [];
  const it = comp.createIterator("out", new Map([["in", up]]));
  const got: Message[] = [];
  while (it.next(got) === "ok");
  return got;
}

const brief = (ms: Message[]) =>
  ms.map((m) => `${m.kind}@${m.cs?.ns ?? "-"}${m.endCs ? `-${m.endCs.ns}:${m.count}` : ""}`).join(" ");

test("trimmerClass keeps everything without bounds", () => {
  assert.equal(brief(trim({})), "0@- 1@0 2@10 3@10-40:5 2@40 2@60 4@100 7@-");
});

test("trimmerClass re-creates the stream and packet at begin and clamps a straddling discarded range", () => {
  // Begin inside the discarded range: it starts at begin, its count becomes unknown.
  assert.equal(brief(trim({ begin: "0.000000020" })), "0@20 1@20 3@20-40:-1 2@40 2@60 4@100 7@-");
});

test("trimmerClass ends the packet and the stream at end", () => {
  assert.equal(brief(trim({ end: "0.000000050" })), "0@- 1@0 2@10 3@10-40:5 2@40 4@50 7@50");
  assert.equal(brief(trim({ end: "0.000000030" })), "0@- 1@0 2@10 3@10-30:-1 4@30 7@30");
});

test("trimmerClass refuses a begin after the end and unknown formats", () => {
  assert.throws(() => trim({ begin: 5, end: 4 }), /beginning time is greater than end time/);
  assert.throws(() => trim({ begin: "yesterday" }), /Invalid date\/time format/);
});

test("snapshotAt() converts ns from origin to cycles as babeltrace2 does (3 MHz, offset in cycles)", () => {
  const slow: IrClockClass = {
    ...clock,
    frequency: 3e6,
    offsetSeconds: 10,
    offsetCycles: 333,
    offsetSecNs: [10, 111000],
  };
  const s = snapshotAt(slow, 10_000_500_000n)!;
  // (500000 - 111000) ns at 3 MHz = 1167 cycles (truncated); back to ns: 389000 + 111000.
  assert.deepEqual(s, { cyclesHi: 0, cyclesLo: 1167, s: 10, ns: 500000 });
  assert.equal(snapshotAt(slow, 9_000_000_000n), undefined);
});

test("trimmerClass asks a seekable upstream to seek to begin, once, with (s, ns), and keeps the same output", () => {
  const stream = makeStream();
  const all = messages(stream);
  let src = all.slice();
  const seeks: Array<[number, number]> = [];
  const up: MessageIterator = {
    next(out) {
      if (src.length === 0) return "end";
      out.push(...src.splice(0));
      return "ok";
    },
    canSeekNsFromOrigin: () => true,
    seekNsFromOrigin(s, ns) {
      seeks.push([s, ns]);
      // A coarse seek: restart at the packet (the caller fast-forwards to begin).
      src = all.slice();
    },
  };
  const comp = trimmerClass.create(vMap({ begin: vString("0.000000020") }), undefined as never);
  if (comp.kind !== "filter") throw new Error("not a filter");
  const it = comp.createIterator("out", new Map([["in", up]]));
  const got: Message[] = [];
  while (it.next(got) === "ok");
  assert.deepEqual(seeks, [[0, 20]]);
  assert.equal(brief(got), brief(trim({ begin: "0.000000020" })));
});

test("trimmerClass reads from the start when upstream cannot seek to the time", () => {
  const stream = makeStream();
  const src = messages(stream);
  let asked = 0;
  const up: MessageIterator = {
    next(out) {
      if (src.length === 0) return "end";
      out.push(...src.splice(0));
      return "ok";
    },
    canSeekNsFromOrigin: () => {
      asked++;
      return false;
    },
    seekNsFromOrigin() {
      throw new Error("must not be called");
    },
  };
  const comp = trimmerClass.create(vMap({ begin: vString("0.000000020") }), undefined as never);
  if (comp.kind !== "filter") throw new Error("not a filter");
  const it = comp.createIterator("out", new Map([["in", up]]));
  const got: Message[] = [];
  while (it.next(got) === "ok");
  assert.equal(asked, 1);
  assert.equal(brief(got), "0@20 1@20 3@20-40:-1 2@40 2@60 4@100 7@-");
});
