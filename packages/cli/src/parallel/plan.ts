/**
 * Whether a `view`/`convert` runs on several threads, and how its time range is split. Only the
 * plain graph runs in parallel (CTF directories -> muxer -> pretty or dummy, no trimmer, filter
 * or explicit component, default log level) and only when every stream can seek by time, no
 * time is negative (pretty's first-negative-time warning is global state) and the trace is big
 * enough to pay for starting threads. Anything else runs as before, on one thread.
 *
 * Environment: `TTNG_THREADS=N` (threads in all, at most 8; default 1: never parallel unless
 * asked); `TTNG_PARALLEL_MIN_BYTES` (default 32 MiB of stream data, 512 MiB
 * with the dummy sink);
 * `TTNG_SEGMENT_BYTES` (segment size, default from the packet sizes); `TTNG_PARALLEL_REPORT=1` prints
 * a last line on standard error saying how many segments and threads a parallel read used, and
 * `TTNG_PARALLEL_WORKERS_ONLY=1` leaves all segments to the worker threads (both for tests).
 */
import type { ComponentClass, Graph, MapValue } from "@ttng/graph";
import type { ConvertOptions, ConvertPlan } from "../convert.js";
import type { Segment, SegmentTime } from "./segment-runner.js";

const PARALLEL_SPECS = new Set(["source.ctf.fs", "filter.utils.muxer", "sink.text.pretty", "sink.utils.dummy"]);

export interface ParallelPlan {
  threads: number;
  segments: Segment[];
  graph: Graph;
  sinkName: string;
  sinkClass: ComponentClass;
  sinkParams: MapValue;
  delta: DeltaMode;
  /** The options the workers rebuild the same graph from. */
  options: ConvertOptions;
}

interface PacketStarts {
  packetStarts(): Array<{ s: number; ns: number; bytes: number }> | undefined;
}

function envInt(env: NodeJS.ProcessEnv, key: string): number | undefined {
  const v = env[key];
  if (v === undefined || v === "" || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** The parallel plan of `plan`, or undefined when it runs on one thread. */
export function parallelPlan(
  o: ConvertOptions,
  plan: ConvertPlan,
  graph: Graph,
  env: NodeJS.ProcessEnv = process.env,
): ParallelPlan | undefined {
  // Opt-in: on the 2-vCPU machines this was measured on, two threads printing at once each ran
  // about half as fast as one alone, so one thread was faster (docs/parallel-read.md, "Cost").
  const asked = envInt(env, "TTNG_THREADS") ?? 1;
  const threads = Math.min(asked, 8);
  if (threads < 2) return undefined;
  if (o.runArgs || o.components.length > 0 || o.trimmer !== undefined || o.filter !== undefined) return undefined;
  if (o.streamIntersection || o.logLevel !== "warning") return undefined;
  if (o.outputFormat !== undefined && o.outputFormat !== "text" && o.outputFormat !== "dummy") return undefined;
  if (plan.intersections.size > 0) return undefined;
  let sink: ConvertPlan["components"][number] | undefined;
  const starts: Array<{ s: number; ns: number; bytes: number }> = [];
  for (const c of plan.components) {
    if (!PARALLEL_SPECS.has(c.spec)) return undefined;
    if (c.cc.type === "sink") sink = c;
    if (c.spec !== "source.ctf.fs") continue;
    const comp = graph.component(c.name) as unknown as Partial<PacketStarts> | undefined;
    const ps = comp?.packetStarts?.();
    if (ps === undefined) return undefined;
    for (const p of ps) starts.push(p);
  }
  if (sink === undefined || starts.length === 0) return undefined;
  let total = 0;
  for (const p of starts) {
    if (p.s < 0) return undefined;
    total += p.bytes;
  }
  // Reading alone (dummy) costs about a tenth of printing per byte: a worker's start-up pays later.
  const minBytes = sink.spec === "sink.utils.dummy" ? 512 * 1024 * 1024 : 32 * 1024 * 1024;
  if (total < (envInt(env, "TTNG_PARALLEL_MIN_BYTES") ?? minBytes)) return undefined;
  starts.sort((a, b) => a.s - b.s || a.ns - b.ns);
  // Each segment re-reads about one packet per stream before its beginning: segments of many
  // packets keep that small; several segments per thread keep the threads evenly busy.
  let streams = 0;
  for (const c of plan.components) if (c.spec === "source.ctf.fs") streams += graph.outputPorts(c.name).length;
  const avgPacket = total / starts.length;
  let target = envInt(env, "TTNG_SEGMENT_BYTES") ?? Math.max(2 * 1024 * 1024, 4 * avgPacket * Math.max(1, streams));
  if (env.TTNG_SEGMENT_BYTES === undefined) target = Math.min(target, Math.max(1, total / (threads * 3)));
  const begins: SegmentTime[] = [];
  let acc = 0;
  for (const p of starts) {
    if (acc >= target) {
      const last = begins[begins.length - 1];
      if (last === undefined || p.s > last.s || (p.s === last.s && p.ns > last.ns)) {
        begins.push({ s: p.s, ns: p.ns });
        acc = 0;
      }
    }
    acc += p.bytes;
  }
  if (begins.length === 0) return undefined;
  const segments: Segment[] = [];
  for (let i = 0; i <= begins.length; i++)
    segments.push({ index: i, begin: i === 0 ? undefined : begins[i - 1], end: begins[i] });
  return {
    threads,
    segments,
    graph,
    sinkName: sink.name,
    sinkClass: sink.cc,
    sinkParams: sink.map,
    delta: deltaModeOf(sink.spec, sink.map),
    options: o,
  };
}

/** How a sink prints deltas: not at all (no pretty sink, or `no-delta`), as time, or as cycles. */
export type DeltaMode = "none" | "wall" | "cycles";

/** The delta mode of sink `spec` with `params` (`sink.text.pretty`'s `no-delta` and `clock-cycles`). */
export function deltaModeOf(spec: string, params: MapValue): DeltaMode {
  if (spec !== "sink.text.pretty") return "none";
  const flag = (k: string) => {
    const v = params.entries.get(k);
    return v?.type === "bool" && v.value;
  };
  if (flag("no-delta")) return "none";
  return flag("clock-cycles") ? "cycles" : "wall";
}
