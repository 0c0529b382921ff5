// sink.ctf.fs fed by a hand-built graph source: trace IR that no CTF 1.8 reader produces
// (booleans, bit arrays, options, a variant without a selector, a dynamic array without a
// length field, 64-bit extremes as bigints, discarded events with times) must come back from
// babeltrace2 2.0.4 and from `ttng view` with the same values. Also: a stream without packets
// (source.text.dmesg) gets artificial packets.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { haveTool, run, skipReason, ttng } from "./helpers.mjs";

const { createLogger, VariantValue } = {
  ...(await import("../packages/base/dist/index.js")),
  ...(await import("../packages/ctf/dist/index.js")),
};
const { Graph, Message, MessageKind, newTraceClassId, vMap, vString, vBool } = await import(
  "../packages/graph/dist/index.js"
);
const { ctfFsSinkClass } = await import("../packages/plugin-ctf/dist/index.js");

const skipBt = haveTool("babeltrace2") ? false : skipReason("babeltrace2");
const tmp = mkdtempSync(join(tmpdir(), "ttng-ctf-sink-ir-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

const int = (length, signed = false, base = 10, mappings = undefined) => ({
  kind: "int",
  signed,
  length,
  base,
  mappings,
});
const struct = (...members) => ({
  kind: "struct",
  members: members.map(([name, fc], slot) => ({ name, fc, slot })),
});

function buildIr() {
  const clock = {
    name: "monotonic",
    description: "test clock",
    frequency: 1e9,
    precision: 0,
    offsetSeconds: 1_600_000_000,
    offsetCycles: 0,
    originIsUnixEpoch: true,
    uuid: undefined,
    offsetSecNs: [1_600_000_000, 0],
  };
  const tc = { id: newTraceClassId(), streamClasses: [] };
  const sc = {
    id: 3,
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
    packetContext: struct(["pc_count", int(16)]),
    eventCommonContext: struct(["cc", int(32, true)]),
    eventClasses: [],
    assignsAutoEventClassIds: false,
    assignsAutoStreamIds: false,
  };
  const payload = struct(
    ["b", { kind: "bool" }],
    ["bits", { kind: "bit-array", length: 12 }],
    ["opt", { kind: "option", content: int(16), selectorPath: undefined }],
    [
      "var",
      {
        kind: "variant",
        options: [
          { name: "n", fc: int(8, true), ranges: [] },
          { name: "s", fc: { kind: "string" }, ranges: [] },
          { name: "_x", fc: { kind: "real", single: false }, ranges: [] },
        ],
        selectorPath: undefined,
        selectorSigned: false,
      },
    ],
    ["dyn", { kind: "dynamic-array", element: int(8), lengthPath: undefined }],
    ["big", int(64)],
    ["neg", int(64, true)],
    [
      "en",
      int(8, false, 10, [
        { label: "A", ranges: [[0, 0]] },
        { label: "B", ranges: [[1, 3]] },
      ]),
    ],
    ["st", struct(["inner", { kind: "string" }])],
    ["arr", { kind: "static-array", element: { kind: "real", single: true }, length: 2 }],
    ["odd", int(3)],
    ["hex", int(32, false, 16)],
  );
  const ec = {
    id: 7,
    name: "ir:kinds",
    streamClass: sc,
    logLevel: 4,
    emfUri: undefined,
    specContext: undefined,
    payload,
  };
  sc.eventClasses.push(ec);
  tc.streamClasses.push(sc);
  const trace = {
    traceClass: tc,
    name: "ir-trace",
    uuid: undefined,
    env: [
      ["hostname", "h"],
      ["answer", 42],
    ],
    streams: [],
  };
  const stream = { id: 5, name: "chan_0", streamClass: sc, trace };
  trace.streams.push(stream);
  return { stream, ec };
}

const cs = (v) => ({ cyclesHi: 0, cyclesLo: v, s: 1_600_000_000, ns: v });

function messages() {
  const { stream, ec } = buildIr();
  const out = [];
  const m = (kind, set = {}) => {
    const msg = new Message(kind, stream);
    Object.assign(msg, set);
    out.push(msg);
    return msg;
  };
  const packet = (n) => ({ stream, context: [n] });
  const ev = (t, values) => {
    const msg = m(MessageKind.Event, { eventClass: ec, packet: undefined, cs: cs(t) });
    msg.commonContext = [-t];
    msg.payload = values;
  };
  const p1 = packet(11);
  m(MessageKind.StreamBeginning);
  m(MessageKind.PacketBeginning, { packet: p1, cs: cs(100) });
  ev(150, [
    true,
    0xabc,
    1234,
    new VariantValue(0, -5),
    [1, 2, 3],
    18446744073709551615n,
    -9223372036854775808n,
    2,
    ["in\tside"],
    [1.5, -2.25],
    5,
    0xdeadbeef,
  ]);
  ev(160, [false, 0, undefined, new VariantValue(1, "str"), [], 0, -1, 0, [""], [0, 0], 0, 0]);
  m(MessageKind.PacketEnd, { packet: p1, cs: cs(200) });
  m(MessageKind.DiscardedEvents, { cs: cs(200), endCs: cs(400), count: 5 });
  const p2 = packet(22);
  m(MessageKind.PacketBeginning, { packet: p2, cs: cs(300) });
  ev(310, [true, 0xfff, 65535, new VariantValue(2, 0.5), [255], 1, 1, 9, ["x"], [3, 4], 7, 1]);
  m(MessageKind.PacketEnd, { packet: p2, cs: cs(400) });
  m(MessageKind.StreamEnd);
  return out;
}

async function writeWithSink(out, msgs) {
  let stdout = "";
  const graph = new Graph({
    logger: createLogger("none", () => {}),
    stderr: () => {},
    stdout: (t) => {
      stdout += t;
    },
    mipVersion: 0,
  });
  const srcClass = {
    type: "source",
    plugin: "test",
    name: "ir",
    description: "hand-built IR",
    create: () => ({
      kind: "source",
      outputPorts: () => ["out"],
      createIterator: () => {
        let done = false;
        return {
          next(batch) {
            if (done) return "end";
            done = true;
            batch.push(...msgs);
            return "ok";
          },
        };
      },
    }),
  };
  graph.addComponent(srcClass, "src", vMap());
  graph.addComponent(ctfFsSinkClass, "sink", vMap({ path: vString(out), quiet: vBool(false) }));
  graph.connect("src", "out", "sink", "in");
  await graph.run();
  return stdout;
}

test(
  "IR without a CTF 1.8 equivalent (bool, bit array, option, selector-less variant, length-less dynamic array) reads back",
  {
    skip: skipBt,
  },
  async () => {
    const out = join(tmp, "ir");
    const stdout = await writeWithSink(out, messages());
    assert.equal(stdout, `Created CTF trace \`${out}/ir-trace\`.\n`);
    const dir = join(out, "ir-trace");
    assert.deepEqual(readdirSync(dir).sort(), ["chan_0", "index", "metadata"]);
    const bt = run("babeltrace2", [dir]);
    assert.equal(bt.status, 0, bt.stderr);
    const lines = bt.stdout.split("\n").filter(Boolean);
    assert.equal(lines.length, 3);
    // Booleans as 8-bit integers, bit arrays as hexadecimal integers, 64-bit extremes exact.
    assert.match(lines[0], /\{ cc = -150 \}/);
    assert.match(lines[0], /pc_count = 11/);
    assert.match(lines[0], /b = 1, bits = 0xABC,/);
    assert.match(lines[0], /opt = \{ 1234 \}/);
    assert.match(lines[0], /var = \{ -5 \}/);
    assert.match(lines[0], /dyn = \[ \[0\] = 1, \[1\] = 2, \[2\] = 3 \]/);
    assert.match(lines[0], /big = 18446744073709551615, neg = -9223372036854775808/);
    assert.match(lines[0], /en = \( "B" : container = 2 \)/);
    assert.match(lines[0], /st = \{ inner = "in\\tside" \}/);
    assert.match(lines[0], /arr = \[ \[0\] = 1.5, \[1\] = -2.25 \], odd = 5, hex = 0xDEADBEEF/);
    assert.match(lines[1], /__opt_tag = \( "none" : container = 0 \), opt = \{ \{ \} \}, /);
    assert.match(lines[1], /var = \{ "str" \}/);
    assert.match(lines[1], /dyn = \[ \]/);
    assert.match(lines[1], /neg = -1/);
    assert.match(lines[2], /pc_count = 22/);
    assert.match(lines[2], /var = \{ 0.5 \}/);
    assert.match(lines[2], /opt = \{ 65535 \}/);
    assert.match(bt.stderr, /Tracer discarded 5 events between \[[^\]]+\] and \[[^\]]+\]/);
    // ttng reads back the same events (babeltrace2 2.0 compatible text).
    const view = ttng(["view", "--compat=2.0", dir]);
    assert.equal(view.status, 0, view.stderr);
    assert.equal(view.stdout, bt.stdout);
  },
);

