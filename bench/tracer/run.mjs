#!/usr/bin/env node
/**
 * Tracer benchmark: ns/event and bytes/event of @ttng/tracer next to
 * LTTng-UST 2.13 in a C program, both built and run in this bench run.
 *
 * Cases: an empty loop, a disabled tracepoint, a one-integer event, a
 * four-field event with a string, an eleven-field event (integers of four
 * sizes, hex, two floats, a string, an array, a sequence, an enumeration),
 * and the three enabled events again with the vpid, vtid and procname
 * contexts. Both tracers record per-PID, in discard mode, with 16 sub-buffers
 * of 8 MiB per ring (LTTng: per CPU; ttng: per thread), enough that nothing
 * is lost (the packet contexts' events_discarded say so, and a table entry is
 * starred otherwise).
 *
 * ttng: each case in a fresh node process (bench/tracer/run.mjs --ttng-child),
 * timing N calls with process.hrtime.bigint() around the loop; warm-up rounds,
 * then the best of R rounds. LTTng-UST: bench/tracer/tracer-bench.c with the
 * provider bench/tracer/tp.h (gcc -O2 … -llttng-ust -ldl), timing N calls
 * with clock_gettime(CLOCK_MONOTONIC), best of R rounds after one warm-up
 * round. Each case runs K times per tracer (--repeat, default 2; fresh
 * processes) and the fastest is kept, against a private lttng-sessiond (as
 * root: in a private mount namespace with its own /var/run/lttng and /dev/shm).
 *
 * bytes/event: each trace's event record bytes (packet content minus packet
 * header and context, walked from the stream files by
 * tests/tracer/ctf-size.mjs) over the events emitted.
 *
 * usage: npm run bench -- tracer [--events N] [--rounds R] [--repeat K] [--ttng-only] [--keep]
 * Not a test: it never fails on numbers. Missing LTTng tools are reported and
 * only ttng's figures are printed (exit 0).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { findTraces, traceSizes } from "../../tests/tracer/ctf-size.mjs";

const here = new URL(".", import.meta.url).pathname;
const tracerDist = join(here, "../../packages/tracer/dist/bundle/index.js");

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number.parseInt(process.argv[i + 1] ?? "", 10);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`bench tracer: ${name} needs a positive integer`);
    process.exit(2);
  }
  return n;
}

const EVENTS = option("--events", 500_000);
const ROUNDS = option("--rounds", 5);
/** Runs of each case per tracer (fresh processes), keeping the fastest: one slow process skews no figure. */
const REPEAT = option("--repeat", 2);
const SUBBUF = 8 * 1024 * 1024;
const NUM_SUBBUF = 16;
const CONTEXTS = ["vpid", "vtid", "procname"];

/** key: what the child runs; event: the C case and the enabled event; ctx: with contexts. */
const CASES = [
  { key: "empty", label: "empty loop", c: "empty" },
  { key: "disabled", label: "disabled tracepoint: ev(i)", c: "int1", disabled: true },
  { key: "disabled-guard", label: "disabled tracepoint: if (ev.enabled) ev(i)", c: "int1", disabled: true },
  { key: "int1", label: "one integer", c: "int1", event: "int1" },
  { key: "four", label: "four fields with a string", c: "four", event: "four" },
  { key: "eleven", label: "eleven fields", c: "eleven", event: "eleven" },
  { key: "int1", label: "one integer + vpid/vtid/procname", c: "int1", event: "int1", ctx: true },
  { key: "four", label: "four fields + contexts", c: "four", event: "four", ctx: true },
  { key: "eleven", label: "eleven fields + contexts", c: "eleven", event: "eleven", ctx: true },
];

// --- ttng (child process: one case) ------------------------------------------

const PATH = "/index.html";
const TEXT = "hello world";
const ARR = [1, -2, 3];
const SEQ = [10, 20, 30, 40];

function declare(t) {
  const p = t.provider("ttng_bench");
  return {
    int1: p.event("int1", { fields: [t.s32("v")] }),
    four: p.event("four", { fields: [t.u32("status"), t.s64("id"), t.f64("duration_ms"), t.string("path")] }),
    eleven: p.event("eleven", {
      fields: [
        t.u8("a"),
        t.s16("b"),
        t.u32("c"),
        t.s64("d"),
        t.hex(t.u64("e")),
        t.f32("f"),
        t.f64("g"),
        t.string("s"),
        t.array("arr", t.s32, 3),
        t.sequence("seq", t.u16, { lengthType: "u32" }),
        t.enumeration("st", { IDLE: 0, BUSY: [1, 5], DONE: 6 }, { type: "s32" }),
      ],
    }),
  };
}

