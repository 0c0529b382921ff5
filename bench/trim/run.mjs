#!/usr/bin/env node
// bench/trim: trimming the last 1% of a large indexed trace, `ttng` against `babeltrace2 --begin`
// in the same run on the same trace (ratios, not absolute times). babeltrace2 reads the trace from
// its beginning to reach --begin (its muxer cannot seek); ttng's trimmer seeks: source.ctf.fs
// skips the packets before --begin using the LTTng index.
//   node bench/trim/run.mjs              400 MB trace (cached in the temporary directory)
//   node bench/trim/run.mjs --mb N       another size
//   node bench/trim/run.mjs --runs R     best of R runs (default 3)
// Not a test: it never fails on a time. It does fail when the two outputs differ.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bigIndexedTrace, secText, traceRangeNs } from "../lib/big-trace.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const ttng = join(root, "packages/cli/dist/bin/ttng.js");
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const mb = opt("--mb", 400);
const runs = opt("--runs", 3);
const haveTime = existsSync("/usr/bin/time");
const haveBt = spawnSync("sh", ["-c", "command -v babeltrace2"]).status === 0;

/** Runs argv; returns {s, rssMb, sha} (sha of standard output). */
function measure(argv) {
  const cmd = haveTime ? ["/usr/bin/time", "-f", "%e %M", ...argv] : argv;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd.slice(1), { env: { ...process.env, TZ: "UTC" }, maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed: ${r.stderr}`);
  const sha = createHash("sha256").update(r.stdout).digest("hex").slice(0, 16);
  if (!haveTime) return { s: wall, rssMb: Number.NaN, sha };
  const last = r.stderr.toString().trim().split("\n").pop().split(" ");
  return { s: Number(last[0]), rssMb: Number(last[1]) / 1024, sha };
}

function best(argv) {
  let b;
  for (let i = 0; i < runs; i++) {
    const m = measure(argv);
    if (!b || m.s < b.s) b = { ...m, rssMb: Math.max(m.rssMb, b?.rssMb ?? 0) };
    else b.rssMb = Math.max(b.rssMb, m.rssMb);
  }
  return b;
}

const t0 = Date.now();
const { dir, cached } = bigIndexedTrace({ mb });
console.log(
  `trace: ${dir} (${mb} MB, 4 streams, LTTng index; ${cached ? "cached" : `written in ${((Date.now() - t0) / 1000).toFixed(1)} s`})`,
);
const [lo, hi] = traceRangeNs(dir);
const begin = secText(lo + ((hi - lo) * 99n) / 100n);
console.log(`--begin ${begin} (the last 1% of [${secText(lo)}, ${secText(hi)}]), best of ${runs}`);

const rows = [
  [
    "-o dummy",
    [process.execPath, ttng, "convert", "-o", "dummy", "-b", begin, dir],
    ["babeltrace2", "-o", "dummy", "-b", begin, dir],
  ],
  ["pretty", [process.execPath, ttng, "view", "-b", begin, dir], ["babeltrace2", "-b", begin, dir]],
];
console.log("output     ttng s   ttng MB   babeltrace2 s   babeltrace2 MB   speed-up   same output");
for (const [mode, t, b] of rows) {
  const mt = best(t);
  const mbt = haveBt ? best(b) : { s: Number.NaN, rssMb: Number.NaN, sha: "" };
  const same = haveBt ? (mt.sha === mbt.sha ? "yes" : "NO") : "-";
  console.log(
    `${mode.padEnd(9)} ${mt.s.toFixed(2).padStart(7)}   ${mt.rssMb.toFixed(0).padStart(7)}   ${mbt.s.toFixed(2).padStart(13)}   ${mbt.rssMb.toFixed(0).padStart(14)}   ${(mbt.s / mt.s).toFixed(1).padStart(7)}x   ${same}`,
  );
  if (same === "NO") {
    console.error(`bench/trim: ${mode}: ttng's output differs from babeltrace2's`);
    process.exitCode = 1;
  }
}
// For scale: ttng reading the whole trace.
const whole = best([process.execPath, ttng, "convert", "-o", "dummy", dir]);
console.log(`ttng convert -o dummy, whole trace: ${whole.s.toFixed(2)} s`);
if (!haveBt) console.log("babeltrace2 not installed: no ratio (apt-get install babeltrace2)");
