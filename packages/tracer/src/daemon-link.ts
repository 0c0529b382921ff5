/**
 * The main thread's side of registration with session daemons: starts the listener thread
 * (link-worker.ts), tells it the declared tracepoints, and applies each pushed session state:
 * opens a recording session (session.ts `openSession`) when a session that concerns this
 * process is started, rebinds events when its rules change (within a push, i.e. milliseconds),
 * flushes and closes it when the session stops or is destroyed or the daemon goes away, then
 * acknowledges the push so `ttng stop` returns with the data on disk.
 *
 * Every active session that concerns the process records (each its own recording session, the
 * events fanned out to all). Limits (see docs/control-plane.md): a session whose channels or
 * contexts change while recording is closed and reopened; worker threads join per-PID sessions
 * only. `$app.node:NAME` contexts (LTTng's `$app.PROVIDER:NAME` syntax, provider `node`) are
 * recorded when `appContexts` has `NAME` (the Node agent's, given by @ttng/tracer/register);
 * other `$app.*` contexts are reported and skipped.
 */
import { join } from "node:path";
import { isMainThread, MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import {
  APP_PROTOCOL_MAJOR,
  APP_RECORDED_CONTEXTS,
  APP_PROTOCOL_MINOR,
  type AppSessionConfig,
  type AppTracepoint,
} from "@ttng/protocol";
import { LOG_LEVEL_NAMES } from "@ttng/filter";
import type { Field } from "./fields.js";
import { newMailbox } from "./id-mailbox.js";
import { INTERNAL_THREAD } from "./internal-thread.js";
import type { FromLink, LinkWorkerData, ToLink } from "./link-worker.js";
import { type EventClass, events, onDeclare } from "./registry.js";
import {
  type ChannelOptions,
  type ConsumerThread,
  datetime,
  type EventRuleOptions,
  makeReporter,
  normalize,
  type OpenedSession,
  openSession,
  PROCNAME,
  stderrLogger,
  type TracerLogger,
} from "./session.js";

/** Contexts ttng's tracer records; others a daemon session asks for are reported and skipped. */
const SUPPORTED_CONTEXTS = new Set(APP_RECORDED_CONTEXTS);

export interface DaemonLinkOptions {
  /** App sockets to register with (default: the user's and root's daemons). */
  paths?: string[];
  logger?: TracerLogger;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Longest wait of the main thread for a per-UID event id (ms). */
  idTimeoutMs?: number;
  /**
   * The `$app.node:NAME` context callbacks this process offers, read when a session is opened
   * (register.ts gives the Node agent's `agentAppContexts`).
   */
  appContexts?: AppContextSource;
}

/** The provider of the `$app.PROVIDER:NAME` contexts ttng's tracer records. */
const APP_CONTEXT_PROVIDER = "node";

type AppContextSource = () => Readonly<Record<string, () => string | number>>;
let offeredAppContexts: AppContextSource | null = null;

/**
 * Offers `$app.node:NAME` context callbacks to the links started without `appContexts` (the
 * Node agent does it when @ttng/tracer/register loads it, before the link starts).
 */
export function offerAppContexts(source: AppContextSource): void {
  offeredAppContexts = source;
}

export interface DaemonLink {
  /**
   * Resolves true once every daemon that answers has sent its state and it was applied, false
   * after `timeoutMs` (LTTNG_UST_REGISTER_TIMEOUT's role) or when no daemon answers.
   */
  ready(timeoutMs: number): Promise<boolean>;
  /** Recording into a daemon's session now. */
  readonly recording: boolean;
  /** Stops recording and the listener thread. */
  close(): Promise<void>;
}

function fieldType(f: Field): string {
  switch (f.kind) {
    case "int":
      return "integer";
    case "enum":
      return "enum";
    case "float":
      return "float";
    case "string":
    case "textArray":
    case "textSequence":
      return "string";
    default:
      return "other";
  }
}

function describe(ec: EventClass): AppTracepoint {
  return {
    name: ec.fullName,
    logLevel: ec.logLevel,
    fields: ec.fields.map((f) => ({ name: f.name, type: fieldType(f), nowrite: f.nowrite === true })),
  };
}

/** The user's daemon and root's, as LTTng-UST registers with both. */
export function defaultAppSockets(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.TTNG_HOME !== undefined && env.TTNG_HOME !== "" ? env.TTNG_HOME : env.HOME;
  const out: string[] = [];
  const uid = process.getuid?.() ?? -1;
  if (home !== undefined && home !== "" && !(uid === 0 && (env.TTNG_HOME ?? "") === ""))
    out.push(join(home, ".ttng", "app-ttng-sessiond"));
  out.push("/var/run/ttng/app-ttng-sessiond");
  return out;
}

/** Session options of `openSession` for a daemon session's state. */
function toOptions(
  cfg: AppSessionConfig,
  report: (k: string, m: string) => void,
  appContexts: Readonly<Record<string, () => string | number>>,
) {
  const channels: ChannelOptions[] = cfg.channels.map((c) => {
    const a = c.attributes;
    const blocking = !a.overwrite && a.blockingTimeoutUs !== 0;
    return {
      name: c.name,
      subbufSize: a.subbufSizeBytes,
      numSubbuf: a.numSubbuf,
      mode: a.overwrite ? "overwrite" : blocking ? "blocking" : "discard",
      ...(blocking
        ? { blockingTimeoutUs: a.blockingTimeoutUs < 0 ? Number.POSITIVE_INFINITY : a.blockingTimeoutUs }
        : {}),
      switchTimerUs: a.switchTimerUs,
      readTimerUs: a.readTimerUs,
      tracefileSizeBytes: a.tracefileSizeBytes,
      tracefileCount: a.tracefileCount,
    };
  });
  const rules: EventRuleOptions[] = [];
  for (const r of cfg.rules) {
    if (r.type !== "tracepoint") continue;
    const ch = cfg.channels[r.channel];
    if (ch === undefined) continue;
    rules.push({
      name: r.name,
      channel: ch.name,
      ...(r.filter === null ? {} : { filter: r.filter }),
      ...(r.logLevelType === "all"
        ? {}
        : { logLevel: LOG_LEVEL_NAMES[r.logLevel] ?? "DEBUG", logLevelOnly: r.logLevelType === "single" }),
      exclude: r.exclusions,
    });
  }
  const contexts: string[] = [];
  for (const c of cfg.contexts) {
    if (SUPPORTED_CONTEXTS.has(c.type)) contexts.push(c.type);
    else if (c.type.startsWith(`$app.${APP_CONTEXT_PROVIDER}:`)) {
      const name = c.type.slice(APP_CONTEXT_PROVIDER.length + 6);
      if (Object.hasOwn(appContexts, name)) contexts.push(`$app.${name}`);
      else report(`ctx:${c.type}`, `context ${c.type} of session ${cfg.name}: this process has no such context`);
    } else report(`ctx:${c.type}`, `context ${c.type} of session ${cfg.name} is not recorded by ttng's tracer`);
  }
  // A snapshot session has no output of its own (its buffers go to snapshot directories).
  return {
    output: cfg.dir === "" ? "snapshot" : cfg.dir,
    name: cfg.name,
    channels,
    events: rules,
    contexts,
    appContexts,
  };
}

interface Recording {
  key: string;
  link: number;
  /** What forces a reopen when it changes: output, buffers, channels, contexts, trace. */
  shape: string;
  rules: string;
  opened: OpenedSession;
}

/**
 * Starts registering this process with session daemons. Main thread only; never throws (a
 * failure is reported once through `logger` and the app runs on untraced).
 *
 * @example
 * const link = startDaemonLink();
 * await link.ready(3000);
 */
export function startDaemonLink(options: DaemonLinkOptions = {}): DaemonLink {
  const logger = options.logger ?? stderrLogger;
  const report = makeReporter(logger);
  const idTimeoutMs = options.idTimeoutMs ?? 500;
  const paths = options.paths ?? defaultAppSockets();
  const mailbox = newMailbox();
  let worker: Worker | null = null;
  const state = paths.map(() => ({
    attempted: false,
    registered: false,
    applied: false,
    sessions: [] as AppSessionConfig[],
  }));
  const appContextsOf = options.appContexts ?? (() => offeredAppContexts?.() ?? {});
  /** The daemon sessions this process records, by `link:session id`. */
  const recordings = new Map<string, Recording>();
  let chain: Promise<void> = Promise.resolve();
  let readyWaiters: Array<() => void> = [];
  let closed = false;

  const settled = () => state.every((s) => (s.attempted && !s.registered) || s.applied);
  const wakeReady = () => {
    if (!settled()) return;
    const w = readyWaiters;
    readyWaiters = [];
    for (const f of w) f();
  };
  const toLink = (m: ToLink) => {
    try {
      worker?.postMessage(m);
    } catch {}
  };

  /** The consumers the link's thread runs for this process's daemon sessions, by id. */
  const consumers = new Map<number, RemoteConsumer>();
  let nextConsumerId = 1;
  /** A daemon session's consumer, started by the link's thread (session.ts ConsumerThread says why). */
  const startConsumer = (): ConsumerThread => {
    if (worker === null) throw new Error("the session daemon link is not running");
    const { port1, port2 } = new MessageChannel();
    const id = nextConsumerId++;
    const c = new RemoteConsumer(port1, () => {
      consumers.delete(id);
      toLink({ t: "consumer-terminate", id });
    });
    consumers.set(id, c);
    worker.postMessage({ t: "consumer", id, port: port2 } satisfies ToLink, [port2]);
    return c;
  };

  /** The sessions this process records: every active one with an output, over every daemon. */
  const targets = (): Array<{ link: number; cfg: AppSessionConfig }> => {
    const out: Array<{ link: number; cfg: AppSessionConfig }> = [];
    if (closed) return out;
    for (const [link, s] of state.entries())
      for (const cfg of s.sessions) if (cfg.active && (cfg.dir !== "" || cfg.snapshot)) out.push({ link, cfg });
    return out;
  };

  const stopRecording = async (r: Recording) => {
    recordings.delete(r.key);
    const result = await r.opened.handle.stop();
    for (const e of result.errors) report(`stop:${e}`, `session ${r.key}: ${e}`);
  };

  /** Brings the recordings in line with the daemons' states: stops, rebinds, opens. */
  const apply = async () => {
    const wanted = targets().map((t) => {
      const opts = toOptions(t.cfg, report, appContextsOf());
      return {
        t,
        key: `${t.link}:${t.cfg.id}`,
        opts,
        shape: JSON.stringify([t.cfg.dir, t.cfg.bufferType, t.cfg.uidTrace, opts.channels, opts.contexts]),
        rules: JSON.stringify(opts.events),
      };
    });
    // Sessions stopped, destroyed or reshaped first (their data flushed), in parallel.
    await Promise.all(
      [...recordings.values()]
        .filter((r) => !wanted.some((w) => w.key === r.key && w.shape === r.shape))
        .map(stopRecording),
    );
    for (const w of wanted) open(w);
  };

  const open = (w: {
    t: { link: number; cfg: AppSessionConfig };
    key: string;
    opts: ReturnType<typeof toOptions>;
    shape: string;
    rules: string;
  }) => {
    const { t, key, opts, shape, rules } = w;
    const recording = recordings.get(key);
    if (recording !== undefined) {
      if (recording.rules !== rules) {
        try {
          recording.opened.setRules(normalize(opts).rules);
          recording.rules = rules;
        } catch (e) {
          report(`rules:${rules}`, `session ${t.cfg.name}: ${(e as Error).message}`);
        }
      }
      return;
    }
    let norm: ReturnType<typeof normalize>;
    try {
      norm = normalize(opts);
    } catch (e) {
      report(`config:${key}`, `session ${t.cfg.name} not recorded: ${(e as Error).message}`);
      return;
    }
    const now = new Date();
    const link = t.link;
    const uid = t.cfg.uidTrace;
    const perUid =
      t.cfg.bufferType === "per-uid" && uid !== undefined
        ? {
            uid: process.getuid?.() ?? 0,
            uuid: uid.uuid,
            instanceBase: uid.instanceBase,
            sendPreamble: (tsdl: string) => toLink({ t: "uid-preamble", link, trace: uid.key, tsdl }),
            ids: { mailbox, link, trace: uid.key, timeoutMs: idTimeoutMs },
          }
        : undefined;
    if (t.cfg.bufferType === "per-uid" && perUid === undefined) return;
    const opened = openSession({
      dir: perUid === undefined ? join(t.cfg.dir, `${PROCNAME}-${process.pid}-${datetime(now, "-")}`) : t.cfg.dir,
      now,
      name: t.cfg.name,
      ...norm,
      debug: false,
      logger,
      report,
      appContexts: opts.appContexts,
      ...(perUid === undefined ? {} : { perUid }),
      snapshot: t.cfg.snapshot,
      ...(t.cfg.traceFormat === "ctf-2" ? { traceFormat: "ctf-2" as const } : {}),
      startConsumer,
    });
    if (opened !== null) recordings.set(key, { key, link, shape, rules, opened });
  };

  const enqueue = (fn: () => Promise<void>) => {
    chain = chain.then(fn).catch((e) => report(`apply:${String(e)}`, `session daemon state not applied: ${String(e)}`));
    return chain;
  };

  const onMessage = (m: FromLink) => {
    if (m.t === "consumer-exit") {
      consumers.get(m.id)?.ended(m.error);
      consumers.delete(m.id);
      return;
    }
    const s = state[m.link];
    if (s === undefined) return;
    switch (m.t) {
      case "attempted":
        s.attempted = true;
        wakeReady();
        break;
      case "registered":
        s.attempted = true;
        s.registered = true;
        s.applied = false;
        break;
      case "down":
        s.registered = false;
        s.applied = false;
        s.sessions = [];
        void enqueue(apply);
        wakeReady();
        break;
      case "snapshot":
        void enqueue(async () => {
          const r = recordings.get(`${m.link}:${m.session}`);
          if (m.measure) {
            toLink({ t: "snapshot-done", link: m.link, req: m.req, streams: r?.opened.streams() ?? [] });
            return;
          }
          const error = r === undefined ? null : await r.opened.snapshot(m.dir, m.packets);
          toLink({ t: "snapshot-done", link: m.link, req: m.req, ...(error === null ? {} : { error }) });
        });
        break;
      case "sessions":
        s.sessions = m.sessions;
        void enqueue(async () => {
          await apply();
          toLink({ t: "applied", link: m.link, seq: m.seq });
          s.applied = true;
          wakeReady();
        });
        break;
    }
  };

  if (!isMainThread) {
    return { ready: async () => false, recording: false, close: async () => {} };
  }
  try {
    const data: LinkWorkerData = {
      paths,
      register: {
        t: "register",
        major: APP_PROTOCOL_MAJOR,
        minor: APP_PROTOCOL_MINOR,
        pid: process.pid,
        ppid: process.ppid,
        uid: process.getuid?.() ?? 0,
        gid: process.getgid?.() ?? 0,
        procname: PROCNAME,
        bitsPerLong: 64,
      },
      mailbox,
      minBackoffMs: options.minBackoffMs ?? 50,
      maxBackoffMs: options.maxBackoffMs ?? 1000,
    };
    // No execArgv: the app's flags (--import of this very module, --eval) are not the thread's.
    worker = new Worker(new URL("./link-worker.js", import.meta.url), {
      workerData: { ...data, [INTERNAL_THREAD]: true },
      execArgv: [],
    });
    worker.on("message", onMessage);
    worker.on("error", (e) => report("link", `session daemon link failed: ${String(e)}; not traced by a daemon`));
    worker.unref();
  } catch (e) {
    report("link", `cannot start the session daemon link: ${String(e)}`);
    worker = null;
  }
  let pending: AppTracepoint[] = events.map(describe);
  let scheduled = false;
  const flushTracepoints = () => {
    scheduled = false;
    if (pending.length === 0) return;
    toLink({ t: "tracepoints", tracepoints: pending });
    pending = [];
  };
  flushTracepoints();
  onDeclare((ec) => {
    pending.push(describe(ec));
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flushTracepoints);
    }
  });

  return {
    ready(timeoutMs: number): Promise<boolean> {
      if (worker === null) return Promise.resolve(false);
      if (state.some((s) => s.applied) && settled()) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(t);
          resolve(state.some((s) => s.applied));
        };
        const t =
          timeoutMs < 0
            ? undefined
            : setTimeout(() => {
                readyWaiters = readyWaiters.filter((f) => f !== done);
                resolve(false);
              }, timeoutMs);
        readyWaiters.push(done);
      });
    },
    get recording() {
      return recordings.size > 0;
    },
    async close() {
      closed = true;
      await enqueue(apply);
      await worker?.terminate();
      worker = null;
    },
  };
}