test(
  "the variant without selector becomes an enumeration tag named after its options, protected as needed",
  {
    skip: skipBt,
  },
  async () => {
    const out = join(tmp, "ir-meta");
    await writeWithSink(out, messages());
    const md = run("babeltrace2", ["-o", "ctf-metadata", join(out, "ir-trace")]);
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /"n" = 0,\n\t+"s" = 1,\n\t+"__x" = 2,\n\t+\} ___var_tag;/);
    assert.match(md.stdout, /variant <___var_tag> \{/);
    assert.match(md.stdout, /\/\* The integer field class below was a trace IR boolean field class\. \*\//);
    assert.match(md.stdout, /integer \{ size = 32; align = 8; \} ___dyn_len;/);
    assert.match(md.stdout, /env \{\n\thostname = "h";\n\tanswer = 42;\n\};/);
  },
);

test("a stream without packets (source.text.dmesg) is written in artificial packets", { skip: skipBt }, () => {
  const log = join(tmp, "dmesg.txt");
  const lines = [];
  for (let i = 0; i < 50; i++) lines.push(`[${(i * 0.25).toFixed(6).padStart(12)}] line ${i}: something happened`);
  writeFileSync(log, `${lines.join("\n")}\n`);
  const out = join(tmp, "dmesg-out");
  const conv = ttng(["convert", "-c", "source.text.dmesg", "-p", `path="${log}"`, "-o", "ctf", "-w", out]);
  assert.equal(conv.status, 0, conv.stderr);
  const dirs = readdirSync(out);
  assert.equal(dirs.length, 1);
  assert.ok(existsSync(join(out, dirs[0], "metadata")));
  const orig = ttng(["convert", "-c", "source.text.dmesg", "-p", `path="${log}"`]);
  const back = run("babeltrace2", [join(out, dirs[0])]);
  assert.equal(back.status, 0, back.stderr);
  assert.equal(back.stdout.split("\n").length, 51);
  const view = ttng(["view", join(out, dirs[0])]);
  assert.equal(view.stdout, back.stdout);
  // Same events as read straight from the log (the text sink prints the same payloads).
  const payloads = (s) => s.split("\n").map((l) => l.replace(/^.*?\) /, ""));
  assert.deepEqual(payloads(view.stdout), payloads(orig.stdout));
});

