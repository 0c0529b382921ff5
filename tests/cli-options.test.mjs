// `ttng view` options against the installed babeltrace2 2.0.4 on the same
// traces (`--compat=2.0`): clock formats, deltas, offsets, names and fields
// selections with their quirks, output formats. Same input, same bytes.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { kitchenSink, writeTrace } from "./lib/ctf-gen.mjs";
import { corpus, hasCorpus, haveTool, root, run, skipReason, ttng } from "./helpers.mjs";

const bt = haveTool("babeltrace2");
let work;
let ks;
before(() => {
  work = mkdtempSync(join(tmpdir(), "ttng-opts-"));
  ks = join(work, "ks");
  const { description, events } = kitchenSink();
  writeTrace(ks, description, events);
});
after(() => rmSync(work, { recursive: true, force: true }));

const OPTION_SETS = [
  [],
  ["--clock-cycles"],
  ["--clock-seconds"],
  ["--clock-date"],
  ["--clock-gmt"],
  ["--no-delta"],
  ["--clock-offset=3"],
  ["--clock-offset-ns=-1500000000"],
  ["--clock-offset=-2", "--clock-offset-ns=7"],
  ["--clock-offset=-1700000001"],
  ["--clock-offset=-1700000001", "--clock-date"],
  ["--clock-offset=-1700000001", "--clock-seconds"],
  ["--clock-force-correlate"],
  ["-n", "all"],
  ["-n", "none"],
  ["-n", "payload"],
  ["-n", "header,scope"],
  ["--names=context,args"],
  ["-f", "all"],
  ["-f", "trace"],
  ["-f", "loglevel"],
  ["-f", "emf,trace:domain"],
  ["--fields=trace:hostname,trace:vpid"],
  ["-n", "all", "-f", "all"],
  ["--clock-cycles", "--no-delta", "-f", "loglevel,emf"],
  ["--color=never"],
  ["-o", "text"],
];

for (const opts of OPTION_SETS) {
  test(
    `ttng view ${opts.join(" ")} equals babeltrace2 ${opts.join(" ")}`,
    { skip: bt ? false : skipReason("babeltrace2") },
    () => {
      for (const env of [{ TZ: "UTC" }, { TZ: "America/Montreal" }]) {
        const ref = run("babeltrace2", [...opts, ks], env);
        const got = ttng(["view", "--compat=2.0", ...opts, ks], env);
        assert.equal(got.status, ref.status, got.stderr);
        assert.equal(got.stdout, ref.stdout);
      }
    },
  );
}

test(
  "ttng -o ctf-metadata prints the metadata as babeltrace2 does",
  { skip: bt ? false : skipReason("babeltrace2") },
  () => {
    const ref = run("babeltrace2", ["-o", "ctf-metadata", ks]);
    const got = ttng(["convert", "-o", "ctf-metadata", ks]);
    assert.equal(got.status, 0, got.stderr);
    assert.equal(got.stdout, ref.stdout);
  },
);

test(
  "ttng -o ctf-metadata on packetized metadata matches Babeltrace's expectation",
  { skip: hasCorpus ? false : skipReason("corpus") },
  () => {
    const got = ttng(["convert", "-o", "ctf-metadata", join(corpus, "ctf-traces/1/succeed/wk-heartbeat-u")]);
    assert.equal(got.status, 0, got.stderr);
    assert.equal(got.stdout, readFileSync(join(corpus, "expect/cli/test-output-ctf-metadata.expect"), "latin1"));
  },
);

test(
  "ttng -o dummy prints nothing and -w writes the pretty text to a file",
  { skip: bt ? false : skipReason("babeltrace2") },
  () => {
    assert.equal(ttng(["convert", "-o", "dummy", ks]).stdout, "");
    const out = join(work, "out.txt");
    const r = ttng(["view", "--compat=2.0", "-w", out, ks]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(out, "latin1"), run("babeltrace2", [ks]).stdout);
  },
);

