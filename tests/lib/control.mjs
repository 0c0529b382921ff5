// Helpers for the control-plane end-to-end tests: a private TTNG_HOME per test, `ttng` runs in
// it, fixture apps, trace reading, and cleanup of every daemon started there (by its pid file).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, ttngBin } from "../helpers.mjs";

export const appScript = join(root, "tests/control/app.mjs");
export const sessiondBin = join(root, "packages/sessiond/dist/main.js");

export class Home {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "ttng-ctl-"));
    this.env = { ...process.env, TTNG_HOME: this.dir, TZ: "UTC", TTNG_UST_REGISTER_TIMEOUT: "3000" };
    delete this.env.NODE_OPTIONS;
    this.apps = [];
  }
  /** Runs `ttng ARGS`; returns {status, stdout, stderr}. */
  ttng(...args) {
    const r = spawnSync(process.execPath, [ttngBin, ...args], { env: this.env, encoding: "utf8" });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  /** Like ttng() but fails the test on a non-zero status. */
  ok(...args) {
    const r = this.ttng(...args);
    if (r.status !== 0) throw new Error(`ttng ${args.join(" ")} -> ${r.status}\n${r.stdout}${r.stderr}`);
    return r.stdout;
  }
  /** Runs any command in this home's environment. */
  run(cmd, args) {
    const r = spawnSync(cmd, args, { env: this.env, encoding: "utf8" });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  get pidFile() {
    return join(this.dir, ".ttng", "ttng-sessiond.pid");
  }
  daemonPid() {
    try {
      return Number(readFileSync(this.pidFile, "utf8"));
    } catch {
      return 0;
    }
  }
  startDaemon() {
    const r = spawnSync(process.execPath, [sessiondBin, "--daemonize"], { env: this.env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`ttng-sessiond --daemonize: ${r.status} ${r.stderr}`);
    return this.daemonPid();
  }
  /** Waits until `ttng list -u` shows the process (it registered). */
  async waitRegistered(pid, timeoutMs = 5000) {
    const t0 = Date.now();
    while (!this.ttng("list", "-u").stdout.includes(`PID: ${pid} `)) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`pid ${pid} did not register`);
      await sleep(50);
    }
  }
  /** Starts the fixture app; resolves once it printed `ready`. */
  async app(extraEnv = {}) {
    const stopFile = join(this.dir, `stop-${this.apps.length}`);
    const child = spawn(process.execPath, [appScript, stopFile], {
      env: { ...this.env, ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const app = { child, stopFile, stdout: "", stderr: "", pid: child.pid };
    child.stdout.on("data", (d) => {
      app.stdout += d;
    });
    child.stderr.on("data", (d) => {
      app.stderr += d;
    });
    app.exited = new Promise((r) => child.once("exit", (code) => r(code)));
    this.apps.push(app);
    const t0 = Date.now();
    while (!app.stdout.includes("ready")) {
      if (Date.now() - t0 > 10000) throw new Error(`app did not start: ${app.stderr}`);
      if (child.exitCode !== null) throw new Error(`app exited: ${app.stderr}`);
      await sleep(10);
    }
    app.registration = JSON.parse(app.stdout.split("\n")[0].split(" ").slice(2).join(" "));
    /** Stops the app; resolves with its exit status. */
    app.finish = async () => {
      writeFileSync(stopFile, "");
      return app.exited;
    };
    return app;
  }
  /** Kills apps still running and every daemon started in this home; removes the home. */
  async cleanup() {
    for (const a of this.apps) if (a.child.exitCode === null) a.child.kill("SIGKILL");
    const pid = this.daemonPid();
    if (pid > 0) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Every file under dir, relative. */
export function filesUnder(dir) {
  const out = [];
  const walk = (d, rel) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p, rel === "" ? n : `${rel}/${n}`);
      else out.push(rel === "" ? n : `${rel}/${n}`);
    }
  };
  if (existsSync(dir)) walk(dir, "");
  return out.sort();
}

/** babeltrace2's text for a trace (null when babeltrace2 is not installed). */
export function babeltrace(path) {
  const r = spawnSync("babeltrace2", [path], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.error) return null;
  if (r.status !== 0) throw new Error(`babeltrace2 ${path}: ${r.stderr}`);
  return r.stdout;
}

/** Event names counted in babeltrace2-style text. */
export function countByName(text) {
  const counts = {};
  for (const m of text.matchAll(/\) \S+ ([\w:]+): /g)) counts[m[1]] = (counts[m[1]] ?? 0) + 1;
  return counts;
}

/** `ttng view` output for a trace. */
export function ttngView(home, path) {
  return home.ok("view", path);
}
