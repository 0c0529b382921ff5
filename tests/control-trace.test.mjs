// `ttng trace -- COMMAND`: the README's main job (npm run demo runs it on examples/hello.mjs).
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { haveTool, root, skipReason } from "./helpers.mjs";
import { babeltrace, countByName, filesUnder, Home } from "./lib/control.mjs";

const skip = haveTool("babeltrace2") ? false : skipReason("babeltrace2");

test("ttng trace runs a Node command with the tracer preloaded and summarizes its trace", { skip }, async () => {
  const home = new Home();
  try {
    const out = join(home.dir, "trace");
    const r = home.ttng("trace", "-o", out, "-t", "vpid", "--", process.execPath, join(root, "examples/hello.mjs"));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.equal(
      r.stdout,
      `Spawning a session daemon\nTrace written to ${out}\n` +
        "  5 hello:request\n  7 hello:state\n  1 lttng_ust_tracef:event\n  13 events, 0 discarded\n" +
        `View it with: ttng view ${out}\n`,
    );
    // ttng's own threads (consumer, listener) also get the NODE_OPTIONS preload: only the
    // app's main thread has a stream.
    assert.deepEqual(
      filesUnder(out).filter((f) => !f.includes("/index/")),
      [`ust/uid/${process.getuid()}/64-bit/channel0_0`, `ust/uid/${process.getuid()}/64-bit/metadata`],
    );
    const text = babeltrace(out);
    assert.deepEqual(countByName(text), { "hello:request": 5, "hello:state": 7, "lttng_ust_tracef:event": 1 });
    assert.equal(home.ok("view", out), text);
    // The session is gone, the daemon stays (as lttng-sessiond does).
    assert.match(home.ok("list"), /Currently no available recording session/);
    // Per-PID buffers, an event selection, the command's exit status.
    const out2 = join(home.dir, "trace2");
    const code =
      "import('@ttng/tracer').then(({ provider, u32 }) => { provider('x').event('y', { fields: [u32('v')] })(7); process.exitCode = 3; })";
    const r2 = home.ttng(
      "trace",
      "-o",
      out2,
      "--buffers-pid",
      "-e",
      "x:*",
      "--",
      process.execPath,
      "--input-type=module",
      "-e",
      code,
    );
    assert.equal(r2.status, 3, r2.stderr);
    assert.match(r2.stdout, / {2}1 x:y\n {2}1 event, 0 discarded\n/);
    assert.ok(filesUnder(out2).some((f) => /^ust\/pid\/node-\d+-\d{8}-\d{6}\/metadata$/.test(f)));
    const bad = home.ttng("trace", "--bogus");
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Unknown option --bogus/);
  } finally {
    await home.cleanup();
  }
});