test("-f none is refused as babeltrace2 refuses it", () => {
  const r = ttng(["view", "-f", "none", "x"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Unknown field: `none`/);
});

test("usage errors exit 2, unknown options are named", () => {
  const r = ttng(["view", "--no-such-option", "x"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Unknown option: `--no-such-option`/);
  // No input at all: `convert` is a usage error; a bare `view` is LTTng's `view [SESSION]` (issue 5).
  assert.equal(ttng(["convert"]).status, 2);
});

// Colors: babeltrace2's global detection (BABELTRACE_TERM_COLOR, TERM, TTYs), the
// `color` parameter, bright-means-bold, and the console reset after the graph runs.
const COLOR_ENVS = [
  { BABELTRACE_TERM_COLOR: "always" },
  { BABELTRACE_TERM_COLOR: "always", BABELTRACE_TERM_COLOR_BRIGHT_MEANS_BOLD: "0" },
  { BABELTRACE_TERM_COLOR: "never", TERM: "xterm" },
  { TERM: "xterm" },
];
for (const opts of [
  [],
  ["-n", "all", "-f", "all"],
  ["--clock-cycles"],
  ["--color=never"],
  ["--color=always"],
  ["-o", "dummy"],
]) {
  test(
    `colors with ${opts.join(" ") || "defaults"} equal babeltrace2's`,
    { skip: bt ? false : skipReason("babeltrace2") },
    () => {
      for (const env of COLOR_ENVS) {
        const ref = run("babeltrace2", [...opts, ks], env);
        const got = ttng(["view", "--compat=2.0", ...opts, ks], env);
        assert.equal(got.stdout, ref.stdout, JSON.stringify(env));
        assert.equal(got.stderr, ref.stderr, JSON.stringify(env));
      }
    },
  );
}

test(
  "discarded-items warnings are colored as babeltrace2 colors them",
  { skip: bt && hasCorpus ? false : skipReason("babeltrace2 and corpus") },
  () => {
    const trace = join(corpus, "ctf-traces/1/packet-seq-num/2-streams-lost-in-2");
    const env = { BABELTRACE_TERM_COLOR: "always" };
    const ref = run("babeltrace2", [trace], env);
    const got = ttng(["view", "--compat=2.0", trace], env);
    assert.equal(got.stdout, ref.stdout);
    assert.equal(got.stderr, ref.stderr);
  },
);

// --run-args: the equivalent `run` arguments, exactly as babeltrace2 prints them
// (component order and names, parameter text, shell quoting, connections).
const RUN_ARGS_SETS = [
  (t) => [t],
  (t) => ["-n", "all", "--clock-gmt", "-f", "loglevel", t],
  (t) => [
    "-c",
    "sink.utils.counter",
    "-p",
    "step=+3",
    "--clock-offset=2",
    "--clock-offset-ns=5",
    "--clock-force-correlate",
    t,
  ],
  (t) => ["-c", "my:filter.utils.muxer", "-c", "sink.text.details", "-p", "color=never,with-time=no", t],
  (t) => ["-o", "dummy", t],
  (t) => ["--color=always", "-n", "payload", t],
  (t) => ["-w", "/tmp/out.txt", t],
  (t) => [t, "-p", 'trace-name="x\'y"'],
  // Implicit trimmer: gmt first, then every begin/end as given (--timerange does not block a later -b).
  (t) => ["-b", "1", "-e", "12:00", t],
  (t) => ["--timerange=[1,2]", "--clock-gmt", t],
  (t) => ["--clock-gmt", "--begin=2023-11-14 22:13:20.5", t],
  (t) => ["--timerange=1,2", "-b", "5", t],
  (t) => ["--timerange=[1,2", "--timerange=a\\,b,c", t],
  (t) => ["-c", "filter.utils.muxer", "--end=-3", t],
];
for (const [i, make] of RUN_ARGS_SETS.entries()) {
  test(
    `--run-args ${make("TRACE").join(" ")} equals babeltrace2's (${i})`,
    { skip: bt ? false : skipReason("babeltrace2") },
    () => {
      for (const flag of ["--run-args", "--run-args-0"]) {
        const ref = run("babeltrace2", [flag, ...make(ks)]);
        const got = ttng(["convert", flag, ...make(ks)]);
        assert.equal(got.status, ref.status, got.stderr);
        assert.equal(got.stdout, ref.stdout);
      }
    },
  );
}

test(
  "--run-args on directories holding several traces (discovery order, grouping, trace names)",
  { skip: bt && hasCorpus ? false : skipReason("babeltrace2 and corpus") },
  () => {
    for (const name of ["multi-domains", "session-rotation", "lttng-tracefile-rotation"]) {
      const dir = join(corpus, "ctf-traces/1/succeed", name);
      assert.equal(ttng(["convert", "--run-args", dir]).stdout, run("babeltrace2", ["--run-args", dir]).stdout);
    }
  },
);

test(
  "-l after an input sets that source's log level (metadata warnings hidden at E)",
  { skip: hasCorpus ? false : skipReason("corpus") },
  () => {
    const trace = join(corpus, "ctf-traces/1/succeed/succeed3");
    assert.match(ttng(["view", trace]).stderr, /Unknown attribute in stream class: attr-name="test"/);
    const quiet = ttng(["view", trace, "-l", "E"]);
    assert.equal(quiet.status, 0);
    assert.doesNotMatch(quiet.stderr, /Unknown attribute/);
    assert.equal(ttng(["view", "-l", "E", trace]).status, 2);
  },
);

test("SIGINT stops the graph between batches: exit status 2", async () => {
  const { spawn } = await import("node:child_process");
  const { writeBenchTrace } = await import("./lib/ctf-gen.mjs");
  const big = join(work, "big");
  writeBenchTrace(big, { events: 1_000_000, streams: 2, seed: 3 });
  const child = spawn(process.execPath, [join(root, "packages/cli/dist/bin/ttng.js"), "view", big], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (d) => {
    err += d;
  });
  // Interrupt once the graph runs (its first output), not after a fixed delay: start-up alone
  // can take over a second on a loaded machine.
  await new Promise((r) => child.stdout.once("data", r));
  child.stdout.resume();
  child.kill("SIGINT");
  const code = await new Promise((r) => child.on("close", r));
  assert.equal(code, 2);
  assert.match(err, /interrupted/);
});

test(
  "relative inputs: --run-args keeps them as typed, warnings name streams by absolute path",
  { skip: bt && hasCorpus ? false : skipReason("babeltrace2 and corpus") },
  () => {
    const cwd = join(corpus, "ctf-traces/1");
    for (const arg of ["succeed/2packets", "./succeed/multi-domains/", "succeed/session-rotation"]) {
      const ref = spawnSync("babeltrace2", ["--run-args", arg], { cwd, encoding: "latin1" });
      const got = spawnSync(
        process.execPath,
        [join(root, "packages/cli/dist/bin/ttng.js"), "convert", "--run-args", arg],
        { cwd, encoding: "latin1" },
      );
      assert.equal(got.stdout, ref.stdout, arg);
    }
    const ref = spawnSync("babeltrace2", ["succeed/multi-domains"], {
      cwd,
      encoding: "latin1",
      env: { ...process.env, TZ: "UTC" },
      maxBuffer: 1 << 28,
    });
    const got = spawnSync(
      process.execPath,
      [join(root, "packages/cli/dist/bin/ttng.js"), "view", "--compat=2.0", "succeed/multi-domains"],
      {
        cwd,
        encoding: "latin1",
        env: { ...process.env, TZ: "UTC" },
        maxBuffer: 1 << 28,
      },
    );
    assert.equal(got.stdout, ref.stdout);
    const warn = (t) =>
      t
        .split("\n")
        .filter((l) => l.startsWith("WARNING:"))
        .join("\n");
    assert.equal(warn(got.stderr), warn(ref.stderr));
  },
);
