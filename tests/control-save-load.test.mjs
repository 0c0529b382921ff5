// Session files move both ways between lttng 2.13 and ttng: a session saved
// by `lttng save` loads in ttng with the same channels, rules, contexts and
// trackers (compared through `list SESSION` texts), and a session saved by
// `ttng save` loads in `lttng` (which validates it against its session.xsd)
// and lists the same. lttng runs against a private lttng-sessiond; ttng's
// commands talk to a real ttng-sessiond (which saves and loads the files).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { haveTool, skipReason } from "./helpers.mjs";
import { normalize, runTtngDaemon, stopDaemon } from "./lib/control-run.mjs";
import { runLttng } from "./lib/lttng-oracle.mjs";

const tools = ["lttng", "lttng-sessiond", "unshare"];
const missing = tools.filter((t) => !haveTool(t));
const canRun = missing.length === 0 && process.getuid?.() === 0;
const skip = canRun ? false : skipReason(missing.length > 0 ? missing.join(", ") : "root (private mount namespace)");

/** A session configured with most of what a session file carries ("@H": the side's home). */
const configure = (name, extra = [], perf = true) => [
  ["create", name, "-o", `@H/out/${name}`],
  [
    "enable-channel",
    "-u",
    "c",
    "--subbuf-size",
    "8k",
    "--num-subbuf",
    "2",
    "--overwrite",
    "--buffers-pid",
    "--switch-timer",
    "1s",
  ],
  [
    "enable-channel",
    "-u",
    "d",
    "--buffers-pid",
    "--tracefile-size",
    "1M",
    "--tracefile-count",
    "3",
    "--monitor-timer",
    "0",
  ],
  ["enable-event", "-u", "-c", "c", "a:*", "--loglevel", "WARNING", "--filter", 'x > 1 && s == "q*"'],
  ["enable-event", "-u", "-c", "c", "b:c", "--loglevel-only", "INFO"],
  ["enable-event", "-u", "-c", "d", "-a"],
  ["disable-event", "-u", "-c", "c", "b:c"],
  ["add-context", "-u", "-c", "c", "-t", "vpid", "-t", "procname", "-t", "$app.prov:ctx"],
  ["add-context", "-u", "-c", "d", "-t", "vtid"],
  // ttng-sessiond refuses perf counters at add-context (its tracer cannot read them); they still
  // load from lttng's files and save back unchanged (the resave test below).
  ...(perf
    ? [
        ["add-context", "-u", "-c", "d", "-t", "perf:thread:cycles", "-t", "perf:thread:L1-dcache-load-misses"],
        ["add-context", "-u", "-c", "d", "-t", "perf:thread:cpu-clock", "-t", "perf:thread:raw:r0110:myctr"],
      ]
    : []),
  ["track", "-u", "--vuid", "0"],
  ["untrack", "-u", "--vgid", "-a"],
  ...extra,
];
const configureSnapshot = (name) => [
  ["create", name, "--snapshot", "-o", `@H/out/${name}`],
  ["snapshot", "del-output", "1"],
  ["snapshot", "add-output", "-n", "out", "-m", "2M", `@H/out/${name}-snap`],
  ["enable-event", "-u", "-a"],
];

// Not listed: lttng-sessiond 2.13.9 crashes listing a session with exclusions (fixed in 2.13.10); saving works.
const configureExclusions = (name) => [
  ["create", name, "-o", `@H/out/${name}`],
  ["enable-event", "-u", "e:*", "-x", "e:a,e:b", "--filter", "a == 1"],
  ["add-context", "-u", "-t", "vpid"],
];

const at = (home, steps) => steps.map((s) => s.map((a) => a.replaceAll("@H", home)));

let lttngHome;
let ttngHome;
const got = {};

