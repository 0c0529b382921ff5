// sink.text.details through the CLI (auto-discovery, merged traces), against
// the expectation files of Babeltrace's src.ctf.fs tests, with the same
// arguments as its test-succeed.sh.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { corpus, hasCorpus, skipReason, ttng } from "./helpers.mjs";

const skip = hasCorpus ? false : skipReason("../shared/conformance");
const succeed = join(corpus ?? "", "ctf-traces/1/succeed");
const expectDir = join(corpus ?? "", "expect/plugins/src.ctf.fs/succeed");
const DETAILS = ["-c", "sink.text.details", "-p", "with-trace-name=no,with-stream-name=no"];

const SINGLE = [
  ["session-rotation", ["ctf1-mip0", "ctf1-mip1"]],
  ["lttng-tracefile-rotation", ["ctf1-mip0", "ctf1-mip1"]],
  ["def-clk-freq", ["ctf1-mip0", "ctf1-mip1"]],
  ["meta-ctx-sequence", [""]],
  ["smalltrace", ["mip0", "mip1"]],
];

for (const [name, variants] of SINGLE) {
  for (const v of variants) {
    const expect = join(expectDir, `trace-${name}${v ? `-${v}` : ""}.expect`);
    const mip = v.endsWith("mip0") ? "0" : "1";
    test(
      `details of ${name} (${v || "mip1"}) equal Babeltrace's expectation`,
      { skip: skip || !existsSync(expect) },
      () => {
        const r = ttng(["view", "-m", mip, join(succeed, name), ...DETAILS]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, readFileSync(expect, "latin1"));
      },
    );
  }
}

// The CTF 2 versions of the traces (Babeltrace 2.1+ reads them under MIP 1 only).
const succeed2 = join(corpus ?? "", "ctf-traces/2/succeed");
for (const name of ["session-rotation", "lttng-tracefile-rotation", "2packets", "barectf-event-before-packet"]) {
  const expect = join(expectDir, `trace-${name}-ctf2-mip1.expect`);
  test(`details of CTF 2 ${name} (ctf2-mip1) equal Babeltrace's expectation`, { skip }, () => {
    const r = ttng(["view", "-m", "1", join(succeed2, name), ...DETAILS]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(expect, "latin1"));
  });
}

// CTF 2 traces have a UID but no UUID: the muxer, which compares UUIDs, then trace names, then
// UIDs, orders these two by name (the barectf trace has none) where the CTF 1.8 pair goes by UUID.
test("two CTF 2 traces forced to a Unix-epoch origin are muxed as Babeltrace expects (ctf2-mip1)", { skip }, () => {
  const r = ttng([
    "view",
    "-m",
    "1",
    join(succeed2, "2packets"),
    "-p",
    "force-clock-class-origin-unix-epoch=true",
    join(succeed2, "barectf-event-before-packet"),
    "-p",
    "force-clock-class-origin-unix-epoch=true",
    "-c",
    "sink.text.details",
    "-p",
    "with-trace-name=no,with-stream-name=no,with-metadata=yes,compact=yes",
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    readFileSync(join(expectDir, "trace-2packets-barectf-event-before-packet-ctf2-mip1.expect"), "latin1"),
  );
});

for (const name of ["lttng-crash", "lttng-event-after-packet"]) {
  test(`packet end times of ${name} (LTTng quirks) equal Babeltrace's expectation`, { skip }, () => {
    const r = ttng([
      "view",
      join(succeed, name),
      "-c",
      "sink.text.details",
      "-p",
      "with-trace-name=no,with-stream-name=no,with-metadata=no,compact=yes",
    ]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout
      .split("\n")
      .filter((l) => l.includes("Packet end"))
      .map((l) => `${l}\n`)
      .join("");
    assert.equal(lines, readFileSync(join(expectDir, `trace-${name}.expect`), "latin1"));
    assert.equal(r.stderr, "");
  });
}

for (const v of ["ctf1-mip0", "ctf1-mip1"]) {
  test(`two traces forced to a Unix-epoch origin are muxed as Babeltrace expects (${v})`, { skip }, () => {
    const r = ttng([
      "view",
      "-m",
      v.endsWith("0") ? "0" : "1",
      join(succeed, "2packets"),
      "-p",
      "force-clock-class-origin-unix-epoch=true",
      join(succeed, "barectf-event-before-packet"),
      "-p",
      "force-clock-class-origin-unix-epoch=true",
      "-c",
      "sink.text.details",
      "-p",
      "with-trace-name=no,with-stream-name=no,with-metadata=yes,compact=yes",
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout,
      readFileSync(join(expectDir, `trace-2packets-barectf-event-before-packet-${v}.expect`), "latin1"),
    );
  });
}

// Overlapping copies of one packet in several traces: the copy read must not depend on argument order.
const det = join(corpus ?? "", "ctf-traces/1/deterministic-ordering");
const inputs = (...names) => `inputs=[${names.map((n) => JSON.stringify(join(det, n))).join(",")}]`;

for (const order of [
  ["b-not-corrupted", "c-corrupted"],
  ["c-corrupted", "b-not-corrupted"],
]) {
  test(`deterministic ordering: ${order.join(" + ")} reads the intact copy`, { skip }, () => {
    const r = ttng([
      "view",
      "-c",
      "source.ctf.fs",
      "-p",
      inputs(...order),
      "-c",
      "sink.text.details",
      "-p",
      "with-trace-name=no,with-stream-name=no,with-metadata=no,compact=yes",
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(join(det, "b-c.expect"), "latin1"));
  });
}

for (const order of [
  ["a-corrupted", "b-not-corrupted"],
  ["b-not-corrupted", "a-corrupted"],
]) {
  test(`deterministic ordering: ${order.join(" + ")} reads the corrupted copy and fails`, { skip }, () => {
    const r = ttng(["view", "-c", "source.ctf.fs", "-p", inputs(...order)]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^ERROR: /m);
    assert.match(r.stderr, /No event class with ID 255/);
  });
}
