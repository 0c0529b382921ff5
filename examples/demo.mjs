// The main job: trace the example app (examples/hello.mjs, instrumented with
// @ttng/tracer, recording into an in-process session) and show its events
// with `ttng view`, the way `babeltrace2` would show them.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const app = spawnSync(process.execPath, [join(root, "examples/hello.mjs")], { encoding: "utf8" });
if (app.status !== 0) {
  process.stderr.write(app.stderr);
  process.exit(app.status ?? 1);
}
const trace = app.stdout.trim().split("\n").pop();
process.stderr.write(`ttng demo: examples/hello.mjs wrote the trace ${trace}\n`);
const r = spawnSync(process.execPath, [join(root, "packages/cli/dist/bin/ttng.js"), "view", trace], {
  stdio: "inherit",
});
process.exit(r.status ?? 1);
