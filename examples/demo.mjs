// The main job: trace the example app (examples/hello.mjs, instrumented with @ttng/tracer)
// with `ttng trace`, which starts the session daemon if needed, records the app's events in a
// session and prints a summary, then show the events with `ttng view`, the way `babeltrace2`
// would show them.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const ttng = join(root, "packages/cli/dist/bin/ttng.js");
const output = join(mkdtempSync(join(tmpdir(), "ttng-demo-")), "trace");
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
  { stdio: "inherit" },
);
if (traced.status !== 0) process.exit(traced.status ?? 1);
process.stderr.write(`ttng demo: ttng view ${output}\n`);
const r = spawnSync(process.execPath, [ttng, "view", output], { stdio: "inherit" });
process.exit(r.status ?? 1);