/**
 * A consumer running in the daemon link's thread, as the session sees it: messages go over a
 * port of its own; its end ("error", "exit") comes from the link's thread.
 */
class RemoteConsumer implements ConsumerThread {
  private readonly errorListeners: Array<(e: Error) => void> = [];
  private readonly exitListeners: Array<() => void> = [];
  private done = false;

  constructor(
    private readonly port: MessagePort,
    private readonly stop: () => void,
  ) {}

  // biome-ignore lint/suspicious/noExplicitAny: the listeners of Worker's events, as session.ts adds them
  on(event: string, listener: (...args: any[]) => void): this {
    if (event === "message") this.port.on("message", listener);
    else if (event === "error") this.errorListeners.push(listener);
    else if (event === "exit") this.exitListeners.push(listener);
    return this;
  }

  postMessage(m: unknown): void {
    this.port.postMessage(m);
  }

  ref(): void {
    this.port.ref();
  }

  unref(): void {
    this.port.unref();
  }

  terminate(): void {
    if (this.done) return;
    this.done = true;
    this.stop();
    this.port.close();
  }

  /** The link's thread says the consumer ended. */
  ended(error: string | undefined): void {
    if (this.done) return;
    this.done = true;
    if (error !== undefined) for (const l of this.errorListeners) l(new Error(error));
    for (const l of this.exitListeners) l();
    this.port.close();
  }
}
