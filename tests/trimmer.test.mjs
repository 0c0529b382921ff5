// `filter.utils.trimmer` and convert's --begin/--end/--timerange/--stream-intersection against the
// installed babeltrace2 2.0.4 (`--compat=2.0`): same trace, same arguments, same standard output,
// same WARNING lines on standard error, same exit status.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { kitchenSink, writeTrace } from "./lib/ctf-gen.mjs";
import { corpus, hasCorpus, haveTool, root, run, skipReason, ttng } from "./helpers.mjs";

const bt = haveTool("babeltrace2");
let work;
let ks;
let disc;
let slow;

/** A trace whose packets carry discarded events and packet sequence gaps, on two streams. */
function discardTrace(dir, freq = 1_000_000_000) {
  const { description } = kitchenSink();
  // A slower clock with an offset in cycles: clamped times go through ns -> cycles -> ns rounding.
  if (freq !== 1_000_000_000) description.clocks = [{ ...description.clocks[0], freq, offset: 333 }];
  const ev = (ts) => ({ name: "demo:empty", ts, streamContext: { vtid: 7 } });
  const chan0 = [];
  for (let i = 0; i < 40; i++) {
    chan0.push(ev(1000 + i * 500));
    if (i % 5 === 4) chan0.push({ packetBreak: true });
    if (i === 12) chan0.push({ discard: 3 });
    if (i === 22) chan0.push({ skipPackets: 2 });
    if (i === 31) chan0.push({ discard: 1 });
  }
  const chan1 = [];
  for (let i = 0; i < 15; i++) {
    chan1.push(ev(1250 + i * 1300));
    if (i % 4 === 3) chan1.push({ packetBreak: true });
    if (i === 6) chan1.push({ discard: 2 });
  }
  writeTrace(dir, description, { chan_0: chan0, chan_1: chan1 });
}

before(() => {
  work = mkdtempSync(join(tmpdir(), "ttng-trim-"));
  ks = join(work, "ks");
  const { description, events } = kitchenSink();
  writeTrace(ks, description, events);
  disc = join(work, "disc");
  discardTrace(disc);
  slow = join(work, "slow");
  discardTrace(slow, 3_000_000);
});
after(() => rmSync(work, { recursive: true, force: true }));

const warnings = (s) =>
  s
    .split("\n")
    .filter((l) => l.startsWith("WARNING"))
    .join("\n");

/** Comparisons where babeltrace2 crashed (reported at the end). */
const crashes = [];
after(() => {
  if (crashes.length > 0) console.log(`# babeltrace2 crashed on ${crashes.length} trimmer runs, ttng did not`);
});

function compare(args, env = {}) {
  const ref = run("babeltrace2", args, env);
  const got = ttng(["view", "--compat=2.0", ...args], env);
  const what = `${JSON.stringify(args)} ${JSON.stringify(env)}`;
  if (ref.status === null) {
    // babeltrace2 2.0.4 crashes here (SIGFPE on def-clk-freq, SIGSEGV seeking events without a time,
    // an assertion on meta-ctx-sequence): ttng must output or fail cleanly instead.
    assert.ok(got.status === 0 || got.status === 1, `${what}: ttng status ${got.status}`);
    assert.doesNotMatch(got.stderr, /^\s+at /m, `${what}: no JS stack`);
    crashes.push(what);
    return ref;
  }
  assert.equal(got.status, ref.status, `${what}: exit status (stderr: ${got.stderr.slice(0, 500)})`);
  assert.equal(got.stdout, ref.stdout, `${what}: stdout`);
  assert.equal(warnings(got.stderr), warnings(ref.stderr), `${what}: WARNING lines`);
  return ref;
}

