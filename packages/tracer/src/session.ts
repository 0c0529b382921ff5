/**
 * In-process recording sessions (no daemon) and how threads join them.
 *
 * Design (issue 4, item 7): the main thread owns the session. `startSession()` spawns the
 * consumer worker, writes the metadata preamble, creates the main thread's rings and binds its
 * tracepoints. Worker threads find the session through a `BroadcastChannel` named after the pid:
 * each worker that imports the package says `hello`; the main thread answers (and announces every
 * new session) with the session's shared state: the configuration, the session control SAB
 * (doorbell, heartbeat, dead flag), the per-channel event-id counters SAB and the trace UUID.
 * The worker then allocates its own rings (one SAB per channel), posts them (and the metadata of
 * the events it declares) to the main thread, which forwards them to the consumer, in order.
 * Events a worker emits before it has joined are not recorded (LTTng-UST's registration delay);
 * `await sessionReady()` in the worker waits for the join.
 *
 * Event ids are per channel (stream class) and come from a shared table (event-ids.ts), so a
 * worker assigns ids synchronously and an event declared in several threads with the same
 * fields is one event class in the metadata.
 *
 * Memory per thread and channel: numSubbuf x subbufSize + 64 bytes of control, plus one writer
 * closure per enabled event; nothing grows with the number of events recorded.
 */
import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";
import { basename, join } from "node:path";
import { performance } from "node:perf_hooks";
import { BroadcastChannel, isMainThread, threadId, type Worker } from "node:worker_threads";
import { randomUUID } from "node:crypto";
import {
  compileEventRule,
  compileFilter,
  type FieldLayout,
  type FieldSlot,
  type FieldType,
  parseFilterExpression,
  parseLogLevel,
} from "@ttng/filter";
import { clockBase, clockOffsetNs, eventClock, nowWords } from "./clock.js";
import type { ConsumerStats } from "./consumer.js";
import { type Field, intSigned } from "./fields.js";
import { eventId, eventIdsBytes, eventSignature } from "./event-ids.js";
import { requestEventId } from "./id-mailbox.js";
import { isInternalThread, startConsumerWorker } from "./internal-thread.js";
import { uuidBytes } from "@ttng/protocol";
import { disableAll, type EventClass, events, NOOP, setBinder, setEnabled } from "./registry.js";
import { Ctl, pow2, Ring, type RingMode, ringBytes, ringDoorbell, SESSION_CTL_BYTES, SessionCtl } from "./ring.js";
import { eventBlock2, streamBlock2, tracePreamble2 } from "./ctf2-meta.js";
import { PROCESS_CONTEXTS, type ProcessContext, processContextValues } from "./process-ids.js";

/** Longest wait at `process.exit()` for the consumer to write what the rings hold (ms). */
const EXIT_FLUSH_MS = 2000;
/** How often a consumer woken per packet wakes anyway (ms; ring.ts: producers wait 2 s for its heartbeat). */
const WAKEUP_POLL_MS = 1000;
import { type ContextSpec, eventBlock, streamBlock, tracePreamble } from "./tsdl.js";
import { baseHelpers, buildWriter, CTX_PROCESS_BASE, sanitize, type Writer, type WriterHelpers } from "./writer.js";

export interface ChannelOptions {
  name: string;
  /** Bytes, rounded up to a power of two ≥ 4096 (default 16384, LTTng's per-PID default). */
  subbufSize?: number;
  /** Rounded up to a power of two (default 4). */
  numSubbuf?: number;
  mode?: RingMode;
  /** Blocking mode only: µs before an event is dropped (default 100000; Infinity: while the consumer lives). */
  blockingTimeoutUs?: number;
  /** Close the current sub-buffer this often (µs, 0 = off). */
  switchTimerUs?: number;
  /** The consumer polls this often instead of being woken per packet (µs, 0 = wakeups). */
  readTimerUs?: number;
  /**
   * Split each stream into files of at most this many bytes (whole packets; 0 = one file), named
   * `CHANNEL_N_0`, `CHANNEL_N_1`, ... as LTTng's `--tracefile-size`.
   */
  tracefileSizeBytes?: number;
  /** With `tracefileSizeBytes`: keep at most this many files per stream, reusing the oldest's name (0 = all). */
  tracefileCount?: number;
}

export interface EventRuleOptions {
  /** `provider:event`, star-globs allowed (`my_app:*`). */
  name: string;
  channel?: string;
  /** An @ttng/filter expression over the event's fields (`status >= 500 && path == "/api*"`). */
  filter?: string;
  logLevel?: string;
  logLevelOnly?: boolean;
  exclude?: readonly string[];
}

export interface TracerLogger {
  warn(message: string): void;
  debug?(message: string): void;
}

export interface SessionOptions {
  output: string;
  name?: string;
  channels?: readonly ChannelOptions[];
  events?: readonly EventRuleOptions[];
  contexts?: readonly string[];
  appContexts?: Readonly<Record<string, () => string | number | bigint>>;
  logger?: TracerLogger;
  /** Report every coerced argument through logger.debug (or warn). */
  debug?: boolean;
  /** Metadata format, as `lttng create --trace-format` (LTTng 2.15): CTF 1.8 TSDL (default) or CTF 2 JSON. */
  traceFormat?: "ctf-1.8" | "ctf-2";
}

export interface StopResult {
  /** The trace directory (`<output>/ust/pid/<procname>-<pid>-<datetime>`); "" if nothing was started. */
  path: string;
  /** Events dropped because no sub-buffer was free (discard, blocking after the timeout), or too big. */
  discardedEvents: number;
  /**
   * Events written into the buffers (overwrite mode: including those overwritten later; a thread
   * flushed remotely, because it did not answer at stop, does not count its last packet).
   */
  recordedEvents: number;
  packets: number;
  /** Packets overwritten before the consumer read them (overwrite mode), seen as packet_seq_num gaps. */
  lostPackets: number;
  bytes: number;
  streams: string[];
  errors: string[];
}

export interface SessionHandle {
  readonly path: string;
  stop(): Promise<StopResult>;
}

