#!/usr/bin/env node
/**
 * The `ttng` command. It runs the bundled CLI (`dist/bundle/`, which `tools/bundle.mjs` builds
 * after `tsc`) when it is there and no package it holds was compiled after it; else the modules
 * (`../main.js`), which behave the same. `TTNG_NO_BUNDLE=1` asks for the modules.
 *
 * The bundle is one CommonJS-shaped file holding the CLI and every package it uses. It is
 * compiled here with `vm.Script` and the V8 code cache the build recorded for it: no module to
 * resolve and link, and no compiling of the functions the cache holds. Node's built-in modules
 * are taken with `require`: importing one as a module first loads every module it can export
 * (`node:fs` brings `fs/promises`, streams and `readline`).
 */
import nodeModule from "node:module";

const require = nodeModule.createRequire(import.meta.url);
const { readFileSync, statSync, writeFileSync } = require("node:fs") as typeof import("node:fs");
const url = require("node:url") as typeof import("node:url");
const vm = require("node:vm") as typeof import("node:vm");

/** The bundle's stamp names the build info of the packages it holds; a newer one means stale. */
function bundleIsCurrent(dir: URL): boolean {
  let stamp: { builtMs?: unknown; inputs?: unknown };
  try {
    stamp = JSON.parse(readFileSync(new URL("stamp.json", dir), "utf8"));
  } catch {
    return false;
  }
  if (typeof stamp.builtMs !== "number" || !Array.isArray(stamp.inputs)) return false;
  for (const input of stamp.inputs) {
    if (typeof input !== "string") return false;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(new URL(input, dir)).mtimeMs;
    } catch {
      // An installed package has no build info: its bundle is what was published.
      continue;
    }
    if (mtimeMs > stamp.builtMs) return false;
  }
  return true;
}

const BUILD = /^\/\* ttng bundle ([0-9a-f]+) \*\//;

/** The code cache file's first line: the build of the bundle it was made from. */
const cacheHeader = (build: string): string => `ttng code cache ${build}\n`;

/**
 * The code cache recorded for this build of the bundle, or undefined. V8 itself checks only the
 * source's length and its own version and flags, so the cache must name the same build as the
 * bundle's first line.
 */
function codeCache(file: URL, build: string | undefined): Buffer | undefined {
  if (build === undefined) return undefined;
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  const header = cacheHeader(build);
  if (data.length <= header.length || data.toString("latin1", 0, header.length) !== header) return undefined;
  return data.subarray(header.length);
}

function runBundle(dir: URL): void {
  const fileUrl = new URL("ttng.cjs", dir);
  const file = url.fileURLToPath(fileUrl);
  const source = readFileSync(file, "utf8");
  const build = BUILD.exec(source)?.[1];
  const writeCache = process.env.TTNG_WRITE_CODE_CACHE;
  const cachedData = writeCache ? undefined : codeCache(new URL("ttng.cache", dir), build);
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname, __ttngImportMetaUrl, __ttngImport) {${source}\n})`,
    {
      filename: file,
      cachedData,
    },
  );
  if (process.env.TTNG_DEBUG_BUNDLE === "1") {
    const cache = cachedData === undefined ? "none" : script.cachedDataRejected ? "rejected" : "used";
    process.stderr.write(`ttng: bundle ${file}, code cache ${cache}\n`);
  }
  if (writeCache && build !== undefined) {
    // For tools/bundle.mjs: the bytecode of every function that ran, once the command is done.
    process.once("exit", () => {
      writeFileSync(writeCache, Buffer.concat([Buffer.from(cacheHeader(build)), script.createCachedData()]));
    });
  }
  const module = { exports: {} };
  // The bundle's `import()` of plugins: in node 20, a script compiled with a code cache cannot
  // import (its `importModuleDynamically` is lost), so it is given this module's.
  const importModule = (specifier: string) => import(specifier);
  script.runInThisContext()(
    module.exports,
    nodeModule.createRequire(file),
    module,
    file,
    url.fileURLToPath(dir),
    fileUrl.href,
    importModule,
  );
}

const bundle = new URL("../bundle/", import.meta.url);
if (process.env.TTNG_NO_BUNDLE !== "1" && bundleIsCurrent(bundle)) runBundle(bundle);
else await import("../main.js");