// Clock offset of the generated traces: 1700000000.5 s; events at 1000 + k ns (cycles at 1 GHz).
const O = "1700000000";
const GEN_SETS = [
  [],
  ["-b", `${O}.5000012`],
  ["-e", `${O}.5000012`],
  ["-b", `${O}.500001250`, "-e", `${O}.5000013`],
  ["--begin", `${O}.500003`, "--end", `${O}.500009`],
  ["-b", `${O}.500003600`, "-e", `${O}.500003600`],
  ["-b", `${O}.500007100`, "-e", `${O}.500011900`],
  ["-b", `${O}.500010`, "-e", `${O}.500016`],
  ["-b", `${O}.5000160`],
  ["-e", `${O}.5000065`],
  ["-b", `${O}.5000008`, "-e", `${O}.500000900`],
  ["-b", `${O}.6`],
  ["-e", `${O}.4`],
  ["-b", "-5"],
  ["-e", "-5"],
  ["-b", "-1.5", "-e", `${O}.500002`],
  ["-b", "0", "-e", "1"],
  [`--timerange=${O}.500002,${O}.500004`],
  [`--timerange=[${O}.500002,${O}.500004]`],
  [`--timerange=${O}.500002,${O}.500004`, "-b", `${O}.500003`],
  ["-b", "22:13:20.500002"],
  ["-e", "22:13:20.500005"],
  ["--clock-gmt", "-b", "22:13:20.500002", "-e", "22:13:20.500009"],
  ["--clock-gmt", "-b", "22:13:20.5000021"],
  ["--clock-gmt", "-b", "22:13", "-e", "22:14"],
  ["--clock-gmt", "-b", "2023-11-14 22:13:20.500003"],
  ["--clock-gmt", "-e", "2023-11-14 22:13:20.500003"],
  ["-b", "2023-11-14 17:13:20.500003"],
  ["-b", "2023-11-14 22:13:20.500003", "-e", "2023-11-14 22:13:20.500009"],
  ["-b", "2023-11-14"],
  ["-e", "2023-11-15"],
  ["--clock-gmt", "-b", "2023-11-14 22:13:20.500003", "--clock-date"],
  ["-b", `${O}.500004`, "--clock-cycles"],
  ["-b", `${O}.500004`, "-e", `${O}.5000003`],
  // Before the epoch: mktime() < 0 leaves the bound unset (then 00:00 of the first event's date).
  ["-b", "1969-12-31 23:59:59"],
  ["-e", "1970-01-01 00:00:00"],
  ["-b", "0099-01-01 00:00"],
  ["-b", "nonsense"],
  ["-b", "25:99"],
];

for (const [name, dir] of [
  ["kitchen-sink", () => ks],
  ["discarded events and packets", () => disc],
]) {
  for (const tz of ["UTC", "America/New_York"]) {
    test(
      `trimmer on the ${name} trace equals babeltrace2's (TZ=${tz})`,
      { skip: bt ? false : skipReason("babeltrace2") },
      () => {
        for (const args of GEN_SETS) compare([...args, dir()], { TZ: tz });
      },
    );
  }
}

test(
  "the discarded-items trace exercises clamped ranges (may have discarded)",
  { skip: bt ? false : skipReason("babeltrace2") },
  () => {
    const r = compare(["-b", `${O}.500007100`, "-e", `${O}.500011900`, disc]);
    assert.match(r.stderr, /may have discarded/);
  },
);

/** [first, last] event times of a trace as `SEC.NNNNNNNNN` (from babeltrace2 --clock-seconds). */
function eventRange(dir) {
  const out = run("babeltrace2", ["--clock-seconds", "--no-delta", dir]).stdout;
  const times = [...out.matchAll(/^\[(-?\d+)\.(\d{9})\]/gm)].map((m) => BigInt(m[1]) * 1000000000n + BigInt(m[2]));
  if (times.length === 0) return undefined;
  return [times[0], times[times.length - 1]];
}

function sec(ns) {
  const neg = ns < 0n;
  const a = neg ? -ns : ns;
  return `${neg ? "-" : ""}${a / 1000000000n}.${(a % 1000000000n).toString().padStart(9, "0")}`;
}

/** Time of day (UTC) of ns from origin, for the date-less formats with --clock-gmt. */
function tod(ns) {
  const ms = Number(ns / 1000000n);
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, "0");
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${(((ns % 1000000000n) + 1000000000n) % 1000000000n).toString().padStart(9, "0")}`;
}

const succeed = hasCorpus ? join(corpus, "ctf-traces/1/succeed") : "";
const corpusTraces = hasCorpus ? readdirSync(succeed).sort() : [];
for (const t of corpusTraces) {
  test(
    `trimmer on corpus trace ${t} equals babeltrace2's for a grid of bounds`,
    { skip: bt && hasCorpus ? false : skipReason("babeltrace2 and corpus") },
    () => {
      const dir = join(succeed, t);
      for (const args of gridFor(dir)) {
        compare([...args, dir]);
        if (args.includes("--clock-gmt")) compare([...args, dir], { TZ: "Asia/Kolkata" });
      }
    },
  );
}

test(
  "trimmer on a 3 MHz clock with an offset in cycles equals babeltrace2's",
  { skip: bt ? false : skipReason("babeltrace2") },
  () => {
    for (const args of gridFor(slow)) compare([...args, slow]);
    for (const args of GEN_SETS) compare([...args, slow]);
  },
);

