#!/usr/bin/env node
/**
 * The `ttng` command. It runs the bundled CLI (`dist/bundle/`, which `tools/bundle.mjs` builds
 * after `tsc`: a few files per command instead of some sixty modules, about 20 ms less start-up)
 * when it is there and no package it holds was compiled after it; else the modules
 * (`../main.js`), which behave the same. `TTNG_NO_BUNDLE=1` asks for the modules.
 */
import { readFileSync, statSync } from "node:fs";

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

const bundle = new URL("../bundle/", import.meta.url);
if (process.env.TTNG_NO_BUNDLE !== "1" && bundleIsCurrent(bundle)) await import(new URL("ttng.js", bundle).href);
else await import("../main.js");