export interface NormChannel {
  name: string;
  subbufSize: number;
  numSubbuf: number;
  mode: RingMode;
  blockingTimeoutUs: number;
  switchTimerUs: number;
  readTimerUs: number;
  tracefileSizeBytes: number;
  tracefileCount: number;
}
export interface NormRule {
  name: string;
  channel: number;
  filter: string | undefined;
  exclusions: string[];
  logLevel: { type: "range" | "single"; level: number } | undefined;
}
/** What crosses the BroadcastChannel to workers (structured-clone friendly). */
interface SharedSession {
  id: string;
  channels: NormChannel[];
  rules: NormRule[];
  contexts: ContextSpec[];
  debug: boolean;
  session: SharedArrayBuffer;
  ids: SharedArrayBuffer;
  uuid: string;
  /**
   * Per-UID trace of a session daemon: stream instance ids are `instanceBase + thread index`,
   * and event class ids come from the daemon (main thread only: workers do not join).
   */
  instanceBase?: number;
  perUid?: boolean;
  /** CTF 2 metadata (ctf2-meta.ts) instead of TSDL. */
  ctf2?: boolean;
  /** Per-UID: where every thread asks the daemon for event ids (id-mailbox.ts). */
  idMailbox?: IdMailboxRef;
}

/** How a thread reaches the daemon for per-UID event ids. */
export interface IdMailboxRef {
  mailbox: SharedArrayBuffer;
  link: number;
  trace: string;
  timeoutMs: number;
}

function mailboxIdSource(ref: IdMailboxRef): EventIdSource {
  return (channel, signature, block) => {
    const id = requestEventId(
      ref.mailbox,
      { link: ref.link, trace: ref.trace, channel, signature, tsdlHead: block.head, tsdlTail: block.tail },
      ref.timeoutMs,
    );
    return id === undefined ? undefined : { id, created: false };
  };
}

/** Where a thread's event class ids come from: the shared table, or the daemon (per-UID). */
export type EventIdSource = (
  channel: number,
  signature: string,
  block: { head: string; tail: string },
) => { id: number; created: boolean } | undefined;

const stderrLogger: TracerLogger = {
  warn: (m) => process.stderr.write(`ttng: ${m}\n`),
};

// ---------------------------------------------------------------------------------------------
// Per-thread facts (contexts)

function readTid(): number {
  try {
    const link = readlinkSync("/proc/thread-self");
    const tid = Number(link.slice(link.lastIndexOf("/") + 1));
    if (Number.isInteger(tid) && tid > 0) return tid;
  } catch {}
  return isMainThread ? process.pid : process.pid + threadId;
}

function readProcname(): string {
  try {
    return readFileSync("/proc/self/comm", "utf8").trim().slice(0, 16);
  } catch {
    return process.title.slice(0, 16);
  }
}

const TID = readTid();
const PROCNAME = readProcname();
const PROCNAME_BYTES = (() => {
  const b = new Uint8Array(17);
  new TextEncoder().encodeInto(PROCNAME.slice(0, 16), b.subarray(0, 16));
  return b;
})();

// ---------------------------------------------------------------------------------------------
// One thread's part of a session

const CONTEXT_KINDS = new Set<string>(["vpid", "vtid", "procname", "pthread_id", "worker_id", ...PROCESS_CONTEXTS]);

function filterType(f: Field): FieldType | undefined {
  switch (f.kind) {
    case "int":
      return { kind: "integer", signed: intSigned(f.type) };
    case "enum":
      return { kind: "enum", signed: intSigned(f.container.type) };
    case "float":
      return { kind: "float" };
    case "string":
      return { kind: "string" };
    case "array":
      return f.element.kind === "int"
        ? { kind: "array", length: f.length, element: { signed: intSigned(f.element.type) }, text: false }
        : undefined;
    case "sequence":
      return f.element.kind === "int"
        ? { kind: "sequence", element: { signed: intSigned(f.element.type) }, text: false }
        : undefined;
    case "textArray":
      return { kind: "array", length: f.length, element: { signed: true }, text: true };
    case "textSequence":
      return { kind: "sequence", element: { signed: true }, text: true };
  }
}

class ThreadSession {
  readonly rings: Ring[] = [];
  private readonly sessionCtl: Int32Array;
  private readonly ids: Int32Array;
  private rules: Array<NormRule & { match: (name: string, level: number | undefined) => boolean }>;
  private readonly appFns: Array<() => unknown>;
  private readonly helpers: WriterHelpers;
  private readonly ctxValues: number[];
  private timer: ReturnType<typeof setInterval> | undefined;
  private retrying = false;
  stopped = false;

  constructor(
    readonly shared: SharedSession,
    private readonly logger: TracerLogger,
    private readonly report: (key: string, message: string) => void,
    sendRing: (m: {
      sab: SharedArrayBuffer;
      file: string;
      streamId: number;
      instanceId: number;
      cpuId: number;
      subbufSize: number;
      numSubbuf: number;
      mode: RingMode;
      tracefileSizeBytes: number;
      tracefileCount: number;
    }) => void,
    private readonly sendMetadata: (text: string) => void,
    appContexts: Readonly<Record<string, () => unknown>>,
    private readonly idSource: EventIdSource | null = null,
  ) {
    this.sessionCtl = new Int32Array(shared.session);
    this.ids = new Int32Array(shared.ids);
    this.rules = ThreadSession.compileRules(shared.rules);
    this.appFns = shared.contexts
      .filter((c): c is Extract<ContextSpec, { kind: "app" }> => c.kind === "app")
      .map((c) => appContexts[c.name] ?? (() => undefined));
    const uuid = uuidBytes(shared.uuid);
    const cpuId = isMainThread ? 0 : threadId;
    const instanceId = (shared.instanceBase ?? 0) + cpuId;
    this.ctxValues = [process.pid, TID, TID >>> 0, 0, threadId];
    // Once per thread and session (a few /proc reads): recorded contexts and filters' $ctx.* read them.
    this.ctxValues.push(...processContextValues());
    for (const [k, ch] of shared.channels.entries()) {
      const sab = new SharedArrayBuffer(ringBytes(ch.subbufSize, ch.numSubbuf));
      const ring = new Ring(sab, this.sessionCtl, {
        subbufSize: ch.subbufSize,
        numSubbuf: ch.numSubbuf,
        mode: ch.mode,
        blockingTimeoutUs: ch.blockingTimeoutUs,
        streamId: k,
        instanceId,
        cpuId,
        uuid,
        wakeup: ch.readTimerUs === 0,
      });
      this.rings.push(ring);
      sendRing({
        sab,
        file: `${ch.name}_${instanceId}`,
        streamId: k,
        instanceId,
        cpuId,
        subbufSize: ch.subbufSize,
        numSubbuf: ch.numSubbuf,
        mode: ch.mode,
        tracefileSizeBytes: ch.tracefileSizeBytes,
        tracefileCount: ch.tracefileCount,
      });
    }
    this.helpers = {
      ...baseHelpers,
      warn: (ei, fi, v) => {
        const ec = events[ei];
        const f = ec?.fields[fi];
        const msg = `${ec?.fullName}: argument ${fi} (${f?.name}) is ${typeof v}, coerced`;
        (this.logger.debug ?? this.logger.warn)(msg);
      },
      fail: (ei, err, args) => this.retry(ei, err, args),
    };
    const switchUs = Math.min(...shared.channels.map((c) => (c.switchTimerUs > 0 ? c.switchTimerUs : Infinity)));
    if (switchUs !== Infinity) {
      this.timer = setInterval(() => this.flush(false), Math.max(1, switchUs / 1000));
      this.timer.unref();
    }
  }