/** Bounds around a trace's events: its first and last times, the middle, one ns off each. */
function gridFor(dir) {
  const r = eventRange(dir);
  const sets = [
    ["-b", "0"],
    ["-e", "0"],
    ["-b", "-3"],
  ];
  if (r) {
    const [a, z] = r;
    const mid = (a + z) / 2n;
    sets.push(
      ["-b", sec(a)],
      ["-e", sec(a)],
      ["-b", sec(a + 1n)],
      ["-e", sec(z - 1n)],
      ["-b", sec(mid)],
      ["-e", sec(mid)],
      ["-b", sec(mid), "-e", sec(z)],
      [`--timerange=[${sec(a + (z - a) / 4n)},${sec(z - (z - a) / 4n)}]`],
      ["-b", sec(a + (z - a) / 3n), "-e", sec(z - (z - a) / 3n)],
      ["-b", sec(a + (z - a) / 5n), "-e", sec(a + (z - a) / 5n + 1n)],
      ["--clock-gmt", "-b", tod(mid)],
      ["--clock-gmt", "-e", tod(mid)],
    );
  }
  return sets;
}

test(
  "trimmer with local dates and times of day across a DST change equals babeltrace2's",
  { skip: bt ? false : skipReason("babeltrace2") },
  () => {
    // 2023-11-05 05:00 UTC = 01:00 EDT; New York's 01:00-02:00 happens twice. Events every 10 minutes.
    const { description } = kitchenSink();
    description.clocks = [{ ...description.clocks[0], offsetS: 1699160400, offset: 0 }];
    const evs = [];
    for (let i = 0; i < 24; i++) {
      evs.push({ name: "demo:empty", ts: i * 600e9, streamContext: { vtid: 7 } });
      if (i % 4 === 3) evs.push({ packetBreak: true });
    }
    const dir = join(work, "dst");
    writeTrace(dir, description, { chan_0: evs });
    for (const tz of ["America/New_York", "Europe/Paris"]) {
      for (const t of ["2023-11-05 01:30", "2023-11-05 01:59:59", "01:30", "02:30", "00:30"]) {
        compare(["-b", t, dir], { TZ: tz });
        compare(["-e", t, dir], { TZ: tz });
      }
    }
  },
);

const INTERSECTION = [
  ["3eventsintersect", 8, 3],
  ["3eventsintersectreverse", 8, 3],
  ["nointersect", 6, 0],
  ["nostream", 0, 0],
  ["onestream", 3, 3],
];
for (const [t, all, kept] of INTERSECTION) {
  test(
    `--stream-intersection on ${t}: ${all} -> ${kept} events, as babeltrace2`,
    { skip: bt && hasCorpus ? false : skipReason("babeltrace2 and corpus") },
    () => {
      const dir = join(corpus, "ctf-traces/1/intersection", t);
      const lines = (s) => s.split("\n").filter((l) => l.startsWith("[")).length;
      assert.equal(lines(ttng(["view", "--compat=2.0", dir]).stdout), all);
      assert.equal(lines(ttng(["view", "--compat=2.0", "--stream-intersection", dir]).stdout), kept);
      compare(["--stream-intersection", dir]);
      compare(["--stream-intersection", "--clock-seconds", dir]);
    },
  );
}

test("--stream-intersection with --run-args is refused", () => {
  const r = ttng(["convert", "--run-args", "--stream-intersection", ks ?? "."]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--stream-intersection with --run-args/);
});

test("-t is not a babeltrace2 2.0.4 short option; --timerange needs BEGIN,END", () => {
  assert.notEqual(ttng(["convert", "-t", "1,2", ks]).status, 0);
  assert.notEqual(ttng(["convert", "--timerange=1", ks]).status, 0);
  assert.notEqual(ttng(["convert", "-b", "1", "-b", "2", ks]).status, 0);
});

// ---------------------------------------------------------------------------------------------
// Seeking: the trimmer asks upstream to seek to --begin (source.ctf.fs skips whole packets by the
// LTTng index or the packet contexts; the muxer forwards). The output must not change.
// ---------------------------------------------------------------------------------------------

/** Three streams of many small packets, discarded events and packet gaps; `index/` when asked. */
function manyPackets(dir, index) {
  const { description } = kitchenSink();
  description.streams = [0, 1, 2].map((i) => ({
    name: `chan_${i}`,
    streamClassId: 0,
    instanceId: i,
    cpuId: i,
    packetContext: { pc_user: i },
  }));
  const ev = (ts) => ({ name: "demo:empty", ts, streamContext: { vtid: 7 } });
  const streams = {};
  for (let s = 0; s < 3; s++) {
    const evs = [];
    for (let i = 0; i < 120; i++) {
      evs.push(ev(1000 + i * 300 + s * 97));
      if (i % 6 === 5) evs.push({ packetBreak: true });
      if (i % 25 === 11) evs.push({ discard: 2 + s });
      if (s === 1 && i === 70) evs.push({ skipPackets: 1 });
    }
    streams[`chan_${s}`] = evs;
  }
  return writeTrace(dir, description, streams, { index });
}