test("what CTF 1.8 cannot say is refused with babeltrace2's reasons (typed errors, the files written so far kept)", async () => {
  const cases = [
    {
      what: "discarded events with times inside a packet",
      edit: (msgs) => {
        const i = msgs.findIndex((m) => m.kind === MessageKind.DiscardedEvents);
        const [d] = msgs.splice(i, 1);
        msgs.splice(2, 0, d);
      },
      error: /Unsupported discarded events message with default clock snapshots occurring within a packet/,
    },
    {
      what: "discarded events whose range does not end at the next packet's end",
      edit: (msgs) => {
        const d = msgs.find((m) => m.kind === MessageKind.DiscardedEvents);
        d.endCs = cs(399);
      },
      error: /Incompatible discarded events message: unexpected end time: end-cs-val=399, expected-end-cs-val=400/,
    },
    {
      what: "an environment entry name that is not a TSDL identifier",
      edit: (msgs) => {
        msgs[0].stream.trace.env.push(["bad name", 1]);
      },
      error: /Unsupported trace class's environment entry name: name="bad name"/,
    },
  ];
  for (const c of cases) {
    const msgs = messages();
    c.edit(msgs);
    const out = join(tmp, `refused-${cases.indexOf(c)}`);
    let err;
    try {
      await writeWithSink(out, msgs);
    } catch (e) {
      err = e;
    }
    assert.ok(err, `${c.what}: refused`);
    assert.equal(err.name, "TtngError", c.what);
    assert.equal(err.code, "ERR_UNSUPPORTED", c.what);
    let text = "";
    for (let e = err; e; e = e.cause) text += `${e.message}\n`;
    assert.match(text, c.error, c.what);
  }
});
