#!/usr/bin/env node
// bench/filter-graph: events/s of `ttng convert -o dummy` with `--filter EXPR` (filter.utils.filter)
// next to the same run without a filter, on the same generated trace, in the same run. The
// dummy sink reads no field, so the unfiltered run decodes none: the difference is the filter's
// whole cost, the decoding of the fields it reads included (fields are decoded lazily, when the
// filter reads them; the filter `1` reads none: it is the component's floor).
//   node bench/filter-graph/run.mjs            100 MB trace (cached in the temporary directory)
//   node bench/filter-graph/run.mjs --mb N --runs R
// Needs /usr/bin/time (CPU seconds). Not a test: it never fails on a time.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bigIndexedTrace } from "../lib/big-trace.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const ttng = join(root, "packages/cli/dist/bin/ttng.js");
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const mb = opt("--mb", 100);
const runs = opt("--runs", 3);

/** Best CPU seconds (user + system, from /usr/bin/time: steadier than wall time on a shared machine). */
function seconds(argv) {
  let bestS = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const r = spawnSync("/usr/bin/time", ["-f", "%U %S", process.execPath, ttng, ...argv], {
      encoding: "utf8",
      maxBuffer: 1 << 26,
    });
    if (r.status !== 0) throw new Error(`ttng ${argv.join(" ")} failed: ${r.stderr}`);
    const [u, sys] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
    bestS = Math.min(bestS, u + sys);
  }
  return { s: bestS };
}

/** Event messages counted by sink.utils.counter. */
function countEvents(extra) {
  const r = spawnSync(process.execPath, [ttng, "convert", ...extra, "-c", "sink.utils.counter"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  const lines = r.stdout.trim().split("\n");
  const line = lines.reverse().find((l) => l.trim().endsWith("Event messages"));
  return Number(line.trim().split(/\s+/)[0]);
}

const { dir } = bigIndexedTrace({ mb });
const total = countEvents([dir]);
console.log(`trace: ${dir} (${mb} MB, ${total} events), best of ${runs}, ttng convert -o dummy, CPU seconds`);
const FILTERS = [
  "1",
  "latency_ns > 1000000",
  'path == "/api/*"',
  "$ctx.vtid == 1001 && (flags & 0xF) == 3",
  "samples[1] > 30000",
  "count > 10",
];
const base = seconds(["convert", "-o", "dummy", dir]).s;
console.log("filter                                      kept   cpu s   Mevents/s   vs no filter");
console.log(
  `${"(none)".padEnd(40)} ${String(total).padStart(9)}   ${base.toFixed(2)}   ${(total / base / 1e6).toFixed(2).padStart(9)}   1.00x`,
);
for (const f of FILTERS) {
  const { s } = seconds(["convert", "-o", "dummy", "--filter", f, dir]);
  const kept = countEvents(["--filter", f, dir]);
  console.log(
    `${f.padEnd(40)} ${String(kept).padStart(9)}   ${s.toFixed(2)}   ${(total / s / 1e6).toFixed(2).padStart(9)}   ${(s / base).toFixed(2)}x`,
  );
}
