/**
 * The tracer's listener thread (LTTng-UST's per-sessiond listener threads): a worker that holds
 * the connections to the session daemons (the user's and root's, when they exist), registers
 * the process, reconnects with backoff when a daemon is absent, dies or restarts, relays the
 * pushed session state to the main thread, and answers the main thread's synchronous event-id
 * requests (per-UID traces) through a SharedArrayBuffer. It never touches the traced program's
 * event loop: the main thread only sees messages, and a bounded `Atomics.wait` when it binds an
 * event of a per-UID session.
 */
import { connect, type Socket } from "node:net";
import { type MessagePort, parentPort, type Worker, workerData } from "node:worker_threads";
import { type IdRequest, mailboxHealthy, serveMailbox } from "./id-mailbox.js";
import { startConsumerWorker } from "./internal-thread.js";
import {
  type AppToDaemon,
  type AppTracepoint,
  type DaemonToApp,
  encodeFrame,
  type SnapshotStream,
  FrameDecoder,
} from "@ttng/protocol";

export interface LinkWorkerData {
  paths: string[];
  register: Extract<AppToDaemon, { t: "register" }>;
  /** id-mailbox.ts: synchronous event-id requests from every thread of the process. */
  mailbox: SharedArrayBuffer;
  minBackoffMs: number;
  maxBackoffMs: number;
}

/** Main thread -> link worker. */
export type ToLink =
  | { t: "tracepoints"; tracepoints: AppTracepoint[] }
  | { t: "applied"; link: number; seq: number }
  | { t: "snapshot-done"; link: number; req: number; error?: string; streams?: SnapshotStream[] }
  | { t: "uid-preamble"; link: number; trace: string; tsdl: string }
  /** Start a session's consumer here, talking to the session over `port` (daemon-link.ts). */
  | { t: "consumer"; id: number; port: MessagePort }
  | { t: "consumer-terminate"; id: number };

/** Link worker -> main thread. */
export type FromLink =
  | { t: "sessions"; link: number; seq: number; sessions: Extract<DaemonToApp, { t: "sessions" }>["sessions"] }
  | { t: "registered"; link: number; daemonPid: number }
  | { t: "down"; link: number }
  | {
      t: "snapshot";
      link: number;
      req: number;
      session: number;
      dir: string;
      packets: number;
      measure: boolean;
    }
  | { t: "attempted"; link: number; ok: boolean }
  /** A consumer started here ended (`error`: why it failed). */
  | { t: "consumer-exit"; id: number; error?: string };

const data = workerData as LinkWorkerData;
const tracepoints: AppTracepoint[] = [];

function post(m: FromLink): void {
  parentPort?.postMessage(m);
}

class Link {
  private socket: Socket | null = null;
  private registered = false;
  private backoffMs = data.minBackoffMs;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private nextReq = 1;
  private readonly pending = new Map<number, (id: number | undefined) => void>();

  constructor(
    readonly index: number,
    readonly path: string,
  ) {}

  start(): void {
    const s = connect(this.path);
    this.socket = s;
    const decoder = new FrameDecoder();
    s.on("connect", () => {
      this.backoffMs = data.minBackoffMs;
      s.write(encodeFrame(data.register));
      if (tracepoints.length > 0) s.write(encodeFrame({ t: "tracepoints", tracepoints }));
    });
    s.on("data", (chunk) => {
      for (const f of decoder.push(chunk)) if (f.ok) this.onMessage(f.value as DaemonToApp);
    });
    s.on("error", () => {});
    s.on("close", () => {
      const wasRegistered = this.registered;
      this.socket = null;
      this.registered = false;
      this.failPending();
      if (wasRegistered) post({ t: "down", link: this.index });
      else post({ t: "attempted", link: this.index, ok: false });
      this.timer = setTimeout(() => this.start(), this.backoffMs);
      this.backoffMs = Math.min(data.maxBackoffMs, this.backoffMs * 2);
    });
  }

  private onMessage(m: DaemonToApp): void {
    if (typeof m !== "object" || m === null) return;
    if (m.t === "registered") {
      this.registered = true;
      mailboxHealthy(data.mailbox);
      post({ t: "registered", link: this.index, daemonPid: m.daemonPid });
    } else if (m.t === "snapshot") {
      post({
        t: "snapshot",
        link: this.index,
        req: m.req,
        session: m.session,
        dir: m.dir,
        packets: Number.isInteger(m.packets) && (m.packets ?? 0) > 0 ? (m.packets as number) : 0,
        measure: m.measure === true,
      });
    } else if (m.t === "sessions" && Array.isArray(m.sessions)) {
      post({ t: "sessions", link: this.index, seq: m.seq, sessions: m.sessions });
    } else if (m.t === "event-id") {
      this.pending.get(m.req)?.(Number.isInteger(m.id) ? m.id : undefined);
      this.pending.delete(m.req);
    }
  }

  private failPending(): void {
    for (const done of this.pending.values()) done(undefined);
    this.pending.clear();
  }

  /** Sends when registered (or merely connected, with `early`: the daemon reads in order). */
  send(m: AppToDaemon, early = false): boolean {
    if (this.socket === null || this.socket.connecting || (!this.registered && !early)) return false;
    this.socket.write(encodeFrame(m));
    return true;
  }

  requestId(r: IdRequest): Promise<number | undefined> {
    const req = this.nextReq++;
    return new Promise((resolve) => {
      this.pending.set(req, resolve);
      const { link: _l, ...rest } = r;
      if (!this.send({ t: "event-id", req, ...rest })) {
        this.pending.delete(req);
        resolve(undefined);
      }
    });
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.socket?.destroy();
  }
}

const links = data.paths.map((p, k) => new Link(k, p));
for (const l of links) l.start();
void serveMailbox(
  data.mailbox,
  (r) => links[r.link]?.requestId(r) ?? Promise.resolve(undefined),
  () => false,
);

/** The consumers of the sessions the main thread records for a daemon, by the main thread's id. */
const consumers = new Map<number, Worker>();

function startConsumer(id: number, port: MessagePort): void {
  let error: string | undefined;
  try {
    const w = startConsumerWorker(port);
    consumers.set(id, w);
    w.on("error", (e) => {
      error = String(e);
    });
    w.on("exit", () => {
      consumers.delete(id);
      post({ t: "consumer-exit", id, ...(error === undefined ? {} : { error }) });
    });
  } catch (e) {
    post({ t: "consumer-exit", id, error: `cannot start the consumer: ${String(e)}` });
  }
}

parentPort?.on("message", (m: ToLink) => {
  switch (m.t) {
    case "consumer":
      startConsumer(m.id, m.port);
      break;
    case "consumer-terminate":
      void consumers.get(m.id)?.terminate();
      break;
    case "tracepoints":
      tracepoints.push(...m.tracepoints);
      for (const l of links) l.send({ t: "tracepoints", tracepoints: m.tracepoints }, true);
      break;
    case "applied":
      links[m.link]?.send({ t: "applied", seq: m.seq });
      break;
    case "snapshot-done":
      links[m.link]?.send({
        t: "snapshot-done",
        req: m.req,
        ...(m.error === undefined ? {} : { error: m.error }),
        ...(m.streams === undefined ? {} : { streams: m.streams }),
      });
      break;
    case "uid-preamble":
      links[m.link]?.send({ t: "uid-preamble", trace: m.trace, tsdl: m.tsdl });
      break;
  }
});
