/**
 * Tests for the CTF 1.8 trace generator, with Debian's babeltrace2 (2.0.4) as the oracle: every
 * generated trace must be read without error, with one output line per event, and the hand-made
 * trace must decode to known values. Without babeltrace2 the oracle tests skip (fail under CI=true).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  BitWriter,
  clockUpdate,
  createRng,
  ft,
  kitchenSink,
  packetizedMetadataFor,
  randomEvents,
  randomTraceDescription,
  tsdlFor,
  writeBenchTrace,
  writeTrace,
} from "./ctf-gen.mjs";

const work = mkdtempSync(join(tmpdir(), "ttng-ctf-gen-"));
after(() => rmSync(work, { recursive: true, force: true }));

const haveBt = spawnSync("babeltrace2", ["--version"], { encoding: "utf8" }).status === 0;
const skip = haveBt
  ? false
  : "babeltrace2 not found: install Debian's babeltrace2 (2.0.4) to run the oracle tests (apt-get install babeltrace2)";
if (!haveBt && process.env.CI === "true") {
  test("babeltrace2 is installed (required when CI=true)", () => {
    assert.fail("babeltrace2 is missing; .ci/run installs it");
  });
}

function bt(args) {
  const p = spawnSync("babeltrace2", args, {
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC", BABELTRACE_TERM_COLOR: "never" },
    maxBuffer: 1 << 28,
  });
  const lines = p.stdout.split("\n").filter((l) => l.length > 0);
  return { status: p.status, signal: p.signal, stdout: p.stdout, stderr: p.stderr, lines };
}

/** Runs babeltrace2 on `dir`; asserts success, no error output and `expected` event lines. */
function assertReads(dir, expected, { allowTracerWarnings = false, args = [] } = {}) {
  const r = bt([...args, dir]);
  assert.equal(r.signal, null, `babeltrace2 crashed (${r.signal}) on ${dir}:\n${r.stderr.slice(0, 2000)}`);
  assert.equal(r.status, 0, `babeltrace2 failed on ${dir}:\n${r.stderr.slice(0, 2000)}`);
  const errLines = r.stderr.split("\n").filter((l) => l && !(allowTracerWarnings && l.startsWith("WARNING: Tracer ")));
  assert.deepEqual(errLines, [], `unexpected stderr on ${dir}`);
  assert.equal(r.lines.length, expected, `event line count for ${dir}`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Bit writer
// ---------------------------------------------------------------------------------------------

test("BitWriter packs little-endian fields from the least significant bit", () => {
  const w = new BitWriter();
  w.writeUint(5, 3); // bits 0-2
  w.writeInt(-3, 5); // bits 3-7: 0b11101
  assert.deepEqual([...w.bytes()], [0b11101101]);
  w.writeUint(0x1234, 16, 8, "le");
  w.writeUint(0x2aaaaaaaan, 37, 1, "le");
  assert.deepEqual([...w.bytes().subarray(1, 3)], [0x34, 0x12]);
  assert.equal(w.offsetBits, 8 + 16 + 37);
});

test("BitWriter packs big-endian fields from the most significant bit", () => {
  const w = new BitWriter();
  w.writeUint(0x1abc, 13, 8, "be"); // 1101010111100
  assert.deepEqual([...w.bytes()], [0xd5, 0xe0]);
  w.writeInt(-1, 3, 1, "be"); // continues in the same byte
  assert.deepEqual([...w.bytes()], [0xd5, 0xe7]);
  const v = new BitWriter();
  v.writeInt(-(2n ** 63n), 64, 8, "be");
  v.writeUint(2n ** 64n - 2n, 64, 8, "le");
  assert.deepEqual([...v.bytes()], [0x80, 0, 0, 0, 0, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
});

test("BitWriter aligns, writes floats and strings, reserves and patches", () => {
  const w = new BitWriter(8);
  w.writeUint(1, 1);
  const h = w.reserveUint(32, 32, "be");
  assert.equal(h.offsetBits, 32);
  w.writeFloat(1.5, 32, 32, "le");
  w.writeFloat(-2, 64, 64, "be");
  w.writeString("hé");
  w.patchUint(h, 0xc1fc1fc1);
  const b = w.bytes();
  assert.deepEqual([...b.subarray(0, 12)], [1, 0, 0, 0, 0xc1, 0xfc, 0x1f, 0xc1, 0, 0, 0xc0, 0x3f]);
  assert.deepEqual([...b.subarray(16, 24)], [0xc0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...b.subarray(24)], [0x68, 0xc3, 0xa9, 0]);
  w.padTo(256);
  assert.equal(w.bytes().length, 32);
});

test("BitWriter rejects out-of-range values and byte order changes inside a byte", () => {
  const w = new BitWriter();
  assert.throws(() => w.writeUint(8, 3), RangeError);
  assert.throws(() => w.writeInt(-5, 3), RangeError);
  assert.throws(() => w.writeUint(2 ** 60, 64), RangeError); // unsafe number: BigInt required
  w.writeUint(1, 3, 1, "le");
  assert.throws(() => w.writeUint(1, 3, 1, "be"), /inside a byte/);
  w.writeUint(1, 3, 8, "be"); // fine once aligned
});

test("BitWriter rewind() restores the bytes after a mark", () => {
  const w = new BitWriter();
  w.writeUint(3, 2);
  const m = w.mark();
  w.writeUint(0x3f, 6);
  w.writeUint(0xffff, 16);
  w.rewind(m);
  assert.equal(w.offsetBits, 2);
  w.writeUint(0, 6);
  assert.deepEqual([...w.bytes()], [3]);
});

test("clockUpdate() follows the CTF 1.8 wrap rule", () => {
  assert.equal(clockUpdate(1000n, 2000, 27), 2000n);
  assert.equal(clockUpdate((1n << 27n) - 10n, 5, 27), (1n << 27n) + 5n);
  assert.equal(clockUpdate(123n, 7n, 64), 7n);
  assert.equal(clockUpdate(null, 7, 27), 7n);
});

test("tsdlFor() starts with the CTF 1.8 signature and declares every stream and event class", () => {
  const { description } = kitchenSink();
  const t = tsdlFor(description);
  assert.ok(t.startsWith("/* CTF 1.8 */"));
  assert.match(t, /byte_order = le;/);
  assert.match(
    t,
    /enum : integer \{ size = 5; align = 1; signed = false; \} \{ compact = 0 \.\.\. 30, extended = 31 \}/,
  );
  assert.equal((t.match(/^event \{/gm) ?? []).length, 3);
  assert.match(t, /"SPLIT" = 30 \.\.\. 31, "SPLIT" = 40/);
});

test("packetizedMetadataFor() writes 37-byte headers in the trace byte order", () => {
  for (const byteOrder of ["le", "be"]) {
    const { description } = kitchenSink({ byteOrder });
    const bytes = packetizedMetadataFor(description, { packetSizeBytes: 512 });
    assert.equal(bytes.length % 512, 0);
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    const le = byteOrder === "le";
    let text = "";
    for (let at = 0; at < bytes.length; at += 512) {
      assert.equal(dv.getUint32(at, le), 0x75d11d57);
      const contentBits = dv.getUint32(at + 24, le);
      assert.equal(dv.getUint32(at + 28, le), 512 * 8);
      assert.deepEqual([...bytes.subarray(at + 32, at + 37)], [0, 0, 0, 1, 8]);
      text += Buffer.from(bytes.subarray(at + 37, at + contentBits / 8)).toString("utf8");
    }
    assert.equal(text, tsdlFor(description));
  }
});

// ---------------------------------------------------------------------------------------------
// babeltrace2 as the oracle
// ---------------------------------------------------------------------------------------------

test("kitchenSink() decodes to the expected values (both byte orders)", { skip }, () => {
  for (const byteOrder of ["le", "be"]) {
    const { description, events } = kitchenSink({ byteOrder });
    const dir = join(work, `kitchen-${byteOrder}`);
    const res = writeTrace(dir, description, events, { packetSizeBytes: 256 });
    assert.equal(res.eventCount, 5);
    const r = assertReads(dir, 5);
    // Muxed order: chan_0 @1100, chan_0 @1200, chan_1 @1250, chan_0 @1300, chan_0 @1400.
    const [ints, first, other, unknown] = r.lines;
    assert.match(ints, /^\[22:13:20\.500001100\] \(\+\?\.\?{9}\) demohost:demo-app:\(4242\) demo:ints: /);
    assert.match(ints, /\{ cpu_id = 0, pc_user = 7 \}, \{ vtid = 11 \}, \{ ctx_flag = 1 \}/);
    // 5-bit signed field at bit offset 3, then 64-bit extremes at odd bit offsets.
    assert.match(ints, /u3 = 5, s5 = -3, u64max = 18446744073709551615, s64min = -9223372036854775808/);
    // 13-bit field in the other byte order, followed by a 7-bit one continuing mid-byte.
    assert.match(ints, /other13 = 6844, other_s7 = -9, realign = 255/);
    assert.match(ints, /hex16 = 0xFFFE, oct = 010, bin = 0b00000101 \}$/);
    assert.doesNotMatch(ints, /mapped/); // clock-mapped payload ints are not shown by 2.0.4
    assert.match(first, /en = \( "RANGE", "OVERLAP" : container = 15 \), sen = \( "NEG" : container = -1 \)/);
    assert.match(
      first,
      /str = "tab\\there \\"q\\" \\'a\\' back\\\\slash nl\\n bel\\a esc\\e ctl\\x01 café ☃", dbl = 3\.25, flt = 1\.5/,
    );
    assert.match(
      first,
      /nested = \{ a = 7, inner = \{ b = -300, c = "in" \} \}, arr = \[ \[0\] = 1, \[1\] = -2, \[2\] = 3 \]/,
    );
    assert.match(
      first,
      /n = 3, seq = \[ \[0\] = 0xA, \[1\] = 0x14, \[2\] = 0xFFFF \], sel = \( "s" : container = 1 \)/,
    );
    assert.match(first, /v = \{ "green!" \}, txt = "ABC", tlen = 4, tseq = "wxyz"/);
    assert.match(
      first,
      /arr_st = \[ \[0\] = \{ x = 1, y = "p" \}, \[1\] = \{ x = 6, y = "q" \} \], empty_arr = \[ \] \}$/,
    );
    assert.match(other, /\{ cpu_id = 1, pc_user = 9 \}, \{ vtid = 12 \}, \{ en = \( "SPLIT" : container = 40 \)/);
    assert.match(other, /sel = \( "d" : container = 2 \), v = \{ -1\.2345e-05 \}/);
    assert.match(unknown, /en = \( <unknown> : container = 99 \), sen = \( "ZERO" : container = 0 \)/);
    assert.match(unknown, /seq = \[ \], sel = \( "i" : container = 0 \), v = \{ -256 \}/);
    assert.match(r.lines[4], /demo:empty: \{ cpu_id = 0, pc_user = 7 \}, \{ vtid = 11 \}, \{ \}$/);
  }
});

test("packets of any whole number of bytes: alignment is relative to the packet", { skip }, () => {
  const { description, events } = kitchenSink();
  const ev = events.chan_1[0];
  const many = { chan_0: [], chan_1: [] };
  for (let i = 0; i < 40; i++) for (const k of ["chan_0", "chan_1"]) many[k].push({ ...ev, ts: 2000 + i * 10 });
  const odd = join(work, "odd-packets");
  const even = join(work, "even-packets");
  const res = writeTrace(odd, description, many, { packetSizeBytes: 1001 });
  writeTrace(even, description, many, { packetSizeBytes: 4096 });
  assert.ok(res.streams[0].packets.length > 5);
  assert.equal(assertReads(odd, 80).stdout, assertReads(even, 80).stdout);
});

test("packetized metadata reads like plain metadata", { skip }, () => {
  const { description, events } = kitchenSink({ byteOrder: "be" });
  const plain = join(work, "meta-plain");
  const packetized = join(work, "meta-packetized");
  writeTrace(plain, description, events);
  writeTrace(packetized, description, events, { metadata: "packetized", metadataPacketSizeBytes: 512 });
  assert.deepEqual([...readFileSync(join(packetized, "metadata")).subarray(0, 4)], [0x75, 0xd1, 0x1d, 0x57]);
  const a = assertReads(plain, 5);
  const b = assertReads(packetized, 5);
  assert.equal(b.stdout, a.stdout);
});

/** One stream class per LTTng header kind, plus one whose packets lack timestamp_begin. */
function wrapDescription() {
  const payload = [["x", ft.uint(8)]];
  const classes = (scId) => [
    { id: 0, name: `s${scId}:small`, streamClassId: scId, payload },
    { id: 35, name: `s${scId}:big_id`, streamClassId: scId, payload }, // > 30: always extended in compact
  ];
  return {
    byteOrder: "le",
    clocks: [{ name: "monotonic", freq: 1_000_000_000 }],
    streamClasses: [
      { id: 0, eventHeader: "lttng-compact" },
      { id: 1, eventHeader: "lttng-large" },
      { id: 2, eventHeader: "lttng-compact", packetContext: { timestampBegin: false } },
    ],
    eventClasses: [...classes(0), ...classes(1), ...classes(2)],
    streams: [
      { name: "compact", streamClassId: 0 },
      { name: "large", streamClassId: 1 },
      { name: "no_ts_begin", streamClassId: 2 },
    ],
  };
}

test("compact headers: the extended form exactly when the delta does not fit, wraps decode exactly", { skip }, () => {
  const d = wrapDescription();
  const T27 = 2n ** 27n;
  const T32 = 2n ** 32n;
  const deltas = [0n, 1n, T27 - 1n, T27, 5n, T27 + 1n, 3n * T27, 1000n, T32 - 1n, T32, T32 + 7n, 2n ** 40n, 0n, 17n];
  const events = {};
  const expectedTs = [];
  const expectedExtended = {};
  for (const [name, bits, tsBegin] of [
    ["compact", 27n, true],
    ["large", 32n, true],
    ["no_ts_begin", 27n, false],
  ]) {
    let ts = T27 - 3n; // starts just below a 27-bit wrap
    let prev = null;
    let ext = 0;
    events[name] = [];
    deltas.forEach((delta, k) => {
      ts += delta;
      const classId = k % 5 === 4 ? 35 : 0;
      // Events are split into packets of 4 below; each packet restarts from timestamp_begin.
      if (k % 4 === 0 && k > 0) events[name].push({ packetBreak: true });
      if (k % 4 === 0) prev = tsBegin ? ts : null;
      const fits = prev !== null && (ts - prev) >> bits === 0n;
      if (!(fits && classId < (bits === 27n ? 31 : 65535))) ext++;
      prev = ts;
      events[name].push({ classId, ts, fields: { x: k } });
      expectedTs.push(ts);
    });
    expectedExtended[name] = ext;
  }
  const dir = join(work, "wrap");
  const res = writeTrace(dir, d, events, { index: true });
  for (const s of res.streams) {
    assert.equal(
      s.packets.reduce((a, p) => a + p.extendedHeaders, 0),
      expectedExtended[s.name],
      `extended headers in ${s.name}`,
    );
    assert.equal(s.packets.length, 4);
  }
  assert.ok(expectedExtended.compact > 3 && expectedExtended.compact < deltas.length);
  const r = assertReads(dir, deltas.length * 3, { args: ["--clock-cycles"] });
  const got = r.lines.map((l) => BigInt(l.slice(1, 21)));
  assert.deepEqual(
    got,
    expectedTs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
  );
});

test("discarded events and packet_seq_num gaps are reported by babeltrace2", { skip }, () => {
  const { description } = kitchenSink();
  const ev = (ts) => ({ name: "demo:empty", ts });
  // events_discarded is the counter snapshot at packet close: a discard marker counts in the packet
  // being written, and babeltrace2 reports the delta between consecutive packets.
  const events = {
    chan_0: [ev(1000), { packetBreak: true }, ev(2000), { discard: 3 }, { packetBreak: true }, ev(3000)].concat([
      { skipPackets: 2 },
      ev(4000),
    ]),
    chan_1: [{ discard: 2 }, ev(1500), { packetBreak: true }, { discard: 1 }, ev(2500)],
  };
  const dir = join(work, "discard");
  const res = writeTrace(dir, description, events);
  assert.deepEqual(
    res.streams[0].packets.map((p) => [p.seqNum, Number(p.eventsDiscarded), p.eventCount]),
    [
      [0, 0, 1],
      [1, 3, 1],
      [2, 3, 1],
      [5, 3, 1],
    ],
  );
  const r = assertReads(dir, 6, { allowTracerWarnings: true });
  const warnings = r.stderr.split("\n").filter((l) => l.startsWith("WARNING"));
  assert.equal(warnings.length, 4, r.stderr);
  const has = (re, stream) => warnings.some((l) => re.test(l) && l.includes(`/${stream}" (stream class ID: 0`));
  assert.ok(
    has(/^WARNING: Tracer discarded 3 events between \[22:13:20\.500001000\] and \[22:13:20\.500002000\]/, "chan_0"),
  );
  assert.ok(
    has(/^WARNING: Tracer discarded 2 packets between \[22:13:20\.500003000\] and \[22:13:20\.500004000\]/, "chan_0"),
  );
  assert.ok(has(/^WARNING: Tracer discarded 1 event between /, "chan_1"));
  // babeltrace2 2.0.4 has no baseline for a first packet's non-zero counter: count unknown.
  assert.ok(has(/^WARNING: Tracer may have discarded events between /, "chan_1"));
  assert.match(warnings[0], /in trace "demohost" \(UUID: 2a6422d0-6cee-11e0-8c08-cb07d7b3a564\)/);
});

test("index files follow the LTTng 1.1 layout and babeltrace2 uses them", { skip }, () => {
  const rng = createRng(77);
  const description = randomTraceDescription(rng, { clock: true });
  const events = randomEvents(rng, description, 300);
  const dir = join(work, "index");
  const res = writeTrace(dir, description, events, { index: true, packetSizeBytes: 512 });
  for (const s of res.streams) {
    const b = readFileSync(join(dir, "index", `${s.name}.idx`));
    assert.equal(b.readUInt32BE(0), 0xc1f1dcc1);
    assert.equal(b.readUInt32BE(4), 1);
    assert.equal(b.readUInt32BE(8), 1);
    assert.equal(b.readUInt32BE(12), 72);
    assert.equal(b.length, 16 + 72 * s.packets.length);
    s.packets.forEach((p, k) => {
      const at = 16 + 72 * k;
      const u = (j) => b.readBigUInt64BE(at + 8 * j);
      assert.deepEqual(
        [u(0), u(1), u(2), u(3), u(4), u(5), u(6), u(7), u(8)],
        [p.offsetBytes, p.packetSizeBits, p.contentSizeBits, p.tsBegin, p.tsEnd, p.eventsDiscarded]
          .concat([p.streamClassId, p.streamInstanceId, p.seqNum])
          .map(BigInt),
      );
    });
  }
  const r = bt(["--log-level=I", dir]);
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  assert.equal(r.lines.length, res.eventCount);
  const built = r.stderr.split("\n").filter((l) => l.includes("Building index from .idx file"));
  assert.equal(built.length, res.streams.length);
  assert.doesNotMatch(r.stderr, /falling back to stream indexing|Invalid LTTng trace index/);
});

// ---------------------------------------------------------------------------------------------
// Expected sink.text.pretty rendering (babeltrace2 2.0.4) of generated values, used to check
// random traces value by value, not only line by line.
// ---------------------------------------------------------------------------------------------

/**
 * C's printf("%g") (precision 6, glibc: round half to even on the exact binary value). Works from
 * the double's exact decimal expansion because JS's toExponential/toFixed round ties up.
 */
function cG(v) {
  if (Number.isNaN(v)) return "nan";
  if (v === Number.POSITIVE_INFINITY) return "inf";
  if (v === Number.NEGATIVE_INFINITY) return "-inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2 = -1074;
  if (expBits !== 0) {
    mant |= 1n << 52n;
    exp2 = expBits - 1075;
  }
  // value = digits * 10^scale, exactly
  let digits;
  let scale;
  if (exp2 >= 0) {
    digits = (mant << BigInt(exp2)).toString();
    scale = 0;
  } else {
    digits = (mant * 5n ** BigInt(-exp2)).toString();
    scale = exp2;
  }
  let x = digits.length - 1 + scale; // decimal exponent of the first digit
  let head = digits.slice(0, 6).padEnd(6, "0");
  const rest = digits.slice(6);
  const up =
    rest.length > 0 &&
    (rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || Number(head[5]) % 2 === 1)));
  if (up) {
    head = (BigInt(head) + 1n).toString();
    if (head.length > 6) {
      head = head.slice(0, 6);
      x += 1;
    }
  }
  const sign = v < 0 ? "-" : "";
  const strip = (t) => t.replace(/0+$/, "");
  if (x < -4 || x >= 6) {
    const frac = strip(head.slice(1));
    return `${sign}${head[0]}${frac ? `.${frac}` : ""}e${x < 0 ? "-" : "+"}${String(Math.abs(x)).padStart(2, "0")}`;
  }
  const intPart = x >= 0 ? head.slice(0, x + 1) : "0";
  const frac = strip(x >= 0 ? head.slice(x + 1) : "0".repeat(-x - 1) + head);
  return `${sign}${intPart}${frac ? `.${frac}` : ""}`;
}

/** babeltrace2's escaped string: stops at NUL; C escapes; other control bytes as \xHH; rest raw. */
function cString(bytes) {
  const out = [];
  const named = { 7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 27: "e" };
  for (const b of bytes) {
    if (b === 0) break;
    const c = String.fromCharCode(b);
    let esc = null;
    if ("\\'\"?".includes(c)) esc = `\\${c}`;
    else if (named[b]) esc = `\\${named[b]}`;
    else if (b < 0x20 || b === 0x7f) esc = `\\x${b.toString(16).padStart(2, "0")}`;
    if (esc) out.push(...Buffer.from(esc));
    else out.push(b);
  }
  return `"${Buffer.from(out).toString("utf8")}"`;
}

function renderInt(fc, value) {
  const size = BigInt(fc.size);
  const u = BigInt.asUintN(64, BigInt(value)); // babeltrace's uint64 view of the sign-extended value
  // Below 64 bits babeltrace masks to the size rounded up to a whole digit; for 61..63-bit hex
  // that mask is (1 << 64) - 1 in C, which x86 computes as 0: it prints 0x0.
  const masked = (digitBits) => {
    if (size >= 64n) return u;
    const r = ((size - 1n) / digitBits + 1n) * digitBits;
    return r >= 64n ? 0n : u & ((1n << r) - 1n);
  };
  switch (fc.base ?? 10) {
    case 16:
      return `0x${masked(4n).toString(16).toUpperCase()}`;
    case 8:
      return `0${masked(3n).toString(8)}`;
    case 2:
      return `0b${(u & ((1n << size) - 1n)).toString(2).padStart(fc.size, "0")}`;
    default:
      return BigInt(value).toString();
  }
}

function withDerived(members, values) {
  const out = { ...values };
  for (const [name, fc] of members) {
    if (fc.type === "sequence" && out[fc.lengthField] === undefined) {
      const v = values[name];
      out[fc.lengthField] = typeof v === "string" ? Buffer.from(v).length : v.length;
    }
    if (fc.type === "variant" && out[fc.tag] === undefined) {
      const tag = members.find(([n]) => n === fc.tag)[1];
      out[fc.tag] = tag.mappings.find((m) => m.label === values[name].option).ranges[0][0];
    }
  }
  return out;
}

function render(fc, value) {
  switch (fc.type) {
    case "int":
      return renderInt(fc, value);
    case "enum": {
      const v = BigInt(value);
      const labels = fc.mappings
        .filter((m) => m.ranges.some(([lo, hi]) => BigInt(lo) <= v && v <= BigInt(hi)))
        .map((m) => `"${m.label}"`);
      return `( ${labels.length ? labels.join(", ") : "<unknown>"} : container = ${renderInt(fc.container, v)} )`;
    }
    case "float":
      return cG(value);
    case "string":
      return cString(Buffer.from(value));
    case "struct": {
      const vals = withDerived(fc.members, value);
      if (fc.members.length === 0) return "{ }";
      return `{ ${fc.members.map(([n, m]) => `${n} = ${render(m, vals[n])}`).join(", ")} }`;
    }
    case "array":
    case "sequence":
      if (fc.element.encoding) return cString(Buffer.from(value));
      if (value.length === 0) return "[ ]";
      return `[ ${value.map((x, i) => `[${i}] = ${render(fc.element, x)}`).join(", ")} ]`;
    case "variant":
      return `{ ${render(fc.options.find(([n]) => n === value.option)[1], value.value)} }`;
    default:
      throw new Error(fc.type);
  }
}

/** The end of each event's line: `NAME: ... { stream ctx }, { event ctx }, { payload }`. */
function expectedTails(description, events) {
  const tails = [];
  for (const s of description.streams) {
    const sc = description.streamClasses.find((x) => x.id === s.streamClassId);
    for (const ev of events[s.name] ?? []) {
      if (ev.classId === undefined) continue;
      const ec = description.eventClasses.find((x) => x.streamClassId === sc.id && x.id === ev.classId);
      const parts = [];
      if (sc.eventContext) parts.push(render({ type: "struct", members: sc.eventContext }, ev.streamContext));
      if (ec.context) parts.push(render({ type: "struct", members: ec.context }, ev.context));
      parts.push(render({ type: "struct", members: ec.payload }, ev.fields));
      tails.push({ name: ec.name, tail: parts.join(", ") });
    }
  }
  return tails;
}

/** Whether a pretty line is for event class `name` (the line may start with it: no time, no env). */
function hasName(line, name) {
  return line.startsWith(`${name}: `) || line.includes(` ${name}: `);
}

function assertValues(lines, description, events) {
  const pending = expectedTails(description, events);
  for (const line of lines) {
    const k = pending.findIndex((e) => hasName(line, e.name) && line.endsWith(e.tail));
    if (k < 0) {
      // Report the candidate sharing the longest prefix with the line's tail: the likely culprit.
      let best = "";
      let bestLen = -1;
      for (const e of pending) {
        if (!hasName(line, e.name)) continue;
        const tail = line.slice(line.length - e.tail.length);
        let n = 0;
        while (n < tail.length && tail[n] === e.tail[n]) n++;
        if (n > bestLen) [best, bestLen] = [e.tail, n];
      }
      assert.fail(`no expected event matches:\n${line}\nclosest expected:\n${best}\nfirst difference at ${bestLen}`);
    }
    pending.splice(k, 1);
  }
  assert.equal(pending.length, 0);
}

test("renderInt() reproduces babeltrace2 2.0.4's display bases, including its 0x0 quirk", () => {
  assert.equal(renderInt({ size: 16, signed: true, base: 16 }, -2), "0xFFFE");
  assert.equal(renderInt({ size: 5, signed: true, base: 16 }, -1), "0xFF");
  assert.equal(renderInt({ size: 62, signed: false, base: 16 }, 0x123n), "0x0");
  assert.equal(renderInt({ size: 64, signed: true, base: 8 }, -5n), "01777777777777777777773");
  assert.equal(renderInt({ size: 61, signed: true, base: 8 }, -5n), "0777777777777777777773");
  assert.equal(renderInt({ size: 8, signed: false, base: 8 }, 0), "00");
  assert.equal(renderInt({ size: 8, signed: false, base: 2 }, 5), "0b00000101");
});

test("cG() renders like C's %g", () => {
  const cases = [
    [3.25, "3.25"],
    [1 / 3, "0.333333"],
    [1.5e300, "1.5e+300"],
    [-1.2345e-5, "-1.2345e-05"],
    [100000, "100000"],
    [1000000, "1e+06"],
    [123456.789, "123457"],
    [0.0001, "0.0001"],
    [-0, "-0"],
    [Number.NaN, "nan"],
    [929642.5, "929642"],
    [929643.5, "929644"],
    [1234565, "1.23456e+06"],
    [2.5e-7, "2.5e-07"],
    [5e-324, "4.94066e-324"],
    [Number.MAX_VALUE, "1.79769e+308"],
    [999999.5, "1e+06"],
  ];
  for (const [v, s] of cases) assert.equal(cG(v), s, String(v));
});

const RANDOM_SEEDS = Array.from({ length: 36 }, (_, k) => 1000 + k);
for (const seed of RANDOM_SEEDS) {
  test(`random trace (seed ${seed}) is read by babeltrace2`, { skip }, () => {
    const rng = createRng(seed);
    const description = randomTraceDescription(rng, seed % 4 === 0 ? { byteOrder: "be" } : {});
    const events = randomEvents(rng, description, 40 + (seed % 50), {
      discardChance: seed % 3 === 0 ? 0.03 : 0,
      seqGapChance: seed % 5 === 0 ? 0.03 : 0,
      packetBreakChance: 0.05,
    });
    const dir = join(work, `random-${seed}`);
    const res = writeTrace(dir, description, events, {
      packetSizeBytes: [256, 512, 1024, 4096][seed % 4],
      index: seed % 2 === 0,
      metadata: seed % 3 === 1 ? "packetized" : "text",
      metadataPacketSizeBytes: 1024,
    });
    const r = assertReads(dir, res.eventCount, { allowTracerWarnings: true });
    assertValues(r.lines, description, events);
  });
}

test("writeBenchTrace() matches writeTrace() byte for byte and babeltrace2 reads it", { skip }, () => {
  const fast = join(work, "bench-fast");
  const slow = join(work, "bench-slow");
  const r = writeBenchTrace(fast, { events: 6000, streams: 4, seed: 3, packetSizeBytes: 4096, collectEvents: true });
  assert.equal(r.eventCount, 6000);
  writeTrace(slow, r.description, r.events, { packetSizeBytes: 4096, index: true });
  for (const f of ["metadata", "chan_0", "chan_1", "chan_2", "chan_3", "index/chan_0.idx", "index/chan_3.idx"]) {
    assert.ok(readFileSync(join(fast, f)).equals(readFileSync(join(slow, f))), `${f} differs`);
  }
  const out = assertReads(fast, 6000);
  assert.match(
    out.lines[0],
    /benchhost:bench-app:\(4242\) bench:(request|tick|rare): \{ cpu_id = \d \}, \{ vtid = 100\d/,
  );
});

test("writeBenchTrace() writes 2M events quickly and honours targetBytes", () => {
  const dir = join(work, "bench-2m");
  const t0 = performance.now();
  const r = writeBenchTrace(dir, { events: 2_000_000, streams: 4, seed: 1 });
  const ms = performance.now() - t0;
  assert.equal(r.eventCount, 2_000_000);
  assert.ok(ms < 30_000, `2M events took ${ms} ms`);
  rmSync(dir, { recursive: true, force: true });
  const target = 8 * 1024 * 1024;
  const t = writeBenchTrace(join(work, "bench-target"), { targetBytes: target, streams: 2, packetSizeBytes: 65536 });
  assert.ok(t.bytes >= target && t.bytes <= target + 2 * 65536, `${t.bytes} bytes`);
  rmSync(join(work, "bench-target"), { recursive: true, force: true });
});