  private static compileRules(
    rules: readonly NormRule[],
  ): Array<NormRule & { match: (name: string, level: number | undefined) => boolean }> {
    return rules.map((r) => ({
      ...r,
      match: compileEventRule({
        name: r.name,
        exclusions: r.exclusions,
        ...(r.logLevel === undefined ? {} : { logLevel: r.logLevel }),
      }),
    }));
  }

  /**
   * New recording event rules while recording (a session daemon's enable-event/disable-event):
   * every declared event is bound again; rings, ids and streams stay as they are.
   */
  setRules(rules: readonly NormRule[]): void {
    if (this.stopped) return;
    this.rules = ThreadSession.compileRules(rules);
    this.cache.clear();
    rebindAll();
  }

  private retry(ei: number, err: unknown, args: unknown[]): void {
    const ec = events[ei];
    if (ec === undefined || this.retrying) {
      this.report(`w:${ei}`, `${ec?.fullName ?? ei}: event dropped: ${String(err)}`);
      return;
    }
    if (this.shared.debug)
      (this.logger.debug ?? this.logger.warn)(`${ec.fullName}: bad argument coerced (${String(err)})`);
    this.retrying = true;
    try {
      const clean = ec.fields.map((f, k) => sanitize(f, args[k]));
      ec.tp.w(...clean);
    } finally {
      this.retrying = false;
    }
  }

  private layout(ec: EventClass): FieldLayout {
    const ctxIndex = ["vpid", "vtid", "procname", "pthread_id", "worker_id"];
    const appNames = this.shared.contexts.filter((c) => c.kind === "app").map((c) => (c as { name: string }).name);
    return {
      payload: (name) => {
        const k = ec.fields.findIndex((f) => f.name === name);
        if (k < 0) return undefined;
        const type = filterType(ec.fields[k]!);
        return type === undefined ? undefined : { index: k, type };
      },
      context: (name): FieldSlot | undefined => {
        const p = PROCESS_CONTEXTS.indexOf(name as ProcessContext);
        if (p >= 0) return { index: CTX_PROCESS_BASE + p, type: { kind: "integer", signed: false } };
        const k = ctxIndex.indexOf(name);
        if (k < 0) return undefined;
        return {
          index: k,
          type: name === "procname" ? { kind: "string" } : { kind: "integer", signed: name !== "pthread_id" },
        };
      },
      appContext: (name): FieldSlot | undefined => {
        const k = appNames.indexOf(name);
        return k < 0 ? undefined : { index: 100 + k, type: { kind: "string" } };
      },
    };
  }

  /** Writers of `ec` in this session, built once per rule set (cached). */
  private readonly cache = new Map<number, Writer[]>();

  writersFor(ec: EventClass): Writer[] {
    if (this.stopped) return [];
    const cached = this.cache.get(ec.index);
    if (cached !== undefined) return cached;
    const writers = this.buildWriters(ec);
    this.cache.set(ec.index, writers);
    return writers;
  }

  private buildWriters(ec: EventClass): Writer[] {
    const writers: Writer[] = [];
    let meta = "";
    for (let k = 0; k < this.shared.channels.length; k++) {
      const rules = this.rules.filter((r) => r.channel === k && r.match(ec.fullName, ec.logLevel));
      if (rules.length === 0) continue;
      let filter: ((payload: unknown[]) => boolean) | null = null;
      if (rules.every((r) => r.filter !== undefined)) {
        try {
          const layout = this.layout(ec);
          const fs = rules.map((r) => compileFilter(parseFilterExpression(r.filter!), layout));
          const ctx = (index: number) => {
            if (index >= 100) return baseHelpers.app(this.appFns, index - 100) as never;
            return index === 2 ? PROCNAME : index === 3 ? TID : (this.ctxValues[index] as never);
          };
          filter = fs.length === 1 ? (p) => fs[0]!(p as never, ctx) : (p) => fs.some((f) => f(p as never, ctx));
        } catch (e) {
          this.report(`filter:${ec.fullName}`, `filter for ${ec.fullName} rejected: ${(e as Error).message}`);
          continue;
        }
      }
      const signature = eventSignature(ec.fullName, ec.logLevel, ec.fields);
      let assigned: { id: number; created: boolean } | undefined;
      if (this.idSource === null) assigned = eventId(this.ids, k, signature);
      else {
        const block = (this.shared.ctf2 ? eventBlock2 : eventBlock)(ec.fullName, ID_MARK, k, ec.logLevel, ec.fields);
        const at = block.indexOf(String(ID_MARK));
        const head = block.slice(0, at);
        const tail = block.slice(at + String(ID_MARK).length);
        assigned = this.idSource(k, signature, { head, tail });
        if (assigned === undefined) {
          this.report(`id:${ec.fullName}`, `no event id from the session daemon for ${ec.fullName}; not recorded`);
          continue;
        }
      }
      const { id, created } = assigned;
      let writer: Writer;
      try {
        writer = buildWriter(
          {
            fields: ec.fields,
            id,
            eventIndex: ec.index,
            contexts: this.shared.contexts,
            hasFilter: filter !== null,
            debug: this.shared.debug,
          },
          {
            ring: this.rings[k]!,
            perf: eventClock,
            baseHi: clockBase.hi,
            baseLo: clockBase.lo,
            ctxValues: this.ctxValues,
            procname: PROCNAME_BYTES,
            appFns: this.appFns,
            helpers: this.helpers,
            filter,
          },
        );
      } catch (e) {
        this.report("codegen", `cannot generate event writers (${String(e)}); nothing recorded`);
        continue;
      }
      writers.push(writer);
      if (created) meta += (this.shared.ctf2 ? eventBlock2 : eventBlock)(ec.fullName, id, k, ec.logLevel, ec.fields);
    }
    if (meta !== "") this.sendMetadata(meta);
    return writers;
  }

