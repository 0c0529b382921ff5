/**
 * A parallel read's worker thread: rebuilds the convert graph from the coordinator's options
 * (what it prints while doing so, the coordinator already printed) and runs the time segments
 * it is sent, answering each with what it printed.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createLogger } from "@ttng/base";
import { Graph } from "@ttng/graph";
import { connectConvertGraph, planConvert } from "../convert.js";
import { convertNeeds } from "../convert-classes.js";
import { builtinRegistry } from "../plugins.js";
import type { WorkerData } from "./run.js";
import { type Segment, SegmentRunner, serializeError } from "./segment-runner.js";

const port = parentPort!;
const data = workerData as WorkerData;
let runner: SegmentRunner | undefined;

try {
  const o = data.options;
  const write = (t: string) => runner?.graphStderr(t);
  const logger = createLogger(o.logLevel, (lv, tag, message) => write(`${lv.toUpperCase()[0]} ${tag} ${message}\n`));
  const registry = await builtinRegistry(convertNeeds(o));
  const graph = new Graph({
    logger,
    stderr: write,
    stdout: () => {},
    stdoutBytes: () => {},
    mipVersion: o.mip,
    terminal: data.terminal,
  });
  const plan = planConvert(o, registry, () => {});
  connectConvertGraph(graph, plan, registry);
  const sink = plan.components.find((c) => c.name === data.sinkName);
  if (sink === undefined) throw new Error(`no sink named ${data.sinkName}`);
  runner = new SegmentRunner({
    graph,
    sinkName: sink.name,
    sinkClass: sink.cc,
    sinkParams: sink.map,
    logger: logger.child(sink.name),
    mipVersion: o.mip,
    terminal: data.terminal,
    delta: data.delta,
  });
  port.postMessage({ type: "ready" });
} catch (e) {
  port.postMessage({ type: "fatal", error: serializeError(e) });
}

port.on("message", (m: { type: "segment"; segment: Segment } | { type: "arenas"; arenas: ArrayBuffer[] }) => {
  if (runner === undefined) return;
  if (m.type === "arenas") {
    runner.giveBack(m.arenas);
    return;
  }
  const result = runner.run(m.segment);
  const transfer = new Set<ArrayBuffer>(result.arenas);
  for (const c of result.chunks) transfer.add(c.bytes.buffer as ArrayBuffer);
  port.postMessage({ type: "result", result }, [...transfer]);
});
