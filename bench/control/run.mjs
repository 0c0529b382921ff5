#!/usr/bin/env node
// bench/control: the control plane's latencies, ttng next to LTTng 2.13 on this machine.
//   1. enable-event -> first recorded event: an app emits ctlapp:a and ctlapp:b every 200 µs
//      (ttng: tests/control/app.mjs with CTLAPP_PERIOD_MS; LTTng: bench/control/app.c); only
//      ctlapp:a is enabled; we run `enable-event -u ctlapp:b` and take the time from just before
//      the command is spawned to the first ctlapp:b in the trace (its timestamp in the trace's
//      realtime, from `babeltrace2 --clock-seconds`), then disable it again; R rounds.
//   2. command latency: wall time of `list`, `enable-event` + `disable-event`, and
//      `create` + `destroy` (each a fresh CLI process, as a user types them), N runs each.
// LTTng runs in a private mount namespace (its own /var/run/lttng, /dev/shm, HOME), as in the
// tests. Usage: npm run bench -- control [--rounds R] [--runs N] [--ttng-only]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const args = process.argv.slice(2);
const opt = (name, d) => {
  const k = args.indexOf(name);
  return k >= 0 ? Number(args[k + 1]) : d;
};
const ROUNDS = opt("--rounds", 5);
const RUNS = opt("--runs", 10);
const ttngOnly = args.includes("--ttng-only");
const dir = mkdtempSync(join(tmpdir(), "ttng-bench-control-"));
const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)];
};

/** The shell script both tools run: R enable/disable rounds and N timed commands; prints `key value` lines. */
function script(cli, appCmd, trace, libRounds = "") {
  return `set -u
now() { date +%s%N; }
${cli} create bench --output=${q(trace)} >/dev/null
${cli} enable-event -u ctlapp:a >/dev/null
${cli} start >/dev/null
${appCmd} &
APP=$!
sleep 1.5
for r in $(seq 1 ${ROUNDS}); do
  echo "enable $(now)"
  ${cli} enable-event -u ctlapp:b >/dev/null
  echo "enabled $(now)"
  sleep 0.3
  echo "disable $(now)"
  ${cli} disable-event -u ctlapp:b >/dev/null
  sleep 0.2
done
${libRounds}
${cli} stop >/dev/null
touch ${q(join(dir, "stop"))}
wait $APP
for r in $(seq 1 ${RUNS}); do t0=$(now); ${cli} list >/dev/null; echo "list $(( $(now) - t0 ))"; done
for r in $(seq 1 ${RUNS}); do
  t0=$(now); ${cli} enable-event -u ctlapp:zz >/dev/null; echo "enable-event $(( $(now) - t0 ))"
  t0=$(now); ${cli} disable-event -u ctlapp:zz >/dev/null; echo "disable-event $(( $(now) - t0 ))"
done
${cli} destroy >/dev/null
for r in $(seq 1 ${RUNS}); do t0=$(now); ${q(process.execPath)} -e 0; echo "node $(( $(now) - t0 ))"; done
for r in $(seq 1 ${RUNS}); do
  t0=$(now); ${cli} create b$r --no-output >/dev/null; echo "create $(( $(now) - t0 ))"
  t0=$(now); ${cli} destroy b$r >/dev/null; echo "destroy $(( $(now) - t0 ))"
done
`;
}

