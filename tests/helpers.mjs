// Shared helpers for end-to-end tests: where the corpus and the CLI are, and how to run tools.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const corpus = resolve(root, "../shared/conformance/babeltrace");
export const hasCorpus = existsSync(join(corpus, "ctf-traces"));
export const ttngBin = join(root, "packages/cli/dist/bin/ttng.js");

/** Runs a command; returns {status, stdout (latin1), stderr}. */
export function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, {
    env: { ...process.env, TZ: "UTC", ...env },
    maxBuffer: 1 << 30,
    encoding: "latin1",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function ttng(args, env) {
  return run(process.execPath, [ttngBin, ...args], env);
}

/** True when `cmd` is on PATH. In CI a missing oracle is a failure, elsewhere a skip. */
export function haveTool(cmd) {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`]);
  return r.status === 0;
}

export function skipReason(what) {
  if (process.env.CI === "true") throw new Error(`${what} is required in CI but missing`);
  return `${what} not available`;
}
