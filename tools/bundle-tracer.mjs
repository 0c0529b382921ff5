// Bundles @ttng/tracer's entry points (packages/tracer/dist, after `tsc -b`) into
// packages/tracer/dist/bundle/, which the package's exports name. Run by tools/bundle.mjs (so by
// `npm run build`), and by tools/run-tests.mjs when the bundle is older than the compiled modules.
//
// Why: a traced app loads the tracer before its own code (`--import @ttng/tracer/register`).
// Node's ES module loader opens each module's file with `fs/promises`, and every open builds a
// FileHandle, which is an EventEmitter. Some fifty modules meant fifty EventEmitters before the app
// ran: enough for V8 to give `EventEmitter.init` its feedback vector that early, so it then saw
// every kind of emitter the app made once (its server, http's agent, stdout) and went
// megamorphic. Node's HTTP server inlines `EventEmitter.init` into the constructor of every
// response, which then stored its fields through generic stubs: about 1,300 instructions more per
// request of a hello-world server, a cost of having loaded modules, not of tracing. From a few
// files, the uninstrumented server's feedback stays as it is (bench/agent, docs/agent.md).
//
// One ES module graph for every entry (code splitting): `@ttng/tracer`, `/agent` and `/register`
// share one registry, as the compiled modules do. consumer.js and link-worker.js, which run in
// threads of their own, are bundled whole beside them, so that `new URL("./consumer.js",
// import.meta.url)` finds them from the bundled code as it does from dist/internal-thread.js.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "packages/tracer/dist");
export const tracerBundleDir = join(dist, "bundle");
const stampFile = join(tracerBundleDir, "stamp.json");

/** The public entries: one module graph. */
const entries = { index: "index.js", agent: "agent/index.js", register: "register.js" };
/** The worker scripts the bundled code starts: each a whole program in its own thread. */
const workers = { consumer: "consumer.js", "link-worker": "link-worker.js" };

/** Builds the bundle; returns a one-line summary. */
export async function bundleTracer() {
  rmSync(tracerBundleDir, { recursive: true, force: true });
  mkdirSync(tracerBundleDir, { recursive: true });
  const common = {
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    metafile: true,
    logLevel: "warning",
  };
  const entryPoints = (m) => Object.fromEntries(Object.entries(m).map(([k, f]) => [k, join(dist, f)]));
  const main = await build({
    ...common,
    entryPoints: entryPoints(entries),
    outdir: tracerBundleDir,
    splitting: true,
    chunkNames: "chunk-[hash]",
  });
  const threads = await build({ ...common, entryPoints: entryPoints(workers), outdir: tracerBundleDir });
  const packages = writeStamp(tracerBundleDir, [main, threads]);
  const files = readdirSync(tracerBundleDir).filter((f) => f.endsWith(".js"));
  return `bundle: ${relative(root, tracerBundleDir)}: ${files.length} files (${packages.join(", ")})`;
}

/**
 * Writes `outdir/stamp.json`: when the bundle was built and the build info of every package
 * whose code esbuild's `builds` hold (a later `tsc -b` of one of them makes the bundle stale; this
 * file's tracerBundleStale and the CLI's bin/ttng.js read it). Returns those packages, sorted.
 */
export function writeStamp(outdir, builds) {
  const packages = new Set();
  for (const input of builds.flatMap((b) => Object.keys(b.metafile.inputs))) {
    const m = /(?:^|\/)packages\/([^/]+)\/dist\//.exec(input.replaceAll("\\", "/"));
    if (m) packages.add(m[1]);
  }
  const sorted = [...packages].sort();
  const inputs = sorted.map((p) => relative(outdir, join(root, "packages", p, "tsconfig.tsbuildinfo")));
  writeFileSync(join(outdir, "stamp.json"), `${JSON.stringify({ builtMs: Date.now(), inputs }, null, 1)}\n`);
  return sorted;
}

/** Why the bundle must be rebuilt (missing, or older than a package it holds), or null. */
export function tracerBundleStale() {
  if (!existsSync(stampFile)) return "not built";
  const stamp = JSON.parse(readFileSync(stampFile, "utf8"));
  for (const rel of stamp.inputs) {
    const p = join(tracerBundleDir, rel);
    if (existsSync(p) && statSync(p).mtimeMs > stamp.builtMs) return `${relative(root, p)} is newer`;
  }
  return null;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await bundleTracer());
