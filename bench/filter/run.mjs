#!/usr/bin/env node
/**
 * Filter benchmark: ns/event of three rejecting filters, for ttng's compiled
 * evaluator and for LTTng-UST 2.13's bytecode interpreter, measured in the
 * same run on this machine.
 *
 * ttng: `compileFilter(parseFilterExpression(text), layout)` called once per
 * event on a payload array whose slots change every event, in its own node
 * process per filter (as each LTTng-UST run is its own process), minus the
 * same loop with an evaluator that returns false at once.
 *
 * LTTng-UST: bench/filter/filter-bench.c (built here with liblttng-ust-dev)
 * times N tracepoint calls with the event enabled under the filter (which
 * rejects every call, so nothing is written to the ring buffer), minus the
 * same calls with the tracepoint disabled: what remains is the probe plus the
 * interpreter. It runs against a private lttng-sessiond (as root: in a private
 * mount namespace with its own /var/run/lttng and /dev/shm; otherwise under
 * a private LTTNG_HOME).
 *
 * usage: npm run bench -- filter [--events N] [--rounds R] [--ttng-only]
 * Not a test: it never fails on numbers. Missing LTTng tools are reported and
 * only ttng's figures are printed (exit 0).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const here = new URL(".", import.meta.url).pathname;

const FILTERS = ["v < 0", "(arr[2] & 0xF) == 0x3", 'name == "a*b*c"'];
/** Never matches `a*b*c`, yet the glob has to scan it: it holds an `a` and a `b`. */
const NAME = "alpha beta gamma";

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number.parseInt(process.argv[i + 1] ?? "", 10);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`bench filter: ${name} needs a positive integer`);
    process.exit(2);
  }
  return n;
}

const EVENTS = option("--events", 5_000_000);
const ROUNDS = option("--rounds", 5);

// --- ttng ------------------------------------------------------------------

async function loadFilter() {
  try {
    return await import("@ttng/filter");
  } catch (e) {
    console.error(`bench filter: cannot load @ttng/filter (${e.message}); build it first: npx tsc -b packages/filter`);
    process.exit(1);
  }
}

const LAYOUT = {
  payload: (name) =>
    name === "v"
      ? { index: 0, type: { kind: "integer", signed: true } }
      : name === "arr"
        ? { index: 1, type: { kind: "array", length: 4, element: { signed: false }, text: false } }
        : name === "name"
          ? { index: 2, type: { kind: "string" } }
          : undefined,
};

const ARR = [1, 2, 4, 8];
const PAYLOAD = [0, ARR, NAME];

/** One round of `n` events; a function of its own so that it is optimized as a whole, not only by OSR. */
function round(evaluate, n) {
  let accepted = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    // The same values filter-bench.c passes: every event is rejected.
    PAYLOAD[0] = i & 0x7fff;
    ARR[2] = ((i & 0xf) << 4) | 4;
    if (evaluate(PAYLOAD)) accepted++;
  }
  const perEvent = Number(process.hrtime.bigint() - t0) / n;
  if (accepted !== 0) throw new Error(`the filter accepted ${accepted} events; it must reject them all`);
  return perEvent;
}

/** Best ns/event over ROUNDS rounds of EVENTS events, after a warm-up of the JIT. */
function timeEvaluator(evaluate) {
  for (let k = 0; k < 50; k++) round(evaluate, 20_000);
  round(evaluate, EVENTS);
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) best = Math.min(best, round(evaluate, EVENTS));
  return best;
}

/** Child mode: time one evaluator (index into FILTERS, or -1 for the empty loop) in a fresh isolate. */
async function ttngChild(k) {
  const { compileFilter, parseFilterExpression } = await loadFilter();
  const evaluate = k < 0 ? () => false : compileFilter(parseFilterExpression(FILTERS[k]), LAYOUT);
  process.stdout.write(`${timeEvaluator(evaluate)}\n`);
}