/** `SEC.NNNNNNNNN` of a generated trace's clock value (kitchenSink's clock: offset 1700000000 s + 500000000 cycles at 1 GHz). */
const at = (cycles) => sec(1700000000n * 1000000000n + 500000000n + BigInt(cycles));

/** Bounds on, just before and just after packet boundaries, and inside packets. */
function packetBounds(gen) {
  const packets = gen.streams[1].packets;
  const sets = [];
  for (const k of [1, 7, packets.length - 2, packets.length - 1]) {
    const p = packets[k];
    for (const t of [
      p.tsBegin,
      Number(p.tsBegin) - 1,
      p.tsEnd,
      Number(p.tsEnd) + 1,
      (Number(p.tsBegin) + Number(p.tsEnd)) >> 1,
    ]) {
      sets.push(["-b", at(t)]);
    }
    sets.push(["-b", at(p.tsBegin), "-e", at(Number(p.tsEnd) + 700)]);
  }
  return sets;
}

for (const index of [true, false]) {
  test(
    `trimmer seeking through ${index ? "an indexed" : "a non-indexed"} multi-packet trace equals babeltrace2's`,
    { skip: bt ? false : skipReason("babeltrace2") },
    () => {
      const dir = join(work, `many-${index}`);
      const gen = manyPackets(dir, index);
      assert.ok(gen.streams[1].packets.length >= 20);
      for (const args of packetBounds(gen)) compare([...args, dir]);
      const r = compare(["-b", at(gen.streams[1].packets[5].tsEnd), dir]);
      assert.match(r.stderr, /discarded/);
    },
  );
}

/** Overwrites the second half of a packet's content (event records) with 0xff bytes. */
function spoilEvents(file, p) {
  const fd = openSync(file, "r+");
  try {
    const from = p.offsetBytes + Math.floor(p.contentSizeBits / 16);
    const to = p.offsetBytes + p.contentSizeBits / 8;
    writeSync(fd, Buffer.alloc(to - from, 0xff), 0, to - from, from);
  } finally {
    closeSync(fd);
  }
}

test(
  "seeking skips the packets before --begin without reading them (packet scan, and LTTng index)",
  { skip: bt ? false : skipReason("babeltrace2") },
  () => {
    for (const index of [false, true]) {
      const clean = join(work, `clean-${index}`);
      const spoiled = join(work, `spoiled-${index}`);
      const gen = manyPackets(clean, index);
      manyPackets(spoiled, index);
      for (const s of gen.streams) spoilEvents(join(spoiled, s.name), s.packets[0]);
      if (index) {
        // With the index, not even the packet headers and contexts of skipped packets are read.
        for (const s of gen.streams) {
          const fd = openSync(join(spoiled, s.name), "r+");
          writeSync(fd, Buffer.alloc(4, 0x11), 0, 4, s.packets[1].offsetBytes); // the magic number
          closeSync(fd);
        }
      }
      // Reading from the beginning fails: the spoiled packets are really spoiled.
      const full = ttng(["view", spoiled]);
      assert.equal(full.status, 1, `index=${index}: reading the spoiled trace whole must fail`);
      assert.doesNotMatch(full.stderr, /^\s+at /m);
      // After the third packet of every stream: packets 0 and 1 are skipped, packet 2 is read (before the time).
      const begin = Math.max(...gen.streams.map((s) => Number(s.packets[2].tsEnd))) + 1;
      for (const args of [
        ["-b", at(begin)],
        ["-b", at(begin), "-e", at(begin + 5000)],
      ]) {
        const ref = run("babeltrace2", [...args, clean]);
        const got = ttng(["view", "--compat=2.0", ...args, spoiled]);
        assert.equal(got.status, 0, `index=${index} ${args}: ${got.stderr}`);
        assert.equal(got.stdout, ref.stdout, `index=${index} ${args}`);
        assert.ok(ref.stdout.length > 0);
      }
    }
  },
);

test(
  "trimmer seeking through a trace recorded by @ttng/tracer (LTTng index v1.1) equals babeltrace2's",
  { skip: bt ? false : skipReason("babeltrace2") },
  () => {
    const app = join(root, "tests/tracer/roundtrip-app.mjs");
    const r = spawnSync(process.execPath, [app, "4", join(work, "tracer"), "1500"], {
      encoding: "utf8",
      timeout: 60000,
    });
    assert.equal(r.status, 0, r.stderr);
    const { result } = JSON.parse(r.stdout);
    assert.ok(result.packets >= 12, `${result.packets} packets`);
    assert.ok(readdirSync(join(result.path, "index")).length >= 3);
    for (const args of gridFor(result.path)) compare([...args, result.path]);
  },
);
