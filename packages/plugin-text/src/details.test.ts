/**
 * Golden tests of `sink.text.details` against babeltrace2's own expected
 * outputs (the conformance corpus in ../shared/conformance, read in place).
 * The CTF source and the muxer live in other plugins, which plugin-text may
 * not import statically (DESIGN.md §2): the test loads their built output.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { silentLogger } from "@ttng/base";
import { type ComponentClass, Graph, parseParams, vArray, vMap, vString } from "@ttng/graph";
import { detailsSinkClass } from "./details.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const corpus = join(repoRoot, "../shared/conformance/babeltrace");
const traces = join(corpus, "ctf-traces/1/succeed");
const expectDir = join(corpus, "expect/plugins");
const skip = existsSync(corpus) ? false : `conformance corpus absent (${corpus})`;

async function loadClasses(): Promise<{ src: ComponentClass; muxer: ComponentClass }> {
  const ctf = (await import(new URL("../../plugin-ctf/dist/index.js", import.meta.url).href)) as {
    ctfFsSourceClass: ComponentClass;
  };
  const utils = (await import(new URL("../../plugin-utils/dist/index.js", import.meta.url).href)) as {
    muxerClass: ComponentClass;
  };
  return { src: ctf.ctfFsSourceClass, muxer: utils.muxerClass };
}

/** CTF trace directories (holding a `metadata` file) at or under `dir`, sorted. */
function traceDirs(dir: string): string[] {
  if (existsSync(join(dir, "metadata"))) return [dir];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...traceDirs(p));
  }
  return out;
}

/** Runs source.ctf.fs -> filter.utils.muxer -> sink.text.details and returns stdout. */
async function runDetails(traceDir: string, srcParams: string, sinkParams: string, mip: 0 | 1): Promise<string> {
  const { src, muxer } = await loadClasses();
  let out = "";
  const graph = new Graph({ logger: silentLogger, stderr: () => {}, stdout: (t) => (out += t), mipVersion: mip });
  const sp = srcParams ? parseParams(srcParams) : vMap();
  sp.entries.set("inputs", vArray(traceDirs(traceDir).map((d) => vString(d))));
  graph.addComponent(src, "src", sp);
  graph.addComponent(muxer, "muxer", vMap());
  graph.addComponent(detailsSinkClass, "details", sinkParams ? parseParams(sinkParams) : vMap());
  for (const port of graph.outputPorts("src")) {
    const free = graph.inputPorts("muxer").find((p) => !graph.isConnected("muxer", p, true));
    graph.connect("src", port, "muxer", free ?? graph.inputPorts("muxer").at(-1)!);
  }
  graph.connect("muxer", graph.outputPorts("muxer")[0]!, "details", "in");
  await graph.run();
  return out;
}

function readExpect(rel: string): string {
  return readFileSync(join(expectDir, rel), "latin1");
}

const base = "with-stream-name=no";
/** DET set: wk-heartbeat-u with trace-name=the-trace; variant -> sink params. */
const DET_VARIANTS: Record<string, string> = {
  default: "",
  "default-compact": "compact=yes",
  "default-compact-without-time": "compact=yes,with-time=no",
  "default-without-data": "with-data=no",
  "default-without-names": "with-stream-name=no,with-trace-name=no,with-stream-class-name=no",
  "default-without-time": "with-time=no",
  "default-without-trace-name": "with-trace-name=no",
  "default-without-uuid": "with-uuid=no",
};

const cases: Array<{ expect: string; trace: string; src: string; sink: string; mip: 0 | 1; ctf2?: boolean }> = [];
for (const [name, params] of Object.entries(DET_VARIANTS)) {
  for (const mip of [0, 1] as const) {
    cases.push({
      expect: `sink.text.details/${name}-ctf1-mip${mip}.expect`,
      trace: "wk-heartbeat-u",
      src: "trace-name=the-trace",
      sink: [base, params].filter(Boolean).join(","),
      mip,
    });
  }
}
for (const mip of [0, 1] as const) {
  cases.push({
    expect: `sink.text.details/default-without-metadata-mip${mip}.expect`,
    trace: "wk-heartbeat-u",
    src: "trace-name=the-trace",
    sink: `${base},with-metadata=no`,
    mip,
  });
  cases.push({
    expect: "sink.text.details/default-compact-without-metadata.expect",
    trace: "wk-heartbeat-u",
    src: "trace-name=the-trace",
    sink: `${base},compact=yes,with-metadata=no`,
    mip,
  });
  cases.push({
    expect: "sink.text.details/default-without-data-without-metadata.expect",
    trace: "wk-heartbeat-u",
    src: "trace-name=the-trace",
    sink: `${base},with-data=no,with-metadata=no`,
    mip,
  });
}
const SRC_SINK = "with-trace-name=no,with-stream-name=no";
// Not run: lttng-tracefile-rotation and session-rotation need the CLI's
// trace discovery (several source.ctf.fs components, one per UUID group).
for (const t of ["2packets", "barectf-event-before-packet"]) {
  for (const mip of [0, 1] as const) {
    cases.push({
      expect: `src.ctf.fs/succeed/trace-${t}-ctf1-mip${mip}.expect`,
      trace: t,
      src: "",
      sink: SRC_SINK,
      mip,
    });
  }
}
for (const mip of [0, 1] as const) {
  cases.push({
    expect: `src.ctf.fs/succeed/trace-smalltrace-mip${mip}.expect`,
    trace: "smalltrace",
    src: "",
    sink: SRC_SINK,
    mip,
  });
}
// Made by babeltrace2 master (MIP 1) without a version suffix.
for (const t of ["array-align-elem", "struct-array-align-elem"]) {
  cases.push({ expect: `src.ctf.fs/succeed/trace-${t}.expect`, trace: t, src: "", sink: SRC_SINK, mip: 1 });
}
cases.push({
  expect: "sink.text.details/no-packet-context.expect",
  trace: "no-packet-context",
  src: "trace-name=the-trace",
  sink: base,
  mip: 0,
});

// CTF 2 versions of the same traces (Babeltrace 2.1+ reads them under MIP 1): same expectations
// but for what CTF 2 adds (user attributes, trace namespace, clock classes without a precision).
const traces2 = join(corpus, "ctf-traces/2/succeed");
for (const [name, params] of Object.entries(DET_VARIANTS)) {
  cases.push({
    expect: `sink.text.details/${name}-ctf2-mip1.expect`,
    trace: "wk-heartbeat-u",
    src: "trace-name=the-trace",
    sink: [base, params].filter(Boolean).join(","),
    mip: 1,
    ctf2: true,
  });
}
// (lttng-tracefile-rotation and session-rotation: tests/details-cli.test.mjs, as for CTF 1.8.)
for (const t of ["2packets", "barectf-event-before-packet"]) {
  cases.push({
    expect: `src.ctf.fs/succeed/trace-${t}-ctf2-mip1.expect`,
    trace: t,
    src: "",
    sink: "with-trace-name=no,with-stream-name=no",
    mip: 1,
    ctf2: true,
  });
}

for (const c of cases) {
  test(`sink.text.details matches ${c.expect} (mip ${c.mip})`, { skip }, async () => {
    const got = await runDetails(join(c.ctf2 ? traces2 : traces, c.trace), c.src, c.sink, c.mip);
    assert.equal(got, readExpect(c.expect));
  });
}
