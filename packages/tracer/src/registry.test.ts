import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { u32 } from "./fields.js";
import { provider, watchEnabled } from "./registry.js";
import { startSession } from "./session.js";

test("watchEnabled tells its listeners when sessions enable and disable a tracepoint", async () => {
  const tp = provider("registry_test").event("watched", { fields: [u32("n")] });
  const seen: boolean[] = [];
  watchEnabled(tp, (on) => seen.push(on));
  watchEnabled(tp, () => {
    throw new Error("a throwing listener is ignored");
  });
  const dir = mkdtempSync(join(tmpdir(), "ttng-registry-"));
  try {
    const session = await startSession({ output: dir, events: [{ name: "registry_test:*" }], logger: { warn() {} } });
    assert.equal(tp.enabled, true);
    tp(1);
    await session.stop();
    assert.equal(tp.enabled, false);
    assert.deepEqual(seen, [true, false]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a watched tracepoint keeps V8's fast properties (its guard stays a plain property read)", () => {
  // %HasFastProperties needs --allow-natives-syntax: checked in a child process.
  const registry = new URL("./registry.js", import.meta.url).href;
  const fields = new URL("./fields.js", import.meta.url).href;
  const code = `
    const { provider, watchEnabled } = await import(${JSON.stringify(registry)});
    const { u32 } = await import(${JSON.stringify(fields)});
    const tp = provider("p").event("e", { fields: [u32("n")] });
    watchEnabled(tp, () => {});
    console.log(JSON.stringify([%HasFastProperties(tp), Object.getOwnPropertyDescriptor(tp, "enabled").writable]));`;
  const r = spawnSync(process.execPath, ["--allow-natives-syntax", "--input-type=module", "-e", code], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [true, true]);
});
