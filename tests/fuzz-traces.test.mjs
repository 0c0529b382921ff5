// Mutation fuzzing of the CTF 1.8 reader: valid traces (the generator's and, when present, copies of
// Babeltrace's corpus) get bit flips, byte overwrites, truncations, TSDL token edits, huge numbers,
// deep nesting and huge array lengths (tests/lib/trace-fuzz.mjs). Reading one must end with events
// or with a typed error (`TtngError` all along the cause chain) that names the trace; never a plain
// JS error, a hang or unbounded memory. Most cases run in-process through the graph API, in a
// worker with a heap limit and a per-case watchdog; a smaller number run through `ttng view`
// (exit status, `ERROR:`/`CAUSED BY` shape, no stack, `--max-old-space-size`).
//
// TTNG_FUZZ_CASES=N runs N in-process cases (and N/30 CLI cases); TTNG_FUZZ_SEED=S changes the
// seed; TTNG_FUZZ_ONLY=i,j reruns given cases. A failing case's directory is kept and printed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Worker } from "node:worker_threads";
import { corpus, root, ttngBin } from "./helpers.mjs";
import { ft, writeTrace } from "./lib/ctf-gen.mjs";
import { makeCase, writeBaseTraces } from "./lib/trace-fuzz.mjs";

const SEED = Number(process.env.TTNG_FUZZ_SEED ?? 0x7ace);
const CASES = Number(process.env.TTNG_FUZZ_CASES ?? 1500);
const CLI_CASES = Number(process.env.TTNG_FUZZ_CLI_CASES ?? Math.max(24, Math.round(CASES / 30)));
const ONLY = process.env.TTNG_FUZZ_ONLY?.split(",").map(Number);
const CASE_TIMEOUT_MS = 10_000;
const CLI_TIMEOUT_MS = 20_000;
const HEAP_MB = 256;

let work;
let bases;
let failed = false;

before(() => {
  work = mkdtempSync(join(tmpdir(), "ttng-fuzz-"));
  bases = writeBaseTraces(join(work, "bases"), join(corpus, "ctf-traces/1/succeed"));
  mkdirSync(join(work, "cases"));
});

after(() => {
  if (failed) console.log(`fuzz-traces: failing cases kept under ${work} (seed ${SEED})`);
  else rmSync(work, { recursive: true, force: true });
});

function describe(c) {
  return `case ${c.index} (TTNG_FUZZ_SEED=${SEED} TTNG_FUZZ_ONLY=${c.index}) base=${c.base}\n  mutations: ${c.mutations?.join(" | ")}`;
}

function report(failures) {
  if (failures.length === 0) return;
  failed = true;
  appendFileSync(join(work, "failures.txt"), `${failures.join("\n\n")}\n\n`);
  for (const f of failures.slice(0, 20)) console.log(`FAIL ${f}`);
  if (failures.length > 20) console.log(`... ${failures.length - 20} more in ${join(work, "failures.txt")}`);
}

