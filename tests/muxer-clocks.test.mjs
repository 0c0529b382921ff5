// filter.utils.muxer refuses streams whose clocks cannot be correlated, as
// babeltrace2 does (before printing anything), and sorts those it can.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { corpus, hasCorpus, haveTool, run, skipReason, ttng } from "./helpers.mjs";

const skip = hasCorpus && haveTool("babeltrace2") ? false : skipReason("corpus and babeltrace2");
const t = (name) => join(corpus ?? "", "ctf-traces/1/succeed", name);

const PAIRS = [
  ["2packets", "smalltrace", /Expecting stream class without a default clock class/],
  ["smalltrace", "2packets", /Expecting no clock class, but got one/],
  ["barectf-event-before-packet", "2packets", /Expecting a non-absolute clock class .*but got an absolute one/],
  ["sequence", "no-packet-context", /Expecting/],
  ["2packets", "wk-heartbeat-u", undefined],
];

for (const [a, b, error] of PAIRS) {
  test(`muxing ${a} with ${b}: ${error ? "refused" : "sorted"} as babeltrace2 does`, { skip }, () => {
    const ref = run("babeltrace2", [t(a), t(b)]);
    const got = ttng(["view", "--compat=2.0", t(a), t(b)]);
    assert.equal(got.status, ref.status, got.stderr);
    assert.equal(got.stdout, ref.stdout);
    if (error) {
      assert.match(got.stderr, /^ERROR: +\[filter\.utils\.muxer\]/m);
      assert.match(got.stderr, error);
    }
  });
}
