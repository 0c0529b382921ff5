#!/usr/bin/env node
// bench/agent/shared-core.mjs: each instrumented server against an uninstrumented one serving
// at the same time on the same CPU, so that what slows this shared VM from second to second
// slows both alike.
//   node bench/agent/shared-core.mjs [--modes none2,off,ttng,ttng1,otel] [--pairs 4] [--rounds 4] [--seconds 1] [--connections 16]
// For each mode, --pairs pairs of fresh server processes (hello-server.cjs: none and the mode,
// the same preloads as run.mjs). Both servers of a pair, every thread of each (the tracer's
// consumer included), are pinned to CPU 0; each has its own load generator, pinned to CPU 1:
// wrk when it is installed (C, so it needs little of CPU 1; Debian: apt-get install wrk), else
// load.mjs. Per round, both loads run for --seconds at once; each server's figure is its
// requests over its CPU time in that round (all its threads, from /proc/PID/task/*/schedstat),
// and the round's figure is the mode's over none's: the share of requests/s a server bound by
// its CPU keeps. The scheduler gives the two servers CPU 0 in turns of milliseconds, so a slow
// second of the machine falls on both; run one after the other (run.mjs), the same server's
// CPU per request moves by 20 % or more between rounds here.
// Noise that remains: two processes of the same server differ by a per cent or two for as long
// as they live (code and heap placement), hence fresh pairs; `none2` (a second uninstrumented
// server, run by default) shows that floor. No latency here: taking turns on one CPU adds
// milliseconds to both; run.mjs measures latency.
// Linux only (taskset, /proc); needs 2 CPUs. Not a test: it never fails on numbers.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  forkServer,
  haveOtel,
  listOption,
  mainModes,
  numberOption,
  onPath,
  pinToCpu0,
  quantile,
  requireTracerBuilt,
  threadCpuNs,
} from "./modes.mjs";

const here = new URL(".", import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name, dflt, integer = true) => numberOption("bench/agent/shared-core", args, name, dflt, integer);
const pairs = opt("pairs", 4);
const rounds = opt("rounds", 4);
const seconds = opt("seconds", 1, false);
const connections = opt("connections", 16);
const wanted = listOption(args, "modes") ?? ["none2", "off", "ttng", "ttng1", "otel"];

requireTracerBuilt("bench/agent/shared-core");
if (process.platform !== "linux" || !onPath("taskset") || cpus().length < 2) {
  console.error("bench/agent/shared-core: needs Linux, taskset and 2 CPUs");
  process.exit(1);
}
const useWrk = onPath("wrk");
const none = mainModes.find((m) => m.name === "none");
const known = [{ name: "none2", execArgv: [] }, ...mainModes.filter((m) => m.name !== "none")];
const modes = [];
for (const name of wanted) {
  const m = known.find((x) => x.name === name);
  if (m === undefined) {
    if (name === "otel" && !haveOtel)
      console.log(
        "OpenTelemetry is NOT installed in bench/agent/node_modules: otel skipped (npm install --prefix bench/agent)",
      );
    else {
      console.error(`bench/agent/shared-core: unknown mode ${name} (${known.map((x) => x.name).join(", ")})`);
      process.exit(2);
    }
  } else modes.push(m);
}
const out = mkdtempSync(join(tmpdir(), "ttng-bench-shared-"));

/** CPU time of a process, all its threads, ns. */
function cpuNs(pid) {
  const t = threadCpuNs(pid);
  return t.main + t.others;
}

/** Busy and total jiffies of CPU 1 (/proc/stat), to tell when the generators ran out of it. */
function cpu1() {
  const line = readFileSync("/proc/stat", "utf8")
    .split("\n")
    .find((l) => l.startsWith("cpu1 "));
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - v[3] - v[4], total };
}

async function startServer(mode, tag) {
  const { server, port } = await forkServer(mode, join(out, tag));
  pinToCpu0(server.pid);
  return { mode, server, port };
}

async function stopServer(srv) {
  const exited = new Promise((resolve) => srv.server.once("exit", resolve));
  if (srv.mode.execArgv.length === 0) srv.server.kill();
  else srv.server.send("stop"); // with-ttng.mjs stops its session and exits
  const timer = setTimeout(() => srv.server.kill("SIGKILL"), 10000);
  await exited;
  clearTimeout(timer);
}

/** One load on one server for `ms`, on CPU 1: {requests, errors}. */
function load(port, ms) {
  const argv = useWrk
    ? ["-c", "1", "wrk", "-t1", `-c${connections}`, `-d${ms / 1000}s`, `http://127.0.0.1:${port}/`]
    : ["-c", "1", process.execPath, join(here, "load.mjs"), String(port), String(connections), String(ms)];
  return new Promise((resolve, reject) => {
    const child = spawn("taskset", argv, { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    let err = "";
    child.stdout.on("data", (c) => {
      text += c;
    });
    child.stderr.on("data", (c) => {
      err += c;
    });
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`load generator failed (${code}): ${err}`));
      if (!useWrk) return resolve(JSON.parse(text));
      const m = /(\d+) requests in/.exec(text);
      if (m === null) return reject(new Error(`unexpected wrk output: ${text}`));
      const bad = /Non-2xx or 3xx responses: (\d+)/.exec(text);
      const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
      const errors = (bad ? Number(bad[1]) : 0) + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
      resolve({ requests: Number(m[1]), errors });
    });
  });
}

