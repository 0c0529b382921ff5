#!/usr/bin/env node
// `npm run bench -- <name> [args…]` runs bench/<name>/run.mjs in its own node
// process; without a name it lists the benchmarks. Benchmarks never gate CI.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const here = new URL(".", import.meta.url).pathname;
const available = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, "run.mjs")))
  .map((d) => d.name)
  .sort();
const [name, ...args] = process.argv.slice(2);
if (name === undefined || !available.includes(name)) {
  if (name !== undefined) console.error(`bench: no benchmark named ${JSON.stringify(name)}`);
  console.error(`usage: npm run bench -- <name> [args…]\nbenchmarks: ${available.join(", ") || "(none)"}`);
  process.exit(name === undefined ? 0 : 2);
}
const r = spawnSync(process.execPath, [join(here, name, "run.mjs"), ...args], { stdio: "inherit" });
process.exit(r.status ?? 1);
