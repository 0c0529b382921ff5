// LTTng equivalence for @ttng/tracer (issue 4, "Must show"): a C application
// under LTTng-UST 2.13 (tracer/equivalence-app.c with tracer/equivalence-tp.h,
// built here with gcc and liblttng-ust-dev) and a Node application under
// @ttng/tracer (tracer/equivalence-app.mjs) emit the same events — integers
// of every size and sign, hex, network byte order, a _nowrite field, floats,
// UTF-8 strings, arrays, sequences, text arrays and sequences, enumerations
// with values and ranges, log levels, tracef and tracelog — with the same
// values. LTTng records
// the C one (private lttng-sessiond, per-PID buffers, contexts vpid, vtid,
// procname), startSession() the Node one, with the same channel sizes.
// babeltrace2's outputs (default fields and --fields=all) must be identical
// once timestamps, deltas, trace names, hostnames, procnames, ids and cpu_id
// are masked; so must the bytes of event records (packet content minus packet
// header and context, tracer/ctf-size.mjs), hence the bytes per event.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { root } from "./helpers.mjs";
import { findTraces, traceSizes } from "./tracer/ctf-size.mjs";
import {
  inPrivateNamespace,
  maskPretty,
  oracleUnavailable,
  shq,
  skipOrFail,
  tracerUnavailable,
} from "./tracer/harness.mjs";

/**
 * Two recordings of each app: every event in one packet, and the rows 40
 * times into 4 KiB sub-buffers (64 of them: nothing is discarded), where the
 * packets themselves must match — same sizes, same contents. The C app is
 * pinned to CPU 0 so that LTTng's per-CPU streams leave it in one stream.
 */
const RECORDINGS = [
  { name: "one packet", repeat: 1, subbuf: 65536, numSubbuf: 4 },
  { name: "many packets", repeat: 40, subbuf: 4096, numSubbuf: 64 },
];
/** 5 rows of 7 ttng_eq events and a tracef, repeated; a tracelog per row when not repeated. */
const eventCount = (rec) => rec.repeat * 5 * 8 + (rec.repeat === 1 ? 5 : 0);

const oracleWhy = oracleUnavailable(["lttng", "lttng-sessiond", "babeltrace2", "gcc", "taskset"]);
const tracerWhy = await tracerUnavailable();
const skip = skipOrFail(oracleWhy ?? tracerWhy);

let dir;
/** recording name -> { lttng, ttng } trace directories */
const traces = new Map();

