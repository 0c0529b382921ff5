// `ttng run`, `query`, `list-plugins`, `help` against babeltrace2 2.0.4 (the
// oracle) on the conformance corpus: same arguments, same output.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { corpus, hasCorpus, haveTool, root, run, skipReason, ttng } from "./helpers.mjs";

const hasBt2 = haveTool("babeltrace2");
const skipCorpus = hasCorpus ? false : skipReason("../shared/conformance");
const skipOracle = !hasCorpus ? skipReason("../shared/conformance") : hasBt2 ? false : skipReason("babeltrace2");
const skipBt2 = hasBt2 ? false : skipReason("babeltrace2");
const succeed = join(corpus, "ctf-traces/1/succeed");
const traces = hasCorpus ? readdirSync(succeed).sort() : [];
// babeltrace2 2.0.4 crashes on these (SIGFPE, abort): nothing to compare with.
const BT2_CRASHES = new Set(["def-clk-freq", "meta-ctx-sequence"]);

const { formatValue } = await import(join(root, "packages/cli/dist/query.js"));
const { parseConnection, starGlobMatch } = await import(join(root, "packages/cli/dist/run.js"));
const g = await import(join(root, "packages/graph/dist/index.js"));

function runArgsOf(trace) {
  const r = ttng(["convert", "--run-args-0", trace]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\0");
}

/** babeltrace2's error text without its log lines (which carry times and PIDs). */
function bt2Errors(stderr) {
  return stderr
    .split("\n")
    .filter((l) => !/^\d\d-\d\d /.test(l))
    .join("\n");
}

test("formatValue() prints values as babeltrace2's print_value()", () => {
  const v = g.vMap({
    z: g.vArray([g.vSint(-3), g.vArray([]), g.vMap(), g.vMap({ b: g.vBool(true), a: g.vNull })]),
    a: g.vReal(0.75),
    m: g.vMap(),
    e: g.vArray([]),
    s: g.vString("x y"),
    u: g.vUint(18446744073709551615n),
    n: g.vMap({ k: g.vArray([g.vString("q")]) }),
  });
  assert.equal(
    formatValue(v),
    "a: 0.750000\ne: [ ]\nm: { }\nn: \n  k: \n    - q\ns: x y\nu: 18446744073709551615\nz: \n  - -3\n  - [ ]\n  - { }\n  - \n    a: null\n    b: yes\n",
  );
  assert.equal(formatValue(g.vReal(1e22)), "10000000000000000000000.000000\n");
  assert.equal(formatValue(g.vArray([])), "[ ]\n");
  assert.equal(formatValue(g.vString("p"), 2), "  p\n");
});

test("parseConnection() reads names, port globs and escapes as babeltrace2", () => {
  assert.deepEqual(parseConnection("a\\.b\\:c.out*:mux.in\\*"), {
    arg: "a\\.b\\:c.out*:mux.in\\*",
    up: "a.b:c",
    upGlob: "out*",
    down: "mux",
    downGlob: "in\\*",
  });
  assert.equal(parseConnection("a:b").upGlob, "*");
  assert.equal(parseConnection("a**x.p***:b").up, "a**x");
  assert.equal(parseConnection("a.p***:b").upGlob, "p*");
  for (const bad of ["a", ":b", "a:", "a.:b", "a.x?:b", "a:b.[x", "a:b.c.d", "a.b.c:d"])
    assert.equal(parseConnection(bad), undefined, bad);
  assert.ok(starGlobMatch("in*", "in12"));
  assert.ok(!starGlobMatch("in\\*", "in12"));
  assert.ok(starGlobMatch("in\\*", "in*"));
  assert.ok(starGlobMatch("*|*", "a | 0"));
});

for (const name of traces) {
  test(
    `run with convert --run-args of ${name} prints what view and babeltrace2 run print`,
    { skip: skipOracle },
    () => {
      const trace = join(succeed, name);
      const args = runArgsOf(trace);
      const mine = ttng(["run", ...args]);
      const view = ttng(["view", trace]);
      assert.equal(mine.status, view.status);
      assert.equal(mine.stdout, view.stdout);
      if (BT2_CRASHES.has(name)) return;
      const m0 = ttng(["run", "-m", "0", ...args]);
      const bt2 = run("babeltrace2", ["run", ...args]);
      assert.equal(bt2.status, 0, bt2.stderr);
      assert.equal(m0.status, 0, m0.stderr);
      assert.equal(m0.stdout, bt2.stdout);
    },
  );
}

test(
  "run: names with `.` and `:`, port globs, base params, --retry-duration as babeltrace2",
  { skip: skipOracle },
  () => {
    const trace = join(succeed, "multi-domains");
    const wk = join(succeed, "wk-heartbeat-u");
    const args = [
      "--retry-duration=1000",
      "-b",
      "clock-class-offset-s=1",
      "-c",
      "my.src:source.ctf.fs",
      "-p",
      `inputs=["${join(trace, "kernel")}"]`,
      "-c",
      "src2:src.ctf.fs",
      "--params",
      `inputs=["${wk}"]`,
      "-r",
      "-c",
      "m\\:x:filter.utils.muxer",
      "-c",
      "out:sink.text.pretty",
      "-p",
      "clock-seconds=yes",
      "-l",
      "W",
      "-x",
      "my\\.src.*:m\\:x.in*",
      "-x",
      "src2.*:m\\:x",
      "--connect=m\\:x:out.i*",
    ];
    const mine = ttng(["run", "-m", "0", ...args]);
    const bt2 = run("babeltrace2", ["run", ...args]);
    assert.equal(bt2.status, 0, bt2.stderr);
    assert.equal(mine.status, 0, mine.stderr);
    assert.ok(mine.stdout.length > 0);
    assert.equal(mine.stdout, bt2.stdout);
  },
);

const BAD_RUNS = [
  ["-x", "src:mux", "-x", "mux:nope"],
  ["-x", "nope:mux", "-x", "mux:out"],
  ["-x", "src:mux"],
  ["-x", "src:mux", "-x", "mux:out", "-x", "src:mux"],
  ["-x", "src:mux", "-x", "mux:out", "-x", "out:mux"],
  ["-x", "src:mux", "-x", "mux:src", "-x", "mux:out"],
  ["-x", "src:mux", "-x", "mux:out", "-x", "mux:mux"],
  ["-x", "src:mux.in?", "-x", "mux:out"],
  ["-x", "src.x:mux", "-x", "mux:out"],
  ["-x", "src:mux.x", "-x", "mux:out"],
];
for (const extra of BAD_RUNS) {
  test(`run fails as babeltrace2 does with ${extra.join(" ")}`, { skip: skipOracle }, () => {
    const args = [
      "-c",
      "src:source.ctf.fs",
      "-p",
      `inputs=["${join(succeed, "2packets")}"]`,
      "-c",
      "mux:filter.utils.muxer",
      "-c",
      "out:sink.text.pretty",
      ...extra,
    ];
    const mine = ttng(["run", ...args]);
    const bt2 = run("babeltrace2", ["run", ...args]);
    assert.notEqual(bt2.status, 0);
    assert.notEqual(mine.status, 0);
    assert.equal(mine.stdout, "");
    // The reason babeltrace2 gives, ttng gives (without its addresses).
    const reason =
      /(Invalid connection[^\n]*|Component `[^`]*` is not connected|Duplicate connection:|Cannot parse --connect[^\n]*|port does not match any connection argument|cannot find a matching downstream port)/.exec(
        bt2Errors(bt2.stderr),
      );
    assert.ok(reason, bt2.stderr);
    assert.ok(mine.stderr.replace(/\n\s*/g, " ").includes(reason[1].replace(/\n\s*/g, " ")), mine.stderr);
  });
}

test("run rejects what babeltrace2's run command line rejects", () => {
  const cases = [
    [["-c", "source.ctf.fs"], "Found an unnamed component."],
    [["-c", "a:source.ctf.fs", "-c", "a:sink.utils.dummy"], "Duplicate component instance name"],
    [["-p", "x=1"], "Cannot add parameters to unavailable component"],
    [["-l", "W"], "Cannot set the log level of unavailable component"],
    [["-c", "a:sink.utils.dummy", "-l", "Q"], "Invalid argument for --log-level option"],
    [["-c", "a:sink.utils.dummy"], "Incomplete graph: no source component."],
    [["-c", "a:source.ctf.fs"], "Incomplete graph: no sink component."],
    [["trace"], "Unexpected argument: `trace`"],
    [["--retry-duration=x"], "Could not parse --retry-duration option's argument as an unsigned integer"],
    [["-c", "a:ctf.fs"], "Invalid format for --component option's argument"],
  ];
  for (const [args, msg] of cases) {
    const r = ttng(["run", ...args]);
    assert.notEqual(r.status, 0, args.join(" "));
    assert.ok(r.stderr.includes(msg), `${args.join(" ")}: ${r.stderr}`);
  }
});

for (const name of ["succeed1", "lf-metadata", "crlf-metadata"]) {
  test(`query metadata-info of ${name} equals babeltrace2's and Babeltrace's expectation`, { skip: skipCorpus }, () => {
    const r = ttng(["query", "src.ctf.fs", "metadata-info", "-p", `path="${join(succeed, name)}"`]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
    // The corpus copy holds the metadata text only (Babeltrace's own file starts with
    // `is-packetized: no` and `text: `), without the trailing empty lines.
    const expect = readFileSync(join(corpus, `expect/plugins/src.ctf.fs/metadata-info-${name}.expect`), "latin1");
    assert.ok(r.stdout.startsWith("is-packetized: no\ntext: "));
    const text = r.stdout.slice("is-packetized: no\ntext: ".length);
    const norm = (t) => t.replace(/\r/g, "").replace(/\n+$/, "");
    assert.equal(norm(text), norm(expect));
    if (hasBt2) {
      const bt2 = run("babeltrace2", ["query", "src.ctf.fs", "metadata-info", "-p", `path="${join(succeed, name)}"`]);
      assert.equal(r.stdout, bt2.stdout);
    }
  });
}

// ttng's source.ctf.fs query results that differ from babeltrace2 2.0.4's (see the report in the commit).
const TRACE_INFOS_DIFFER = new Set([
  "lttng-crash",
  "lttng-event-after-packet",
  "sequence",
  "wk-heartbeat-u",
  ...BT2_CRASHES,
]);
const intersection = join(corpus, "ctf-traces/1/intersection");
const queried = [
  ...traces.map((n) => [n, join(succeed, n)]),
  ...(hasCorpus ? readdirSync(intersection).sort() : []).map((n) => [`intersection/${n}`, join(intersection, n)]),
];
for (const [name, dir] of queried) {
  test(
    `query babeltrace.support-info and babeltrace.trace-infos of ${name} as babeltrace2`,
    { skip: skipOracle },
    () => {
      const si = ["query", "src.ctf.fs", "babeltrace.support-info", "-p", `input="${dir}",type="directory"`];
      const a = ttng(si);
      const b = run("babeltrace2", si);
      assert.equal(a.status, 0, a.stderr);
      assert.equal(a.stdout, b.stdout);
      if (TRACE_INFOS_DIFFER.has(name)) return;
      const ti = ["query", "src.ctf.fs", "babeltrace.trace-infos", "-p", `inputs=["${dir}"]`];
      const c = ttng(ti);
      const d = run("babeltrace2", ti);
      assert.equal(c.status, d.status, c.stderr);
      assert.equal(c.stdout, d.stdout);
      if (d.status !== 0)
        assert.equal(c.stderr.includes("Trace has no streams"), d.stderr.includes("Trace has no streams"));
    },
  );
}

test("query errors: bad class spec, unknown class, failing query", () => {
  let r = ttng(["query", "ctf.fs", "x"]);
  assert.notEqual(r.status, 0);
  assert.ok(r.stderr.includes("Invalid format for component class specification"), r.stderr);
  r = ttng(["query", "src.ctf.nope", "x"]);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes('Cannot find component class: plugin-name="ctf", comp-cls-name="nope"'), r.stderr);
  r = ttng(["query", "src.ctf.fs", "nope"]);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes("Failed to query component class"), r.stderr);
  r = ttng(["query", "src.ctf.fs", ""]);
  assert.ok(r.stderr.includes("Invalid empty object."), r.stderr);
});

/** Lines of `list-plugins` output for one plugin block. */
function pluginBlock(out, plugin) {
  const blocks = out.split("\n\n");
  return blocks.find((b) => b.startsWith(`${plugin}:\n`));
}

test("list-plugins has babeltrace2's layout; shared classes print the same lines", { skip: skipBt2 }, () => {
  const mine = ttng(["list-plugins"]);
  const bt2 = run("babeltrace2", ["list-plugins"]);
  assert.equal(mine.status, 0, mine.stderr);
  assert.ok(mine.stdout.startsWith("From the following plugin paths:\n\n"));
  assert.ok(bt2.stdout.startsWith("From the following plugin paths:\n\n"));
  assert.match(mine.stdout, /\n\nFound \d+ component classes in \d+ plugins\.\n\n/);
  // A plugin block: the same keys in the same order (ttng's are built in: `Built-in` instead of `Path`, and a Version).
  // (Which classes each has differs: compare the headers, not the class lists.)
  const shape = (block) =>
    block
      .split("\n")
      .filter((l) => l !== "" && !l.startsWith("    '") && !l.startsWith("  Version"))
      .map((l) => l.replace(/^ {2}Path: .*/, "  Built-in").replace(/^( {2}[A-Za-z ]+?):( .*)?$/, "$1:"))
      .join("\n");
  for (const p of ["ctf", "text", "utils"]) {
    const a = pluginBlock(mine.stdout, p);
    const b = pluginBlock(bt2.stdout, p);
    assert.ok(a && b, p);
    assert.equal(shape(a).replace(/\n$/, ""), shape(b).replace(/\n$/, ""), p);
  }
  // Class lines babeltrace2 also has, with the same description, are identical.
  const classLines = (o) => new Set(o.split("\n").filter((l) => l.startsWith("    '")));
  const theirs = classLines(bt2.stdout);
  for (const l of [
    "    'source.ctf.fs': Read CTF traces from the file system.",
    "    'sink.text.details': Print messages with details.",
  ])
    assert.ok(classLines(mine.stdout).has(l) && theirs.has(l), l);
});

test("help PLUGIN and help TYPE.PLUGIN.CLS have babeltrace2's layout", { skip: skipBt2 }, () => {
  const mine = ttng(["help", "src.ctf.fs"]);
  const bt2 = run("babeltrace2", ["help", "src.ctf.fs"]);
  assert.equal(mine.status, 0, mine.stderr);
  const keys = (o) => o.split("\n").map((l) => l.replace(/^( {2}[A-Za-z ]+?): .*/, "$1:"));
  const [mineInfo, ...mineCls] = mine.stdout.split("\n\n");
  const [bt2Info, ...bt2Cls] = bt2.stdout.split("\n\n");
  assert.deepEqual(
    keys(mineInfo).filter((l) => l !== "  Built-in" && l !== "  Version:"),
    keys(bt2Info).filter((l) => l !== "  Path:"),
  );
  assert.deepEqual(mineCls, bt2Cls);
  assert.ok(mine.stdout.includes("  Source component classes: 1\n  Filter component classes: 0\n"));
  // A class with a help text: printed after an empty line, as babeltrace2's.
  const d = ttng(["help", "sink.text.details"]);
  const dbt2 = run("babeltrace2", ["help", "sink.text.details"]);
  assert.equal(d.stdout.split("\n\n").slice(1).join("\n\n"), dbt2.stdout.split("\n\n").slice(1).join("\n\n"));
  // Errors.
  let r = ttng(["help", "nope"]);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes('Cannot find plugin: plugin-name="nope"'), r.stderr);
  r = ttng(["help", "ctf.fs"]);
  assert.ok(r.stderr.includes("Could not parse argument as a component class name: arg=ctf.fs"), r.stderr);
  assert.ok(r.stderr.includes("Unknown component class type: `ctf`."), r.stderr);
  r = ttng(["help"]);
  assert.ok(r.stderr.includes("Missing plugin name or component class descriptor."), r.stderr);
});

test(
  "query, help and list-plugins color as babeltrace2 with BABELTRACE_TERM_COLOR=always",
  { skip: skipOracle },
  () => {
    const env = { BABELTRACE_TERM_COLOR: "always" };
    const dir = join(succeed, "2packets");
    for (const args of [
      ["query", "src.ctf.fs", "babeltrace.trace-infos", "-p", `inputs=["${dir}"]`],
      ["query", "src.ctf.fs", "babeltrace.support-info", "-p", `input="${dir}",type="directory"`],
    ]) {
      const mine = ttng(args, env);
      assert.ok(mine.stdout.includes("\x1b[1m"));
      assert.equal(mine.stdout, run("babeltrace2", args, env).stdout);
    }
    const tail = (o) => o.split("\n\n").slice(1).join("\n\n");
    const h = ttng(["help", "src.ctf.fs"], env);
    assert.equal(tail(h.stdout), tail(run("babeltrace2", ["help", "src.ctf.fs"], env).stdout));
    const classLine = (o) => o.split("\n").find((l) => l.includes("fs\x1b[0m'"));
    const l = ttng(["list-plugins"], env);
    assert.equal(classLine(l.stdout), classLine(run("babeltrace2", ["list-plugins"], env).stdout));
    assert.ok(classLine(l.stdout));
    const key = (o) => o.split("\n").find((x) => x.includes("Description"));
    assert.equal(key(l.stdout).split(":")[0], key(run("babeltrace2", ["list-plugins"], env).stdout).split(":")[0]);
  },
);
