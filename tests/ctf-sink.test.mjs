// sink.ctf.fs (`ttng convert TRACE -o ctf -w DIR`): round trips checked by the installed
// babeltrace2 2.0.4. For every CTF 1.8 trace of the corpus (1/succeed and the other 1/ sets),
// `babeltrace2 DIR` prints what babeltrace2 prints for the original (stdout, and the same
// discarded-items warnings), `ttng view DIR` prints what `ttng view TRACE` prints, and the
// output tree and "Created CTF trace" lines are babeltrace2's `-o ctf` ones (minus index/).
// Where babeltrace2 2.0.4 crashes (reading or writing), ttng's output is checked against
// babeltrace2 master's expected text. Also: generated traces (every field kind, random
// layouts, discarded events/packets), a real LTTng-UST recording, parameters and errors.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, test } from "node:test";
import { corpus, hasCorpus, haveTool, root, run, skipReason, ttng } from "./helpers.mjs";
import { createRng, kitchenSink, randomEvents, randomTraceDescription, writeTrace } from "./lib/ctf-gen.mjs";

const bt = haveTool("babeltrace2");
const skipBt = bt ? false : skipReason("babeltrace2");
const skipCorpus = hasCorpus ? (bt ? false : skipReason("babeltrace2")) : skipReason("../shared/conformance");
const tmp = mkdtempSync(join(tmpdir(), "ttng-ctf-sink-"));
after(() => {
  if (!process.env.TTNG_KEEP) rmSync(tmp, { recursive: true, force: true });
});

