/**
 * The parallel read's coordinator: hands time segments to worker threads (each rebuilds the same
 * graph from the same options) and runs segments itself while they work, then writes every
 * segment's output in time order, fixing each first event's delta. Output, warnings and errors
 * are the sequential run's: a segment that fails prints what it printed, then its error, and
 * nothing after it is written. At most `2 x threads + 2` segments are done ahead of the one being
 * written, so memory stays bounded whatever the trace's size. A worker that dies has its
 * segments done by the others (or this thread).
 */
import { Worker } from "node:worker_threads";
import { createLogger, type LogLevel } from "@ttng/base";
import type { TerminalInfo } from "@ttng/graph";
import { fixFirstDelta } from "./delta.js";
import type { DeltaMode } from "./plan.js";
import type { ParallelPlan } from "./plan.js";
import { deserializeError, type EventTime, SegmentRunner, type SegmentResult } from "./segment-runner.js";

export interface ParallelIo {
  terminal: TerminalInfo;
  stdoutBytes: (b: Uint8Array) => void;
  stderr: (t: string) => void;
  /** Redirects the main graph's standard error (warnings of its components) while segments run; undefined: back to standard error. */
  redirectGraphStderr: (to: ((t: string) => void) | undefined) => void;
  /** True once the user asked to stop (SIGINT). */
  interrupted: () => boolean;
}

/** What a worker is given: it rebuilds the graph from the same options. */
export interface WorkerData {
  options: ParallelPlan["options"];
  sinkName: string;
  terminal: TerminalInfo;
  delta: DeltaMode;
}

interface WorkerSlot {
  worker: Worker;
  assigned: Set<number>;
  alive: boolean;
  /** Its graph is built: segments sent to it start at once (none wait behind its start-up). */
  ready: boolean;
}

function loggerFor(level: LogLevel, name: string, write: (t: string) => void) {
  return createLogger(level, (lv, tag, message) => write(`${lv.toUpperCase()[0]} ${tag} ${message}\n`)).child(name);
}

export async function runParallel(p: ParallelPlan, io: ParallelIo): Promise<"ok" | "interrupted"> {
  const segments = p.segments;
  const count = segments.length;
  let runner: SegmentRunner | undefined;
  const graphErr = (t: string) => runner?.graphStderr(t);
  io.redirectGraphStderr(graphErr);
  runner = new SegmentRunner({
    graph: p.graph,
    sinkName: p.sinkName,
    sinkClass: p.sinkClass,
    sinkParams: p.sinkParams,
    logger: loggerFor(p.options.logLevel, p.sinkName, graphErr),
    mipVersion: p.options.mip,
    terminal: io.terminal,
    delta: p.delta,
  });
  if (!runner.canSeek(segments.flatMap((sg) => (sg.begin === undefined ? [] : [sg.begin])))) {
    // A stream cannot seek by time (a tracer quirk, discarded items without times): one thread.
    io.redirectGraphStderr(undefined);
    return p.graph.run();
  }
  const results = new Map<number, SegmentResult>();
  /** Which worker made a result (none: this thread), to give its arenas back once written. */
  const from = new Map<number, WorkerSlot>();
  const retry: number[] = [];
  let nextAssign = 0;
  let nextWrite = 0;
  const lookahead = 2 * p.threads + 2;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const slots: WorkerSlot[] = [];
  const takeNext = (): number | undefined => {
    if (retry.length > 0) return retry.shift();
    if (nextAssign < count && nextAssign - nextWrite < lookahead) return nextAssign++;
    return undefined;
  };
  const lose = (slot: WorkerSlot) => {
    if (!slot.alive) return;
    slot.alive = false;
    for (const i of slot.assigned) if (!results.has(i)) retry.push(i);
    retry.sort((a, b) => a - b);
    slot.assigned.clear();
    poke();
  };
  const data: WorkerData = { options: p.options, sinkName: p.sinkName, terminal: io.terminal, delta: p.delta };
  for (let k = 1; k < p.threads; k++) {
    const worker = new Worker(new URL("./worker.js", import.meta.url), { workerData: data });
    const slot: WorkerSlot = { worker, assigned: new Set(), alive: true, ready: false };
    worker.on("message", (m: { type: "result"; result: SegmentResult } | { type: "fatal" } | { type: "ready" }) => {
      if (m.type === "fatal") {
        lose(slot);
        return;
      }
      if (m.type === "ready") {
        slot.ready = true;
        poke();
        return;
      }
      slot.assigned.delete(m.result.index);
      results.set(m.result.index, m.result);
      from.set(m.result.index, slot);
      poke();
    });
    worker.on("error", () => lose(slot));
    worker.on("exit", () => lose(slot));
    slots.push(slot);
  }
  const pump = () => {
    for (const s of slots) {
      while (s.alive && s.ready && s.assigned.size < 2) {
        const i = takeNext();
        if (i === undefined) return;
        s.assigned.add(i);
        s.worker.postMessage({ type: "segment", segment: segments[i] });
      }
    }
  };
  let prev: EventTime | undefined;
  // For tests: `TTNG_PARALLEL_WORKERS_ONLY=1` leaves every segment to the workers (with small
  // traces this thread would otherwise do them all before a worker is up).
  const mainWorks = process.env.TTNG_PARALLEL_WORKERS_ONLY !== "1" || slots.length === 0;
  try {
    for (;;) {
      if (io.interrupted()) return "interrupted";
      pump();
      while (results.has(nextWrite)) {
        const r = results.get(nextWrite)!;
        results.delete(nextWrite);
        let chunks = r.chunks;
        if (prev !== undefined && r.firstEvent !== undefined)
          chunks = fixFirstDelta(chunks, prev, r.firstEvent, r.threadPrev, p.delta);
        if (r.lastEvent !== undefined) prev = r.lastEvent;
        for (const c of chunks) {
          if (c.fd === 1) io.stdoutBytes(c.bytes);
          else io.stderr(Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.length).toString("latin1"));
        }
        const maker = from.get(nextWrite);
        from.delete(nextWrite);
        if (maker === undefined) runner.giveBack(r.arenas);
        else if (maker.alive) maker.worker.postMessage({ type: "arenas", arenas: r.arenas }, r.arenas);
        if (r.error !== undefined) throw deserializeError(r.error);
        nextWrite++;
      }
      if (nextWrite === count) return "ok";
      pump();
      const i = mainWorks || slots.every((x) => !x.alive) ? takeNext() : undefined;
      if (i !== undefined) {
        // The next one to write: written as it is made, with no copy.
        const direct = i === nextWrite ? { stdoutBytes: io.stdoutBytes, stderr: io.stderr, prev } : undefined;
        const r = runner.run(segments[i]!, direct);
        if (direct !== undefined) {
          if (r.lastEvent !== undefined) prev = r.lastEvent;
          if (r.error !== undefined) throw deserializeError(r.error);
          nextWrite++;
        } else results.set(i, r);
        // Let the workers' results in.
        await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      await new Promise<void>((r) => {
        wake = r;
      });
    }
  } finally {
    // For tests: whether (and how) the read ran in parallel; nothing is printed otherwise.
    if (process.env.TTNG_PARALLEL_REPORT === "1")
      io.stderr(`ttng: parallel read: ${count} segments, ${p.threads} threads\n`);
    for (const s of slots) {
      s.alive = false;
      void s.worker.terminate();
    }
    runner.finalize();
    p.graph.finalize();
  }
}