before(async () => {
  if (!canRun) return;
  lttngHome = mkdtempSync(join(tmpdir(), "ttng-saveload-lttng-"));
  ttngHome = mkdtempSync(join(tmpdir(), "ttng-saveload-ttng-"));
  // lttng saves; ttng loads lttng's files.
  const lttngSaves = [
    ...configure("fromlttng"),
    ...configureSnapshot("snaplttng"),
    ...configureExclusions("exlttng"),
    ["list", "fromlttng"],
    ["list", "snaplttng"],
    ["save", "-o", `${lttngHome}/saved`],
  ];
  const a = runLttng(lttngHome, at(lttngHome, lttngSaves));
  assert.equal(a[a.length - 1].status, 0, a[a.length - 1].stderr);
  const { results: t, pid } = await runTtngDaemon(ttngHome, [
    ["load", "-i", `${lttngHome}/saved/fromlttng.lttng`],
    ["load", "-i", `${lttngHome}/saved/snaplttng.lttng`],
    ["list", "fromlttng"],
    ["list", "snaplttng"],
    ...at(ttngHome, configure("fromttng", [], false)),
    ...at(ttngHome, configureSnapshot("snapttng")),
    ...at(ttngHome, configureExclusions("exttng")),
    ["list", "fromttng"],
    ["list", "snapttng"],
    ["save", "-o", `${ttngHome}/saved`],
    ["load", "-i", `${lttngHome}/saved/exlttng.lttng`],
    ["save", "exlttng", "-o", `${ttngHome}/resaved`],
    ["save", "fromlttng", "-o", `${ttngHome}/resaved`],
    ["save", "snaplttng", "-o", `${ttngHome}/resaved`],
  ]);
  await stopDaemon(pid);
  got.lttngList = [a[a.length - 3], a[a.length - 2]];
  got.ttngResave = t.slice(-4);
  t.splice(-4);
  got.ttngLoads = t.slice(0, 2);
  got.ttngListOfLttng = [t[2], t[3]];
  got.ttngList = [t[t.length - 3], t[t.length - 2]];
  got.ttngSave = t[t.length - 1];
  // ttng saves; lttng loads ttng's files.
  const b = runLttng(lttngHome, [
    ["load", "-i", `${ttngHome}/saved/fromttng.lttng`],
    ["load", "-i", `${ttngHome}/saved/snapttng.lttng`],
    ["list", "fromttng"],
    ["list", "snapttng"],
    ["load", "-i", `${ttngHome}/saved/exttng.lttng`],
  ]);
  got.lttngLoads = b.slice(0, 2);
  got.lttngLoadEx = b[4];
  got.lttngListOfTtng = [b[2], b[3]];
});

after(() => {
  if (process.env.TTNG_KEEP) return;
  for (const h of [lttngHome, ttngHome]) if (h) rmSync(h, { recursive: true, force: true });
});

test(
  "a session saved by lttng save loads in ttng with the same channels, rules, contexts and trackers",
  { skip },
  () => {
    for (const r of got.ttngLoads) assert.equal(r.status, 0, r.stderr);
    for (let i = 0; i < 2; i++) {
      // Outputs stay where lttng put them: mask lttng's home on both sides.
      assert.equal(normalize(got.ttngListOfLttng[i].stdout, lttngHome), normalize(got.lttngList[i].stdout, lttngHome));
    }
  },
);

test("a session saved by ttng save loads in lttng and lists the same", { skip }, () => {
  assert.equal(got.ttngSave.status, 0, got.ttngSave.stderr);
  for (const r of got.lttngLoads) assert.equal(r.status, 0, `lttng load: ${r.stderr}`);
  for (let i = 0; i < 2; i++) {
    assert.equal(normalize(got.lttngListOfTtng[i].stdout, ttngHome), normalize(got.ttngList[i].stdout, ttngHome));
  }
});

/** Sorts sibling `<TAG>` blocks (lttng writes channels, rules and contexts in hash-table order). */
function sortBlocks(xml, tag) {
  return xml.replace(new RegExp(`((?:^(\\t*)<${tag}>\\n[\\s\\S]*?^\\2</${tag}>\\n)+)`, "gm"), (run) => {
    const indent = /^\t*/.exec(run)[0];
    const blocks = run.split(new RegExp(`(?=^${indent}<${tag}>\\n)`, "m"));
    return blocks.sort().join("");
  });
}

test("ttng save writes the file lttng save writes for the same configuration", { skip }, () => {
  for (const [l, t] of [
    ["fromlttng", "fromttng"],
    ["snaplttng", "snapttng"],
    ["exlttng", "exttng"],
  ]) {
    const mask = (text, home, name) =>
      ["channel", "event", "context"].reduce(
        (x, tag) => sortBlocks(x, tag),
        text.split(home).join("<HOME>").split(name).join("<NAME>"),
      );
    // Without the perf counter contexts ttng's side could not add (see `configure`).
    const lttngFile = readFileSync(join(lttngHome, "saved", `${l}.lttng`), "utf8").replace(
      /^(\t*)<context>\n\t*<perf>\n[\s\S]*?^\1<\/context>\n/gm,
      "",
    );
    const want = mask(lttngFile, lttngHome, l);
    const have = mask(readFileSync(join(ttngHome, "saved", `${t}.lttng`), "utf8"), ttngHome, t);
    assert.equal(have, want);
  }
});

test(
  "lttng's session files load in ttng and save back unchanged; ttng's file with exclusions loads in lttng",
  { skip },
  () => {
    for (const r of got.ttngResave) assert.equal(r.status, 0, r.stderr);
    // Contexts (perf counters, app contexts), exclusions, filters, trackers, snapshot outputs; lttng writes
    // channels, rules and contexts in hash-table order, so those blocks are sorted on both sides.
    const canon = (text) => ["channel", "event", "context"].reduce((x, tag) => sortBlocks(x, tag), text);
    for (const name of ["exlttng", "fromlttng", "snaplttng"]) {
      assert.equal(
        canon(readFileSync(join(ttngHome, "resaved", `${name}.lttng`), "utf8")),
        canon(readFileSync(join(lttngHome, "saved", `${name}.lttng`), "utf8")),
        name,
      );
    }
    assert.equal(got.lttngLoadEx.status, 0, got.lttngLoadEx.stderr);
  },
);
