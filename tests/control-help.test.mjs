// `ttng help CMD` and `ttng CMD --help` print the embedded manual page of a
// control command; `ttng help PLUGIN` stays Babeltrace's plugin help.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ttng } from "./helpers.mjs";

test("ttng help CMD and ttng CMD --help print the embedded manual page", () => {
  const a = ttng(["help", "enable-channel"]);
  const b = ttng(["enable-channel", "--help"]);
  assert.equal(a.status, 0);
  assert.match(a.stdout, /^TTNG-ENABLE-CHANNEL\(1\)\n/);
  assert.match(a.stdout, /--blocking-timeout=TIME\|inf/);
  assert.equal(b.stdout, a.stdout);
  assert.equal(ttng(["snapshot", "-h"]).stdout, ttng(["help", "snapshot"]).stdout);
});

test("ttng help PLUGIN still describes a Babeltrace plugin", () => {
  const r = ttng(["help", "utils"]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^utils:\n/);
  assert.doesNotMatch(r.stdout, /^TTNG-/);
});
