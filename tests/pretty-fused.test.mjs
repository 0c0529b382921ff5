// sink.text.pretty prints lazy CTF events straight from the packet's bytes (fused decode and
// print); events decoded eagerly go through the value path (decoded values, then printed). Both
// must print the same bytes: the same generated traces (random field-class trees and values,
// bit-packed layouts, both byte orders, several streams; the kitchen sink; the bench layout) run
// through both paths with several parameter sets, both MIP versions, with and without colors.
// TTNG_FUSED_SEEDS=N runs more random traces.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { silentLogger } from "../packages/base/dist/index.js";
import { TraceDecoder } from "../packages/ctf/dist/index.js";
import { Graph, parseParams, vArray, vString } from "../packages/graph/dist/index.js";
import { ctfFsSourceClass } from "../packages/plugin-ctf/dist/index.js";
import { prettySinkClass } from "../packages/plugin-text/dist/index.js";
import { muxerClass } from "../packages/plugin-utils/dist/index.js";
import {
  createRng,
  kitchenSink,
  randomEvents,
  randomTraceDescription,
  writeBenchTrace,
  writeTrace,
} from "./lib/ctf-gen.mjs";

const seeds = Number(process.env.TTNG_FUSED_SEEDS ?? 30);

// The value path: a sink declaring that it reads event fields gets them decoded eagerly.
const valuePathPretty = { ...prettySinkClass, readsEventFields: true };

// Counts fused events: the fused path positions the decoder with seekEventFields.
let fusedSeeks = 0;
const seek = TraceDecoder.prototype.seekEventFields;
TraceDecoder.prototype.seekEventFields = function (...args) {
  fusedSeeks++;
  return seek.apply(this, args);
};

const PARAM_SETS = [
  "",
  "no-delta=true",
  "name-default=show,field-default=show",
  "name-default=hide,field-default=hide,clock-cycles=true",
  "field-default=show,clock-gmt=true,clock-date=true",
  "color=always",
  "color=always,name-default=show,field-default=show",
];

async function runPretty(sinkClass, dir, params, mip) {
  const chunks = [];
  const graph = new Graph({
    logger: silentLogger,
    stderr: () => {},
    stdout: () => {},
    stdoutBytes: (b) => chunks.push(Buffer.from(b)),
    mipVersion: mip,
    terminal: { colorCodes: true, brightMeansBold: true },
  });
  const sp = parseParams("");
  sp.entries.set("inputs", vArray([vString(dir)]));
  graph.addComponent(ctfFsSourceClass, "src", sp);
  graph.addComponent(muxerClass, "muxer", parseParams(""));
  graph.addComponent(sinkClass, "pretty", parseParams(params));
  for (const port of graph.outputPorts("src")) {
    const free = graph.inputPorts("muxer").find((p) => !graph.isConnected("muxer", p, true));
    graph.connect("src", port, "muxer", free ?? graph.inputPorts("muxer").at(-1));
  }
  graph.connect("muxer", graph.outputPorts("muxer")[0], "pretty", "in");
  await graph.run();
  return Buffer.concat(chunks).toString("latin1");
}

async function compareBothPaths(dir, label) {
  for (const params of PARAM_SETS) {
    for (const mip of [0, 1]) {
      const before = fusedSeeks;
      const fused = await runPretty(prettySinkClass, dir, params, mip);
      const seeks = fusedSeeks - before;
      const value = await runPretty(valuePathPretty, dir, params, mip);
      assert.equal(fusedSeeks - before, seeks, "the value path never seeks event fields");
      assert.equal(fused, value, `${label}, params "${params}", MIP ${mip}`);
    }
  }
}

function withDir(prefix, fn) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test("kitchen-sink traces (both byte orders): fused and value paths print the same", async () => {
  for (const byteOrder of ["le", "be"]) {
    await withDir("ttng-fused-ks-", async (dir) => {
      const { description, events } = kitchenSink({ byteOrder });
      writeTrace(dir, description, events);
      const before = fusedSeeks;
      await compareBothPaths(dir, `kitchen sink ${byteOrder}`);
      assert.ok(fusedSeeks > before, "the fused path was taken");
    });
  }
});

test(`${seeds} random traces: fused and value paths print the same`, async () => {
  const before = fusedSeeks;
  for (let seed = 1; seed <= seeds; seed++) {
    const rng = createRng(1000 + seed);
    const description = randomTraceDescription(rng, { maxDepth: 3 });
    const events = randomEvents(rng, description, 30);
    await withDir("ttng-fused-rnd-", async (dir) => {
      writeTrace(dir, description, events);
      await compareBothPaths(dir, `seed ${1000 + seed}`);
    });
  }
  assert.ok(fusedSeeks > before, "the fused path was taken");
});

test("the bench layout: fused and value paths print the same", async () => {
  await withDir("ttng-fused-bench-", async (dir) => {
    writeBenchTrace(dir, { events: 3000, streams: 3, seed: 3, packetSizeBytes: 4096 });
    const before = fusedSeeks;
    await compareBothPaths(dir, "bench");
    assert.ok(fusedSeeks - before >= 3000 * PARAM_SETS.length * 2, "every event took the fused path");
  });
});
