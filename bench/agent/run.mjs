#!/usr/bin/env node
// bench/agent: what tracing every request costs a hello-world HTTP server (issue 6).
//   npm run bench -- agent [--rounds R] [--seconds S] [--connections C]
// Three runs of the same server (hello-server.cjs), in the same bench, interleaved round by
// round so that drift in the machine's load hits them alike:
//   none  no instrumentation;
//   ttng  the Node agent recording node_http:* for every request (with-ttng.mjs, --import);
//   otel  OpenTelemetry http auto-instrumentation + BatchSpanProcessor + a no-op exporter
//         (with-otel.cjs, --require), installed in bench/agent/node_modules by
//         `npm install --prefix bench/agent` (not a dependency of ttng).
// Load: load.mjs, C closed-loop keep-alive connections on loopback for S seconds after a 1 s
// warm-up (default 8 rounds of 2 s, 16 connections). Figures per run: requests/s, mean and p99
// latency seen by the generator, and the server process's CPU time per request (all threads);
// then, paired with the same round's uninstrumented run, the share of its requests/s kept and
// the latency and CPU added, as medians over the rounds. "off" is the agent loaded with no
// session (what an app preloaded by `ttng trace` costs while nothing is enabled).
import { fork, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const here = new URL(".", import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? Number(args[k + 1]) : dflt;
};
const rounds = opt("rounds", 8);
const seconds = opt("seconds", 2);
const connections = opt("connections", 16);

if (!existsSync(join(here, "../../packages/tracer/dist/agent/index.js"))) {
  console.error("bench/agent: the tracer is not built (npm run build)");
  process.exit(1);
}
const haveOtel = existsSync(join(here, "node_modules/@opentelemetry/instrumentation-http"));
const modes = [
  { name: "none", execArgv: [] },
  { name: "off", execArgv: ["--import", join(here, "with-ttng.mjs")], env: { TTNG_BENCH_AGENT: "off" } },
  { name: "ttng", execArgv: ["--import", join(here, "with-ttng.mjs")] },
  ...(haveOtel ? [{ name: "otel", execArgv: ["--require", join(here, "with-otel.cjs")] }] : []),
];
if (!haveOtel)
  console.log(
    "OpenTelemetry is NOT installed in bench/agent/node_modules: the otel run is skipped.\n" +
      "Install it with: npm install --prefix bench/agent\n",
  );

const out = mkdtempSync(join(tmpdir(), "ttng-bench-agent-"));

function load(port, ms) {
  const r = spawnSync(process.execPath, [join(here, "load.mjs"), String(port), String(connections), String(ms)], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`load generator failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function runOnce(mode, round) {
  const server = fork(join(here, "hello-server.cjs"), [], {
    execArgv: mode.execArgv,
    env: { ...process.env, ...mode.env, TTNG_BENCH_OUTPUT: join(out, `${mode.name}-${round}`) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = () => new Promise((resolve) => server.once("message", resolve));
  const { port } = await next();
  const warm = load(port, 1000);
  const cpu = async () => {
    const reply = next();
    server.send("cpu");
    const { cpu } = await reply;
    return cpu.user + cpu.system;
  };
  const cpu0 = await cpu();
  const figures = load(port, seconds * 1000);
  figures.cpuUsPerReq = ((await cpu()) - cpu0) / figures.requests;
  figures.total = warm.requests + figures.requests;
  let recorded;
  if (mode.name === "none") server.kill();
  else {
    const report = new Promise((resolve) => server.once("message", resolve));
    server.send("stop");
    recorded = await report;
  }
  await new Promise((resolve) => (server.exitCode !== null ? resolve() : server.once("exit", resolve)));
  return { ...figures, recorded };
}

const results = Object.fromEntries(modes.map((m) => [m.name, []]));
for (let round = 0; round < rounds; round++) {
  // Each round starts with a different run, so that no run always follows the same one.
  const order = modes.map((_, k) => modes[(k + round) % modes.length]);
  for (const mode of order) {
    const r = await runOnce(mode, round);
    results[mode.name].push(r);
    const rec =
      r.recorded === undefined || mode.name === "off"
        ? ""
        : `  recorded ${r.recorded.recorded} of ${r.total} requests${r.recorded.discarded ? `, ${r.recorded.discarded} events discarded` : ""}`;
    console.log(
      `round ${round + 1} ${mode.name.padEnd(4)} ${r.rps.toFixed(0).padStart(7)} req/s  mean ${r.meanUs.toFixed(0).padStart(5)} µs  p99 ${r.p99Us.toFixed(0).padStart(6)} µs  cpu ${r.cpuUsPerReq.toFixed(1).padStart(5)} µs/req${r.errors ? `  errors ${r.errors}` : ""}${rec}`,
    );
  }
}
rmSync(out, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
// Paired figures: each run against the uninstrumented run of the same round (seconds apart),
// then the median over rounds; the machine's other load shifts whole rounds, pairs cancel it.
const paired = (name, f) => median(results[name].map((r, k) => f(r, results.none[k])));
console.log(
  `\nmedians over ${rounds} rounds (each run paired with the same round's uninstrumented run), ${connections} connections, ${seconds} s per run, node ${process.version}`,
);
console.log(
  "run    req/s   mean µs   p99 µs   CPU µs/req   req/s vs none   added mean µs   added p99 µs   added CPU µs/req",
);
const fig = {};
for (const m of modes) {
  const rs = results[m.name];
  const f = {
    rps: median(rs.map((r) => r.rps)),
    meanUs: median(rs.map((r) => r.meanUs)),
    p99Us: median(rs.map((r) => r.p99Us)),
    cpuUs: median(rs.map((r) => r.cpuUsPerReq)),
    share: paired(m.name, (r, n) => r.rps / n.rps),
    addedMeanUs: paired(m.name, (r, n) => r.meanUs - n.meanUs),
    addedP99Us: paired(m.name, (r, n) => r.p99Us - n.p99Us),
    addedCpuUs: paired(m.name, (r, n) => r.cpuUsPerReq - n.cpuUsPerReq),
  };
  fig[m.name] = f;
  console.log(
    [
      m.name.padEnd(5),
      f.rps.toFixed(0).padStart(7),
      f.meanUs.toFixed(0).padStart(9),
      f.p99Us.toFixed(0).padStart(8),
      f.cpuUs.toFixed(1).padStart(12),
      `${(100 * f.share).toFixed(1)}%`.padStart(15),
      f.addedMeanUs.toFixed(1).padStart(15),
      f.addedP99Us.toFixed(0).padStart(14),
      f.addedCpuUs.toFixed(1).padStart(18),
    ].join(" "),
  );
}
console.log(`\nttng keeps ${(100 * fig.ttng.share).toFixed(1)}% of the uninstrumented requests/s (goal >= 95%)`);
const ratio = (what, key) => {
  const t = fig.ttng[key];
  const o = fig.otel[key];
  const verdict = t <= 0 ? "ttng's is below this run's noise" : `otel adds ${(o / t).toFixed(1)}x what ttng adds`;
  console.log(`added ${what}: ttng ${t.toFixed(1)} µs, otel ${o.toFixed(1)} µs: ${verdict} (goal >= 5x)`);
};
if (fig.otel) {
  ratio("mean latency per request", "addedMeanUs");
  ratio("p99 latency", "addedP99Us");
  ratio("server CPU per request", "addedCpuUs");
} else {
  console.log("OpenTelemetry not installed: no comparison (npm install --prefix bench/agent)");
}
console.log(
  "\nThe machine's other load moves req/s and latency from run to run; CPU µs/req (the server process, all threads)\n" +
    "is the steadier measure of what the instrumentation itself costs.",
);
