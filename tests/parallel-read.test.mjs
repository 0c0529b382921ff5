// The parallel read (packages/cli/src/parallel): `ttng view`/`convert` split into time segments
// run on several threads must print exactly what the one-thread run prints: standard output,
// standard error and exit status, on generated traces (random layouts, discarded events and
// packets, several streams and clocks), the Babeltrace corpus and broken traces. Segments are
// forced small (one per packet) so that every trace with several packets is split many times.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createRng, randomEvents, randomTraceDescription, writeBenchTrace, writeTrace } from "./lib/ctf-gen.mjs";
import { corpus, hasCorpus, ttng } from "./helpers.mjs";

const SEQ = { TTNG_THREADS: "1" };
const PAR = { TTNG_THREADS: "2", TTNG_PARALLEL_MIN_BYTES: "0", TTNG_SEGMENT_BYTES: "1", TTNG_PARALLEL_REPORT: "1" };
const REPORT = /ttng: parallel read: (\d+) segments, 2 threads\n/;

/** Runs `args` both ways; returns the number of segments of the parallel run (0: it ran on one thread). */
function same(args, what, { always = true, workersOnly = false } = {}) {
  const par = ttng(args, workersOnly ? { ...PAR, TTNG_PARALLEL_WORKERS_ONLY: "1" } : PAR);
  const m = REPORT.exec(par.stderr);
  // Not split: it ran the one-thread code already.
  if (!m && !always) return 0;
  const seq = ttng(args, SEQ);
  const parErr = m ? par.stderr.slice(0, m.index) + par.stderr.slice(m.index + m[0].length) : par.stderr;
  assert.equal(par.status, seq.status, `${what}: exit status\n${par.stderr}`);
  assert.equal(parErr, seq.stderr, `${what}: standard error`);
  assert.ok(par.stdout === seq.stdout, `${what}: standard output differs`);
  return m ? Number(m[1]) : 0;
}

const OPTION_SETS = [
  [],
  ["--clock-cycles"],
  ["--no-delta"],
  ["-n", "all", "-f", "all"],
  ["--clock-seconds"],
  ["--clock-date", "--clock-gmt"],
  ["--compat=2.0"],
  ["-o", "dummy"],
];

test("random traces: the parallel read prints what the sequential one prints", () => {
  let split = 0;
  const seeds = Number(process.env.TTNG_PARALLEL_SEEDS ?? 16);
  for (let seed = 1; seed <= seeds; seed++) {
    const rng = createRng(1000 + seed);
    const description = randomTraceDescription(rng, { clock: true });
    const events = randomEvents(rng, description, 400, {
      discardChance: 0.02,
      seqGapChance: 0.01,
      packetBreakChance: 0.05,
    });
    const dir = mkdtempSync(join(tmpdir(), "ttng-par-"));
    try {
      writeTrace(dir, description, events, { packetSizeBytes: 512, index: seed % 2 === 0 });
      const args = ["view", ...OPTION_SETS[seed % OPTION_SETS.length], dir];
      if (same(args, `seed ${seed} (${args.join(" ")})`, { workersOnly: seed % 2 === 1 }) > 2) split++;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // Most random traces can seek (clocks, packet times); the rest must still print the same.
  assert.ok(split >= seeds / 2, `only ${split} of ${seeds} traces were read in parallel`);
});

test("a bench trace in many segments, every option set, including colors", () => {
  const dir = mkdtempSync(join(tmpdir(), "ttng-par-bench-"));
  try {
    writeBenchTrace(dir, { events: 20000, streams: 4, seed: 3, index: true, packetSizeBytes: 8192 });
    // Segments done by the main thread (written as they are made) and by workers (sent back).
    for (const [k, opts] of [...OPTION_SETS, ["--color=always"]].entries()) {
      for (const workersOnly of k % 3 === 0 ? [false, true] : [k % 2 === 0]) {
        const n = same(["view", ...opts, dir], `${opts.join(" ") || "(defaults)"} ${workersOnly}`, { workersOnly });
        assert.ok(n > 10, `${opts.join(" ")}: ${n} segments`);
      }
    }
    // Several traces (two copies of one, grouped by UUID as one trace: deduplicated packets).
    same(["view", dir, dir], "the same trace twice");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a trace broken in the middle: the same output, then the same error", () => {
  const dir = mkdtempSync(join(tmpdir(), "ttng-par-broken-"));
  try {
    writeBenchTrace(dir, { events: 20000, streams: 2, seed: 5, packetSizeBytes: 8192 });
    const file = join(
      dir,
      readdirSync(dir).find((f) => f.startsWith("chan")),
    ); // chan_0
    const bytes = readFileSync(file);
    // Garbage in the middle of the stream file: an event record that cannot decode.
    const at = Math.floor(bytes.length / 2);
    for (let i = 0; i < 64; i++) bytes[at + i] = 0xff;
    writeFileSync(file, bytes);
    assert.ok(same(["view", dir], "broken trace") > 2);
    assert.ok(same(["view", dir], "broken trace, workers only", { workersOnly: true }) > 2);
    const r = ttng(["view", dir], PAR);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^ERROR: /m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Babeltrace corpus traces: the parallel read prints what the sequential one prints", { skip: !hasCorpus }, () => {
  let split = 0;
  for (const group of ["succeed", "packet-seq-num", "intersection", "fail"]) {
    const base = join(corpus, "ctf-traces/1", group);
    for (const name of readdirSync(base)) {
      const dir = join(base, name);
      if (same(["view", dir], `${group}/${name}`, { always: false }) > 1) split++;
    }
  }
  assert.ok(split >= 5, `only ${split} corpus traces were split`);
});
