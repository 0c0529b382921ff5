// `ttng run $(ttng convert --run-args-0 ARGS)` prints what `ttng convert ARGS` prints, for a
// range of convert option sets (view defaults, -n/-f, --clock-*, -b/-e/--timerange, -o,
// -c with -p, per-input -p, several inputs); and babeltrace2's `run` with ttng's run
// arguments prints what `ttng run -m 0` prints (babeltrace2 2.0.4 is MIP 0), where
// babeltrace2 has every component the arguments name.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { corpus, hasCorpus, haveTool, run, skipReason, ttng } from "./helpers.mjs";

const hasBt2 = haveTool("babeltrace2");
const skipCorpus = hasCorpus ? false : skipReason("../shared/conformance");
const succeed = join(corpus, "ctf-traces/1/succeed");
const rot = join(succeed, "session-rotation");
const hb = join(succeed, "wk-heartbeat-u");
const md = join(succeed, "multi-domains");

// Option sets; `bt2: false` where the run arguments name a ttng-only component (sink.text.json)
// or one whose MIP 0 output follows babeltrace2 2.1 (sink.text.details).
const SETS = [
  { args: [rot] },
  { args: [hb, "--no-delta"] },
  { args: ["-n", "all", "--clock-gmt", "-f", "loglevel,emf,callsite", rot] },
  { args: ["-n", "none", "-f", "all", hb] },
  { args: ["-n", "payload,scope", "--clock-cycles", rot] },
  { args: ["--clock-date", "--clock-gmt", "--clock-seconds", hb] },
  { args: ["--clock-offset=-3", "--clock-offset-ns=17", "--clock-force-correlate", rot] },
  { args: ["--clock-gmt", "-b", "19:57:49.981109635", "-e", "19:57:54.987366694", rot] },
  { args: ["--clock-gmt", "--timerange=[19:57:50,19:57:55.5]", "--clock-seconds", rot] },
  { args: ["--begin=1566849472", rot] },
  { args: ["-o", "dummy", rot] },
  { args: ["-o", "json", rot], bt2: false },
  { args: ["-o", "json", "--clock-gmt", "-e", "17:48:17.59", hb], bt2: false },
  { args: ["-c", "sink.utils.counter", "-p", "step=+50", rot] },
  { args: ["-c", "sink.utils.counter", "-p", "step=+7,hide-zero=yes", hb] },
  { args: ["-c", "sink.utils.counter", "-b", "23:00", hb] },
  // ttng's details sink prints babeltrace2 >= 2.1's MIP 0 format, not 2.0.4's (docs/status.md).
  {
    args: ["-c", "my:filter.utils.muxer", "-c", "sink.text.details", "-p", "color=never,with-time=no", hb],
    bt2: false,
  },
  { args: ["-c", "sink.text.pretty", "-p", "clock-seconds=yes,field-trace:hostname=no,name-payload=no", hb] },
  { args: [hb, "-p", 'trace-name="renamed"', "-n", "all"] },
  { args: [hb, rot] },
  { args: [join(md, "kernel"), join(md, "ust"), "--clock-seconds"] },
  { args: ["--compat=2.0", rot] },
];

for (const [i, { args, bt2 = true }] of SETS.entries()) {
  test(
    `run with convert --run-args-0 ${args.join(" ")} prints what convert prints (${i})`,
    { skip: skipCorpus },
    () => {
      const ra = ttng(["convert", "--run-args-0", ...args]);
      assert.equal(ra.status, 0, ra.stderr);
      const runArgs = ra.stdout.split("\0");
      const conv = ttng(["convert", ...args]);
      assert.equal(conv.status, 0, conv.stderr);
      assert.equal(conv.stdout.length > 0, !args.includes("dummy"));
      const compat = args.includes("--compat=2.0") ? ["-m", "0"] : [];
      const mine = ttng(["run", ...compat, ...runArgs]);
      assert.equal(mine.status, conv.status, mine.stderr);
      assert.equal(mine.stdout, conv.stdout);
      assert.equal(mine.stderr, conv.stderr);
      if (!bt2) return;
      if (!hasBt2) return void skipReason("babeltrace2");
      const ref = run("babeltrace2", ["run", ...runArgs]);
      const m0 = ttng(["run", "-m", "0", ...runArgs]);
      assert.equal(ref.status, 0, ref.stderr);
      assert.equal(m0.status, 0, m0.stderr);
      assert.equal(m0.stdout, ref.stdout);
    },
  );
}

test("--stream-intersection: convert refuses --run-args as babeltrace2 does", { skip: skipCorpus }, () => {
  const mine = ttng(["convert", "--run-args-0", "--stream-intersection", rot]);
  assert.equal(mine.status, 2);
  assert.match(mine.stderr, /Cannot specify --stream-intersection with --run-args or --run-args-0\./);
  if (!hasBt2) return void skipReason("babeltrace2");
  const ref = run("babeltrace2", ["--run-args-0", "--stream-intersection", rot]);
  assert.notEqual(ref.status, 0);
  assert.match(ref.stderr, /Cannot specify --stream-intersection with --run-args or --run-args-0\./);
});

test("convert refuses an explicit sink with the implicit pretty sink's options, as babeltrace2", () => {
  for (const opt of [
    ["--clock-gmt"],
    ["--no-delta"],
    ["-n", "all"],
    ["-f", "loglevel"],
    ["--color=never"],
    ["-o", "text"],
  ]) {
    const args = ["-c", "sink.utils.counter", ...opt, hb];
    const mine = ttng(["convert", ...args]);
    assert.equal(mine.status, 2, opt.join(" "));
    assert.match(mine.stderr, /More than one sink component specified\./);
    if (!hasBt2) continue;
    const ref = run("babeltrace2", args);
    assert.notEqual(ref.status, 0, opt.join(" "));
    assert.match(ref.stderr, /More than one sink component specified\./);
  }
  // Source options do not make a sink.
  assert.equal(
    ttng(["convert", "-c", "sink.utils.dummy", "--clock-offset=3", "--clock-force-correlate", hb]).status,
    hasCorpus ? 0 : 1,
  );
});