// One loop per case, each a function of its own so that it is optimized as a whole.
let sink = 0;
const LOOPS = {
  empty(_ev, n) {
    let s = 0;
    for (let i = 0; i < n; i++) s = (s + i) | 0;
    sink ^= s;
  },
  disabled(ev, n) {
    for (let i = 0; i < n; i++) ev(i);
  },
  "disabled-guard"(ev, n) {
    for (let i = 0; i < n; i++) if (ev.enabled) ev(i);
  },
  int1(ev, n) {
    for (let i = 0; i < n; i++) ev(i);
  },
  four(ev, n) {
    for (let i = 0; i < n; i++) ev(i, i, i * 0.5, PATH);
  },
  eleven(ev, n) {
    for (let i = 0; i < n; i++) ev(i & 0xff, i & 0x7fff, i, i, i, i * 0.5, i * 0.25, TEXT, ARR, SEQ, i & 7);
  },
};

function timed(loop, ev, n) {
  const t0 = process.hrtime.bigint();
  loop(ev, n);
  return Number(process.hrtime.bigint() - t0) / n;
}

async function ttngChild(key, ctx, out) {
  const t = await import(pathToFileURL(tracerDist).href);
  const events = declare(t);
  const caseInfo = CASES.find((c) => c.key === key);
  const ev = events[caseInfo.c] ?? events.int1;
  let session;
  if (caseInfo.event) {
    session = await t.startSession({
      output: out,
      channels: [{ name: "c", subbufSize: SUBBUF, numSubbuf: NUM_SUBBUF, mode: "discard" }],
      events: [{ name: `ttng_bench:${caseInfo.event}`, channel: "c" }],
      contexts: ctx ? CONTEXTS : [],
    });
  }
  const loop = LOOPS[key];
  let emitted = 0;
  // Warm the JIT up with small rounds, then one full round, as the C program's warm-up round.
  for (let k = 0; k < 20; k++) {
    loop(ev, 10_000);
    emitted += 10_000;
  }
  timed(loop, ev, EVENTS);
  emitted += EVENTS;
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    best = Math.min(best, timed(loop, ev, EVENTS));
    emitted += EVENTS;
  }
  const result = session ? await session.stop() : undefined;
  process.stdout.write(`${JSON.stringify({ ns: best, emitted: caseInfo.event ? emitted : 0, sink, result })}\n`);
}

function ttngMeasure(c) {
  let best;
  for (let k = 0; k < REPEAT; k++) {
    const one = ttngMeasureOnce(c);
    if (typeof one === "string") return one;
    // bytes/event from the first run; all runs record the same events.
    best = best === undefined ? one : { ...best, ns: Math.min(best.ns, one.ns) };
  }
  return best;
}

function ttngMeasureOnce(c) {
  const out = mkdtempSync(join(tmpdir(), "ttng-bench-tracer-"));
  try {
    const r = spawnSync(
      process.execPath,
      [
        new URL(import.meta.url).pathname,
        "--ttng-child",
        c.key,
        c.ctx ? "1" : "0",
        out,
        "--events",
        String(EVENTS),
        "--rounds",
        String(ROUNDS),
      ],
      { encoding: "utf8", timeout: 600_000 },
    );
    if (r.status !== 0)
      return `failed (status ${r.status}): ${(r.stderr || r.stdout).trim().split("\n").slice(0, 6).join(" | ")}`;
    const got = JSON.parse(r.stdout.trim().split("\n").at(-1));
    return { ns: got.ns, ...(c.event ? sizes(out, got.emitted) : {}) };
  } catch (e) {
    return `failed: ${e.message}`;
  } finally {
    if (!process.argv.includes("--keep")) rmSync(out, { recursive: true, force: true });
  }
}

