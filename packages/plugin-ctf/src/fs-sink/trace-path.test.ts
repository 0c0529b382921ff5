// Output paths as babeltrace2 2.0.4's sink.ctf.fs builds them (fs-sink-trace.c, fs-sink-stream.c).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { IrEnvValue, IrTrace } from "@ttng/graph";
import { isIso8601DateTime, lttngTracePath, sanitizeTracePath, streamFileName, tracePath } from "./trace-path.js";

function trace(name: string | undefined, env: Array<[string, IrEnvValue]>): IrTrace {
  return { traceClass: { id: 1, streamClasses: [] }, name, uuid: undefined, env, streams: [] };
}

const lttng = (extra: Array<[string, IrEnvValue]>): Array<[string, IrEnvValue]> => [
  ["hostname", "host"],
  ["trace_name", "sess"],
  ["trace_creation_datetime", "20191107T143237-0500"],
  ["tracer_major", 2],
  ["tracer_minor", 12],
  ...extra,
];

test("lttngTracePath() builds LTTng 2.11+'s layouts for kernel, per-UID and per-PID traces", () => {
  assert.equal(
    lttngTracePath(
      trace(
        undefined,
        lttng([
          ["tracer_name", "lttng-modules"],
          ["domain", "kernel"],
        ]),
      ),
    ),
    "host/sess-20191107T143237-0500/kernel",
  );
  assert.equal(
    lttngTracePath(
      trace(
        undefined,
        lttng([
          ["tracer_name", "lttng-ust"],
          ["domain", "ust"],
          ["tracer_buffering_scheme", "uid"],
          ["tracer_buffering_id", 1000],
          ["architecture_bit_width", 64],
        ]),
      ),
    ),
    "host/sess-20191107T143237-0500/ust/uid/1000/64-bit",
  );
  assert.equal(
    lttngTracePath(
      trace(
        undefined,
        lttng([
          ["tracer_name", "lttng-ust"],
          ["domain", "ust"],
          ["tracer_buffering_scheme", "pid"],
          ["procname", "app"],
          ["vpid", 42],
          ["vpid_datetime", "20191107T143238-0500"],
        ]),
      ),
    ),
    "host/sess-20191107T143237-0500/ust/pid/app-42-20191107T143238-0500",
  );
});

test("lttngTracePath() gives up on older tracers, unknown domains and missing or malformed entries", () => {
  const kernel = lttng([
    ["tracer_name", "lttng-modules"],
    ["domain", "kernel"],
  ]);
  const older = kernel.map(([k, v]): [string, IrEnvValue] => [k, k === "tracer_minor" ? 10 : v]);
  assert.equal(lttngTracePath(trace(undefined, older)), undefined);
  const badDate = kernel.map(([k, v]): [string, IrEnvValue] => [k, k === "trace_creation_datetime" ? "yesterday" : v]);
  assert.equal(lttngTracePath(trace(undefined, badDate)), undefined);
  const otherDomain = kernel.map(([k, v]): [string, IrEnvValue] => [k, k === "domain" ? "jul" : v]);
  assert.equal(lttngTracePath(trace(undefined, otherDomain)), undefined);
  assert.equal(
    lttngTracePath(
      trace(
        undefined,
        kernel.filter(([k]) => k !== "hostname"),
      ),
    ),
    undefined,
  );
  assert.equal(lttngTracePath(trace(undefined, [["tracer_name", "barectf"]])), undefined);
});

test("isIso8601DateTime() accepts LTTng's basic and extended forms", () => {
  for (const ok of ["20191107T143237-0500", "2019-11-07T14:32:37+05:00", "2019-11-07T14:32:37Z", "20191107T143237"])
    assert.ok(isIso8601DateTime(ok), ok);
  for (const bad of ["", "2019-11-07", "14:32:37", "20191107X143237"]) assert.ok(!isIso8601DateTime(bad), bad);
});

test("sanitizeTracePath() defuses . and .. components and trailing slashes; tracePath() adds -N to taken paths", () => {
  assert.equal(sanitizeTracePath("a/./b/../c/"), "a/_/b/__/c");
  assert.equal(sanitizeTracePath(".."), "__");
  assert.equal(sanitizeTracePath("..."), "...");
  assert.equal(sanitizeTracePath("/"), "trace");
  const taken = new Set(["out/t", "out/t-0"]);
  assert.equal(
    tracePath(trace("t", []), "out", (p) => taken.has(p)),
    "out/t-1",
  );
  assert.equal(
    tracePath(trace(undefined, []), "out", () => false),
    "out/trace",
  );
});

test("streamFileName() uses the stream name's last component, unique, never metadata", () => {
  const taken = new Set<string>();
  const name = (s: string | undefined) => {
    const n = streamFileName(s, taken);
    taken.add(n);
    return n;
  };
  assert.equal(name("/traces/x/chan_0"), "chan_0");
  assert.equal(name("/other/chan_0"), "chan_0-0");
  assert.equal(name(undefined), "stream");
  assert.equal(name("metadata"), "metadata-0");
  assert.equal(name(".."), "stream-0");
  assert.equal(name("index"), "index-0");
});
