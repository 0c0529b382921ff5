import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startSession } from "../session.js";
import { agentStats } from "./guard.js";
import { installAgent } from "./install.js";

/** Runs `f` with stdout/stderr writes dropped (the console's output is not the test's). */
function quiet<T>(f: () => T): T {
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = (() => true) as typeof out;
  process.stderr.write = (() => true) as typeof err;
  try {
    return f();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

test("installAgent() wraps console only while a node_console event is enabled, and the app sees the same console", async () => {
  const original = console.log;
  installAgent();
  assert.equal(console.log, original, "nothing wrapped while nothing is enabled");
  assert.deepEqual(agentStats().subscriptions, []);
  const dir = mkdtempSync(join(tmpdir(), "ttng-agent-console-"));
  try {
    const session = await startSession({ output: dir, events: [{ name: "node_console:*" }], logger: { warn() {} } });
    assert.notEqual(console.log, original, "wrapped while enabled");
    assert.equal(console.log.name, original.name);
    assert.deepEqual(agentStats().subscriptions, ["console"]);
    const hostile = {
      [Symbol.for("nodejs.util.inspect.custom")]() {
        throw new Error("inspect failed");
      },
    };
    const before = agentStats().errors;
    // What the console returns and throws is the app's, wrapped or not.
    assert.equal(
      quiet(() => console.log("x %d", 1)),
      undefined,
    );
    assert.throws(() => quiet(() => console.log(hostile)), /inspect failed/);
    assert.equal(agentStats().errors, before + 1, "the agent's own failure is counted");
    quiet(() => console.assert(true, "not printed"));
    const result = await session.stop();
    assert.equal(result.recordedEvents, 1, "one record: the successful console.log; none for a passing assert");
    assert.equal(console.log, original, "unwrapped when disabled");
    assert.deepEqual(agentStats().subscriptions, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a console method the app replaced while wrapped stays the app's", async () => {
  installAgent();
  const original = console.info;
  const dir = mkdtempSync(join(tmpdir(), "ttng-agent-console-"));
  try {
    const session = await startSession({ output: dir, events: [{ name: "node_console:*" }], logger: { warn() {} } });
    const mine = (..._args: unknown[]): void => {};
    console.info = mine;
    await session.stop();
    assert.equal(console.info, mine);
  } finally {
    console.info = original;
    rmSync(dir, { recursive: true, force: true });
  }
});