  /** Returns false while a final flush still waits for a free sub-buffer. */
  flush(final: boolean, rings: readonly Ring[] = this.rings): Ring[] {
    const [hi, lo] = nowWords();
    const pending: Ring[] = [];
    for (const r of rings) {
      try {
        if (!r.flush(hi, lo, final)) pending.push(r);
      } catch (e) {
        this.report("flush", `flush failed: ${String(e)}`);
      }
    }
    return pending;
  }

  /** Disables the tracepoints and flushes every ring for good (waits up to 1 s for the consumer). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    leave(this);
    let pending = this.flush(true);
    const deadline = performance.now() + 1000;
    while (pending.length > 0 && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2));
      pending = this.flush(true, pending);
    }
    // The consumer never freed a sub-buffer: the last count stays in the stop result only.
    for (const r of pending) r.markFinal();
  }

  /** Synchronous variant for thread exit (no waiting possible). */
  stopNow(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    leave(this);
    this.flush(true);
  }
}

/** Placeholder id in a per-UID event block; the daemon puts the real id there. */
const ID_MARK = 987654321987;

function fanOut(arity: number, writers: Writer[]): Writer {
  const args = Array.from({ length: arity }, (_, k) => `a${k}`).join(", ");
  const calls = writers.map((_, k) => `W[${k}](${args});`).join(" ");
  try {
    return new Function("W", `return function (${args}) { ${calls} };`)(writers) as Writer;
  } catch {
    return (...a: unknown[]) => {
      for (const w of writers) w(...a);
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Thread state and the BroadcastChannel

/**
 * The sessions this thread records into (LTTng lets several sessions trace one app): each
 * event's writer is the fan-out of every session's writers for it.
 */
const threadSessions: ThreadSession[] = [];

function rebind(ec: EventClass): void {
  const writers = threadSessions.flatMap((ts) => ts.writersFor(ec));
  if (writers.length === 0) {
    setEnabled(ec.tp, false);
    ec.tp.w = NOOP;
    return;
  }
  ec.tp.w = writers.length === 1 ? writers[0]! : fanOut(ec.fields.length, writers);
  setEnabled(ec.tp, true);
}

function rebindAll(): void {
  if (threadSessions.length === 0) disableAll();
  else for (const ec of events) rebind(ec);
}

/** A session stops recording in this thread: its writers leave every event. */
function leave(ts: ThreadSession): void {
  const k = threadSessions.indexOf(ts);
  if (k >= 0) threadSessions.splice(k, 1);
  if (threadSessions.length === 0) setBinder(null);
  rebindAll();
}

function sessionOfThread(id: string | undefined): ThreadSession | undefined {
  return threadSessions.find((ts) => ts.shared.id === id);
}
let readyWaiters: Array<(ok: boolean) => void> = [];
const channelName = `ttng:tracer:${process.pid}`;
let bc: BroadcastChannel | null = null;

function resolveReady(ok: boolean): void {
  const w = readyWaiters;
  readyWaiters = [];
  for (const f of w) f(ok);
}

function makeReporter(logger: TracerLogger): (key: string, message: string) => void {
  const seen = new Set<string>();
  return (key, message) => {
    if (seen.has(key)) return;
    seen.add(key);
    try {
      logger.warn(message);
    } catch {}
  };
}

function joinThread(
  shared: SharedSession,
  logger: TracerLogger,
  appContexts: Readonly<Record<string, () => unknown>>,
  send: (m: unknown) => void,
  idSource: EventIdSource | null = null,
): ThreadSession {
  const report = makeReporter(logger);
  const ts = new ThreadSession(
    shared,
    logger,
    report,
    (m) => send({ type: "ring", session: shared.id, tid: threadId, ...m }),
    (text) => send({ type: "metadata", session: shared.id, text }),
    appContexts,
    idSource,
  );
  threadSessions.push(ts);
  setBinder(rebind);
  rebindAll();
  return ts;
}

function workerInit(): void {
  if (isMainThread || isInternalThread()) return;
  bc = new BroadcastChannel(channelName);
  bc.onmessage = (ev: unknown) => {
    const m = (ev as { data: unknown }).data as {
      type: string;
      to?: number;
      shared?: SharedSession;
      list?: SharedSession[];
      session?: string;
      rules?: NormRule[];
    };
    const join = (shared: SharedSession) => {
      if (sessionOfThread(shared.id) !== undefined) return;
      Atomics.add(new Int32Array(shared.session), SessionCtl.Joined, 1);
      joinThread(
        shared,
        stderrLogger,
        {},
        (x) => bc?.postMessage(x),
        shared.idMailbox === undefined ? null : mailboxIdSource(shared.idMailbox),
      );
      bc?.postMessage({ type: "joined", session: shared.id, tid: threadId });
    };
    try {
      const ts = sessionOfThread(m.session);
      if (m.type === "rules" && ts !== undefined && m.rules !== undefined) {
        ts.setRules(m.rules);
      } else if (m.type === "session" && m.shared !== undefined && (m.to === undefined || m.to === threadId)) {
        join(m.shared);
        resolveReady(true);
      } else if (m.type === "sessions" && m.to === threadId && Array.isArray(m.list) && m.list.length > 0) {
        for (const shared of m.list) join(shared);
        resolveReady(true);
      } else if (m.type === "stop" && ts !== undefined) {
        void ts.stop().then(() => bc?.postMessage({ type: "flushed", session: m.session, tid: threadId }));
      }
    } catch (e) {
      try {
        process.stderr.write(`ttng: worker ${threadId}: ${String(e)}\n`);
      } catch {}
    }
  };
  // After onmessage (which refs the channel): a tracer must never keep a worker alive.
  (bc as unknown as { unref?: () => void }).unref?.();
  bc.postMessage({ type: "hello", tid: threadId });
  process.on("exit", () => {
    for (const ts of [...threadSessions]) ts.stopNow();
  });
}
workerInit();

/**
 * Resolves true once this thread records into a session (in a worker: after the session's
 * announcement arrived), false after `timeoutMs` without one.
 *
 * @example
 * // in a worker_threads worker
 * await sessionReady();
 * myEvent(1, 2);
 */
export function sessionReady(timeoutMs = 2000): Promise<boolean> {
  if (threadSessions.some((ts) => !ts.stopped)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      readyWaiters = readyWaiters.filter((f) => f !== done);
      resolve(false);
    }, timeoutMs);
    const done = (ok: boolean) => {
      clearTimeout(t);
      resolve(ok);
    };
    readyWaiters.push(done);
  });
}

