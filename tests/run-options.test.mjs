// `ttng run`'s options against babeltrace2 2.0.4's `run` on the same command lines:
// -b/--base-params, -r/--reset-base-params, -x port globs and name escapes, --retry-duration,
// -l, bundled short options, and argpar's rules (every argument is read before any is used:
// unknown options and missing arguments first, --help anywhere wins). Same output, same
// success or failure; for failures, babeltrace2's reason is in ttng's message.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { corpus, hasCorpus, haveTool, run, skipReason, ttng } from "./helpers.mjs";

const hasBt2 = haveTool("babeltrace2");
const skip = !hasCorpus ? skipReason("../shared/conformance") : hasBt2 ? false : skipReason("babeltrace2");
const hb = join(corpus, "ctf-traces/1/succeed/wk-heartbeat-u");
const src = ["-c", "s:src.ctf.fs", "-p", `inputs=["${hb}"]`];
const graph = [...src, "-c", "m:flt.utils.muxer", "-c", "o:sink.text.pretty", "-x", "s:m"];
const named = (a, c) => [
  "-c",
  `${a}:src.ctf.fs`,
  "-p",
  `inputs=["${hb}"]`,
  "-c",
  `${c}:sink.text.pretty`,
  "-c",
  "m:flt.utils.muxer",
];

const CASES = [
  // --retry-duration: g_ascii_strtoll()'s rules.
  [...graph, "-x", "m:o", "--retry-duration", " 5"],
  [...graph, "-x", "m:o", "--retry-duration", "+5"],
  [...graph, "-x", "m:o", "--retry-duration=-0"],
  [...graph, "-x", "m:o", "--retry-duration", ""],
  [...graph, "-x", "m:o", "--retry-duration", "5 "],
  [...graph, "-x", "m:o", "--retry-duration", "-1"],
  // Base parameters: replaced by the next -b, emptied by -r, extended by -p.
  [
    ...src,
    "-c",
    "m:flt.utils.muxer",
    "-b",
    "clock-seconds=yes,no-delta=yes",
    "-c",
    "o:sink.text.pretty",
    "-p",
    "no-delta=no",
    "-x",
    "s:m",
    "-x",
    "m:o",
  ],
  [
    ...src,
    "-c",
    "m:flt.utils.muxer",
    "-b",
    "clock-seconds=yes",
    "-b",
    "no-delta=yes",
    "-c",
    "o:sink.text.pretty",
    "-x",
    "s:m",
    "-x",
    "m:o",
  ],
  [
    "-b",
    "clock-class-offset-s=2",
    ...src,
    "-r",
    "-c",
    "m:flt.utils.muxer",
    "-c",
    "o:sink.text.pretty",
    "-x",
    "s:m",
    "-x",
    "m:o",
  ],
  // The muxer refuses a base parameter it does not know.
  [
    "-b",
    "clock-class-offset-s=2",
    ...src,
    "-c",
    "m:flt.utils.muxer",
    "-c",
    "o:sink.text.pretty",
    "-x",
    "s:m",
    "-x",
    "m:o",
  ],
  [...graph, "-x", "m:o", "-b", "x="],
  // Every component validates its parameters, as babeltrace2's: a base parameter a component
  // does not know makes it fail.
  ["-b", "clock-seconds=yes", ...src, "-c", "m:flt.utils.muxer", "-c", "o:sink.text.pretty", "-x", "s:m", "-x", "m:o"],
  [...src, "-p", "bogus=1", "-c", "m:flt.utils.muxer", "-c", "o:sink.utils.dummy", "-x", "s:m", "-x", "m:o"],
  [...src, "-c", "m:flt.utils.muxer", "-c", "o:sink.utils.dummy", "-p", "step=+1", "-x", "s:m", "-x", "m:o"],
  [...src, "-c", "m:flt.utils.muxer", "-c", "o:sink.utils.counter", "-p", "color=never", "-x", "s:m", "-x", "m:o"],
  [
    ...src,
    "-c",
    "m:flt.utils.muxer",
    "-c",
    "o:sink.utils.counter",
    "-p",
    "step=+5,hide-zero=yes",
    "-x",
    "s:m",
    "-x",
    "m:o",
  ],
  [...src, "-c", "m:flt.utils.muxer", "-c", "o:sink.text.details", "-p", "step=+1", "-x", "s:m", "-x", "m:o"],
  // Port globs and escapes.
  [...graph, "-x", "m.*:o.*"],
  [...graph, "-x", "m.*t:o.*n"],
  [...graph, "-x", "m.o*:o.in"],
  [...graph, "-x", "m:o.i\\n"],
  [...graph, "-x", "m.\\*:o"],
  [...named("a\\:b", "c\\.d"), "-x", "a\\:b:m", "-x", "m:c\\.d"],
  [...named("a\\\\b", "c"), "-x", "a\\\\b:m", "-x", "m:c"],
  [...named("a\\\\b", "c"), "-x", "a\\b:m", "-x", "m:c"],
  [...named("a*b", "c"), "-x", "a*b:m", "-x", "m:c"],
  // Log levels: babeltrace2's exact names only.
  [...graph, "-x", "m:o", "-l", "INFO"],
  [...graph, "-x", "m:o", "-l", "VERBOSE"],
  [...graph, "-x", "m:o", "-l", "info"],
  // Option syntax.
  [...graph, "-xm:o"],
  [...graph, "--connect=m:o"],
  [...graph, "-rx", "m:o"],
  [...graph, "-rxm:o"],
  [...graph, "-x", "m:o", "-rq"],
  ["-p", "x=1", "--bogus"],
  [...graph, "-x", "m:o", "-x"],
  [...graph, "-x", "m:o", "extra"],
  [...graph, "-x", "m:o", "--", "-x"],
];

/** The first line of babeltrace2's innermost cause (without its log lines and source locations). */
function bt2Reason(stderr) {
  const lines = stderr.split("\n").filter((l) => !/^\d\d-\d\d /.test(l));
  const i = lines.map((l) => l.startsWith("CAUSED BY")).lastIndexOf(true);
  return lines[i + 1].trim();
}

for (const [i, args] of CASES.entries()) {
  test(`run ... ${args.slice(-4).join(" ")}: as babeltrace2 run (${i})`, { skip }, () => {
    const mine = ttng(["run", "-m", "0", ...args]);
    const ref = run("babeltrace2", ["run", ...args]);
    assert.equal(mine.stdout, ref.stdout);
    assert.equal(mine.status === 0, ref.status === 0, mine.stderr);
    if (ref.status !== 0) {
      // Command-line errors carry babeltrace2's reason; components word their own parameter errors.
      const reason = bt2Reason(ref.stderr);
      // (ttng's muxer and pretty sink word them differently.)
      if (
        !reason.startsWith("Error validating parameters") ||
        !/\[[mo]: '(filter\.utils\.muxer|sink\.text\.pretty)'\]/.test(ref.stderr)
      )
        assert.ok(mine.stderr.replace(/\s+/g, " ").includes(reason), `${reason}\n---\n${mine.stderr}`);
    } else assert.ok(mine.stdout.length > 0);
  });
}

test("run -h anywhere prints the run usage, even after an error babeltrace2 would report later", () => {
  for (const args of [["-p", "x=1", "-h"], ["-c", "a:src.ctf.fs", "--help"], ["-rh"]]) {
    const r = ttng(["run", ...args]);
    assert.equal(r.status, 0, args.join(" "));
    assert.ok(r.stdout.startsWith("Usage: ttng run [OPTIONS]"), r.stdout);
  }
});