/** Files and directories below `dir` (relative, sorted), without index/ (babeltrace2 2.0.4 writes none). */
function tree(dir) {
  const out = [];
  const walk = (d) => {
    for (const n of readdirSync(d).sort()) {
      if (n === "index") continue;
      const p = join(d, n);
      out.push(relative(dir, p));
      if (statSync(p).isDirectory()) walk(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** Discarded-items warnings with what differs between an original and its copy made neutral (UUID, trace name, stream path). */
function warnings(stderr) {
  return stderr
    .split("\n")
    .filter((l) => l.startsWith("WARNING:"))
    .map((l) =>
      l
        // sink.ctf.fs gives every trace a new UUID (CTF 1.8 packet headers carry one), as babeltrace2 does.
        .replace(/\(UU?ID: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\)|\(no UU?ID\)/g, "(UUID)")
        .replace(/in trace "[^"]*"/, 'in trace "T"')
        .replace(/within stream "(?:[^"]*\/)?([^"/]*)"/, 'within stream "$1"'),
    )
    .join("\n");
}

function readCorpusOutput(version, set, name) {
  const base = join(corpus, "pretty", version, `1_${set}_${name}`);
  if (!existsSync(`${base}.rc`)) return undefined;
  return {
    status: Number(readFileSync(`${base}.rc`, "utf8").trim()),
    stdout: readFileSync(`${base}.out`, "latin1"),
    stderr: readFileSync(`${base}.err`, "latin1").replaceAll("@CORPUS@", corpus),
  };
}

const SETS = ["succeed", "intersection", "packet-seq-num", "deterministic-ordering", "fail"];
// From fail/, only the trace whose valid events come before the failure: the others have nothing to write.
const FAIL_KEPT = new Set(["valid-events-then-invalid-events"]);
const cases = [];
if (!skipCorpus) {
  for (const set of SETS) {
    const d = join(corpus, "ctf-traces/1", set);
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d).sort()) {
      if (!statSync(join(d, name)).isDirectory()) continue;
      if (set === "fail" && !FAIL_KEPT.has(name)) continue;
      cases.push({ set, name, path: join(d, name) });
    }
  }
}

/** Where babeltrace2 2.0.4's `-o ctf` crashed on a corpus trace (filled by the loop below, checked after it). */
const btCrashes = new Map();

for (const c of cases) {
  test(`-o ctf round trip of 1/${c.set}/${c.name}: babeltrace2 and ttng read back what they read`, () => {
    const out = join(tmp, "corpus", c.set, c.name);
    const got = ttng(["convert", c.path, "-o", "ctf", "-w", out]);
    const viewOrig = ttng(["view", c.path]);
    // ttng fails converting exactly where it fails reading; what it read before is written.
    assert.equal(got.status, viewOrig.status, got.stderr);

    // babeltrace2's own -o ctf on the same input: same tree, same "Created" lines (unless it crashes).
    const btOut = join(tmp, "bt", c.set, c.name);
    const ref = run("babeltrace2", [c.path, "-o", "ctf", "-w", btOut]);
    if (ref.status === null || ref.status > 1) btCrashes.set(`${c.set}/${c.name}`, ref.status);
    else if (ref.status === 0) {
      assert.deepEqual(tree(out), tree(btOut));
      assert.equal(got.stdout, ref.stdout.replaceAll(btOut, out));
    }

    // babeltrace2 reads ttng's output as it reads the original (2.0.4's, or master's where 2.0.4 crashes).
    const orig = readCorpusOutput("bt-2.0.4", c.set, c.name) ?? run("babeltrace2", [c.path]);
    const master = readCorpusOutput("bt-2.2-master", c.set, c.name);
    const expected = orig.status <= 1 ? orig : master;
    const back = tree(out).length === 0 ? undefined : run("babeltrace2", [out]);
    if (expected && expected.stdout !== "") {
      assert.ok(back, "a trace was written");
      assert.equal(back.stdout, expected.stdout);
      if (expected.status === 0) {
        assert.equal(back.status, 0, back.stderr);
        assert.equal(warnings(back.stderr), warnings(expected.stderr));
      }
    } else if (back) assert.equal(back.stdout, "");

    // ttng reads back what it wrote.
    if (back) {
      const view = ttng(["view", out]);
      assert.equal(view.stdout, viewOrig.stdout);
      assert.equal(warnings(view.stderr), warnings(viewOrig.stderr));
    }
  });
}

// CTF 2 in, CTF 1.8 out: babeltrace2 2.0.4 (which cannot read CTF 2) reads the copy of each
// 2/succeed trace as it reads the CTF 1.8 original 1/succeed trace of the same name.
const ctf2Cases = [];
if (!skipCorpus && existsSync(join(corpus, "ctf-traces/2/succeed"))) {
  for (const name of readdirSync(join(corpus, "ctf-traces/2/succeed")).sort()) {
    const ref = readCorpusOutput("bt-2.0.4", "succeed", name);
    if (ref && statSync(join(corpus, "ctf-traces/2/succeed", name)).isDirectory()) ctf2Cases.push(name);
  }
}

test(
  `CTF 2 to CTF 1.8: babeltrace2 2.0.4 reads the copies of ${ctf2Cases.length} 2/succeed traces as their 1/ originals`,
  {
    skip: skipCorpus,
  },
  () => {
    for (const name of ctf2Cases) {
      const out = join(tmp, "ctf2", name);
      const got = ttng(["convert", join(corpus, "ctf-traces/2/succeed", name), "-o", "ctf", "-w", out]);
      assert.equal(got.status, 0, `${name}: ${got.stderr}`);
      const orig = readCorpusOutput("bt-2.0.4", "succeed", name);
      const expected = orig.status === 0 ? orig : readCorpusOutput("bt-2.2-master", "succeed", name);
      if (expected.stdout === "") continue;
      const back = run("babeltrace2", [out]);
      assert.equal(back.stdout, expected.stdout, name);
    }
  },
);

test(
  "babeltrace2 2.0.4 crashes on some corpus traces where ttng writes correct CTF (checked above)",
  {
    skip: skipCorpus,
  },
  () => {
    // 2.0.4 dies reading def-clk-freq (SIGFPE) and meta-ctx-sequence (abort), and segfaults
    // writing valid-events-then-invalid-events; the round-trip tests above checked ttng's output.
    for (const k of ["succeed/def-clk-freq", "fail/valid-events-then-invalid-events"]) {
      assert.ok(btCrashes.has(k), `babeltrace2 -o ctf crashed on ${k}: ${[...btCrashes.keys()].join(", ")}`);
    }
  },
);

function roundTrip(trace, label) {
  const out = join(tmp, "gen", label);
  const got = ttng(["convert", trace, "-o", "ctf", "-w", out]);
  assert.equal(got.status, 0, got.stderr);
  const ref = run("babeltrace2", [trace]);
  const back = run("babeltrace2", [out]);
  assert.equal(back.status, ref.status, back.stderr);
  assert.equal(back.stdout, ref.stdout);
  assert.equal(warnings(back.stderr), warnings(ref.stderr));
  const v1 = ttng(["view", trace]);
  const v2 = ttng(["view", out]);
  assert.equal(v2.stdout, v1.stdout);
  return out;
}

test(
  "-o ctf round trip of kitchen-sink traces (every field kind, both byte orders, bit-packed fields)",
  {
    skip: skipBt,
  },
  () => {
    for (const byteOrder of ["le", "be"]) {
      const trace = join(tmp, `ks-${byteOrder}`);
      const { description, events } = kitchenSink({ byteOrder });
      writeTrace(trace, description, events);
      roundTrip(trace, `ks-${byteOrder}`);
    }
  },
);

test(
  "-o ctf round trip of random traces with discarded events, lost packets and packet breaks",
  {
    skip: skipBt,
  },
  () => {
    const seeds = Number(process.env.TTNG_CTF_SINK_SEEDS ?? 8);
    for (let seed = 1; seed <= seeds; seed++) {
      const rng = createRng(seed * 7919);
      const description = randomTraceDescription(rng);
      const events = randomEvents(rng, description, 60, {
        discardChance: 0.05,
        seqGapChance: 0.03,
        packetBreakChance: 0.1,
      });
      const trace = join(tmp, `rnd-${seed}`);
      writeTrace(trace, description, events);
      try {
        roundTrip(trace, `rnd-${seed}`);
      } catch (e) {
        e.message = `seed ${seed * 7919}: ${e.message}`;
        throw e;
      }
    }
  },
);

test(
  "index files: one per stream with timestamped packets, each entry where its packet is",
  {
    skip: skipCorpus,
  },
  async () => {
    const { parseIndexFile } = await import("../packages/ctf/dist/index.js");
    const out = join(tmp, "corpus", "succeed", "trace-with-index");
    if (!existsSync(out))
      assert.equal(
        ttng(["convert", join(corpus, "ctf-traces/1/succeed/trace-with-index"), "-o", "ctf", "-w", out]).status,
        0,
      );
    const [traceDir] = readdirSync(out);
    const dir = join(out, traceDir);
    const streams = readdirSync(dir).filter((n) => n !== "metadata" && n !== "index");
    assert.ok(streams.length > 0);
    for (const s of streams) {
      const data = readFileSync(join(dir, s));
      const entries = parseIndexFile(readFileSync(join(dir, "index", `${s}.idx`)));
      let at = 0;
      entries.forEach((e, i) => {
        assert.equal(e.offsetBytes, at);
        assert.equal(data.readUInt32LE(at), 0xc1fc1fc1, "packet magic at the indexed offset");
        assert.equal(Number(data.readBigUInt64LE(at + 36)), e.packetSizeBits, "packet_size");
        assert.equal(Number(data.readBigUInt64LE(at + 44)), e.contentSizeBits, "content_size");
        assert.ok(e.tsEnd >= e.tsBegin);
        assert.equal(e.packetSeqNum, i);
        at += e.packetSizeBits / 8;
      });
      assert.equal(at, data.length, "the index covers the whole stream file");
    }
  },
);

test(
  "an existing output trace directory gets a -N suffix; assume-single-trace writes in `path` itself",
  {
    skip: skipCorpus,
  },
  () => {
    const src = join(corpus, "ctf-traces/1/succeed/succeed1");
    const out = join(tmp, "suffix");
    for (const expected of ["trace", "trace-0", "trace-1"]) {
      const r = ttng(["convert", src, "-o", "ctf", "-w", out]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `Created CTF trace \`${out}/${expected}\`.\n`);
    }
    const single = join(tmp, "single");
    const r = ttng([
      "run",
      "-c",
      `src:source.ctf.fs`,
      "-p",
      `inputs=["${src}"]`,
      "-c",
      "sink:sink.ctf.fs",
      "-p",
      `path="${single}",assume-single-trace=yes,quiet=yes`,
      "-x",
      "src:sink",
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.ok(existsSync(join(single, "metadata")));
    const again = ttng([
      "run",
      "-c",
      `src:source.ctf.fs`,
      "-p",
      `inputs=["${src}"]`,
      "-c",
      "sink:sink.ctf.fs",
      "-p",
      `path="${single}",assume-single-trace=yes`,
      "-x",
      "src:sink",
    ]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /Single trace mode, but output path exists/);
    assert.doesNotMatch(again.stderr, /\n\s+at /, "no JS stack");
  },
);

test(
  "-o ctf errors: no -w, an option that implies text, an unwritable directory, bad parameters",
  {
    skip: skipCorpus,
  },
  () => {
    const src = join(corpus, "ctf-traces/1/succeed/succeed1");
    const noW = ttng(["convert", src, "-o", "ctf"]);
    assert.equal(noW.status, 2);
    assert.match(noW.stderr, /--output-format=ctf specified without --output/);
    const ambiguous = ttng(["convert", src, "-o", "ctf", "-w", join(tmp, "amb"), "--names=all"]);
    assert.equal(ambiguous.status, 2);
    assert.match(ambiguous.stderr, /Ambiguous --output option/);
    // Unwritable: a path below a regular file (root ignores permission bits, not this).
    const file = join(tmp, "a-file");
    writeFileSync(file, "x");
    const bad = ttng(["convert", src, "-o", "ctf", "-w", join(file, "out")]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /Cannot create directories for output directory/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, "no JS stack");
    if (process.getuid?.() !== 0) {
      const ro = join(tmp, "ro");
      mkdirSync(ro);
      chmodSync(ro, 0o555);
      const r = ttng(["convert", src, "-o", "ctf", "-w", join(ro, "x")]);
      assert.equal(r.status, 1);
    }
    const noPath = ttng([
      "run",
      "-c",
      `src:source.ctf.fs`,
      "-p",
      `inputs=["${src}"]`,
      "-c",
      "sink:sink.ctf.fs",
      "-x",
      "src:sink",
    ]);
    assert.equal(noPath.status, 1);
    assert.match(noPath.stderr, /missing mandatory entry `path`/);
    const badType = ttng([
      "run",
      "-c",
      `src:source.ctf.fs`,
      "-p",
      `inputs=["${src}"]`,
      "-c",
      "sink:sink.ctf.fs",
      "-p",
      "path=23",
      "-x",
      "src:sink",
    ]);
    assert.equal(badType.status, 1);
    assert.match(badType.stderr, /expected-type=STRING, actual-type=SIGNED_INTEGER/);
  },
);

test("a trimmed copy (-b/-e with -o ctf) reads back as babeltrace2's trimmed view", { skip: skipCorpus }, () => {
  const src = join(corpus, "ctf-traces/1/succeed/wk-heartbeat-u");
  const out = join(tmp, "trimmed");
  const range = ["-b", "17:48:17.587", "-e", "17:48:17.590"];
  const got = ttng(["convert", src, ...range, "-o", "ctf", "-w", out]);
  assert.equal(got.status, 0, got.stderr);
  const ref = run("babeltrace2", [src, ...range]);
  const back = run("babeltrace2", [out]);
  assert.equal(back.status, 0, back.stderr);
  assert.ok(ref.stdout.length > 0);
  assert.equal(back.stdout, ref.stdout);
});

test("--run-args of -o ctf: babeltrace2's component name and `path` parameter", { skip: skipCorpus }, () => {
  const src = join(corpus, "ctf-traces/1/succeed/succeed1");
  const out = join(tmp, "runargs");
  const ref = run("babeltrace2", [src, "-o", "ctf", "-w", out, "--run-args"]);
  const got = ttng(["convert", src, "-o", "ctf", "-w", out, "--run-args"]);
  assert.equal(got.status, 0, got.stderr);
  assert.equal(got.stdout.trim(), ref.stdout.trim());
});

test("ignore-discarded-events: the counters are not written, so readers warn of nothing", { skip: skipCorpus }, () => {
  const src = join(corpus, "ctf-traces/1/packet-seq-num/2-lost-before-last");
  const out = join(tmp, "ignore");
  const r = ttng([
    "run",
    "-c",
    `src:source.ctf.fs`,
    "-p",
    `inputs=["${src}"]`,
    "-c",
    "sink:sink.ctf.fs",
    "-p",
    `path="${out}",ignore-discarded-packets=yes`,
    "-x",
    "src:sink",
  ]);
  assert.equal(r.status, 0, r.stderr);
  const back = run("babeltrace2", [out]);
  assert.equal(back.status, 0, back.stderr);
  assert.doesNotMatch(back.stderr, /discarded/);
  assert.equal(back.stdout, run("babeltrace2", [src]).stdout);
});

// A real LTTng-UST 2.13 trace (per-UID buffers, small sub-buffers so some events are discarded),
// recorded in a private mount namespace like tests/lttng-real.test.mjs does.
const lttngTools = ["lttng", "lttng-sessiond", "babeltrace2", "gcc", "unshare"];
const lttngMissing = lttngTools.filter((t) => !haveTool(t));
const skipLttng =
  lttngMissing.length === 0 && process.getuid?.() === 0
    ? false
    : skipReason(lttngMissing.length > 0 ? lttngMissing.join(", ") : "root (private mount namespace)");

test("-o ctf round trip of a real LTTng-UST trace keeps LTTng's output path layout", { skip: skipLttng }, () => {
  const dir = join(tmp, "lttng");
  mkdirSync(dir);
  cpSync(join(root, "tests/lttng/tp.h"), join(dir, "tp.h"));
  cpSync(join(root, "tests/lttng/app.c"), join(dir, "app.c"));
  const cc = spawnSync(
    "gcc",
    ["-O1", "-I", dir, "-o", join(dir, "app"), join(dir, "app.c"), "-llttng-ust", "-ldl", "-lpthread"],
    {
      encoding: "utf8",
    },
  );
  assert.equal(cc.status, 0, cc.stderr);
  const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  const trace = join(dir, "trace");
  const script = `set -u
mkdir -p /var/run/lttng
mount -t tmpfs none /var/run/lttng || exit 90
mount -t tmpfs none /dev/shm || exit 91
export HOME=${q(dir)} LTTNG_HOME=${q(dir)}
lttng-sessiond --daemonize --no-kernel >${q(dir)}/sessiond.log 2>&1 || exit 92
L() { lttng "$@" >>${q(dir)}/lttng.log 2>&1; }
L create s --output=${q(trace)}
L enable-channel -u -s s --subbuf-size=4096 --num-subbuf=2 c
L enable-event -u -s s -c c 'ttng_real:*'
L add-context -u -s s -c c -t vpid -t procname
L start s
${q(join(dir, "app"))} 200
L destroy -a
kill $(cat /var/run/lttng/lttng-sessiond.pid) 2>/dev/null
exit 0
`;
  writeFileSync(join(dir, "script.sh"), script);
  const rec = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", join(dir, "script.sh")], {
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(rec.status, 0, `lttng script failed: ${rec.stderr}`);
  const out = roundTrip(trace, "lttng");
  // LTTng 2.11+ layout: HOST/SESSION-DATETIME/ust/uid/UID/64-bit, as babeltrace2 builds it.
  const btOut = join(tmp, "lttng-bt");
  const ref = run("babeltrace2", [trace, "-o", "ctf", "-w", btOut]);
  assert.equal(ref.status, 0, ref.stderr);
  assert.deepEqual(tree(out), tree(btOut));
  assert.ok(
    tree(out).some((p) => /\/ust\/uid\/\d+\/64-bit$/.test(p)),
    tree(out).join("\n"),
  );
  const listing = tree(out);
  assert.ok(listing.length > 0);
  const ust = listing.find((p) => p.endsWith("64-bit"));
  assert.ok(readdirSync(join(out, ust, "index")).length > 0, "index files written");
});

const skipFull =
  haveTool("unshare") && process.getuid?.() === 0 ? false : skipReason("root and unshare (a private tmpfs)");

test(
  "a full disk (256 KiB tmpfs) is a typed I/O error naming the file, with no JS stack",
  { skip: skipFull },
  async () => {
    const { writeBenchTrace } = await import("./lib/ctf-gen.mjs");
    const trace = join(tmp, "full-src");
    writeBenchTrace(trace, { events: 20000, streams: 2, seed: 3 });
    const mnt = join(tmp, "full-mnt");
    mkdirSync(mnt);
    const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
    const script = `mount -t tmpfs -o size=256k none ${q(mnt)} || exit 90
${q(process.execPath)} ${q(join(root, "packages/cli/dist/bin/ttng.js"))} convert ${q(trace)} -o ctf -w ${q(join(mnt, "out"))}`;
    const r = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", "-c", script], { encoding: "utf8" });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /Failed to handle message: generated CTF traces could be incomplete/);
    assert.match(r.stderr, /CAUSED BY \[sink\.ctf\.fs\]\n {2}Cannot write file: path="[^"]+\/chan_\d"/);
    assert.match(r.stderr, /ENOSPC/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no JS stack");
  },
);