/** Runs `indices` in a worker; restarts it after a timeout or an out-of-memory death. */
async function runInWorker(indices) {
  const failures = [];
  const stats = { cases: 0, ok: 0, errors: 0, maxMs: 0 };
  const queue = [...indices];
  while (queue.length > 0) {
    await new Promise((resolve) => {
      const w = new Worker(new URL("./lib/trace-fuzz.mjs", import.meta.url), {
        workerData: { role: "fuzz-traces", root, seed: SEED, bases, work: join(work, "cases") },
        resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 32, stackSizeMb: 1 },
        stdout: true,
        stderr: true,
      });
      let current;
      let timer;
      let dead = false;
      const next = () => {
        const index = queue.shift();
        if (index === undefined) {
          void w.terminate();
          return;
        }
        current = { index };
        w.postMessage({ index });
      };
      w.on("message", (m) => {
        if (m.type === "ready") next();
        else if (m.type === "start") {
          Object.assign(current, m);
          timer = setTimeout(() => {
            dead = true;
            failures.push(`${describe(current)}\n  hang: no result after ${CASE_TIMEOUT_MS} ms`);
            void w.terminate();
          }, CASE_TIMEOUT_MS);
        } else if (m.type === "done") {
          clearTimeout(timer);
          stats.cases++;
          stats.maxMs = Math.max(stats.maxMs, m.ms);
          if (m.ok) stats.ok++;
          else {
            stats.errors++;
            if (!m.typed) failures.push(`${describe(current)}\n  untyped error:\n    ${m.chain.join("\n    ")}`);
            else if (!m.namesTrace)
              failures.push(`${describe(current)}\n  error does not name the trace:\n    ${m.chain.join("\n    ")}`);
          }
          next();
        }
      });
      w.on("error", (e) => {
        clearTimeout(timer);
        if (!dead && current) failures.push(`${describe(current)}\n  worker died: ${e.code ?? ""} ${e.message}`);
        dead = true;
      });
      w.on("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  return { failures, stats };
}

test("source.ctf.fs reads mutated traces to the end or fails with a typed error naming the trace", async () => {
  const indices = ONLY ?? Array.from({ length: CASES }, (_, i) => i);
  const t0 = performance.now();
  const { failures, stats } = await runInWorker(indices);
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `fuzz-traces: ${stats.cases} in-process cases in ${s} s (${stats.ok} read, ${stats.errors} typed errors, slowest ${stats.maxMs.toFixed(0)} ms), ${bases.length} base traces`,
  );
  report(failures);
  assert.equal(failures.length, 0, `${failures.length} failing in-process cases (listed above)`);
});

const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;
const JS_ERRORS =
  /Maximum call stack|Invalid array length|outside the bounds|Cannot read propert|is not a function|is not iterable|Cannot convert|Invalid typed array length|Invalid string length|out of memory/i;

test("ttng view on mutated traces exits 0, or 1 with an ERROR: cause chain and no stack", () => {
  const indices = ONLY ?? Array.from({ length: CLI_CASES }, (_, i) => 1_000_000 + i);
  const failures = [];
  let ok = 0;
  const t0 = performance.now();
  for (const index of indices) {
    const dir = join(work, "cases", `cli-${index}`);
    const c = { index, ...makeCase(bases, SEED, index, dir) };
    const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, ttngBin, "view", dir], {
      encoding: "latin1",
      timeout: CLI_TIMEOUT_MS,
      maxBuffer: 1 << 28,
      env: { ...process.env, TZ: "UTC" },
    });
    const problems = [];
    if (r.error?.code === "ETIMEDOUT" || r.signal) problems.push(`killed (${r.error?.code ?? r.signal})`);
    else if (r.status !== 0 && r.status !== 1) problems.push(`exit status ${r.status}`);
    if (STACK_LINE.test(r.stderr)) problems.push("stderr has a JS stack");
    if (JS_ERRORS.test(r.stderr)) problems.push("stderr has a raw JS error message");
    if (r.status === 1) {
      if (!/^ERROR: {4}\[/m.test(r.stderr)) problems.push("no `ERROR:` line");
      if (!r.stderr.includes(dir)) problems.push("the cause chain does not name the trace");
    }
    if (r.status === 0) ok++;
    if (problems.length > 0)
      failures.push(`${describe(c)}\n  ${problems.join("; ")}\n  stderr: ${r.stderr.slice(0, 2000)}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`fuzz-traces: ${indices.length} CLI cases in ${s} s (${ok} exit 0)`);
  report(failures);
  assert.equal(failures.length, 0, `${failures.length} failing CLI cases (listed above)`);
});

// What the fuzzer found once, kept whatever the seed: each trace must give exit 1 with this cause.
function regressionTrace(name, payload, events, editMetadata) {
  const dir = join(work, "regressions", name);
  const description = {
    byteOrder: "le",
    clocks: [{ name: "monotonic", freq: 1e9 }],
    streamClasses: [{ id: 0, eventHeader: "none" }],
    eventClasses: [{ id: 0, name: "ev", payload }],
    streams: [{ name: "s", streamClassId: 0 }],
  };
  writeTrace(dir, description, { s: events });
  const md = join(dir, "metadata");
  writeFileSync(md, editMetadata(readFileSync(md, "latin1")), "latin1");
  return dir;
}

const REGRESSIONS = [
  {
    name: "unary-signs",
    // 100000 unary minus signs: the parser recursed once per sign (stack overflow).
    make: () =>
      regressionTrace("unary-signs", [["a", ft.uint(8)]], [{ name: "ev", fields: { a: 1 } }], (t) =>
        t.replace("id = 0;\n\tstream_id", `id = ${"-".repeat(100_000)}0;\n\tstream_id`),
      ),
    status: 0,
  },
  {
    name: "huge-array-of-structs",
    // new Array(2^64 - 1) threw a RangeError: lengths were checked for scalar elements only.
    make: () =>
      regressionTrace("huge-array-of-structs", [["a", ft.uint(8)]], [{ name: "ev", fields: { a: 1 } }], (t) =>
        t.replace(/integer \{[^}]*\} a;/, "struct { integer { size = 8; } x; } a[18446744073709551615];"),
      ),
    status: 1,
    cause: /Cannot decode array field: (invalid length|not enough data)/,
  },
  {
    name: "zero-bit-elements",
    // A 32-bit length far beyond the data, of elements that take no bits: 33 million empty arrays.
    make: () =>
      regressionTrace(
        "zero-bit-elements",
        [
          ["n", ft.uint(8)],
          ["s", ft.sequence(ft.uint(8), "n")],
        ],
        [{ name: "ev", fields: { s: Array.from({ length: 200 }, (_, i) => i) } }],
        (t) =>
          t
            .replace("{ size = 8; align = 8; signed = false; } n;", "{ size = 32; align = 8; signed = false; } n;")
            .replace(/integer \{[^}]*\} s\[n\];/, "struct { } s[n];"),
      ),
    status: 1,
    cause: /invalid length: length=33620168/,
  },
  {
    name: "zero-bit-event",
    // No event header and an empty payload: the iterator produced events forever (hang, unbounded output).
    make: () =>
      regressionTrace("zero-bit-event", [["a", ft.uint(8)]], [{ name: "ev", fields: { a: 1 } }], (t) =>
        t.replace(/integer \{[^}]*\} a;/, ""),
      ),
    status: 1,
    cause: /Event record takes no bits/,
  },
  {
    name: "alias-chain",
    // 5000 chained type aliases, each a structure around the previous: quadratic copies, out of memory.
    make: () =>
      regressionTrace("alias-chain", [["a", ft.uint(8)]], [{ name: "ev", fields: { a: 1 } }], (t) => {
        let chain = "typealias integer { size = 8; align = 8; signed = false; } := fz0;\n";
        for (let k = 1; k <= 5000; k++) chain += `typealias struct { fz${k - 1} a; } := fz${k};\n`;
        const e = t.indexOf("event {");
        return t.slice(0, e) + chain + t.slice(e).replace(/integer \{[^}]*\} a;/, "fz5000 a;");
      }),
    status: 1,
    cause: /At line \d+ in metadata stream: Field class nesting is too deep/,
  },
];

test("ttng view on traces the fuzzer once broke", () => {
  for (const r of REGRESSIONS) {
    const dir = r.make();
    const res = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, ttngBin, "view", dir], {
      encoding: "latin1",
      timeout: CLI_TIMEOUT_MS,
      maxBuffer: 1 << 24,
    });
    assert.equal(res.error, undefined, `${r.name}: ${res.error}`);
    assert.equal(res.status, r.status, `${r.name}: exit status ${res.status}\n${res.stderr}`);
    assert.doesNotMatch(res.stderr, STACK_LINE, r.name);
    if (r.status === 1) {
      assert.match(res.stderr, /^ERROR: {4}\[/m, r.name);
      assert.match(res.stderr, r.cause, `${r.name}:\n${res.stderr}`);
      assert.ok(res.stderr.includes(dir), `${r.name}: the cause chain names the trace\n${res.stderr}`);
    }
  }
});
