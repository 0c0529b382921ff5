// Shared by tests/agent-*.test.mjs: start examples/http-server.mjs (unmodified) under the
// agent (tests/agent/preload.mjs), drive its in-process sessions over the fork IPC channel,
// run examples/http-client.mjs, and read traces back with babeltrace2 (the oracle).
import { fork, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { root } from "../helpers.mjs";

export const serverScript = join(root, "examples/http-server.mjs");
export const clientScript = join(root, "examples/http-client.mjs");
export const preload = join(root, "tests/agent/preload.mjs");

/**
 * Starts the example server with the agent preloaded; resolves once it listens. `tmpfsKiB`: the
 * server runs in a private mount namespace where `tmpfsAt` is a tmpfs of that size (root only).
 */
export async function startServer({ script = serverScript, execArgv = [], env = {}, tmpfsAt, tmpfsKiB } = {}) {
  const args = [...execArgv, "--import", preload, script];
  const options = { stdio: ["ignore", "pipe", "pipe", "ipc"], env: { ...process.env, ...env } };
  const child =
    tmpfsAt === undefined
      ? fork(script, [], { ...options, execArgv: args.slice(0, -1) })
      : spawn(
          "unshare",
          [
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            `mount -t tmpfs -o size=${tmpfsKiB}k none "$0" && exec "$@"`,
            tmpfsAt,
            process.execPath,
            ...args,
          ],
          { ...options, serialization: "json" },
        );
  let stdout = "";
  let stderr = "";
  const warnings = [];
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const replies = [];
  const waiters = [];
  child.on("message", (m) => {
    if (m !== null && typeof m === "object" && "warn" in m) {
      warnings.push(m.warn);
      return;
    }
    const w = waiters.shift();
    if (w) w(m);
    else replies.push(m);
  });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${stdout}${stderr}`)), 20_000);
    child.stdout.on("data", (d) => {
      stdout += d;
      const m = /listening on (\d+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (code ${code}, signal ${signal}):\n${stdout}${stderr}`));
    });
  });
  let dead = null;
  exited.then(({ code, signal }) => {
    dead = new Error(`the server exited (code ${code}, signal ${signal}):\n${stdout}${stderr}`);
    for (const w of waiters.splice(0)) w(dead);
  });
  function ask(message) {
    if (dead !== null) return Promise.reject(dead);
    child.send(message);
    const r = replies.shift();
    if (r !== undefined) return Promise.resolve(r);
    return new Promise((resolve, reject) => waiters.push((m) => (m instanceof Error ? reject(m) : resolve(m))));
  }
  return {
    child,
    port,
    warnings,
    exited,
    output: () => ({ stdout, stderr }),
    start: (options) => ask({ cmd: "start", ...options }),
    stop: () => ask({ cmd: "stop" }),
    ask,
    stats: () => ask({ cmd: "stats" }).then((r) => r.stats),
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Runs the example client; returns its measurements ({path, status, durationMs} per request). */
export function runClient(port, paths) {
  const r = spawnSync(process.execPath, [clientScript, String(port), ...paths], { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`client failed (${r.status}): ${r.stderr}`);
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Async variant for clients that run while the test does something else. */
export async function runClientAsync(port, paths) {
  const child = fork(clientScript, [String(port), ...paths], { stdio: ["ignore", "pipe", "pipe", "ipc"] });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  const [code] = await once(child, "exit");
  if (code !== 0) throw new Error(`client failed (${code})`);
  return out
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

function unescapeText(s) {
  return s.replace(/\\(.)/g, (_, c) => ({ n: "\n", t: "\t", r: "\r" })[c] ?? c);
}

/**
 * babeltrace2's pretty output as events: {name, ts, fields} where fields merges the stream event
 * context and the payload (names are distinct: `app_request_id` versus `request_id`).
 */
export function readTrace(path) {
  // --clock-cycles: timestamps as integers (ns: the monotonic clock counts at 1 GHz), `ts`.
  const r = spawnSync("babeltrace2", ["--clock-cycles", path], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`babeltrace2 failed on ${path}: ${r.stderr}`);
  const events = [];
  for (const line of r.stdout.split("\n")) {
    const m = /^\[(\d+)\] \([^)]*\) \S+ ([a-z_]+:[a-z_]+): (.*)$/.exec(line);
    if (!m) continue;
    const fields = {};
    for (const f of m[3].matchAll(/(\w+) = (?:\{ )?("(?:[^"\\]|\\.)*"|-?[0-9.]+)/g)) {
      const v = f[2];
      fields[f[1]] = v.startsWith('"') ? unescapeText(v.slice(1, -1)) : Number(v);
    }
    events.push({ name: m[2], ts: Number(m[1]), fields });
  }
  return events;
}
