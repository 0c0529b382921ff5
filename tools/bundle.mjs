#!/usr/bin/env node
// Bundles @ttng/tracer (tools/bundle-tracer.mjs says why), then
// bundles the CLI (packages/cli/dist/main.js, after `tsc -b`) into packages/cli/dist/bundle/ and
// records a V8 code cache for it, so that a `ttng` command neither resolves some sixty modules nor
// compiles the code it runs:
//
// - ttng.cjs: the CLI and every package it uses, in one file of CommonJS form, which
//   bin/ttng.js compiles with `vm.Script` and the code cache (it is not meant to be run by
//   itself). It holds its own @ttng/base and @ttng/graph: before a plugin is imported, the plugin
//   loader sends those two specifiers to the bundle's copies (`shareHostModules`).
// - ttng.cache: the code cache, made by running `ttng view` on a small generated trace through
//   the bundle (V8 keeps the bytecode of every function that ran). Its first line names the build
//   it belongs to, which the bundle's first line also names: bin/ttng.js uses no other cache.
// - worker.js: the parallel read's worker (an ES module; workers start rarely).
// - stamp.json: when the bundle was built and from which packages (bin/ttng.js runs the compiled
//   modules instead when one of them was compiled later).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { writeBenchTrace } from "../tests/lib/ctf-gen.mjs";
import { bundleTracer, writeStamp } from "./bundle-tracer.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const cliDist = join(root, "packages/cli/dist");
const outdir = join(cliDist, "bundle");
const buildId = randomBytes(8).toString("hex");

console.log(await bundleTracer());

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const common = { bundle: true, platform: "node", target: "node20", metafile: true, logLevel: "warning" };
const cli = await build({
  ...common,
  entryPoints: [join(cliDist, "main.js")],
  outfile: join(outdir, "ttng.cjs"),
  format: "cjs",
  // bin/ttng.js passes the URL the modules would have had here (relative URLs resolve the same).
  define: { "import.meta.url": "__ttngImportMetaUrl" },
  banner: { js: `/* ttng bundle ${buildId} */` },
});
const worker = await build({
  ...common,
  entryPoints: [join(cliDist, "parallel/worker.js")],
  outfile: join(outdir, "worker.js"),
  format: "esm",
  // A worker has its own modules anyway; plugins it loads find these on disk, as it does.
  external: ["@ttng/base", "@ttng/graph"],
});
// The packages whose code the bundle holds: a later `tsc -b` of any of them makes it stale.
const packages = writeStamp(outdir, [cli, worker]);

// The code cache: `ttng view` of a small trace runs what most commands run (argument parsing,
// the CTF source, the muxer, a sink, the error paths' set-up).
const work = mkdtempSync(join(tmpdir(), "ttng-bundle-"));
try {
  const trace = join(work, "trace");
  writeBenchTrace(trace, { events: 200, streams: 2, seed: 1 });
  const cache = join(outdir, "ttng.cache");
  const r = spawnSync(process.execPath, [join(cliDist, "bin/ttng.js"), "view", trace], {
    env: { ...process.env, TTNG_NO_BUNDLE: "", TTNG_WRITE_CODE_CACHE: cache },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (r.status !== 0 || !existsSync(cache)) throw new Error(`making the code cache failed (status ${r.status})`);
  const kb = (f) => `${Math.round(statSync(join(outdir, f)).size / 1024)} KB`;
  console.log(
    `bundle: ${relative(root, outdir)}: ttng.cjs ${kb("ttng.cjs")}, ttng.cache ${kb("ttng.cache")} ` +
      `(${packages.length} packages: ${packages.join(", ")})`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
