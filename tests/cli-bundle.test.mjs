// The bundled CLI (tools/bundle.mjs, packages/cli/dist/bundle): bin/ttng.js runs it, with its
// code cache, when it is current, and it behaves as the modules do (plugins included); a stale
// bundle is not run, and a cache of another build is not used.
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { root, run, ttng, ttngBin } from "./helpers.mjs";
import { writeBenchTrace } from "./lib/ctf-gen.mjs";

const work = mkdtempSync(join(tmpdir(), "ttng-bundle-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

/** The files node loads for `ttng ARGS` (a module hook that prints each URL it loads). */
function loadedFiles(args, env = {}) {
  const hooks = join(work, "hooks.mjs");
  writeFileSync(
    hooks,
    'export async function load(url, context, next) { if (url.startsWith("file:")) process.stderr.write("LOADED " + url + "\\n"); return next(url, context); }\n',
  );
  const register = join(work, "register.mjs");
  writeFileSync(
    register,
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  const r = run(process.execPath, ["--import", register, ttngBin, ...args], env);
  assert.equal(r.status, 0, r.stderr);
  return r.stderr
    .split("\n")
    .filter((l) => l.startsWith("LOADED "))
    .map((l) => l.slice(7));
}

test("bin/ttng.js runs the bundle, or the modules with TTNG_NO_BUNDLE=1", () => {
  // The bundle is compiled from one file, not imported: no module of a package loads.
  const bundled = loadedFiles(["version"]);
  assert.deepEqual(
    bundled.filter((u) => u.includes("/packages/") && u !== pathToFileURL(ttngBin).href),
    [],
  );
  const r = ttng(["version"], { TTNG_DEBUG_BUNDLE: "1" });
  assert.match(r.stderr, /^ttng: bundle .*\/packages\/cli\/dist\/bundle\/ttng\.cjs, code cache used$/m);
  const modules = loadedFiles(["version"], { TTNG_NO_BUNDLE: "1" });
  assert.ok(
    modules.some((u) => u.endsWith("/packages/cli/dist/main.js")),
    modules.join("\n"),
  );
  assert.ok(!modules.some((u) => u.includes("/dist/bundle/")), modules.join("\n"));
});

test("the bundle and the modules give the same output, errors and exit status", () => {
  const dir = join(work, "trace");
  writeBenchTrace(dir, { events: 300, streams: 3, seed: 11 });
  const broken = join(work, "broken");
  cpSync(dir, broken, { recursive: true });
  writeFileSync(join(broken, "metadata"), "/* CTF 1.8 */\ntrace { major = 1; minor = 8; byte_order = le; ");
  const cases = [
    ["view", dir],
    ["convert", "-o", "dummy", dir],
    ["view", "--clock-seconds", "-n", "all", "-f", "all", dir],
    ["convert", dir, "-c", "filter.utils.trimmer", "-p", "begin=0,end=99999999999"],
    ["view", broken],
    ["view", "--no-such-option", dir],
    ["list-plugins"],
    ["help", "enable-event"],
  ];
  for (const args of cases) {
    const a = ttng(args);
    const b = ttng(args, { TTNG_NO_BUNDLE: "1" });
    assert.deepEqual(a, b, args.join(" "));
  }
  // A plugin that imports @ttng/base and @ttng/graph (from the repository's node_modules) gets
  // the CLI's own: the factory's module is the one it imported, and the TtngError it throws
  // prints as the CLI's errors do (a cause chain, not a JavaScript stack).
  const plugins = mkdtempSync(join(root, ".ttng-bundle-plugin-"));
  try {
    writeFileSync(
      join(plugins, "ttng-plugin-identity.mjs"),
      `import * as base from "@ttng/base";
import * as graph from "@ttng/graph";
export default (api) => {
  if (api.definePlugin !== graph.definePlugin || api.MessageKind !== graph.MessageKind)
    throw new Error("the plugin's @ttng/graph is not the CLI's");
  const fail = {
    type: "sink",
    name: "fail",
    description: "Fails on the first event.",
    create(params, ctx) {
      let it;
      const batch = [];
      return {
        kind: "sink",
        inputPorts: () => ["in"],
        graphIsConfigured(upstream) { it = upstream.get("in"); },
        consume() {
          batch.length = 0;
          const st = it.next(batch);
          for (const m of batch)
            if (m.kind === graph.MessageKind.Event)
              throw new base.TtngError("ERR_IDENTITY", "Identity sink saw an event", { actor: "identity sink" });
          return st;
        },
      };
    },
  };
  return { apiVersion: 1, name: "identity", description: "d", author: "a", license: "MIT", version: "1.0.0", componentClasses: [fail] };
};
`,
    );
    const args = [`--plugin-path=${plugins}`, "convert", dir, "-c", "sink.identity.fail"];
    const a = ttng(args);
    assert.deepEqual(a, ttng(args, { TTNG_NO_BUNDLE: "1" }));
    assert.equal(a.status, 1, a.stderr);
    assert.match(a.stderr, /^ERROR: {4}\[identity sink\]\n {2}Identity sink saw an event\n$/);
    assert.doesNotMatch(a.stderr, /WARNING|not the CLI's|at consume/);
  } finally {
    rmSync(plugins, { recursive: true, force: true });
  }
  // A plugin outside any node_modules tree finds @ttng/graph all the same, bundled or not.
  const outside = join(work, "outside");
  mkdirSync(outside, { recursive: true });
  writeFileSync(
    join(outside, "ttng-plugin-outside.mjs"),
    `import { definePlugin, PLUGIN_API_VERSION } from "@ttng/graph";
export default definePlugin({ apiVersion: PLUGIN_API_VERSION, name: "outside", description: "d", author: "a", license: "MIT", version: "1.0.0", componentClasses: [] });
`,
  );
  const listed = ttng([`--plugin-path=${outside}`, "list-plugins"]);
  assert.deepEqual(listed, ttng([`--plugin-path=${outside}`, "list-plugins"], { TTNG_NO_BUNDLE: "1" }));
  assert.match(listed.stdout, /^outside:$/m);
  assert.doesNotMatch(listed.stderr, /WARNING/);
  // The cases cover success, a trace error and a usage error.
  assert.deepEqual([ttng(cases[0]).status, ttng(cases[4]).status, ttng(cases[5]).status], [0, 1, 2]);
});

test("a bundle older than the build info of a package it holds is not run", () => {
  // A copy of the launcher with a stand-in bundle and modules that say which one ran.
  const base = join(work, "layout");
  mkdirSync(join(base, "dist/bin"), { recursive: true });
  mkdirSync(join(base, "dist/bundle"), { recursive: true });
  cpSync(join(root, "packages/cli/dist/bin/ttng.js"), join(base, "dist/bin/ttng.js"));
  writeFileSync(join(base, "dist/main.js"), 'process.stdout.write("modules\\n");\n');
  writeFileSync(join(base, "dist/bundle/ttng.cjs"), 'process.stdout.write("bundle\\n");\n');
  writeFileSync(join(base, "info.tsbuildinfo"), "{}");
  const stamp = (builtMs, inputs = ["../../info.tsbuildinfo", "../../missing.tsbuildinfo"]) =>
    writeFileSync(join(base, "dist/bundle/stamp.json"), JSON.stringify({ builtMs, inputs }));
  const which = () => run(process.execPath, [join(base, "dist/bin/ttng.js")]).stdout.trim();
  utimesSync(join(base, "info.tsbuildinfo"), new Date(1_000_000), new Date(1_000_000));
  stamp(2_000_000_000);
  assert.equal(which(), "bundle");
  // Compiled after the bundle was built: stale.
  utimesSync(join(base, "info.tsbuildinfo"), new Date(3_000_000_000), new Date(3_000_000_000));
  assert.equal(which(), "modules");
  stamp(4_000_000_000_000);
  assert.equal(which(), "bundle");
  // No stamp, or a damaged one: the modules.
  writeFileSync(join(base, "dist/bundle/stamp.json"), "{");
  assert.equal(which(), "modules");
  rmSync(join(base, "dist/bundle/stamp.json"));
  assert.equal(which(), "modules");
});

test("the code cache is used only with the build it was made for", () => {
  // A copy of the launcher and the bundle (which holds every package it needs).
  const base = join(work, "cache-layout");
  mkdirSync(join(base, "dist/bin"), { recursive: true });
  cpSync(join(root, "packages/cli/dist/bin/ttng.js"), join(base, "dist/bin/ttng.js"));
  cpSync(join(root, "packages/cli/dist/bundle"), join(base, "dist/bundle"), { recursive: true });
  const dir = join(work, "cache-trace");
  writeBenchTrace(dir, { events: 50, streams: 2, seed: 5 });
  const expected = ttng(["view", dir], { TTNG_NO_BUNDLE: "1" });
  assert.equal(expected.status, 0, expected.stderr);
  const view = () => {
    const r = run(process.execPath, [join(base, "dist/bin/ttng.js"), "view", dir], { TTNG_DEBUG_BUNDLE: "1" });
    const m = /^ttng: bundle .*, code cache (\w+)\n/.exec(r.stderr);
    assert.ok(m, r.stderr);
    assert.deepEqual({ ...r, stderr: r.stderr.slice(m[0].length) }, expected);
    return m[1];
  };
  const cacheFile = join(base, "dist/bundle/ttng.cache");
  const cache = readFileSync(cacheFile);
  assert.match(cache.toString("latin1", 0, 40), /^ttng code cache [0-9a-f]+\n/);
  assert.equal(view(), "used");
  // Made for another build: not used, whatever V8 would say.
  writeFileSync(
    cacheFile,
    Buffer.concat([Buffer.from("ttng code cache 0123456789abcdef\n"), cache.subarray(cache.indexOf(10) + 1)]),
  );
  assert.equal(view(), "none");
  // The right build but damaged: V8 rejects it, and the bundle compiles without it.
  writeFileSync(cacheFile, cache.subarray(0, cache.length >> 1));
  assert.equal(view(), "rejected");
  rmSync(cacheFile);
  assert.equal(view(), "none");
});
