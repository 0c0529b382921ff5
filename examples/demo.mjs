// The main job: trace the example app (examples/hello.mjs, instrumented with @ttng/tracer)
// with `ttng trace`, which starts a session daemon, records the app's events in a session and
// prints a summary, then show the events with `ttng view`, the way `babeltrace2` would show
// them. The demo uses its own TTNG_HOME (a temporary directory) and stops the daemon it
// started, so it leaves nothing running.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const ttng = join(root, "packages/cli/dist/bin/ttng.js");
const home = mkdtempSync(join(tmpdir(), "ttng-demo-"));
const env = { ...process.env, TTNG_HOME: home };
const output = join(home, "trace");
process.stderr.write(`ttng demo: ttng trace -o ${output} -- node examples/hello.mjs\n`);
const traced = spawnSync(
  process.execPath,
  [
    ttng,
    "trace",
    "-o",
    output,
    "-t",
    "vpid",
    "-t",
    "vtid",
    "-t",
    "procname",
    "--",
    process.execPath,
    join(root, "examples/hello.mjs"),
  ],
  { stdio: "inherit", env },
);
try {
  process.kill(Number(readFileSync(join(home, ".ttng", "ttng-sessiond.pid"), "utf8")), "SIGTERM");
} catch {}
if (traced.status !== 0) process.exit(traced.status ?? 1);
process.stderr.write(`ttng demo: ttng view ${output}\n`);
const r = spawnSync(process.execPath, [ttng, "view", output], { stdio: "inherit" });
process.exit(r.status ?? 1);
