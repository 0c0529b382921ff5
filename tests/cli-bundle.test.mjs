// The bundled CLI (tools/bundle.mjs, packages/cli/dist/bundle): bin/ttng.js runs it when it is
// current, and it behaves as the modules do; a stale bundle is not run.
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
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
  const bundled = loadedFiles(["version"]);
  assert.ok(
    bundled.some((u) => u.includes("/packages/cli/dist/bundle/")),
    bundled.join("\n"),
  );
  assert.ok(!bundled.some((u) => u.endsWith("/packages/cli/dist/main.js")), bundled.join("\n"));
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
  writeFileSync(join(base, "dist/bundle/ttng.js"), 'process.stdout.write("bundle\\n");\n');
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