// ---------------------------------------------------------------------------------------------
// Main thread: startSession

function datetime(d: Date, sep: string): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}${sep}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
function tzOffset(d: Date): string {
  const m = -d.getTimezoneOffset();
  const s = m >= 0 ? "+" : "-";
  const a = Math.abs(m);
  return `${s}${String(Math.floor(a / 60)).padStart(2, "0")}${String(a % 60).padStart(2, "0")}`;
}

export function normalize(o: SessionOptions): { channels: NormChannel[]; rules: NormRule[]; contexts: ContextSpec[] } {
  const bad = (m: string) => new Error(m);
  if (o === null || typeof o !== "object" || typeof o.output !== "string" || o.output === "")
    throw bad("startSession: `output` (a directory) is required");
  const chans = o.channels ?? [{ name: "channel0" }];
  if (!Array.isArray(chans) || chans.length === 0) throw bad("startSession: `channels` must be a non-empty array");
  const channels: NormChannel[] = chans.map((c) => {
    if (typeof c?.name !== "string" || !/^[A-Za-z0-9_.-]+$/.test(c.name))
      throw bad(`Invalid channel name ${JSON.stringify(c?.name)}`);
    const mode = c.mode ?? "discard";
    if (mode !== "discard" && mode !== "overwrite" && mode !== "blocking")
      throw bad(`Channel ${c.name}: unknown mode ${String(mode)}`);
    const num = (v: unknown, d: number, what: string) => {
      const x = v ?? d;
      if (typeof x !== "number" || !(x >= 0)) throw bad(`Channel ${c.name}: invalid ${what} ${String(v)}`);
      return x;
    };
    const subbufSize = pow2(Math.max(4096, num(c.subbufSize, 16384, "subbufSize")));
    const numSubbuf = pow2(Math.max(mode === "overwrite" ? 2 : 1, num(c.numSubbuf, 4, "numSubbuf")));
    if (subbufSize > 1 << 28 || numSubbuf > 1 << 16) throw bad(`Channel ${c.name}: buffers too large`);
    return {
      name: c.name,
      subbufSize,
      numSubbuf,
      mode,
      blockingTimeoutUs: num(c.blockingTimeoutUs, 100000, "blockingTimeoutUs"),
      switchTimerUs: num(c.switchTimerUs, 0, "switchTimerUs"),
      readTimerUs: num(c.readTimerUs, 0, "readTimerUs"),
      tracefileSizeBytes: Math.floor(num(c.tracefileSizeBytes, 0, "tracefileSizeBytes")),
      tracefileCount: Math.floor(num(c.tracefileCount, 0, "tracefileCount")),
    };
  });
  if (new Set(channels.map((c) => c.name)).size !== channels.length) throw bad("startSession: duplicate channel names");
  const rules: NormRule[] = (o.events ?? [{ name: "*" }]).map((e) => {
    if (typeof e?.name !== "string" || e.name === "") throw bad(`Invalid event rule ${JSON.stringify(e)}`);
    const channel = e.channel === undefined ? 0 : channels.findIndex((c) => c.name === e.channel);
    if (channel < 0) throw bad(`Event rule ${e.name}: unknown channel ${e.channel}`);
    if (e.filter !== undefined) parseFilterExpression(e.filter); // reject bad filters now
    const level = e.logLevel === undefined ? undefined : parseLogLevel(e.logLevel);
    return {
      name: e.name,
      channel,
      filter: e.filter,
      exclusions: [...(e.exclude ?? [])],
      logLevel: level === undefined ? undefined : { type: e.logLevelOnly === true ? "single" : "range", level },
    };
  });
  if (o.traceFormat !== undefined && o.traceFormat !== "ctf-1.8" && o.traceFormat !== "ctf-2")
    throw bad(`Unknown trace format ${JSON.stringify(o.traceFormat)} (expecting "ctf-1.8" or "ctf-2")`);
  const contexts: ContextSpec[] = [];
  for (const c of o.contexts ?? []) {
    if (typeof c === "string" && CONTEXT_KINDS.has(c)) contexts.push({ kind: c as "vpid" });
    else if (typeof c === "string" && c.startsWith("$app.") && c.length > 5) {
      const name = c.slice(5);
      if (o.appContexts?.[name] === undefined) throw bad(`Context ${c}: no appContexts.${name} callback`);
      // Metadata identifier: the name with anything but [A-Za-z0-9_] as `_`, unique.
      let ident = `app_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
      if (contexts.some((x) => x.kind === "app" && x.ident === ident)) ident += `_${contexts.length}`;
      contexts.push({ kind: "app", name, ident });
    } else throw bad(`Unknown context ${JSON.stringify(c)}`);
  }
  return { channels, rules, contexts };
}

/** Sessions recording in this process (in-process or daemon-driven), by shared id. */
const openSessions = new Map<string, SharedSession>();
/** Sessions a new worker joins: the open ones not stopping. */
const announced = new Map<string, SharedSession>();
/** The in-process session (`startSession`), one at a time; daemon sessions record beside it. */
let inProcess = false;

/** True while a session records in this process (in-process or daemon-driven). */
export function sessionBusy(): boolean {
  return openSessions.size > 0;
}

export { datetime, PROCNAME, makeReporter, stderrLogger };

/**
 * Starts a recording session in this process (main thread only). Never throws: a bad
 * configuration or an unwritable output is reported once through `logger` (default: a
 * `ttng:` line on stderr) and the returned session records nothing.
 *
 * @example
 * const session = await startSession({ output: "/tmp/traces", events: [{ name: "my_app:*" }] });
 * request(200, 12.5, "/index");
 * const { path, discardedEvents } = await session.stop();
 */
export async function startSession(options: SessionOptions): Promise<SessionHandle> {
  const logger = options?.logger ?? stderrLogger;
  const report = makeReporter(logger);
  const empty = (errors: string[]): SessionHandle => ({
    path: "",
    stop: async () => ({
      path: "",
      discardedEvents: 0,
      recordedEvents: 0,
      packets: 0,
      lostPackets: 0,
      bytes: 0,
      streams: [],
      errors,
    }),
  });
  if (!isMainThread) {
    report("thread", "startSession() is only available on the main thread; nothing recorded");
    return empty(["not the main thread"]);
  }
  if (inProcess) {
    report("twice", "a session is already active in this process; nothing recorded");
    return empty(["a session is already active"]);
  }
  let norm: ReturnType<typeof normalize>;
  try {
    norm = normalize(options);
  } catch (e) {
    report("config", `bad session configuration: ${(e as Error).message}; tracing stopped`);
    return empty([(e as Error).message]);
  }
  const now = new Date();
  const opened = openSession({
    dir: join(options.output, "ust", "pid", `${PROCNAME}-${process.pid}-${datetime(now, "-")}`),
    now,
    name: options.name ?? "ttng",
    ...norm,
    debug: options.debug === true,
    logger,
    report,
    appContexts: options.appContexts ?? {},
    ...(options.traceFormat === undefined ? {} : { traceFormat: options.traceFormat }),
  });
  if (opened === null) return empty(["cannot start the consumer"]);
  inProcess = true;
  const stop = opened.handle.stop;
  return {
    path: opened.handle.path,
    stop: async () => {
      const r = await stop();
      inProcess = false;
      return r;
    },
  };
}

/** A session daemon's per-UID trace, as `openSession` needs it. */
export interface PerUidTrace {
  uid: number;
  uuid: string;
  instanceBase: number;
  /** Hands the metadata preamble to the daemon (it writes the first one of the trace). */
  sendPreamble: (tsdl: string) => void;
  ids: IdMailboxRef;
}

/**
 * What a session needs of its consumer thread: a `Worker` of this thread, or, for a session
 * daemon's session, a worker that the daemon link's thread starts (daemon-link.ts,
 * `RemoteConsumer`), so that starting a session makes no `Worker` here. A `Worker` is an
 * EventEmitter, and its two stdio streams are too: made in a running app, they are new kinds for
 * Node's `EventEmitter.init`, which V8 then compiles generically into every HTTP response's
 * constructor (docs/agent.md, "Costs").
 */
export interface ConsumerThread {
  /** "message" (a message from the consumer), "error" (it failed), "exit" (it ended). */
  // biome-ignore lint/suspicious/noExplicitAny: Worker's listener type
  on(event: string, listener: (...args: any[]) => void): unknown;
  postMessage(m: unknown): void;
  ref(): void;
  unref(): void;
  terminate(): unknown;
}

/**
 * The consumer thread of the last in-process session that ended cleanly, kept (unref'd) for the
 * next one: starting an in-process session then starts no thread, and makes no Worker in a
 * running app after the first (see ConsumerThread).
 */
let idleConsumer: Worker | null = null;
const onIdleConsumerExit = () => {
  idleConsumer = null;
};

function takeIdleConsumer(): Worker | null {
  const w = idleConsumer;
  idleConsumer = null;
  w?.off("exit", onIdleConsumerExit);
  return w;
}

function keepIdleConsumer(w: Worker): void {
  if (idleConsumer !== null) {
    void w.terminate();
    return;
  }
  idleConsumer = w;
  w.once("exit", onIdleConsumerExit);
  w.unref();
}

export interface OpenSessionConfig {
  /** The trace directory (stream files, index/, and metadata unless per-UID). */
  dir: string;
  now: Date;
  name: string;
  channels: NormChannel[];
  rules: NormRule[];
  contexts: ContextSpec[];
  debug: boolean;
  logger: TracerLogger;
  report: (key: string, message: string) => void;
  appContexts: Readonly<Record<string, () => unknown>>;
  perUid?: PerUidTrace;
  traceFormat?: "ctf-1.8" | "ctf-2";
  /** A snapshot session: the rings are written only by `snapshot()`. */
  snapshot?: boolean;
  /** Starts the consumer elsewhere than in a `Worker` of this thread (see ConsumerThread). */
  startConsumer?: () => ConsumerThread;
}

export interface OpenedSession {
  handle: SessionHandle;
  /** New recording event rules while recording (every thread rebinds its events). */
  setRules(rules: NormRule[]): void;
  /**
   * Snapshot session: closes the main thread's open packets and writes every packet still in
   * the rings under `dir` (per-PID: `dir/<procname>-<pid>-<datetime>`). Resolves with an error
   * message or null.
   */
  snapshot(dir: string, packets?: number): Promise<string | null>;
  /** Every stream (ring) of the session so far, main thread's and workers' (for `-m`). */
  streams(): Array<{ subbufSize: number; numSubbuf: number }>;
}

/**
 * The main thread's part of a session, in-process (`startSession`) or driven by a session
 * daemon (daemon-link.ts): consumer, preamble, main-thread rings, worker joining, stop.
 * Null when the consumer cannot start (reported). Main thread only; several may be open at once (each thread fans events out to all).
 */
export function openSession(cfg: OpenSessionConfig): OpenedSession | null {
  const { dir, now, logger, report } = cfg;
  const norm = cfg;
  const uuid = cfg.perUid?.uuid ?? randomUUID();
  const shared: SharedSession = {
    id: randomUUID(),
    channels: norm.channels,
    rules: norm.rules,
    contexts: norm.contexts,
    debug: cfg.debug,
    session: new SharedArrayBuffer(SESSION_CTL_BYTES),
    ids: new SharedArrayBuffer(eventIdsBytes(norm.channels.length)),
    uuid,
    ...(cfg.perUid === undefined
      ? {}
      : { perUid: true, instanceBase: cfg.perUid.instanceBase, idMailbox: cfg.perUid.ids }),
    ...(cfg.traceFormat === "ctf-2" ? { ctf2: true } : {}),
  };
  let clockUuid: string = randomUUID();
  try {
    clockUuid = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {}
  const ctf2 = cfg.traceFormat === "ctf-2";
  const preamble =
    (ctf2 ? tracePreamble2 : tracePreamble)({
      uuid,
      hostname: hostname(),
      procname: PROCNAME,
      vpid: process.pid,
      creationDatetime: `${datetime(now, "T")}${tzOffset(now)}`,
      traceName: cfg.name,
      clockUuid,
      clockOffsetNs: clockOffsetNs(),
      ...(cfg.perUid === undefined ? {} : { perUid: { uid: cfg.perUid.uid } }),
    }) + norm.channels.map((_, k) => (ctf2 ? streamBlock2 : streamBlock)(k, norm.contexts)).join("");

  const errors: string[] = [];
  const sessionCtl = new Int32Array(shared.session);
  let consumer: ConsumerThread;
  /** The consumer when it is a Worker of this thread (kept for the next session if it ends well). */
  let local: Worker | null = null;
  try {
    consumer = cfg.startConsumer?.() ?? (local = takeIdleConsumer() ?? startConsumerWorker());
  } catch (e) {
    report("consumer", `cannot start the consumer: ${String(e)}; tracing stopped`);
    return null;
  }
  let done: ((s: ConsumerStats | null) => void) | null = null;
  const finished = new Promise<ConsumerStats | null>((r) => {
    done = r;
  });
  let thread: ThreadSession | null = null;
  const kill = (message: string) => {
    errors.push(message);
    report("dead", `${message}; tracing stopped`);
    Atomics.store(sessionCtl, SessionCtl.Dead, 1);
    thread?.stopNow();
    bc?.postMessage({ type: "stop", session: shared.id });
  };
  const snapshotWaiters = new Map<number, (error: string | null) => void>();
  let nextSnapshot = 1;
  const onConsumerMessage = (m: {
    type: string;
    message?: string;
    code?: string;
    stats?: ConsumerStats;
    req?: number;
    error?: string | null;
  }) => {
    if (m.type === "error") kill(`cannot write the trace (${m.code}): ${m.message}`);
    else if (m.type === "done") done?.(m.stats ?? null);
    else if (m.type === "snapshot-done") {
      snapshotWaiters.get(m.req ?? -1)?.(m.error ?? null);
      snapshotWaiters.delete(m.req ?? -1);
    }
  };
  const onConsumerError = (e: unknown) => kill(`consumer failed: ${String(e)}`);
  consumer.on("message", onConsumerMessage);
  consumer.on("error", onConsumerError);
  const onConsumerExit = () => {
    if (done !== null) {
      const d = done as (s: ConsumerStats | null) => void;
      done = null;
      if (!stopping) kill("the consumer exited");
      d(null);
    }
  };
  consumer.on("exit", onConsumerExit);
  // After the listeners (which ref the worker's port): the consumer never keeps the app alive;
  // a session still running when the app would exit is stopped on beforeExit.
  consumer.unref();
  const readUs = Math.min(...norm.channels.map((c) => (c.readTimerUs > 0 ? c.readTimerUs : Infinity)));
  // Woken per packet (the default), the consumer still wakes once a second: its heartbeat tells
  // a producer blocked on a full ring (blocking mode) that it lives, which it waits 2 s for. A
  // wake-up costs its thread about 0.3 ms of CPU here (cold code and caches after the sleep):
  // 10 a second, as before, were 0.3 % of a CPU for a session with nothing to record.
  const pollMs = readUs === Infinity ? WAKEUP_POLL_MS : Math.max(1, readUs / 1000);
  consumer.postMessage({
    type: "init",
    dir,
    session: shared.session,
    uuid: uuidBytes(uuid),
    pollMs,
    metadata: cfg.perUid === undefined,
    ...(ctf2 ? { metadataVersion: 2 } : {}),
    snapshot: cfg.snapshot === true,
  });
  if (cfg.perUid === undefined) consumer.postMessage({ type: "metadata", text: preamble });
  else cfg.perUid.sendPreamble(preamble);

  const joined = new Set<number>();
  const workerRings = new Map<number, Int32Array[]>();
  const allFlushed = () =>
    [...joined].every(
      (t) => flushed.has(t) || (workerRings.get(t) ?? []).every((c) => Atomics.load(c, Ctl.Final) !== 0),
    );
  const flushed = new Set<number>();
  let flushWait: (() => void) | null = null;
  let stopping = false;
  if (bc === null) {
    bc = new BroadcastChannel(channelName);
    // A new worker's hello gets every session in one message: it joins them all before its
    // sessionReady() resolves.
    bc.addEventListener("message", ((ev: { data: { type: string; tid?: number } }) => {
      if (ev.data.type === "hello")
        bc?.postMessage({ type: "sessions", to: ev.data.tid, list: [...announced.values()] });
    }) as unknown as (ev: Event) => void);
    (bc as unknown as { unref?: () => void }).unref?.();
  }
  const streams: Array<{ subbufSize: number; numSubbuf: number }> = [];
  const toConsumer = (m: unknown) => {
    const r = m as { type?: string; subbufSize?: number; numSubbuf?: number };
    if (r.type === "ring") streams.push({ subbufSize: r.subbufSize ?? 0, numSubbuf: r.numSubbuf ?? 0 });
    try {
      consumer.postMessage(m);
    } catch {}
  };
  // One listener per open session (several sessions may record in this process).
  const onBc = (ev: unknown) => {
    const m = (ev as { data: unknown }).data as { type: string; session?: string; tid?: number };
    if (m.session !== shared.id) return;
    else if (m.type === "ring" || m.type === "metadata") {
      if (m.type === "ring" && m.tid !== undefined) {
        const list = workerRings.get(m.tid) ?? [];
        list.push(new Int32Array((m as unknown as { sab: SharedArrayBuffer }).sab, 0, 16));
        workerRings.set(m.tid, list);
      }
      toConsumer(m);
    } else if (m.type === "joined") joined.add(m.tid!);
    else if (m.type === "flushed") {
      flushed.add(m.tid!);
      if (allFlushed()) flushWait?.();
    }
  };
  bc.addEventListener("message", onBc as (ev: Event) => void);
  (bc as unknown as { unref?: () => void }).unref?.();
  thread = joinThread(
    shared,
    logger,
    cfg.appContexts,
    toConsumer,
    cfg.perUid === undefined ? null : mailboxIdSource(cfg.perUid.ids),
  );
  bc.postMessage({ type: "session", shared });

  const onBeforeExit = () => void stop();
  process.once("beforeExit", onBeforeExit);
  // `process.exit()` (an app's SIGTERM handler, say) skips beforeExit and ends the consumer
  // thread with the process: close this thread's open packets and let the consumer, which
  // still runs during 'exit' listeners, write everything, waiting for it (bounded) here.
  const onExit = () => {
    if (stopping || cfg.snapshot === true || Atomics.load(sessionCtl, SessionCtl.Dead) !== 0) return;
    stopping = true;
    try {
      thread?.stopNow();
      Atomics.store(sessionCtl, SessionCtl.ExitFlush, 1);
      ringDoorbell(sessionCtl);
      Atomics.wait(sessionCtl, SessionCtl.ExitDone, 0, EXIT_FLUSH_MS);
    } catch {}
  };
  process.once("exit", onExit);
  let result: Promise<StopResult> | null = null;
  const stop = (): Promise<StopResult> => {
    if (result !== null) return result;
    stopping = true;
    announced.delete(shared.id);
    result = (async () => {
      process.off("beforeExit", onBeforeExit);
      process.off("exit", onExit);
      try {
        await thread?.stop();
        bc?.postMessage({ type: "stop", session: shared.id });
        // Workers flush their own rings (on "stop", or at exit); one that is busy or gone is
        // flushed remotely by the consumer after this grace period. A worker's rings and "joined"
        // may still be on their way (the BroadcastChannel is not ordered with the app's own
        // messages): wait for as many as the workers counted.
        const deadline = performance.now() + 1000;
        while (
          (joined.size < Atomics.load(sessionCtl, SessionCtl.Joined) || (joined.size > 0 && !allFlushed())) &&
          performance.now() < deadline
        ) {
          await new Promise<void>((r) => {
            const t = setTimeout(r, 5);
            flushWait = () => {
              clearTimeout(t);
              r();
            };
          });
        }
        bc?.removeEventListener("message", onBc as (ev: Event) => void);
        consumer.ref();
        toConsumer({ type: "finish" });
        const timeout = new Promise<null>((r) => setTimeout(() => r(null), 10000).unref());
        const stats = await Promise.race([finished, timeout]);
        if (stats === null && errors.length === 0) errors.push("the consumer did not finish in time");
        if (local !== null && stats !== null && Atomics.load(sessionCtl, SessionCtl.Dead) === 0) {
          // It finished cleanly: keep it for the next in-process session.
          local.off("message", onConsumerMessage);
          local.off("error", onConsumerError);
          local.off("exit", onConsumerExit);
          keepIdleConsumer(local);
        } else void consumer.terminate();
        openSessions.delete(shared.id);
        return {
          path: dir,
          discardedEvents: stats?.discardedEvents ?? 0,
          recordedEvents: stats?.recordedEvents ?? 0,
          packets: stats?.packets ?? 0,
          lostPackets: stats?.lostPackets ?? 0,
          bytes: stats?.bytes ?? 0,
          streams: stats?.streams ?? [],
          errors,
        };
      } catch (e) {
        openSessions.delete(shared.id);
        return {
          path: dir,
          discardedEvents: 0,
          recordedEvents: 0,
          packets: 0,
          lostPackets: 0,
          bytes: 0,
          streams: [],
          errors: [...errors, String(e)],
        };
      }
    })();
    return result;
  };
  openSessions.set(shared.id, shared);
  announced.set(shared.id, shared);
  resolveReady(true);
  return {
    handle: { path: dir, stop },
    streams: () => streams.map((x) => ({ ...x })),
    snapshot: (snapDir, packets = 0) => {
      if (stopping || cfg.snapshot !== true) return Promise.resolve("not a recording snapshot session");
      thread?.flush(false);
      const req = nextSnapshot++;
      const target = cfg.perUid === undefined ? join(snapDir, basename(dir)) : snapDir;
      return new Promise<string | null>((resolve) => {
        const t = setTimeout(() => {
          snapshotWaiters.delete(req);
          resolve("the consumer did not write the snapshot in time");
        }, 10000);
        snapshotWaiters.set(req, (error) => {
          clearTimeout(t);
          resolve(error);
        });
        toConsumer({ type: "snapshot", dir: target, req, packets });
      });
    },
    setRules: (rules) => {
      if (stopping) return;
      shared.rules = rules;
      thread?.setRules(rules);
      bc?.postMessage({ type: "rules", session: shared.id, rules });
    },
  };
}