/** One round: both loads at once; the mode's requests per CPU second over none's. */
async function round(a, b, ms) {
  const ca = cpuNs(a.server.pid);
  const cb = cpuNs(b.server.pid);
  const c1 = cpu1();
  const [ra, rb] = await Promise.all([load(a.port, ms), load(b.port, ms)]);
  const c2 = cpu1();
  const da = cpuNs(a.server.pid) - ca;
  const db = cpuNs(b.server.pid) - cb;
  if (ra.errors + rb.errors > 0) throw new Error(`load errors: none ${ra.errors}, other ${rb.errors}`);
  return {
    share: rb.requests / db / (ra.requests / da),
    rpsShare: rb.requests / ra.requests,
    noneUsPerReq: da / 1000 / ra.requests,
    modeUsPerReq: db / 1000 / rb.requests,
    addedUs: db / 1000 / rb.requests - da / 1000 / ra.requests,
    generatorBusy: (c2.busy - c1.busy) / Math.max(1, c2.total - c1.total),
  };
}

const pct = (x) => `${(100 * x).toFixed(1)} %`;

const load0 = loadavg();
console.log(
  `bench/agent/shared-core: ${pairs} pairs of fresh servers per mode, ${rounds} rounds of ${seconds} s after 2 s of warm-up, ` +
    `${connections} connections each, generator ${useWrk ? "wrk" : "load.mjs (wrk not installed)"}, node ${process.version}`,
);
const summary = [];
for (const mode of modes) {
  const all = [];
  const perPair = [];
  let busiest = 0;
  for (let p = 0; p < pairs; p++) {
    // Which one starts first alternates, so that neither always gets the same place.
    let a;
    let b;
    if (p % 2 === 0) {
      a = await startServer(none, `none-${mode.name}-${p}`);
      b = await startServer(mode, `${mode.name}-${p}`);
    } else {
      b = await startServer(mode, `${mode.name}-${p}`);
      a = await startServer(none, `none-${mode.name}-${p}`);
    }
    try {
      await round(a, b, 2000);
      const mine = [];
      for (let r = 0; r < rounds; r++) {
        const x = await round(a, b, seconds * 1000);
        mine.push(x.share);
        all.push(x);
        busiest = Math.max(busiest, x.generatorBusy);
      }
      perPair.push(quantile(mine, 0.5));
    } finally {
      await stopServer(a);
      await stopServer(b);
    }
  }
  const at = (key, q = 0.5) =>
    quantile(
      all.map((x) => x[key]),
      q,
    );
  const f = {
    name: mode.name,
    share: at("share"),
    q1: at("share", 0.25),
    q3: at("share", 0.75),
    rpsShare: at("rpsShare"),
    noneUs: at("noneUsPerReq"),
    modeUs: at("modeUsPerReq"),
    addedUs: at("addedUs"),
  };
  summary.push(f);
  console.log(
    `${mode.name.padEnd(5)} keeps ${pct(f.share)} of none's requests per CPU second [quartiles ${pct(f.q1)}..${pct(f.q3)}]; ` +
      `per pair ${perPair.map((x) => (100 * x).toFixed(1)).join(" ")}; CPU per request none ${f.noneUs.toFixed(2)} µs, ` +
      `${mode.name} ${f.modeUs.toFixed(2)} µs (added ${f.addedUs.toFixed(2)} µs); requests/s ${pct(f.rpsShare)} of none's (the CPU split is not exactly even)` +
      (busiest > 0.9
        ? `; WARNING: the generators used ${pct(busiest)} of CPU 1 in a round, so they may have held the servers back`
        : ""),
  );
}
rmSync(out, { recursive: true, force: true });
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")} (at start ${load0.map((x) => x.toFixed(2)).join(" ")})`,
);
const t = summary.find((f) => f.name === "ttng");
const o = summary.find((f) => f.name === "otel");
if (t)
  console.log(
    `ttng keeps ${pct(t.share)} of the uninstrumented requests/s of a server bound by its CPU (goal >= 95 %)`,
  );
if (t && o)
  console.log(
    t.addedUs > 0
      ? `otel adds ${(o.addedUs / t.addedUs).toFixed(1)}x the CPU per request ttng adds (${o.addedUs.toFixed(2)} against ${t.addedUs.toFixed(2)} µs)`
      : "ttng's added CPU per request is below this run's noise",
  );
