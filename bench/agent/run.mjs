#!/usr/bin/env node
// bench/agent: what tracing every request costs a hello-world HTTP server (issue 6).
//   npm run bench -- agent [--rounds R] [--seconds S] [--connections C] [--modes off,ttng,ttng1,otel] [--reuse [--procs P]] [--pin]
// Runs of the same server (hello-server.cjs), in the same bench, interleaved round by round so
// that drift in the machine's load hits them alike:
//   none  no instrumentation (always run: every other run is paired with it);
//   off   the agent loaded with no session (what an app preloaded by `ttng trace` costs while
//         nothing is enabled);
//   ttng  the Node agent recording node_http:* for every request (with-ttng.mjs, --import);
//   ttng1 the same recording only node_http:server_response_finish: one event per request
//         (method, url, status code, duration: what an OpenTelemetry span records);
//   otel  OpenTelemetry http auto-instrumentation + BatchSpanProcessor + a no-op exporter
//         (with-otel.cjs, --require), installed in bench/agent/node_modules by
//         `npm install --prefix bench/agent` (not a dependency of ttng).
// Load: load.mjs, C closed-loop keep-alive connections on loopback for S seconds after a 1 s
// warm-up (default 8 rounds of 2 s, 16 connections), the same generator for every run.
// Figures per run: requests/s, mean and p99 latency seen by the generator, the server
// process's CPU time per request (all threads, and on Linux the main thread apart from the
// others, from /proc/PID/task/*/schedstat), and the generator's own CPU per request (it shares
// the machine's cores: when it is the bottleneck, requests/s says little about the server).
// Then, paired with the same round's uninstrumented run: the share of its requests/s kept, the
// share a server bound by its own CPU would keep (none's CPU per request over the run's), and
// the CPU and latency added, as medians over the rounds with the quartiles of the pairs as the
// spread. --reuse starts each run's server once and warms it once, then alternates only the
// load, so rounds can be short (--seconds 0.5) and many. --pin puts the server (all threads) on CPU 0 and the generator on CPU 1 (taskset).
// micro.mjs measures the agent's own cost in-process, without sockets.
import { fork, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  forkServer,
  haveOtel,
  listOption,
  mainModes,
  numberOption,
  pinToCpu0,
  quantile,
  requireTracerBuilt,
  threadCpuNs,
  withTtng,
} from "./modes.mjs";

const here = new URL(".", import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name, dflt, integer = true) => numberOption("bench/agent", args, name, dflt, integer);
const rounds = opt("rounds", 8);
const seconds = opt("seconds", 2, false);
const connections = opt("connections", 16);
const modesArg = listOption(args, "modes");
const only = modesArg === null ? null : new Set(modesArg);
// --pin: the server (all its threads) on CPU 0, the load generator on CPU 1 (taskset), so that
// neither steals the other's core; the other work on the machine still runs where it likes.
const pin = args.includes("--pin");
// --reuse: one server per run for all rounds (see below).
const reuse = args.includes("--reuse");
// --procs P (with --reuse): P server processes per run, taking turns round by round.
const procs = reuse ? opt("procs", 4) : 1;

requireTracerBuilt("bench/agent");
const modeNamed = (name) => mainModes.filter((m) => m.name === name);
const allModes = [
  ...modeNamed("none"),
  ...modeNamed("off"),
  ...modeNamed("ttng"),
  ...modeNamed("ttng1"),
  // --reuse only: one process per server measured with the agent recording and with nothing
  // enabled, round after round (a session started and stopped between them): the agent's cost
  // without the difference between two processes.
  ...(reuse ? [{ name: "toggle", ...withTtng({ TTNG_BENCH_AGENT: "toggle" }) }] : []),
  ...modeNamed("otel"),
  // Diagnostics, only with --modes: Node's own cost of the two channels (empty subscribers),
  // and a session recording an event that never fires here (the tracer without per-request work).
  { name: "noop", execArgv: ["--import", join(here, "with-noop.mjs")], diagnostic: true },
  // A second uninstrumented server (how far two identical processes differ) and one preloaded
  // with an empty module (what `--import` itself costs).
  { name: "none2", execArgv: [], diagnostic: true },
  { name: "import", execArgv: ["--import", join(here, "with-nothing.mjs")], diagnostic: true },
  { name: "session", ...withTtng({ TTNG_BENCH_EVENTS: "node_child_process:spawn" }), diagnostic: true },
];
// "none" always runs: every other run is paired with it.
const modes = allModes.filter((m) => m.name === "none" || (only === null ? !m.diagnostic : only.has(m.name)));
if (!haveOtel)
  console.log(
    "OpenTelemetry is NOT installed in bench/agent/node_modules: the otel run is skipped.\n" +
      "Install it with: npm install --prefix bench/agent\n",
  );