before(() => {
  if (skip) return;
  assert.equal(oracleWhy, undefined, oracleWhy);
  dir = mkdtempSync(join(tmpdir(), "ttng-tracer-equiv-"));
  for (const f of ["equivalence-tp.h", "equivalence-app.c", "equivalence-log.c"])
    cpSync(join(root, "tests/tracer", f), join(dir, f));
  const app = join(dir, "equivalence-app");
  const cc = spawnSync(
    "gcc",
    [
      "-O1",
      "-Wall",
      "-I",
      dir,
      "-o",
      app,
      join(dir, "equivalence-app.c"),
      join(dir, "equivalence-log.c"),
      "-llttng-ust",
      "-ldl",
    ],
    { encoding: "utf8" },
  );
  assert.equal(cc.status, 0, `cannot build equivalence-app.c: ${cc.stderr}`);

  const sessions = RECORDINGS.map(
    (rec, k) => `lttng create eq${k} --output=${shq(join(dir, "lttng", String(k)))} >/dev/null
lttng enable-channel -u -s eq${k} --buffers-pid --subbuf-size=${rec.subbuf} --num-subbuf=${rec.numSubbuf} c >/dev/null
lttng enable-event -u -s eq${k} -c c 'ttng_eq:*,lttng_ust_tracef:*,lttng_ust_tracelog:*' >/dev/null
lttng add-context -u -s eq${k} -c c -t vpid -t vtid -t procname >/dev/null
lttng start eq${k} >/dev/null
taskset -c 0 ${shq(app)} ${rec.repeat}
lttng destroy eq${k} >/dev/null`,
  );
  const r = inPrivateNamespace(dir, `set -e\n${sessions.join("\n")}`);
  assert.equal(r.status, 0, `LTTng recording failed (status ${r.status}): ${r.stdout}${r.stderr}`);

  assert.equal(tracerWhy, undefined, tracerWhy);
  RECORDINGS.forEach((rec, k) => {
    const lttngTraces = findTraces(join(dir, "lttng", String(k)));
    assert.equal(lttngTraces.length, 1, `LTTng wrote one trace: ${lttngTraces}`);
    const ttngOut = join(dir, "ttng", String(k));
    mkdirSync(ttngOut, { recursive: true });
    const node = spawnSync(
      process.execPath,
      [
        join(root, "tests/tracer/equivalence-app.mjs"),
        ttngOut,
        String(rec.subbuf),
        String(rec.numSubbuf),
        String(rec.repeat),
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    assert.equal(node.status, 0, `equivalence-app.mjs failed (status ${node.status}): ${node.stdout}${node.stderr}`);
    const ttngTraces = findTraces(ttngOut);
    assert.equal(ttngTraces.length, 1, `@ttng/tracer wrote one trace under ${ttngOut}: ${ttngTraces}`);
    const result = JSON.parse(node.stdout.trim().split("\n").at(-1));
    assert.equal(result.path, ttngTraces[0], "session.stop() names the trace it wrote");
    assert.match(ttngTraces[0], /\/ust\/pid\/[^/]+-\d+-\d{8}-\d{6}$/, "LTTng's per-PID layout");
    traces.set(rec.name, { lttng: lttngTraces[0], ttng: ttngTraces[0] });
  });
});

after(() => {
  if (dir && !process.env.TTNG_KEEP) rmSync(dir, { recursive: true, force: true });
  else if (dir) console.log(`kept ${dir}`);
});

function babeltrace(args) {
  const r = spawnSync("babeltrace2", args, { encoding: "utf8", maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

for (const rec of RECORDINGS) {
  const events = eventCount(rec);
  for (const [what, args] of [
    ["default fields", []],
    ["--fields=all", ["--fields=all"]],
  ]) {
    test(
      `babeltrace2 prints the same events for LTTng-UST and @ttng/tracer (${rec.name}, ${what}, masked)`,
      { skip },
      () => {
        const { lttng, ttng } = traces.get(rec.name);
        const ref = babeltrace([...args, lttng]);
        assert.equal(ref.status, 0, `babeltrace2 on the LTTng trace: ${ref.stderr}`);
        const got = babeltrace([...args, ttng]);
        assert.equal(got.status, 0, `babeltrace2 on the @ttng/tracer trace: ${got.stderr}`);
        assert.equal(ref.stdout.trimEnd().split("\n").length, events, "LTTng recorded every event");
        assert.equal(maskPretty(got.stdout), maskPretty(ref.stdout));
        assert.equal(got.stderr, ref.stderr, "same warnings");
      },
    );
  }

  test(`event records take the same bytes under LTTng-UST and @ttng/tracer (${rec.name})`, { skip }, () => {
    const { lttng, ttng } = traces.get(rec.name);
    // tracelog's call site strings (a C path and function, a JavaScript one) differ in length by nature.
    const callSiteBytes = (trace) => {
      let n = 0;
      for (const m of babeltrace([trace]).stdout.matchAll(/\bfile = "([^"]*)", func = "([^"]*)"/g)) {
        n += Buffer.byteLength(m[1]) + Buffer.byteLength(m[2]);
      }
      return n;
    };
    const ref = traceSizes(lttng);
    const got = traceSizes(ttng);
    ref.eventBytes -= callSiteBytes(lttng);
    got.eventBytes -= callSiteBytes(ttng);
    assert.equal(ref.discarded, 0);
    assert.equal(got.discarded, 0, "@ttng/tracer discarded no event");
    // LTTng's 27-bit rule (last_tsc_overflow on 64-bit hosts): an event 2^27 ns (~134 ms) or more after
    // the previous one of its buffer (a GC or a descheduled thread on a loaded machine) takes the
    // 8-byte-longer extended header. Crossing a multiple of 2^27 with a shorter gap does not.
    // Such pauses happen at different places in the two runs: count them in each trace and compare
    // the bytes the two tracers chose for the same timing.
    const timeGapHeaders = (trace) => {
      const last = new Map();
      let n = 0;
      for (const line of babeltrace(["--clock-cycles", trace]).stdout.split("\n")) {
        const m = /^\[(\d+)\].*?\{ cpu_id = (\d+) \}/.exec(line);
        if (!m) continue;
        const ts = BigInt(m[1]);
        const prev = last.get(m[2]);
        if (prev !== undefined && ts - prev >= 1n << 27n) n++;
        last.set(m[2], ts);
      }
      return n;
    };
    const gapsGot = timeGapHeaders(ttng);
    const gapsRef = timeGapHeaders(lttng);
    got.eventBytes -= 8 * (gapsGot - gapsRef);
    const perEvent = (s) => (s.eventBytes / events).toFixed(3);
    assert.equal(
      `${perEvent(got)} bytes/event (${got.eventBytes} bytes of event records, tracelog call sites excluded)`,
      `${perEvent(ref)} bytes/event (${ref.eventBytes} bytes of event records, tracelog call sites excluded)`,
    );
    assert.equal(got.headerBytes, ref.headerBytes, "packet header + packet context bytes");
    // The same packets: LTTng's streams that hold events (the app ran on CPU 0) against ttng's.
    const withEvents = (s) =>
      Object.values(s.packetsByStream)
        .map((list) => list.filter(([, content]) => content > s.headerBytes))
        .filter((list) => list.length > 0);
    if (rec.repeat === 1) {
      // Its tracelog call sites differ in length: the same number of packets, per stream.
      const counts = (s) => withEvents(s).map((list) => list.length);
      assert.deepEqual(counts(got), counts(ref), "packets per stream");
    } else if (gapsGot === gapsRef) {
      assert.deepEqual(withEvents(got), withEvents(ref), "[packet bytes, content bytes] of each packet, per stream");
    } else {
      // Pauses put extended headers in different packets of the two runs: packet contents shift by 8 bytes
      // there (and each can push one event into a further packet), so compare packet counts within that.
      const total = (s) => withEvents(s).reduce((n, list) => n + list.length, 0);
      assert.ok(
        Math.abs(total(got) - total(ref)) <= Math.abs(gapsGot - gapsRef),
        `packets: ${total(got)} vs ${total(ref)} with ${gapsGot} vs ${gapsRef} pause headers`,
      );
    }
  });
}
