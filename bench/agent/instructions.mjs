#!/usr/bin/env node
// bench/agent/instructions.mjs: the instructions a hello-world HTTP server executes per request,
// uninstrumented and instrumented, counted by valgrind (callgrind), so that the machine's other
// load cannot move the figure: on a shared VM the same server's requests/s and even its CPU time
// per request move by 20 % or more between runs, more than the cost being measured.
//   node bench/agent/instructions.mjs [--modes none,off,ttng,ttng1,otel] [--warm 20000] [--requests 40000] [--connections 4]
// Each mode's server (hello-server.cjs, with the same preloads as run.mjs) runs under
// `valgrind --tool=callgrind --separate-threads=yes`; a count-based closed-loop generator in
// this process (not under valgrind) sends --warm requests, then callgrind's counters are zeroed
// (callgrind_control -z), --requests more are sent and the counters dumped (-d). Figures: the
// instructions per request of the main thread, of the worker threads (the ttng consumer) and
// of V8's and libuv's helper threads (concurrent GC, compilers: these move by 10 % between runs
// of the same server), and none's main + worker instructions over each mode's: the share of
// requests/s a server bound by those threads' CPU would keep if every instruction cost the same
// time. It is a model: instructions are not time (caches, branches, the kernel's work,
// which valgrind does not count, are left out); run.mjs measures the time.
// Needs valgrind (Debian: apt-get install valgrind). Not a test: it never fails on numbers.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { haveOtel, listOption, mainModes, numberOption, onPath, requireTracerBuilt } from "./modes.mjs";

const here = new URL(".", import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name, dflt) => numberOption("bench/agent/instructions", args, name, dflt, true);
const warm = opt("warm", 20000);
const requests = opt("requests", 40000);
const connections = opt("connections", 4);
const modesArg = listOption(args, "modes");

for (const tool of ["valgrind", "callgrind_control"]) {
  if (!onPath(tool)) {
    console.error(`bench/agent/instructions: ${tool} is not installed (apt-get install valgrind); nothing measured`);
    process.exit(0);
  }
}
requireTracerBuilt("bench/agent/instructions");
const allModes = mainModes;
const modes = allModes.filter((m) => m.name === "none" || modesArg === null || modesArg.includes(m.name));
if (modesArg?.includes("otel") && !haveOtel)
  console.error(
    "bench/agent/instructions: OpenTelemetry is not installed (npm install --prefix bench/agent): otel skipped",
  );

const fmt = (n) => String(Math.round(n)).padStart(7);

