// JavaScript plugins (docs/plugins.md): the examples in examples/plugins load by file, by
// package directory, by directory scan (--plugin-path, TTNG_PLUGIN_PATH) and from a project's
// node_modules; they appear in list-plugins and help with babeltrace2's layout; they run in
// `run` and `convert` graphs, their output checked against babeltrace2 on the same trace;
// broken plugins warn and the others still load; another API major is refused.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { corpus, hasCorpus, haveTool, root, run, skipReason, ttngBin } from "./helpers.mjs";

const hasBt2 = haveTool("babeltrace2");
const skipOracle = !hasCorpus ? skipReason("../shared/conformance") : hasBt2 ? false : skipReason("babeltrace2");
const succeed = join(corpus, "ctf-traces/1/succeed");
const examples = join(root, "examples/plugins");
const pkgDir = join(examples, "ttng-plugin-example");
const latencyFile = join(examples, "ttng-plugin-latency.mjs");
const tmp = mkdtempSync(join(tmpdir(), "ttng-plugins-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** ttng with general options first, in `cwd`. */
function ttngIn(cwd, args, env = {}) {
  const r = spawnSync(process.execPath, [ttngBin, ...args], {
    cwd,
    env: { ...process.env, TZ: "UTC", TTNG_PLUGIN_PATH: "", ...env },
    encoding: "latin1",
    maxBuffer: 1 << 28,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const ttngP = (args, env) => ttngIn(root, ["--omit-system-plugin-path", ...args], env);

/** `Found N component classes in M plugins.` with the built-in plugins plus `classes` and `plugins` more. */
const builtin = /Found (\d+) component classes in (\d+) plugins\./.exec(ttngP(["list-plugins"]).stdout);
const found = (classes, plugins) =>
  `Found ${Number(builtin[1]) + classes} component classes in ${Number(builtin[2]) + plugins} plugins.`;

/** One plugin's block of `list-plugins` output. */
function block(out, name) {
  return out.split("\n\n").find((b) => b.startsWith(`${name}:\n`));
}

const EXAMPLE_BLOCK = (path) => `example:
  Path: ${path}
  Version: 1.0.0
  Description: Example plugin: drop events by name, count events per name
  Author: ttng
  License: MIT
  Source component classes: (none)
  Filter component classes:
    'filter.example.drop-events': Drop the event messages whose name matches a glob.
  Sink component classes:
    'sink.example.event-counts': Count the events per name and print the counts at the end.`;

const LATENCY_BLOCK = (path) => `latency:
  Path: ${path}
  Version: 1.0.0
  Description: Time between events
  Author: ttng
  License: MIT
  Source component classes: (none)
  Filter component classes: (none)
  Sink component classes:
    'sink.latency.histogram': Print a histogram of the time between consecutive events.`;

test("list-plugins: a plugin file and a package directory load by --plugin-path, in babeltrace2's layout", () => {
  const r = ttngP([`--plugin-path=${latencyFile}:${pkgDir}`, "list-plugins"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "");
  assert.ok(
    r.stdout.startsWith(`From the following plugin paths:\n\n  - ${latencyFile}\n  - ${pkgDir}\n\n${found(3, 2)}\n`),
    r.stdout,
  );
  assert.equal(block(r.stdout, "latency").trimEnd(), LATENCY_BLOCK(latencyFile));
  assert.equal(block(r.stdout, "example").trimEnd(), EXAMPLE_BLOCK(join(pkgDir, "index.mjs")));
  // The loaded blocks have the keys of babeltrace2's blocks for a plugin with a path.
  if (hasBt2) {
    const bt2 = run("babeltrace2", ["list-plugins"]).stdout;
    const keys = (b) =>
      b
        .split("\n")
        .filter((l) => l !== "" && !l.startsWith("    ") && !l.startsWith("  Version"))
        .map((l) => l.replace(/^( {2}[A-Za-z ]+?):.*$/, "$1:"))
        .slice(1);
    assert.deepEqual(keys(block(r.stdout, "latency")), keys(block(bt2, "utils")));
  }
});

test("TTNG_PLUGIN_PATH and --plugin-path: a directory is scanned (env entries first, as babeltrace2)", () => {
  const r = ttngP([`--plugin-path=${tmp}`, "list-plugins"], { TTNG_PLUGIN_PATH: `${examples}:/nonexistent` });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes(`plugin paths:\n\n  - ${examples}\n  - /nonexistent\n  - ${tmp}\n\n`), r.stdout);
  assert.equal(block(r.stdout, "example").trimEnd(), EXAMPLE_BLOCK(join(pkgDir, "index.mjs")));
  assert.equal(block(r.stdout, "latency").trimEnd(), LATENCY_BLOCK(latencyFile));
  // The same file reached twice loads once, without a warning.
  const twice = ttngP([`--plugin-path=${latencyFile}`, "list-plugins"], { TTNG_PLUGIN_PATH: examples });
  assert.equal(twice.stderr, "");
  assert.ok(twice.stdout.includes(found(3, 2)));
  // Without a path, no plugin is loaded and the list is empty.
  const none = ttngP(["list-plugins"]);
  assert.ok(none.stdout.startsWith(`From the following plugin paths:\n\n  [ ]\n\n${found(0, 0)}`));
});

test("ttng-plugin-* packages in the project's node_modules load by package name", () => {
  const project = join(tmp, "project");
  mkdirSync(join(project, "node_modules/@scope"), { recursive: true });
  symlinkSync(pkgDir, join(project, "node_modules/ttng-plugin-example"));
  mkdirSync(join(project, "node_modules/other"));
  writeFileSync(join(project, "node_modules/other/package.json"), "{ broken");
  const r = ttngIn(join(project), ["list-plugins"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "");
  assert.ok(r.stdout.includes(`  - ${join(project, "node_modules")}\n`), r.stdout);
  assert.equal(
    block(r.stdout, "example").trimEnd(),
    EXAMPLE_BLOCK(join(project, "node_modules/ttng-plugin-example/index.mjs")),
  );
  const omitted = ttngIn(project, ["--omit-system-plugin-path", "list-plugins"]);
  assert.equal(block(omitted.stdout, "example"), undefined);
});

test("help PLUGIN and help TYPE.PLUGIN.CLS describe loaded plugins", () => {
  const r = ttngP([`--plugin-path=${examples}`, "help", "sink.latency.histogram"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    `latency:
  Path: ${latencyFile}
  Version: 1.0.0
  Description: Time between events
  Author: ttng
  License: MIT
  Source component classes: 0
  Filter component classes: 0
  Sink component classes: 1

'sink.latency.histogram'
  Description: Print a histogram of the time between consecutive events.

Parameters:
  bounds-ns: bucket upper bounds in ns (default: [+1000, +10000, ..., +1000000000])
`,
  );
  const p = ttngP([`--plugin-path=${examples}`, "help", "example"]);
  assert.ok(
    p.stdout.endsWith("  Source component classes: 0\n  Filter component classes: 1\n  Sink component classes: 1\n"),
  );
  // General options go before the command, as babeltrace2's.
  const late = ttngP(["help", "example", `--plugin-path=${examples}`]);
  assert.equal(late.status, 2);
});

test("query: the examples' query methods", () => {
  let r = ttngP([
    `--plugin-path=${examples}`,
    "query",
    "sink.latency.histogram",
    "buckets",
    "-p",
    "bounds-ns=[10,+20]",
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "- 10\n- 20\n");
  r = ttngP([
    `--plugin-path=${examples}`,
    "query",
    "flt.example.drop-events",
    "matches",
    "-p",
    'names=["sched_*"],name="sched_switch"',
  ]);
  assert.equal(r.stdout, "yes\n");
  r = ttngP([
    `--plugin-path=${examples}`,
    "query",
    "flt.example.drop-events",
    "matches",
    "-p",
    'names="a\\*",name="ab"',
  ]);
  assert.equal(r.stdout, "no\n");
  r = ttngP([`--plugin-path=${examples}`, "query", "sink.latency.histogram", "buckets", "-p", "bounds-ns=[3,2]"]);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.includes("`bounds-ns` parameter: expecting a non-empty array of increasing"), r.stderr);
  assert.ok(!r.stderr.includes("    at "), r.stderr);
});

/** Event names in babeltrace2's pretty output (`[time] (+delta) host name: ...`). */
function bt2EventNames(stdout) {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("["))
    .map((l) => /^\[[^\]]+\] (?:\([^)]*\) )?\S+ (\S+): /.exec(l)[1]);
}

test("run -c: sink.example.event-counts counts what babeltrace2 prints", { skip: skipOracle }, () => {
  const trace = join(succeed, "lttng-tracefile-rotation");
  const bt2 = run("babeltrace2", [trace]);
  assert.equal(bt2.status, 0);
  const counts = new Map();
  for (const n of bt2EventNames(bt2.stdout)) counts.set(n, (counts.get(n) ?? 0) + 1);
  let expected = "";
  let total = 0;
  for (const n of [...counts.keys()].sort()) {
    expected += `${String(counts.get(n)).padStart(10)} ${n}\n`;
    total += counts.get(n);
  }
  expected += `${String(total).padStart(10)} events (TOTAL)\n`;
  const r = ttngIn(root, [
    `--plugin-path=${pkgDir}`,
    "run",
    "-c",
    "src:source.ctf.fs",
    "-p",
    `inputs=["${join(trace, "kernel")}"]`,
    "-c",
    "mux:filter.utils.muxer",
    "-c",
    "count:sink.example.event-counts",
    "-x",
    "src:mux",
    "-x",
    "mux:count",
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(counts.size > 3);
  assert.equal(r.stdout, expected);
});

test("convert -c: filter.example.drop-events drops what it should and nothing else", { skip: skipOracle }, () => {
  const trace = join(succeed, "lttng-tracefile-rotation");
  const bt2 = run("babeltrace2", ["--no-delta", trace]);
  const dropped = /^(sched_wak.*|sched_switch)$/;
  const expected = bt2.stdout
    .split("\n")
    .filter((l) => !l.startsWith("[") || !dropped.test(bt2EventNames(l)[0]))
    .join("\n");
  const args = [
    "--compat=2.0",
    "--no-delta",
    trace,
    "-c",
    "flt.example.drop-events",
    "-p",
    'names=["sched_wak*","sched_switch"]',
  ];
  const r = ttngP([`--plugin-path=${examples}`, "convert", ...args]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(expected.length < bt2.stdout.length);
  assert.equal(r.stdout, expected);
  // `run` with convert's --run-args runs the same graph.
  const ra = ttngP([`--plugin-path=${examples}`, "convert", "--run-args-0", ...args]);
  const rr = ttngP([`--plugin-path=${examples}`, "run", "-m", "0", ...ra.stdout.split("\0")]);
  assert.equal(rr.status, 0, rr.stderr);
  assert.equal(rr.stdout, expected);
});

test("convert -c: sink.latency.histogram buckets the deltas babeltrace2 prints", { skip: skipOracle }, () => {
  const trace = join(succeed, "wk-heartbeat-u");
  const bt2 = run("babeltrace2", [trace]);
  const deltas = bt2.stdout
    .split("\n")
    .map((l) => /^\[[^\]]+\] \(\+(\d+)\.(\d{9})\)/.exec(l))
    .filter((m) => m)
    .map((m) => Number(m[1]) * 1e9 + Number(m[2]));
  const bounds = [20000, 100000, 300000];
  const counts = [0, 0, 0, 0];
  for (const d of deltas) counts[bounds.findIndex((x) => d <= x) === -1 ? 3 : bounds.findIndex((x) => d <= x)]++;
  const events = bt2.stdout.split("\n").filter((l) => l.startsWith("[")).length;
  const expected = `${events} events, ${deltas.length} intervals
  <=        20000 ns: ${counts[0]}
  <=       100000 ns: ${counts[1]}
  <=       300000 ns: ${counts[2]}
   >       300000 ns: ${counts[3]}
`;
  const r = ttngP([
    "--plugin-path",
    latencyFile,
    "convert",
    trace,
    "-c",
    "sink.latency.histogram",
    "-p",
    `bounds-ns=[${bounds.join(",")}]`,
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(counts.filter((c) => c > 0).length >= 3, String(counts));
  assert.equal(r.stdout, expected);
  // `view` (the LTTng family's command name too) loads plugins as `convert` does.
  const v = ttngP([
    "--plugin-path",
    latencyFile,
    "view",
    trace,
    "-c",
    "sink.latency.histogram",
    "-p",
    `bounds-ns=[${bounds.join(",")}]`,
  ]);
  assert.equal(v.stdout, expected, v.stderr);
});

test("broken plugins warn and the others still load; another API major is refused", () => {
  const dir = join(tmp, "broken");
  mkdirSync(dir);
  const good = (name, api = 1) =>
    `export default (api) => ({ apiVersion: ${api}, name: "${name}", componentClasses: [{ type: "sink", name: "nothing", description: "d", create: () => ({}) }] });\n`;
  writeFileSync(join(dir, "ttng-plugin-a-syntax.mjs"), "export default {\n");
  writeFileSync(join(dir, "ttng-plugin-b-throws.mjs"), 'throw new Error("boom at load");\n');
  writeFileSync(join(dir, "ttng-plugin-c-api2.mjs"), good("future", 2));
  writeFileSync(join(dir, "ttng-plugin-d-noname.mjs"), "export default { apiVersion: 1, componentClasses: [] };\n");
  writeFileSync(join(dir, "ttng-plugin-e-dup.mjs"), good("utils"));
  writeFileSync(join(dir, "ttng-plugin-f-good.mjs"), good("fine"));
  writeFileSync(join(dir, "ttng-plugin-g-nodefault.mjs"), "export const x = 1;\n");
  writeFileSync(join(dir, "ttng-plugin-h-noapi.mjs"), 'export default { name: "x", componentClasses: [] };\n');
  writeFileSync(join(dir, "not-a-plugin.mjs"), 'throw new Error("must not be imported");\n');
  mkdirSync(join(dir, "ttng-plugin-i-badpkg"));
  writeFileSync(join(dir, "ttng-plugin-i-badpkg/package.json"), "{ nope");
  const r = ttngP([`--plugin-path=${dir}`, "list-plugins"]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(block(r.stdout, "fine"), r.stdout);
  assert.ok(r.stdout.includes(found(1, 1)), r.stdout);
  const warnings = r.stderr.split(/^WARNING: +/m).slice(1);
  assert.equal(warnings.length, 8, r.stderr);
  const expect = [
    ["ttng-plugin-a-syntax.mjs", /SyntaxError|Unexpected end of input/],
    ["ttng-plugin-b-throws.mjs", /boom at load/],
    ["ttng-plugin-c-api2.mjs", /Unsupported plugin API version: plugin-api-version=2, supported-api-version=1/],
    ["ttng-plugin-d-noname.mjs", /`name` must be a non-empty string/],
    ["ttng-plugin-e-dup.mjs", /Ignoring plugin: a plugin with the same name is already loaded: name="utils"/],
    ["ttng-plugin-g-nodefault.mjs", /no default export/],
    ["ttng-plugin-h-noapi.mjs", /missing `apiVersion`/],
    ["ttng-plugin-i-badpkg", /Cannot read package.json/],
  ];
  expect.forEach(([file, re], i) => {
    assert.ok(warnings[i].includes(join(dir, file)), warnings[i]);
    assert.match(warnings[i], re);
  });
  assert.ok(!r.stderr.includes("must not be imported"));
  assert.ok(!r.stderr.includes("    at "), "no JS stack without -d");
  // -d adds the JavaScript stack of the cause.
  const d = ttngP(["-d", `--plugin-path=${join(dir, "ttng-plugin-b-throws.mjs")}`, "list-plugins"]);
  assert.match(d.stderr, /boom at load\n[\s\S]*\n {4}at .*ttng-plugin-b-throws\.mjs/);
  // A graph still runs with the good plugin when others are broken.
  const g = ttngP([`--plugin-path=${dir}:${examples}`, "query", "sink.latency.histogram", "buckets"]);
  assert.equal(g.status, 0, g.stderr);
  assert.equal(g.stdout.split("\n")[0], "- 1000");
});

test(
  "a plugin component that breaks fails with an error naming its class, its JS stack only with -d",
  { skip: skipOracle },
  () => {
    const dir = join(tmp, "bad-components");
    mkdirSync(dir);
    writeFileSync(
      join(dir, "ttng-plugin-bad.mjs"),
      `export default () => ({ apiVersion: 1, name: "bad", componentClasses: [
  { type: "sink", name: "empty", create: () => ({}) },
  { type: "sink", name: "throws", create: () => ({ kind: "sink", inputPorts: () => ["in"], graphIsConfigured() {}, consume() { throw new TypeError("oops in consume"); } }) },
  { type: "filter", name: "noiter", create: () => ({ kind: "filter", inputPorts: () => ["in"], outputPorts: () => ["out"], createIterator: () => 42 }) },
] });
`,
    );
    const trace = join(succeed, "wk-heartbeat-u");
    const cases = [
      [
        ["-c", "sink.bad.empty"],
        ["CAUSED BY [sink.bad.empty]", "Invalid component from create(): `kind` is undefined"],
      ],
      [
        ["-c", "sink.bad.throws"],
        ["ERROR:    [sink.bad.throws]", 'Component\'s "consume" method failed', "oops in consume"],
      ],
      [
        ["-c", "flt.bad.noiter"],
        ["[filter.bad.noiter]", "createIterator() returned no message iterator"],
      ],
    ];
    for (const [args, texts] of cases) {
      const r = ttngP([`--plugin-path=${dir}`, "convert", trace, ...args]);
      assert.equal(r.status, 1, args.join(" "));
      for (const t of texts) assert.ok(r.stderr.includes(t), `${t}\n${r.stderr}`);
      assert.ok(!r.stderr.includes("    at "), r.stderr);
    }
    const d = ttngP(["-d", `--plugin-path=${dir}`, "convert", trace, "-c", "sink.bad.throws"]);
    assert.match(d.stderr, /CAUSED BY TypeError: oops in consume\n {4}at .*ttng-plugin-bad\.mjs/);
  },
);