function ttngMeasure(k) {
  const r = spawnSync(
    process.execPath,
    [
      new URL(import.meta.url).pathname,
      "--ttng-child",
      String(k),
      "--events",
      String(EVENTS),
      "--rounds",
      String(ROUNDS),
    ],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`ttng measurement ${k} failed: ${r.stderr}`);
  return Number.parseFloat(r.stdout);
}

// --- LTTng-UST -------------------------------------------------------------

function have(tool) {
  return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

function shq(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** What is missing to measure LTTng-UST here (empty when nothing is). */
function lttngMissing() {
  const asRoot = process.getuid?.() === 0;
  const tools = ["lttng", "lttng-sessiond", "gcc", ...(asRoot ? ["unshare"] : [])];
  return tools.filter((t) => !have(t));
}

/**
 * Builds filter-bench.c and runs it: disabled, then once per filter, then
 * disabled again. Returns ns/call figures, or a string saying what went wrong.
 */
function lttngMeasure() {
  const dir = mkdtempSync(join(tmpdir(), "ttng-bench-filter-"));
  try {
    copyFileSync(join(here, "tp.h"), join(dir, "tp.h"));
    copyFileSync(join(here, "filter-bench.c"), join(dir, "filter-bench.c"));
    const app = join(dir, "filter-bench");
    const cc = spawnSync("gcc", ["-O2", "-I", dir, "-o", app, join(dir, "filter-bench.c"), "-llttng-ust", "-ldl"], {
      encoding: "utf8",
    });
    if (cc.status !== 0) {
      return `cannot build filter-bench.c (is liblttng-ust-dev installed?):\n${cc.stderr.trim()}`;
    }
    const asRoot = process.getuid?.() === 0;
    const out = join(dir, "out");
    mkdirSync(out);
    const runApp = (file) => `${shq(app)} ${EVENTS} ${ROUNDS} ${shq(NAME)} >${shq(join(out, file))} 2>&1`;
    const lines = [
      "set -u",
      ...(asRoot
        ? [
            // As root, lttng-sessiond always uses /var/run/lttng: give it a private one.
            "mkdir -p /var/run/lttng",
            "mount -t tmpfs none /var/run/lttng || exit 90",
            "mount -t tmpfs none /dev/shm || exit 91",
          ]
        : []),
      `export HOME=${shq(dir)} LTTNG_HOME=${shq(dir)}`,
      `lttng-sessiond --daemonize --no-kernel >${shq(join(dir, "sessiond.log"))} 2>&1 || exit 92`,
      `SESSIOND_PID=$(cat /var/run/lttng/lttng-sessiond.pid ${shq(join(dir, ".lttng", "lttng-sessiond.pid"))} 2>/dev/null | head -1)`,
      runApp("disabled-0"),
    ];
    FILTERS.forEach((filter, k) => {
      lines.push(
        `lttng create b${k} --output=${shq(join(dir, "traces", String(k)))} >/dev/null`,
        `lttng enable-channel -u -s b${k} c >/dev/null`,
        `lttng enable-event -u -s b${k} -c c ttng_bench:ev --filter ${shq(filter)} >${shq(join(out, `enable-${k}`))} 2>&1 || echo failed >>${shq(join(out, `enable-${k}`))}`,
        `lttng start b${k} >/dev/null`,
        runApp(`filter-${k}`),
        `lttng destroy b${k} >/dev/null`,
      );
      if (have("babeltrace2")) {
        lines.push(
          `babeltrace2 ${shq(join(dir, "traces", String(k)))} 2>/dev/null | wc -l >${shq(join(out, `count-${k}`))}`,
        );
      }
    });
    lines.push(runApp("disabled-1"), '[ -n "$SESSIOND_PID" ] && kill "$SESSIOND_PID" 2>/dev/null', "exit 0");
    writeFileSync(join(dir, "script.sh"), `${lines.join("\n")}\n`);
    const cmd = asRoot ? ["unshare", "--mount", "--propagation", "private", "sh"] : ["sh"];
    const r = spawnSync(cmd[0], [...cmd.slice(1), join(dir, "script.sh")], { encoding: "utf8", timeout: 600_000 });
    if (r.status !== 0) {
      let log = "";
      try {
        log = readFileSync(join(dir, "sessiond.log"), "utf8");
      } catch {}
      return `private lttng-sessiond run failed (status ${r.status}): ${r.stderr}${log}`;
    }
    const read = (file) => readFileSync(join(out, file), "utf8").trim();
    const number = (file) => {
      const v = Number.parseFloat(read(file));
      if (!Number.isFinite(v)) throw new Error(`${file}: ${read(file)}`);
      return v;
    };
    const disabled = Math.min(number("disabled-0"), number("disabled-1"));
    const enabled = [];
    for (let k = 0; k < FILTERS.length; k++) {
      const enable = read(`enable-${k}`);
      if (enable.includes("failed")) return `lttng enable-event --filter ${FILTERS[k]} failed:\n${enable}`;
      let recorded;
      try {
        recorded = Number.parseInt(read(`count-${k}`), 10);
      } catch {}
      if (recorded !== undefined && recorded !== 0) {
        return `LTTng-UST recorded ${recorded} events under ${FILTERS[k]}: the filter must reject them all`;
      }
      enabled.push(number(`filter-${k}`));
    }
    return { disabled, enabled, checked: have("babeltrace2") };
  } catch (e) {
    return `LTTng-UST measurement failed: ${e.message}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- report ------------------------------------------------------------------

function fmt(x, width) {
  return (x === undefined ? "-" : x.toFixed(2)).padStart(width);
}

async function main() {
  if (process.argv.includes("--ttng-child")) {
    await ttngChild(Number.parseInt(process.argv[process.argv.indexOf("--ttng-child") + 1], 10));
    return;
  }
  await loadFilter(); // fail early with a clear message when the package is not built
  console.log(`filter benchmark: ${EVENTS} events x ${ROUNDS} rounds (best round), node ${process.version}`);

  let ust;
  if (process.argv.includes("--ttng-only")) ust = "skipped (--ttng-only)";
  else {
    const missing = lttngMissing();
    ust =
      missing.length > 0
        ? `missing: ${missing.join(", ")} (apt-get install lttng-tools liblttng-ust-dev gcc)`
        : lttngMeasure();
  }

  const ttngBase = ttngMeasure(-1);
  const ttngRaw = FILTERS.map((_, k) => ttngMeasure(k));
  const ttng = ttngRaw.map((raw) => Math.max(0, raw - ttngBase));
  const ustNs = typeof ust === "string" ? [] : ust.enabled.map((e) => Math.max(0, e - ust.disabled));

  const w = Math.max(6, ...FILTERS.map((f) => f.length));
  console.log("");
  console.log(`${"filter".padEnd(w)}  ttng ns/event  LTTng-UST ns/event  ratio ttng/UST`);
  FILTERS.forEach((f, k) => {
    const ratio = ustNs[k] === undefined || ustNs[k] === 0 ? undefined : ttng[k] / ustNs[k];
    console.log(`${f.padEnd(w)}  ${fmt(ttng[k], 13)}  ${fmt(ustNs[k], 18)}  ${fmt(ratio, 14)}`);
  });
  console.log("");
  console.log(
    `ttng: loop with the evaluator (${ttngRaw.map((e) => e.toFixed(2)).join(", ")} ns/event) ` +
      `minus the same loop without a filter (${ttngBase.toFixed(2)} ns/event)`,
  );
  if (typeof ust === "string") {
    console.log(`LTTng-UST: not measured: ${ust}`);
  } else {
    console.log(
      `LTTng-UST: enabled tracepoint + rejecting filter (${ust.enabled.map((e) => e.toFixed(2)).join(", ")} ns/call) ` +
        `minus the disabled tracepoint (${ust.disabled.toFixed(2)} ns/call)${ust.checked ? "; babeltrace2: no event recorded" : ""}`,
    );
  }
}

await main();