const REQUEST = Buffer.from("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
/** Sends `total` requests over `connections` keep-alive connections, each waiting for its response. */
function load(port, total) {
  let sent = 0;
  let done = 0;
  const one = () =>
    new Promise((resolve, reject) => {
      const s = connect(port, "127.0.0.1");
      s.setNoDelay(true);
      let pending = "";
      const send = () => {
        if (sent >= total) {
          s.end();
          resolve();
          return;
        }
        sent++;
        s.write(REQUEST);
      };
      s.on("connect", send);
      s.on("error", reject);
      s.on("data", (chunk) => {
        pending += chunk.toString("latin1");
        for (;;) {
          const i = pending.indexOf("hello\n");
          if (i < 0) return;
          pending = pending.slice(i + 6);
          done++;
          send();
        }
      });
    });
  return Promise.all(Array.from({ length: connections }, one)).then(() => done);
}

function control(pid, what) {
  const r = spawnSync("callgrind_control", [what, String(pid)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`callgrind_control ${what} ${pid}: ${r.stderr || r.stdout}`);
}

/**
 * Instructions of each thread in callgrind's first dump (`<base>.1-NN`, the main thread first),
 * and whether it is a worker_threads thread (the tracer's consumer) rather than one of V8's or
 * libuv's helpers.
 */
function dumped(dir) {
  const files = readdirSync(dir)
    .filter((f) => /^cg\.out\.1-\d+$/.test(f))
    .sort();
  return files.map((f) => {
    const text = readFileSync(join(dir, f), "utf8");
    const m = /^totals: (\d+)/m.exec(text);
    return { insn: m ? Number(m[1]) : 0, worker: text.includes("node::worker::Worker::Run") };
  });
}

async function measure(mode) {
  const dir = mkdtempSync(join(tmpdir(), `ttng-bench-insn-${mode.name}-`));
  const child = spawn(
    "valgrind",
    [
      "--tool=callgrind",
      "--separate-threads=yes",
      `--callgrind-out-file=${join(dir, "cg.out")}`,
      process.execPath,
      ...mode.execArgv,
      join(here, "hello-server.cjs"),
    ],
    {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      env: { ...process.env, ...mode.env, TTNG_BENCH_OUTPUT: join(dir, "trace") },
    },
  );
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise((r) => child.once("exit", r));
  const port = await new Promise((resolve, reject) => {
    child.on("message", (m) => m.port !== undefined && resolve(m.port));
    child.once("exit", (code) => reject(new Error(`${mode.name}: the server exited (${code}): ${stderr.slice(-400)}`)));
  });
  await load(port, warm);
  control(child.pid, "-z");
  const done = await load(port, requests);
  control(child.pid, "-d");
  let recorded = null;
  if (mode.name.startsWith("ttng")) {
    const reply = new Promise((r) => child.on("message", (m) => m.recorded !== undefined && r(m)));
    child.send("stop");
    recorded = await reply;
  } else child.kill("SIGTERM");
  await exited;
  const threads = dumped(dir);
  rmSync(dir, { recursive: true, force: true });
  if (threads.length === 0) throw new Error(`${mode.name}: callgrind dumped nothing: ${stderr.slice(-400)}`);
  const sum = (list) => list.reduce((a, t) => a + t.insn, 0) / done;
  const rest = threads.slice(1);
  return {
    name: mode.name,
    done,
    main: threads[0].insn / done,
    workers: sum(rest.filter((t) => t.worker)),
    helpers: sum(rest.filter((t) => !t.worker)),
    recorded,
  };
}

console.log(
  `bench/agent/instructions: ${warm} warm-up requests, then ${requests} counted, ${connections} connections, node ${process.version}, under valgrind`,
);
const results = [];
for (const mode of modes) {
  const r = await measure(mode);
  results.push(r);
  const rec =
    r.recorded === null
      ? ""
      : `  (recorded ${r.recorded.recorded} requests, ${r.recorded.discarded} events discarded${r.recorded.errors.length > 0 ? `, errors: ${r.recorded.errors.join("; ")}` : ""})`;
  console.log(
    `${r.name.padEnd(5)} ${fmt(r.main)} instructions/request on the main thread, ${fmt(r.workers)} in worker threads, ${fmt(r.helpers)} in V8's and libuv's helper threads${rec}`,
  );
}
const none = results.find((r) => r.name === "none");
const own = (r) => r.main + r.workers;
const pct = (a, b) => `${(((a - b) / b) * 100).toFixed(1)} %`;
console.log("");
for (const r of results) {
  if (r === none) continue;
  console.log(
    `${r.name.padEnd(5)} adds ${fmt(r.main - none.main)} on the main thread (${pct(r.main, none.main)}), ${fmt(own(r) - own(none))} with worker threads (${pct(own(r), own(none))}): a server bound by these threads' CPU would keep ${((own(none) / own(r)) * 100).toFixed(1)} % of its requests/s; helper threads ${fmt(r.helpers - none.helpers)}`,
  );
}
const ttng = results.find((r) => r.name === "ttng");
const otel = results.find((r) => r.name === "otel");
if (ttng && otel && own(ttng) > own(none))
  console.log(
    `\notel adds ${((own(otel) - own(none)) / (own(ttng) - own(none))).toFixed(1)}x the instructions per request ttng adds (main and worker threads)`,
  );
console.log(
  "\nHelper threads (V8's concurrent GC and compilers) move by 10 % or more between runs of the same server, with when the GC runs: read them as noise.",
);