/** bytes/event of the traces under `root` (one per process: LTTng's per-PID layout), and the events discarded. */
function sizes(root, emitted) {
  const traces = findTraces(root);
  if (traces.length === 0) return { bytes: "no trace" };
  let eventBytes = 0;
  let discarded = 0;
  for (const t of traces) {
    const s = traceSizes(t);
    eventBytes += s.eventBytes;
    discarded += s.discarded;
  }
  return { bytes: eventBytes / (emitted - discarded), discarded };
}

// --- LTTng-UST -----------------------------------------------------------------

function have(tool) {
  return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

function shq(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

function lttngMissing() {
  const asRoot = process.getuid?.() === 0;
  return ["lttng", "lttng-sessiond", "gcc", ...(asRoot ? ["unshare"] : [])].filter((t) => !have(t));
}

/** Builds tracer-bench.c and runs every case against a private sessiond, one at a time. */
function lttngMeasure() {
  const dir = mkdtempSync(join(tmpdir(), "ttng-bench-tracer-ust-"));
  const results = [];
  try {
    copyFileSync(join(here, "tp.h"), join(dir, "tp.h"));
    copyFileSync(join(here, "tracer-bench.c"), join(dir, "tracer-bench.c"));
    const app = join(dir, "tracer-bench");
    const cc = spawnSync("gcc", ["-O2", "-I", dir, "-o", app, join(dir, "tracer-bench.c"), "-llttng-ust", "-ldl"], {
      encoding: "utf8",
    });
    if (cc.status !== 0) return `cannot build tracer-bench.c (is liblttng-ust-dev installed?):\n${cc.stderr.trim()}`;
    const asRoot = process.getuid?.() === 0;
    const seen = new Map();
    for (const c of CASES) {
      const id = `${c.c}-${c.event ?? "off"}-${c.ctx ? "ctx" : "noctx"}`;
      if (seen.has(id)) {
        results.push(seen.get(id));
        continue;
      }
      const traces = join(dir, "traces", id);
      const outFile = join(dir, `${id}.out`);
      const runApp = Array.from(
        { length: REPEAT },
        () => `${shq(app)} ${c.c} ${EVENTS} ${ROUNDS} >>${shq(outFile)} 2>&1`,
      ).join("\n");
      const session = c.event
        ? [
            `lttng create b --output=${shq(traces)} >/dev/null`,
            `lttng enable-channel -u -s b --buffers-pid --subbuf-size=${SUBBUF} --num-subbuf=${NUM_SUBBUF} c >/dev/null`,
            `lttng enable-event -u -s b -c c ttng_bench:${c.event} >/dev/null`,
            ...(c.ctx ? [`lttng add-context -u -s b -c c ${CONTEXTS.map((x) => `-t ${x}`).join(" ")} >/dev/null`] : []),
            "lttng start b >/dev/null",
            runApp,
            "lttng destroy b >/dev/null",
          ]
        : [runApp];
      const lines = [
        "set -u",
        ...(asRoot
          ? [
              "mkdir -p /var/run/lttng",
              "mount -t tmpfs none /var/run/lttng || exit 90",
              "mount -t tmpfs none /dev/shm || exit 91",
            ]
          : []),
        `export HOME=${shq(dir)} LTTNG_HOME=${shq(dir)}`,
        `lttng-sessiond --daemonize --no-kernel >${shq(join(dir, "sessiond.log"))} 2>&1 || exit 92`,
        `SESSIOND_PID=$(cat /var/run/lttng/lttng-sessiond.pid ${shq(join(dir, ".lttng", "lttng-sessiond.pid"))} 2>/dev/null | head -1)`,
        ...session,
        '[ -n "$SESSIOND_PID" ] && kill "$SESSIOND_PID" 2>/dev/null',
        "exit 0",
      ];
      writeFileSync(join(dir, "script.sh"), `${lines.join("\n")}\n`);
      const cmd = asRoot ? ["unshare", "--mount", "--propagation", "private", "sh"] : ["sh"];
      const r = spawnSync(cmd[0], [...cmd.slice(1), join(dir, "script.sh")], { encoding: "utf8", timeout: 600_000 });
      let result;
      if (r.status !== 0) result = `private lttng-sessiond run failed (status ${r.status}): ${r.stderr.trim()}`;
      else {
        const text = readFileSync(outFile, "utf8").trim();
        const ns = Math.min(...text.split("\n").map((l) => Number.parseFloat(l)));
        if (!Number.isFinite(ns)) result = `tracer-bench ${c.c}: ${text}`;
        else result = { ns, ...(c.event ? sizes(traces, REPEAT * EVENTS * (ROUNDS + 1)) : {}) };
      }
      if (!process.argv.includes("--keep")) rmSync(traces, { recursive: true, force: true });
      seen.set(id, result);
      results.push(result);
    }
    return results;
  } catch (e) {
    return `LTTng-UST measurement failed: ${e.message}`;
  } finally {
    if (!process.argv.includes("--keep")) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

// --- report ----------------------------------------------------------------------

function num(x, width, digits = 2) {
  return (typeof x === "number" && Number.isFinite(x) ? x.toFixed(digits) : "-").padStart(width);
}

function bytesCell(r, width) {
  if (typeof r !== "object" || r.bytes === undefined) return "-".padStart(width);
  if (typeof r.bytes === "string") return r.bytes.padStart(width);
  return `${r.discarded > 0 ? "*" : ""}${r.bytes.toFixed(2)}`.padStart(width);
}

async function main() {
  if (process.argv.includes("--ttng-child")) {
    const i = process.argv.indexOf("--ttng-child");
    await ttngChild(process.argv[i + 1], process.argv[i + 2] === "1", process.argv[i + 3]);
    return;
  }
  let tracerWhy;
  try {
    const t = await import(pathToFileURL(tracerDist).href);
    if (typeof t.provider !== "function" || typeof t.startSession !== "function") {
      tracerWhy = "packages/tracer/dist/bundle/index.js exports no provider/startSession yet";
    }
  } catch (e) {
    tracerWhy = `cannot load ${tracerDist} (${e.message})`;
  }
  if (tracerWhy)
    console.error(`bench tracer: @ttng/tracer is not built: ${tracerWhy}; build it: npx tsc -b packages/tracer`);

  const ustVersion = spawnSync("sh", ["-c", "dpkg-query -W liblttng-ust-dev 2>/dev/null"], { encoding: "utf8" })
    .stdout.trim()
    .split("\t")[1];
  console.log(
    `tracer benchmark: ${EVENTS} events x ${ROUNDS} rounds, best round of ${REPEAT} processes per case, node ${process.version}, ` +
      `LTTng-UST ${ustVersion || "?"}; per-PID buffers, discard mode, ${NUM_SUBBUF} x ${SUBBUF / 1048576} MiB sub-buffers`,
  );

  let ust;
  if (process.argv.includes("--ttng-only")) ust = "skipped (--ttng-only)";
  else {
    const missing = lttngMissing();
    ust =
      missing.length > 0
        ? `missing: ${missing.join(", ")} (apt-get install lttng-tools liblttng-ust-dev gcc)`
        : lttngMeasure();
  }
  const ttng = CASES.map((c) => (tracerWhy ? "not built" : ttngMeasure(c)));

  const w = Math.max(...CASES.map((c) => c.label.length));
  console.log("");
  console.log(`${"case".padEnd(w)}  ttng ns/event  UST ns/event  ttng/UST  ttng B/event  UST B/event`);
  CASES.forEach((c, k) => {
    const t = ttng[k];
    const u = typeof ust === "string" ? undefined : ust[k];
    const tn = typeof t === "object" ? t.ns : undefined;
    const un = typeof u === "object" ? u.ns : undefined;
    const ratio = tn !== undefined && un !== undefined && un > 0 ? tn / un : undefined;
    console.log(
      `${c.label.padEnd(w)}  ${num(tn, 13)}  ${num(un, 12)}  ${num(ratio, 8)}  ${bytesCell(t, 12)}  ${bytesCell(u, 11)}`,
    );
  });
  console.log("");
  CASES.forEach((c, k) => {
    if (typeof ttng[k] === "string") console.log(`ttng ${c.label}: ${ttng[k]}`);
    if (Array.isArray(ust) && typeof ust[k] === "string") console.log(`LTTng-UST ${c.label}: ${ust[k]}`);
  });
  if (typeof ust === "string") console.log(`LTTng-UST: not measured: ${ust}`);
  console.log(
    "ns/event: best round of the loop, loop included (the empty loop is the floor); " +
      "B/event: event record bytes (packet content minus packet header and context) / events emitted; " +
      "* = events were discarded (then over events recorded).",
  );
}

await main();
