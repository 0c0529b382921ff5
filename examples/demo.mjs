// The main job for now: generate a small CTF 1.8 trace (every field kind, two
// streams) with the project's own generator, then show its events with
// `ttng view`. The tracer issue turns this into tracing examples/hello.mjs.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { kitchenSink, writeTrace } from "../tests/lib/ctf-gen.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = join(mkdtempSync(join(tmpdir(), "ttng-demo-")), "trace");
const { description, events } = kitchenSink();
writeTrace(dir, description, events);
process.stderr.write(`ttng demo: wrote a CTF trace to ${dir}\n`);
const r = spawnSync(process.execPath, [join(root, "packages/cli/dist/bin/ttng.js"), "view", dir], { stdio: "inherit" });
process.exit(r.status ?? 1);
