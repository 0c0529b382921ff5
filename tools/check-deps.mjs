#!/usr/bin/env node
// Fails when an import crosses a wall of ../shared/DESIGN.md §2.
// Test files (`*.test.ts`) and benchmarks may import node:* anywhere; the walls
// between workspace packages hold for them too.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;

/** package -> { pkgs: workspace packages it may import, node: where node:* is allowed } */
const RULES = {
  base: { pkgs: [], node: "never" },
  ctf: { pkgs: ["base"], node: "never" },
  filter: { pkgs: ["base"], node: "never" },
  graph: { pkgs: ["base"], node: "never" },
  protocol: { pkgs: ["base", "ctf"], node: "never" },
  "plugin-ctf": { pkgs: ["base", "ctf", "graph", "filter", "protocol"], node: "node-folder" },
  "plugin-text": { pkgs: ["base", "ctf", "graph", "filter", "protocol"], node: "node-folder" },
  "plugin-utils": { pkgs: ["base", "ctf", "graph", "filter", "protocol"], node: "node-folder" },
  tracer: { pkgs: ["base", "ctf", "filter", "protocol"], node: "always" },
  sessiond: { pkgs: ["base", "ctf", "filter", "protocol"], node: "always" },
  relayd: { pkgs: ["base", "ctf", "filter", "protocol", "graph"], node: "always" },
  cli: { pkgs: "any", node: "always" },
};

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith(".ts") && !p.endsWith(".d.ts")) yield p;
  }
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
const problems = [];
for (const pkg of readdirSync(join(root, "packages"))) {
  const rule = RULES[pkg];
  const src = join(root, "packages", pkg, "src");
  if (!rule) {
    problems.push(`packages/${pkg}: not listed in DESIGN.md §2 (add it to tools/check-deps.mjs)`);
    continue;
  }
  for (const file of walk(src)) {
    const rel = relative(root, file);
    const isTest = /\.(test|bench)\.ts$/.test(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith("node:")) {
        if (isTest || rule.node === "always") continue;
        if (rule.node === "node-folder" && /(^|[\\/])node[\\/]/.test(relative(src, file))) continue;
        problems.push(`${rel}: imports ${spec}, but ${pkg} may not use node:* here`);
      } else if (spec.startsWith("@ttng/")) {
        const target = spec.slice(6).split("/")[0];
        if (rule.pkgs !== "any" && !rule.pkgs.includes(target)) {
          problems.push(`${rel}: imports ${spec}, but ${pkg} may not import ${target}`);
        }
      } else if (!spec.startsWith(".")) {
        if (pkg === "tracer" && !isTest)
          problems.push(`${rel}: tracer has no third-party runtime dependencies (${spec})`);
      }
    }
  }
}
if (problems.length > 0) {
  console.error(`check-deps: ${problems.length} import(s) cross a wall:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log("check-deps: ok");
