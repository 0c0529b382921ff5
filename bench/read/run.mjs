#!/usr/bin/env node
// bench/read: reading speed and memory of `ttng` against `babeltrace2` on the
// same generated trace, in the same run (ratios, not absolute times).
//   node bench/read/run.mjs            2M events, 4 streams
//   node bench/read/run.mjs --events N
//   node bench/read/run.mjs --big      also a ~1 GB trace: peak RSS of `ttng convert -o dummy`
// Modes: dummy (read only), pretty (text), ctf (read and write a CTF copy, sink.ctf.fs).
// Not a test: it never fails on a time.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeBenchTrace } from "../../tests/lib/ctf-gen.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const ttng = join(root, "packages/cli/dist/bin/ttng.js");
const args = process.argv.slice(2);
const events = Number(args[args.indexOf("--events") + 1]) || 2_000_000;
const big = args.includes("--big");
const haveTime = existsSync("/usr/bin/time");
const haveBt = spawnSync("sh", ["-c", "command -v babeltrace2"]).status === 0;

/** Runs `cmd` with stdout to /dev/null; returns {s, rssMb}. */
function measure(cmd) {
  const shell = haveTime ? `/usr/bin/time -f "%e %M" ${cmd} > /dev/null` : `${cmd} > /dev/null`;
  const t0 = process.hrtime.bigint();
  const r = spawnSync("sh", ["-c", shell], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  if (!haveTime) return { s: wall, rssMb: Number.NaN };
  const last = r.stderr.trim().split("\n").pop().split(" ");
  return { s: Number(last[0]), rssMb: Number(last[1]) / 1024 };
}

function best(cmd, runs = 3) {
  let b;
  for (let i = 0; i < runs; i++) {
    const m = measure(cmd);
    if (!b || m.s < b.s) b = { s: m.s, rssMb: Math.max(m.rssMb, b?.rssMb ?? 0) };
    else b.rssMb = Math.max(b.rssMb, m.rssMb);
  }
  return b;
}

const work = mkdtempSync(join(tmpdir(), "ttng-bench-read-"));
try {
  const dir = join(work, "trace");
  const gen = writeBenchTrace(dir, { events, streams: 4, seed: 7, index: true });
  console.log(`trace: ${gen.eventCount} events, ${(gen.bytes / 1e6).toFixed(1)} MB, 4 streams (${dir})`);
  // -o ctf writes below a fresh directory each run (an existing trace directory gets a suffix).
  const ctfOut = join(work, "ctf-out");
  // The parallel read is opt-in (docs/parallel-read.md): the `2t` rows ask for two threads.
  const rows = [
    ["dummy", `node ${ttng} convert -o dummy ${dir}`, `babeltrace2 -o dummy ${dir}`],
    [
      "dummy 2t",
      `env TTNG_THREADS=2 TTNG_PARALLEL_MIN_BYTES=0 node ${ttng} convert -o dummy ${dir}`,
      `babeltrace2 -o dummy ${dir}`,
    ],
    ["pretty", `node ${ttng} view ${dir}`, `babeltrace2 ${dir}`],
    ["pretty 2t", `env TTNG_THREADS=2 node ${ttng} view ${dir}`, `babeltrace2 ${dir}`],
    [
      "ctf",
      `node ${ttng} convert ${dir} -o ctf -w ${ctfOut}/$(date +%s%N)`,
      `babeltrace2 ${dir} -o ctf -w ${ctfOut}/$(date +%s%N)`,
    ],
  ];
  console.log(
    `mode        ttng s   ttng MB   babeltrace2 s   babeltrace2 MB   speed-up   (${availableParallelism()} CPUs)`,
  );
  const btBest = new Map();
  for (const [mode, t, b] of rows) {
    const mt = best(t);
    // Each babeltrace2 command is measured once per run (the `1t` rows reuse it).
    if (haveBt && !btBest.has(b)) btBest.set(b, best(b));
    const mb = haveBt ? btBest.get(b) : { s: Number.NaN, rssMb: Number.NaN };
    rmSync(ctfOut, { recursive: true, force: true });
    console.log(
      `${mode.padEnd(11)} ${mt.s.toFixed(2).padStart(6)}   ${mt.rssMb.toFixed(0).padStart(7)}   ${mb.s.toFixed(2).padStart(13)}   ${mb.rssMb.toFixed(0).padStart(14)}   ${(mb.s / mt.s).toFixed(2).padStart(7)}x`,
    );
  }
  if (!haveBt) console.log("babeltrace2 not installed: no ratio (apt-get install babeltrace2)");
  if (big) {
    const bigDir = join(work, "big");
    const g = writeBenchTrace(bigDir, { targetBytes: 2 ** 30, streams: 4, seed: 9 });
    console.log(`big trace: ${g.eventCount} events, ${(g.bytes / 1e9).toFixed(2)} GB`);
    const m = measure(`node ${ttng} convert -o dummy ${bigDir}`);
    console.log(`ttng convert -o dummy: ${m.s.toFixed(1)} s, peak RSS ${m.rssMb.toFixed(0)} MB`);
    const m2 = measure(`env TTNG_THREADS=2 node ${ttng} convert -o dummy ${bigDir}`);
    console.log(`ttng convert -o dummy, two threads: ${m2.s.toFixed(1)} s, peak RSS ${m2.rssMb.toFixed(0)} MB`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
