#!/usr/bin/env node
// Runs every compiled test (`packages/*/dist/**/*.test.js`, `tests/**/*.test.mjs`)
// with node's test runner. Node 20 has no glob in `--test`, so we list files here.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { bundleTracer, tracerBundleStale } from "./bundle-tracer.mjs";

const root = new URL("..", import.meta.url).pathname;
const files = [];
function walk(dir, re) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name === "node_modules") continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, re);
    else if (re.test(name)) files.push(p);
  }
}
for (const pkg of readdirSync(join(root, "packages"))) walk(join(root, "packages", pkg, "dist"), /\.test\.js$/);
walk(join(root, "tests"), /\.test\.mjs$/);
const only = process.argv.slice(2);
const selected = only.length > 0 ? files.filter((f) => only.some((o) => f.includes(o))) : files;
if (selected.length === 0) {
  console.error("run-tests: no test files found (did the build run?)");
  process.exit(1);
}
// The tests run @ttng/tracer as apps get it, from its bundle: rebuild it when `tsc -b` ran since.
const stale = tracerBundleStale();
if (stale !== null) {
  console.error(`run-tests: rebuilding @ttng/tracer's bundle (${stale})`);
  console.error(await bundleTracer());
}
const concurrency = process.env.TTNG_TEST_CONCURRENCY ?? "2";
const r = spawnSync(process.execPath, ["--test", `--test-concurrency=${concurrency}`, ...selected], {
  stdio: "inherit",
  cwd: root,
});
process.exit(r.status ?? 1);
