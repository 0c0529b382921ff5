#!/usr/bin/env node
// bench/read: reading speed and memory of `ttng` against `babeltrace2` on the
// same generated trace, in the same run (ratios, not absolute times).
//   node bench/read/run.mjs            2M events, 4 streams
//   node bench/read/run.mjs --events N
//   node bench/read/run.mjs --runs N   runs per command (default 5), ttng and babeltrace2 in turn
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
const option = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) || dflt : dflt);
const events = option("--events", 2_000_000);
const runs = option("--runs", 5);
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
  const rss = Number(r.stderr.trim().split("\n").pop().split(" ")[1]);
  // Wall time from here (the shell's fork and exec are the same for both tools): /usr/bin/time
  // rounds to 10 ms.
  return { s: wall, rssMb: rss / 1024 };
}

/** The best of `runs` runs of each command, run in turn (a slow minute slows all of them). */
function bestOf(cmds) {
  const out = cmds.map(() => ({ s: Number.POSITIVE_INFINITY, rssMb: 0 }));
  for (let i = 0; i < runs; i++) {
    cmds.forEach((cmd, j) => {
      if (cmd === undefined) return;
      const m = measure(cmd);
      out[j] = { s: Math.min(out[j].s, m.s), rssMb: Math.max(out[j].rssMb, m.rssMb) };
    });
  }
  return out;
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
  // Node's own start-up, which every ttng command pays: NODE_EXTRA_CA_CERTS (set on some machines
  // for a proxy) makes each node process load the root certificates first.
  const caEnv = process.env.NODE_EXTRA_CA_CERTS !== undefined;
  const [nodeStart, nodeStartNoCa] = bestOf(["node -e 0", caEnv ? "env -u NODE_EXTRA_CA_CERTS node -e 0" : undefined]);
  console.log(
    `node -e 0: ${(nodeStart.s * 1000).toFixed(0)} ms${caEnv ? ` (NODE_EXTRA_CA_CERTS is set; ${(nodeStartNoCa.s * 1000).toFixed(0)} ms without it: the rows marked * unset it for ttng)` : ""}`,
  );
  if (caEnv) {
    rows.splice(1, 0, ["dummy *", `env -u NODE_EXTRA_CA_CERTS node ${ttng} convert -o dummy ${dir}`, rows[0][2]]);
    rows.splice(4, 0, ["pretty *", `env -u NODE_EXTRA_CA_CERTS node ${ttng} view ${dir}`, `babeltrace2 ${dir}`]);
  }
  console.log(
    `mode        ttng s   ttng MB   babeltrace2 s   babeltrace2 MB   speed-up   (${availableParallelism()} CPUs, best of ${runs})`,
  );
  for (const [mode, t, b] of rows) {
    const [mt, mb] = bestOf([t, haveBt ? b : undefined]);
    if (!haveBt) mb.s = mb.rssMb = Number.NaN;
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