const out = mkdtempSync(join(tmpdir(), "ttng-bench-agent-"));

const loadArgv = (port, ms) => [join(here, "load.mjs"), String(port), String(connections), String(ms)];
// --reuse: one warm generator process for the whole bench (load.mjs forked, driven over IPC).
let generator = null;
function load(port, ms) {
  if (generator !== null)
    return new Promise((resolve) => {
      generator.once("message", resolve);
      generator.send({ port, connections, ms });
    });
  const r = pin
    ? spawnSync("taskset", ["-c", "1", process.execPath, ...loadArgv(port, ms)], { encoding: "utf8" })
    : spawnSync(process.execPath, loadArgv(port, ms), { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`load generator failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function startServer(mode, tag) {
  const { server, port, next } = await forkServer(mode, join(out, `${mode.name}-${tag}`));
  if (pin) pinToCpu0(server.pid);
  const warm = await load(port, 1000);
  return { mode, server, port, next, total: warm.requests };
}

async function measure(srv) {
  const { server, port, next } = srv;
  const cpu = async () => {
    const reply = next();
    server.send("cpu");
    const { cpu } = await reply;
    return cpu.user + cpu.system;
  };
  const cpu0 = await cpu();
  const threads0 = threadCpuNs(server.pid);
  const figures = await load(port, seconds * 1000);
  const threads1 = threadCpuNs(server.pid);
  figures.cpuUsPerReq = ((await cpu()) - cpu0) / figures.requests;
  if (threads0 !== null && threads1 !== null) {
    figures.mainUsPerReq = (threads1.main - threads0.main) / 1000 / figures.requests;
    figures.othersUsPerReq = (threads1.others - threads0.others) / 1000 / figures.requests;
  }
  srv.total += figures.requests;
  return figures;
}

/** Stops a server; for the instrumented runs, what they recorded ({recorded, discarded}). */
async function stopServer(srv) {
  const { server, mode } = srv;
  let recorded;
  if (mode.name === "none" || mode.name === "none2") server.kill();
  else {
    const report = new Promise((resolve) => server.once("message", resolve));
    server.send("stop");
    recorded = await report;
  }
  await new Promise((resolve) => (server.exitCode !== null ? resolve() : server.once("exit", resolve)));
  return recorded;
}

const recordedText = (mode, recorded, total) =>
  recorded === undefined || mode.name === "off" || mode.diagnostic
    ? ""
    : `  recorded ${recorded.recorded} of ${total} requests${recorded.discarded ? `, ${recorded.discarded} events discarded` : ""}`;

function printRound(round, mode, r, rec = "") {
  console.log(
    `round ${round + 1} ${mode.name.padEnd(4)} ${r.rps.toFixed(0).padStart(7)} req/s  mean ${r.meanUs.toFixed(0).padStart(5)} µs  p99 ${r.p99Us.toFixed(0).padStart(6)} µs  cpu ${r.cpuUsPerReq.toFixed(2).padStart(5)} µs/req${r.mainUsPerReq === undefined ? "" : ` (main thread ${r.mainUsPerReq.toFixed(2)}, others ${r.othersUsPerReq.toFixed(2)})`}  load gen ${r.loadCpuUsPerReq.toFixed(2)} µs/req${r.errors ? `  errors ${r.errors}` : ""}${rec}`,
  );
}

const load0 = loadavg();
const results = Object.fromEntries(modes.map((m) => [m.name, []]));
results["toggle-on"] = [];
results["toggle-off"] = [];
if (reuse) {
  // One server per run for the whole bench, warmed once; rounds are then only the load, so
  // they can be short and many, and each run's rounds sit seconds apart from the others'.
  generator = fork(join(here, "load.mjs"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  if (pin) spawnSync("taskset", ["-a", "-c", "-p", "1", String(generator.pid)], { stdio: "ignore" });
  // `procs` servers per run, used in turn round after round: two identical server processes
  // differ by several per cent for as long as they live (code and heap placement), so one
  // process per run would measure that difference as much as the instrumentation.
  const servers = [];
  for (let p = 0; p < procs; p++) for (const mode of modes) servers.push(await startServer(mode, `p${p}`));
  // One more warm-up pass, not counted: after the first second V8's compiler and GC threads
  // are still busy with each server.
  for (const srv of servers) await measure(srv);
  for (let round = 0; round < rounds; round++) {
    const p = round % procs;
    const these = servers.slice(p * modes.length, (p + 1) * modes.length);
    const order = these.map((_, k) => these[(k + round) % these.length]);
    for (const srv of order) {
      if (srv.mode.name !== "toggle") {
        const r = await measure(srv);
        results[srv.mode.name].push(r);
        printRound(round, srv.mode, r);
        continue;
      }
      // Recording and not, in turn first: after each switch an unmeasured 0.2 s of load.
      for (const state of round % 2 === 0 ? ["on", "off"] : ["off", "on"]) {
        const reply = srv.next();
        srv.server.send(state);
        await reply;
        const warm = await load(srv.port, 200);
        const r = await measure(srv);
        if (state === "on") srv.onRequests = (srv.onRequests ?? 0) + warm.requests + r.requests;
        results[`toggle-${state}`].push(r);
        printRound(round, { name: `toggle ${state}` }, r);
      }
    }
  }
  generator.kill();
  const totals = new Map();
  for (const srv of servers) {
    const rec = await stopServer(srv);
    const t = totals.get(srv.mode) ?? { total: 0, recorded: 0, discarded: 0, any: false };
    t.total += srv.mode.name === "toggle" ? (srv.onRequests ?? 0) : srv.total;
    if (rec !== undefined) {
      t.any = true;
      t.recorded += rec.recorded;
      t.discarded += rec.discarded;
    }
    totals.set(srv.mode, t);
  }
  for (const [mode, t] of totals) {
    const text = recordedText(mode, t.any ? t : undefined, t.total);
    if (text !== "") console.log(`${mode.name}:${text}`);
  }
} else {
  for (let round = 0; round < rounds; round++) {
    // Each round starts with a different run, so that no run always follows the same one.
    const order = modes.map((_, k) => modes[(k + round) % modes.length]);
    for (const mode of order) {
      const srv = await startServer(mode, round);
      const r = await measure(srv);
      results[mode.name].push(r);
      printRound(round, mode, r, recordedText(mode, await stopServer(srv), srv.total));
    }
  }
}
rmSync(out, { recursive: true, force: true });

const median = (xs) => quantile(xs, 0.5);
// Paired figures: each run against the uninstrumented run of the same round (seconds apart),
// then the median over rounds (and the quartiles, as the spread); the machine's other load
// shifts whole rounds, pairs cancel most of it.
const pairs = (name, f) => results[name].map((r, k) => f(r, results.none[k]));
const paired = (name, f) => median(pairs(name, f));
const spread = (name, f, digits, scale = 1) => {
  const xs = pairs(name, f);
  return `${(scale * quantile(xs, 0.25)).toFixed(digits)}..${(scale * quantile(xs, 0.75)).toFixed(digits)}`;
};
const haveThreads = results.none.every((r) => r.mainUsPerReq !== undefined);
console.log(
  `\nmedians over ${rounds} rounds (each run paired with the same round's uninstrumented run; quartiles of the pairs in brackets),\n` +
    `${connections} connections, ${seconds} s per run${reuse ? ` (${procs} server process${procs > 1 ? "es" : ""} per run, taking turns round by round)` : ""}${pin ? ", server pinned to CPU 0 and load generator to CPU 1" : ""}, node ${process.version}, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")} (at start: ${load0.map((x) => x.toFixed(2)).join(" ")})`,
);
const fig = {};
for (const m of modes) {
  if (m.name === "toggle") continue;
  const rs = results[m.name];
  const f = {
    rps: median(rs.map((r) => r.rps)),
    meanUs: median(rs.map((r) => r.meanUs)),
    p99Us: median(rs.map((r) => r.p99Us)),
    cpuUs: median(rs.map((r) => r.cpuUsPerReq)),
    mainUs: haveThreads ? median(rs.map((r) => r.mainUsPerReq)) : Number.NaN,
    othersUs: haveThreads ? median(rs.map((r) => r.othersUsPerReq)) : Number.NaN,
    loadUs: median(rs.map((r) => r.loadCpuUsPerReq)),
    share: paired(m.name, (r, n) => r.rps / n.rps),
    cpuShare: paired(m.name, (r, n) => n.cpuUsPerReq / r.cpuUsPerReq),
    addedMeanUs: paired(m.name, (r, n) => r.meanUs - n.meanUs),
    addedP99Us: paired(m.name, (r, n) => r.p99Us - n.p99Us),
    addedCpuUs: paired(m.name, (r, n) => r.cpuUsPerReq - n.cpuUsPerReq),
    addedMainUs: haveThreads ? paired(m.name, (r, n) => r.mainUsPerReq - n.mainUsPerReq) : Number.NaN,
  };
  fig[m.name] = f;
  console.log(
    `\n${m.name}: ${f.rps.toFixed(0)} req/s, mean ${f.meanUs.toFixed(0)} µs, p99 ${f.p99Us.toFixed(0)} µs; ` +
      `server CPU ${f.cpuUs.toFixed(2)} µs/req${haveThreads ? ` (main thread ${f.mainUs.toFixed(2)}, other threads ${f.othersUs.toFixed(2)})` : ""}; load generator ${f.loadUs.toFixed(2)} µs/req`,
  );
  if (m.name === "none") continue;
  console.log(
    `  vs none: req/s ${(100 * f.share).toFixed(1)} % [${spread(m.name, (r, n) => r.rps / n.rps, 1, 100)}]; ` +
      `CPU-bound share (none's CPU/req over this run's) ${(100 * f.cpuShare).toFixed(1)} % [${spread(m.name, (r, n) => n.cpuUsPerReq / r.cpuUsPerReq, 1, 100)}]`,
  );
  console.log(
    `  added: CPU ${f.addedCpuUs.toFixed(2)} µs/req [${spread(m.name, (r, n) => r.cpuUsPerReq - n.cpuUsPerReq, 2)}]` +
      `${haveThreads ? `, main thread ${f.addedMainUs.toFixed(2)} µs/req [${spread(m.name, (r, n) => r.mainUsPerReq - n.mainUsPerReq, 2)}]` : ""}; ` +
      `mean latency ${f.addedMeanUs.toFixed(1)} µs [${spread(m.name, (r, n) => r.meanUs - n.meanUs, 1)}], p99 ${f.addedP99Us.toFixed(0)} µs`,
  );
}
if (results["toggle-on"].length > 0) {
  // Each "on" run paired with the same round's "off" run of the same process.
  const on = results["toggle-on"];
  const off = results["toggle-off"];
  const tp = (f) => on.map((r, k) => f(r, off[k]));
  const tq = (f, digits, scale = 1) => {
    const xs = tp(f);
    return `${(scale * median(xs)).toFixed(digits)} [${(scale * quantile(xs, 0.25)).toFixed(digits)}..${(scale * quantile(xs, 0.75)).toFixed(digits)}]`;
  };
  console.log(
    `\ntoggle (one process per server, recording node_http:* vs nothing enabled, in turn): ` +
      `on ${median(on.map((r) => r.rps)).toFixed(0)} req/s, off ${median(off.map((r) => r.rps)).toFixed(0)} req/s`,
  );
  console.log(
    `  on vs off: req/s ${tq((r, n) => r.rps / n.rps, 1, 100)} %; CPU-bound share ${tq((r, n) => n.cpuUsPerReq / r.cpuUsPerReq, 1, 100)} %`,
  );
  console.log(
    `  added: CPU ${tq((r, n) => r.cpuUsPerReq - n.cpuUsPerReq, 2)} µs/req, main thread ${haveThreads ? tq((r, n) => r.mainUsPerReq - n.mainUsPerReq, 2) : "?"} µs/req; mean latency ${tq((r, n) => r.meanUs - n.meanUs, 1)} µs`,
  );
  fig.toggle = {
    share: median(tp((r, n) => r.rps / n.rps)),
    cpuShare: median(tp((r, n) => n.cpuUsPerReq / r.cpuUsPerReq)),
  };
}
if (fig.ttng) {
  console.log(
    `\nttng keeps ${(100 * fig.ttng.share).toFixed(1)}% of the uninstrumented requests/s (goal >= 95%); ` +
      `by CPU per request, ${(100 * fig.ttng.cpuShare).toFixed(1)}%` +
      (fig.toggle
        ? `; in one process recording vs not (toggle), ${(100 * fig.toggle.share).toFixed(1)}% (by CPU ${(100 * fig.toggle.cpuShare).toFixed(1)}%)`
        : ""),
  );
}
const ratio = (what, key) => {
  const t = fig.ttng[key];
  const o = fig.otel[key];
  const verdict = t <= 0 ? "ttng's is below this run's noise" : `otel adds ${(o / t).toFixed(1)}x what ttng adds`;
  console.log(`added ${what}: ttng ${t.toFixed(2)} µs, otel ${o.toFixed(2)} µs: ${verdict} (goal >= 5x)`);
};
if (fig.otel && fig.ttng) {
  ratio("mean latency per request", "addedMeanUs");
  ratio("p99 latency", "addedP99Us");
  ratio("server CPU per request", "addedCpuUs");
} else if (!haveOtel) {
  console.log("OpenTelemetry not installed: no comparison (npm install --prefix bench/agent)");
}
console.log(
  "\nThe machine's other load moves req/s and latency from run to run; CPU µs/req (the server process, all threads)\n" +
    "is the steadier measure of what the instrumentation itself costs. The CPU-bound share is the requests/s a server\n" +
    "limited by its own CPU would keep (none's CPU per request over the run's).",
);