function analyze(name, out, trace, prefix = "") {
  const lines = out
    .trim()
    .split("\n")
    .map((l) => l.split(" "))
    .filter((l) => (prefix === "" ? !l[0].startsWith("lib-") : l[0].startsWith(prefix)))
    .map((l) => (prefix === "" ? l : [l[0].slice(prefix.length), ...l.slice(1)]));
  const bt = spawnSync("babeltrace2", ["--clock-seconds", trace], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (bt.status !== 0) throw new Error(`${name}: babeltrace2: ${bt.stderr}`);
  const bTimes = [...bt.stdout.matchAll(/^\[(\d+)\.(\d+)\] \S+ \S+ ctlapp:b:/gm)].map(
    (m) => Number(m[1]) * 1e9 + Number(m[2].padEnd(9, "0")),
  );
  const firstLatencyMs = [];
  const commandMs = [];
  for (let k = 0; k < lines.length; k++) {
    if (lines[k][0] !== "enable") continue;
    const t0 = Number(lines[k][1]);
    const t1 = Number(lines[k + 1][1]);
    commandMs.push((t1 - t0) / 1e6);
    const first = bTimes.find((t) => t >= t0);
    if (first !== undefined) firstLatencyMs.push((first - t0) / 1e6);
  }
  const cmd = (key) => median(lines.filter((l) => l[0] === key).map((l) => Number(l[1]) / 1e6));
  return {
    name,
    firstEventMs: median(firstLatencyMs),
    firstEventAll: firstLatencyMs.map((x) => x.toFixed(1)).join(" "),
    enableReturnsMs: median(commandMs),
    list: cmd("list"),
    enable: cmd("enable-event"),
    disable: cmd("disable-event"),
    create: cmd("create"),
    destroy: cmd("destroy"),
    node: cmd("node"),
  };
}

function runTtng() {
  const home = join(dir, "ttng-home");
  const trace = join(dir, "ttng-trace");
  const cli = `${q(process.execPath)} ${q(join(root, "packages/cli/dist/bin/ttng.js"))}`;
  const app = `CTLAPP_PERIOD_MS=0.2 ${q(process.execPath)} ${q(join(root, "tests/control/app.mjs"))} ${q(join(dir, "stop"))}`;
  const env = { ...process.env, TTNG_HOME: home, HOME: home };
  delete env.NODE_OPTIONS;
  spawnSync(process.execPath, [join(root, "packages/sessiond/dist/main.js"), "--daemonize"], { env });
  // The same rounds through the client library (no CLI start-up): the control plane alone.
  const lib = join(dir, "lib.mjs");
  writeFileSync(
    lib,
    `import { connectControl } from ${JSON.stringify(join(root, "packages/cli/dist/control/client.js"))};
const c = await connectControl();
const rule = { name: "ctlapp:b", type: "tracepoint", logLevelType: "all", logLevel: -1, filter: null, exclusions: [] };
const now = () => Math.round((performance.timeOrigin + performance.now()) * 1e6);
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
for (let r = 0; r < ${ROUNDS}; r++) {
  console.log("lib-enable " + now());
  await c.request({ op: "enable-event", session: "bench", domain: "ust", rule });
  console.log("lib-enabled " + now());
  await sleep(300);
  await c.request({ op: "disable-event", session: "bench", domain: "ust", name: "ctlapp:b" });
  await sleep(200);
}
c.close();
`,
  );
  const libRounds = `${q(process.execPath)} ${q(lib)}`;
  const r = spawnSync("bash", ["-c", script(cli, app, trace, libRounds)], { env, encoding: "utf8" });
  spawnSync("bash", ["-c", `kill $(cat ${q(join(home, ".ttng/ttng-sessiond.pid"))})`]);
  rmSync(join(dir, "stop"), { force: true });
  if (r.status !== 0) throw new Error(`ttng run failed: ${r.stderr}`);
  return [analyze("ttng", r.stdout, trace), analyze("ttng, client library (no CLI start-up)", r.stdout, trace, "lib-")];
}

function runLttng() {
  const home = join(dir, "lttng-home");
  const trace = join(dir, "lttng-trace");
  const cc = spawnSync(
    "gcc",
    [
      "-O2",
      "-I",
      join(root, "bench/control"),
      "-o",
      join(dir, "app"),
      join(root, "bench/control/app.c"),
      "-llttng-ust",
      "-ldl",
    ],
    { encoding: "utf8" },
  );
  if (cc.status !== 0) throw new Error(`gcc: ${cc.stderr}`);
  const inner = `set -u
mkdir -p /var/run/lttng ${q(home)}
mount -t tmpfs none /var/run/lttng || exit 90
mount -t tmpfs none /dev/shm || exit 91
export HOME=${q(home)} LTTNG_HOME=${q(home)}
lttng-sessiond --daemonize --no-kernel >/dev/null 2>&1 || exit 92
${script("lttng", `${q(join(dir, "app"))} ${q(join(dir, "stop"))}`, trace)}
kill $(cat /var/run/lttng/lttng-sessiond.pid) 2>/dev/null
`;
  writeFileSync(join(dir, "lttng.sh"), inner);
  const r = spawnSync("unshare", ["--mount", "bash", join(dir, "lttng.sh")], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`lttng run failed (${r.status}): ${r.stderr}`);
  return analyze("lttng", r.stdout, trace);
}

try {
  const results = runTtng();
  if (!ttngOnly) {
    try {
      results.push(runLttng());
    } catch (e) {
      console.log(`lttng: not measured (${e.message.split("\n")[0]})`);
    }
  }
  const f = (x) => (Number.isFinite(x) ? x.toFixed(1).padStart(8) : "     n/a");
  console.log(`control plane, median of ${ROUNDS} rounds / ${RUNS} runs, ms (CLI: a fresh process per command)`);
  console.log("enable->1st event  enable returns      list   enable  disable   create  destroy");
  for (const r of results) {
    console.log(`${r.name}:`);
    console.log(
      `${f(r.firstEventMs)}          ${f(r.enableReturnsMs)}  ${f(r.list)} ${f(r.enable)} ${f(r.disable)} ${f(r.create)} ${f(r.destroy)}`,
    );
  }
  for (const r of results) console.log(`${r.name}: enable->first event, every round: ${r.firstEventAll}`);
  console.log(`node -e 0 (start-up of any node CLI here, same moment): ${f(results[0].node).trim()} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
