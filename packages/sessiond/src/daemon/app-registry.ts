/**
 * Registered applications (LTTng's `ust_app` registry): the app socket, one connection per
 * process, the state of recording sessions pushed to each app (after tracker checks), and the
 * per-UID traces whose ids and metadata the daemon owns (uid-trace.ts).
 *
 * A push carries a sequence number; `sync()` resolves once every app pushed to has answered
 * `applied` for it (or died, or `timeoutMs` passed), which is how `ttng start`/`stop`/`destroy`
 * return only when the apps follow (LTTng's stop waits for data pending the same way). Nothing an
 * app sends can hurt the daemon: bad frames are answered with an `error` and dropped, a
 * connection that keeps sending garbage is closed.
 */
import { chmodSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import {
  APP_PROTOCOL_MAJOR,
  APP_PROTOCOL_MINOR,
  type AppSessionConfig,
  type AppToDaemon,
  type AppTracepoint,
  type DaemonToApp,
  type DomainState,
  encodeFrame,
  FrameDecoder,
  nodeRuleAsUst,
  type ProcessAttrTrackerState,
  type SessionState,
  type SnapshotStream,
  type TracepointListing,
} from "@ttng/protocol";
import { packetsPerStream } from "./snapshot-size.js";
import { UidTrace } from "./uid-trace.js";

/** The channel a `node` domain rule lands in when no channel is named (the model's default). */
const DEFAULT_NODE_CHANNEL = "channel0";

/** Bad frames tolerated from one app before its connection is closed. */
const MAX_BAD_FRAMES = 16;
/** Tracepoints kept per app (for `list -u`); more are ignored. */
const MAX_TRACEPOINTS = 65536;

interface App {
  id: number;
  socket: Socket;
  decoder: FrameDecoder;
  registered: boolean;
  pid: number;
  ppid: number;
  uid: number;
  gid: number;
  procname: string;
  tracepoints: Map<string, AppTracepoint>;
  /** JSON of the last `sessions` pushed (pushes only when it changes). */
  lastPushed: string;
  pushedSeq: number;
  appliedSeq: number;
  badFrames: number;
  /** What was last pushed, parsed. */
  configs: AppSessionConfig[];
}

function tracked(t: ProcessAttrTrackerState, value: number): boolean {
  return t.policy === "all" || t.values.some((v) => v === value || String(v) === String(value));
}

export interface AppRegistryOptions {
  path: string;
  log: (message: string) => void;
}

export class AppRegistry {
  private readonly server: Server;
  private readonly apps = new Map<number, App>();
  private nextAppId = 1;
  private seq = 0;
  private sessions: SessionState[] = [];
  private readonly uidTraces = new Map<string, UidTrace>();
  private readonly waiters = new Set<() => void>();
  private readonly snapshotWaiters = new Map<
    number,
    { app: number; done: (error: string | null, streams?: SnapshotStream[]) => void }
  >();
  private nextSnapshotReq = 1;

  constructor(private readonly options: AppRegistryOptions) {
    this.server = createServer((socket) => this.accept(socket));
    this.server.on("error", (e) => options.log(`app socket: ${e.message}`));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.path, () => {
        this.server.off("error", reject);
        // Any user's app may register (LTTng's lttng-ust-sock-8 is 0666 too); each gets only
        // the sessions its uid may see.
        try {
          chmodSync(this.options.path, 0o666);
        } catch {}
        resolve();
      });
    });
  }

  close(): Promise<void> {
    for (const a of this.apps.values()) a.socket.destroy();
    for (const t of this.uidTraces.values()) t.close();
    return new Promise((r) => this.server.close(() => r()));
  }

  get size(): number {
    return this.apps.size;
  }

  private accept(socket: Socket): void {
    const app: App = {
      id: this.nextAppId++,
      socket,
      decoder: new FrameDecoder(1024 * 1024),
      registered: false,
      pid: 0,
      ppid: 0,
      uid: -1,
      gid: -1,
      procname: "",
      tracepoints: new Map(),
      lastPushed: "",
      pushedSeq: 0,
      appliedSeq: 0,
      badFrames: 0,
      configs: [],
    };
    this.apps.set(app.id, app);
    socket.on("data", (chunk) => this.onData(app, chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      this.apps.delete(app.id);
      // An app gone during a snapshot has nothing more to write.
      for (const [req, w] of this.snapshotWaiters)
        if (w.app === app.id) {
          this.snapshotWaiters.delete(req);
          w.done(null);
        }
      this.wake();
    });
  }

  private send(app: App, m: DaemonToApp): void {
    if (!app.socket.destroyed) app.socket.write(encodeFrame(m));
  }

  private bad(app: App, message: string): void {
    this.send(app, { t: "error", message });
    if (++app.badFrames > MAX_BAD_FRAMES) app.socket.destroy();
  }

  private onData(app: App, chunk: Buffer): void {
    for (const f of app.decoder.push(chunk)) {
      if (!f.ok) this.bad(app, f.error.message);
      else {
        try {
          this.onMessage(app, f.value as AppToDaemon);
        } catch (e) {
          this.bad(app, `bad message: ${(e as Error).message}`);
        }
      }
    }
  }

  private onMessage(app: App, m: AppToDaemon): void {
    if (typeof m !== "object" || m === null || typeof m.t !== "string") {
      this.bad(app, "expected {t: ...}");
      return;
    }
    if (!app.registered && m.t !== "register") {
      this.bad(app, `${m.t}: register first`);
      return;
    }
    switch (m.t) {
      case "register": {
        if (m.major !== APP_PROTOCOL_MAJOR) {
          this.send(app, { t: "error", message: `app protocol ${m.major}.x is not ${APP_PROTOCOL_MAJOR}.x` });
          app.socket.end();
          return;
        }
        if (![m.pid, m.uid, m.gid].every((v) => Number.isInteger(v) && v >= 0)) {
          this.bad(app, "register: pid, uid and gid must be integers");
          return;
        }
        app.registered = true;
        app.pid = m.pid;
        app.ppid = Number.isInteger(m.ppid) ? m.ppid : 0;
        app.uid = m.uid;
        app.gid = m.gid;
        app.procname = String(m.procname ?? "").slice(0, 16);
        this.send(app, {
          t: "registered",
          daemonPid: process.pid,
          major: APP_PROTOCOL_MAJOR,
          minor: APP_PROTOCOL_MINOR,
        });
        this.pushTo(app);
        return;
      }
      case "tracepoints":
        if (!Array.isArray(m.tracepoints)) {
          this.bad(app, "tracepoints: array expected");
          return;
        }
        for (const tp of m.tracepoints) {
          if (app.tracepoints.size >= MAX_TRACEPOINTS) break;
          if (typeof tp?.name === "string")
            app.tracepoints.set(tp.name, {
              name: tp.name,
              logLevel: Number(tp.logLevel) | 0,
              fields: Array.isArray(tp.fields) ? tp.fields : [],
            });
        }
        return;
      case "snapshot-done": {
        const w = this.snapshotWaiters.get(m.req);
        if (w !== undefined && w.app === app.id) {
          this.snapshotWaiters.delete(m.req);
          const streams = Array.isArray(m.streams)
            ? m.streams.slice(0, 1 << 16).map((x) => ({
                subbufSize: Math.max(0, Number(x?.subbufSize) || 0),
                numSubbuf: Math.max(0, Number(x?.numSubbuf) || 0),
              }))
            : undefined;
          w.done(typeof m.error === "string" ? `${app.procname}-${app.pid}: ${m.error}` : null, streams);
        }
        return;
      }
      case "applied":
        if (typeof m.seq === "number" && m.seq > app.appliedSeq) {
          app.appliedSeq = m.seq;
          this.wake();
        }
        return;
      case "uid-preamble": {
        const t = this.uidTraceFor(app, m.trace);
        if (t === undefined) {
          this.bad(app, `uid-preamble: no trace ${String(m.trace)} for this app`);
          return;
        }
        t.preamble(String(m.tsdl));
        return;
      }
      case "event-id": {
        const t = this.uidTraceFor(app, m.trace);
        if (t === undefined || !Number.isInteger(m.channel) || m.channel < 0 || typeof m.signature !== "string") {
          this.bad(app, "event-id: bad trace, channel or signature");
          return;
        }
        const id = t.eventId(m.channel, m.signature, String(m.tsdlHead), String(m.tsdlTail));
        this.send(app, { t: "event-id", req: m.req, id });
        return;
      }
      default: {
        this.bad(app, `unknown message ${JSON.stringify((m as { t: string }).t)}`);
        return;
      }
    }
  }

  /** Only the app's own uid's trace (an app cannot write into another user's trace). */
  private uidTraceFor(app: App, key: unknown): UidTrace | undefined {
    if (typeof key !== "string" || !key.endsWith(`/${app.uid}`)) return undefined;
    return this.uidTraces.get(key);
  }

  private configFor(app: App, s: SessionState): AppSessionConfig | null {
    // The `node` agent domain records through user-space channels, as lttng-sessiond records
    // `-j/-p` rules in `lttng_jul_channel`/`lttng_python_channel`: user space's trackers and
    // buffers apply when that domain exists.
    const node = s.domains.find((x) => x.type === "node");
    const d = s.domains.find((x) => x.type === "ust") ?? node;
    if (d === undefined) return null;
    // A root daemon serves everyone: a user's app only sees sessions the user could see.
    if (!tracked(d.trackers.vpid, app.pid) || !tracked(d.trackers.vuid, app.uid) || !tracked(d.trackers.vgid, app.gid))
      return null;
    const perPid = d.bufferType === "per-pid";
    let dir = "";
    if (s.output.kind === "local" && !s.snapshot)
      dir = perPid ? join(s.output.path, "ust", "pid") : join(s.output.path, "ust", "uid", String(app.uid), "64-bit");
    const recordable = dir !== "" || s.snapshot;
    const cfg: AppSessionConfig = {
      id: s.id,
      name: s.name,
      active: s.active,
      bufferType: perPid ? "per-pid" : "per-uid",
      dir,
      channels:
        d.type === "ust" ? d.channels.map((c) => ({ name: c.name, enabled: c.enabled, attributes: c.attributes })) : [],
      rules: [],
      contexts: [],
      snapshot: s.snapshot,
      ...(s.traceFormat === "ctf-2" ? { traceFormat: "ctf-2" as const } : {}),
    };
    const ctx = new Set<string>();
    if (d.type === "ust") {
      d.channels.forEach((c, k) => {
        for (const ct of c.contexts) ctx.add(ct.type);
        if (!c.enabled) return;
        for (const r of c.events) {
          if (!r.enabled) continue;
          const { enabled: _e, ...rule } = r;
          cfg.rules.push({ ...rule, channel: k });
        }
      });
    }
    if (node !== undefined) addNodeDomain(cfg, node, ctx);
    cfg.contexts = [...ctx].map((type) => ({ type }));
    if (!perPid && recordable) {
      const key = `${s.id}/${app.uid}`;
      let t = this.uidTraces.get(key);
      if (t === undefined) {
        t = new UidTrace(key, dir === "" ? null : dir, s.traceFormat === "ctf-2");
        this.uidTraces.set(key, t);
      }
      if (s.active) cfg.uidTrace = { key, uuid: t.uuid, instanceBase: t.instanceBase(app.id) };
      else t.release(app.id);
    }
    return cfg;
  }

  private pushTo(app: App): void {
    if (!app.registered) return;
    const configs: AppSessionConfig[] = [];
    for (const s of this.sessions) {
      const c = this.configFor(app, s);
      if (c !== null) configs.push(c);
    }
    const json = JSON.stringify(configs);
    if (json === app.lastPushed) return;
    app.lastPushed = json;
    app.configs = configs;
    app.pushedSeq = ++this.seq;
    this.send(app, { t: "sessions", seq: app.pushedSeq, sessions: configs });
  }

  /** New session state (after every change): push to the apps whose view of it changed. */
  update(sessions: SessionState[]): void {
    this.sessions = sessions;
    const live = new Set(sessions.map((s) => s.id));
    for (const [key, t] of this.uidTraces) {
      if (!live.has(Number(key.slice(0, key.indexOf("/"))))) {
        t.close();
        this.uidTraces.delete(key);
      }
    }
    for (const app of this.apps.values()) this.pushTo(app);
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves once every app has applied what was pushed to it (dead apps count), or after timeoutMs. */
  sync(timeoutMs: number): Promise<{ lagging: number }> {
    const lagging = () => [...this.apps.values()].filter((a) => a.registered && a.appliedSeq < a.pushedSeq).length;
    if (lagging() === 0) return Promise.resolve({ lagging: 0 });
    return new Promise((resolve) => {
      const done = () => {
        const n = lagging();
        if (n > 0 && !timedOut) return;
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve({ lagging: n });
      };
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        done();
      }, timeoutMs);
      this.waiters.add(done);
    });
  }

  /**
   * `snapshot record` of session `sessionId` into `path`: the daemon writes each per-UID trace's
   * metadata there, every app recording the session writes its buffers' packets; resolves with
   * the apps' errors once all answered (or `timeoutMs` passed). `maxSizeBytes` > 0 (`-m`): the
   * apps first tell their streams, the size is split among them as lttng-sessiond does
   * (`packetsPerStream`), and each stream writes only its newest packets; a size that cannot hold
   * one packet of every stream resolves `{ maxSizeInvalid: true }` and writes nothing.
   */
  async snapshot(
    sessionId: number,
    path: string,
    timeoutMs: number,
    maxSizeBytes = 0,
  ): Promise<{ errors: string[]; maxSizeInvalid?: boolean }> {
    const recording = [...this.apps.values()].filter((app) => app.configs.some((c) => c.id === sessionId && c.active));
    let packets = 0;
    if (maxSizeBytes > 0) {
      const measured = await this.ask(recording, sessionId, "", 0, true, timeoutMs);
      if (measured.errors.length > 0) return { errors: measured.errors };
      packets = packetsPerStream(measured.streams, maxSizeBytes);
      if (packets < 0) return { errors: [], maxSizeInvalid: true };
    }
    const errors: string[] = [];
    const written = new Set<string>();
    const writers: App[] = [];
    const dirs = new Map<App, string>();
    for (const app of recording) {
      const cfg = app.configs.find((c) => c.id === sessionId && c.active)!;
      let dir: string;
      if (cfg.bufferType === "per-pid") dir = join(path, "ust", "pid");
      else {
        dir = join(path, "ust", "uid", String(app.uid), "64-bit");
        const key = `${sessionId}/${app.uid}`;
        const t = this.uidTraces.get(key);
        if (t === undefined) continue;
        if (!written.has(key)) {
          written.add(key);
          try {
            t.writeSnapshot(dir);
          } catch (e) {
            errors.push(`cannot write ${dir}/metadata: ${(e as Error).message}`);
            continue;
          }
        }
      }
      writers.push(app);
      dirs.set(app, dir);
    }
    const r = await this.ask(writers, sessionId, dirs, packets, false, timeoutMs);
    return { errors: [...errors, ...r.errors] };
  }

  /** Sends `snapshot` to `apps` and waits for every answer (or `timeoutMs`). */
  private async ask(
    apps: App[],
    session: number,
    dirs: Map<App, string> | string,
    packets: number,
    measure: boolean,
    timeoutMs: number,
  ): Promise<{ errors: string[]; streams: SnapshotStream[] }> {
    const errors: string[] = [];
    const streams: SnapshotStream[] = [];
    const waits = apps.map((app) => {
      const req = this.nextSnapshotReq++;
      const done = new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.snapshotWaiters.delete(req);
          errors.push(`${app.procname}-${app.pid}: no answer within ${timeoutMs} ms`);
          resolve();
        }, timeoutMs);
        this.snapshotWaiters.set(req, {
          app: app.id,
          done: (error, got) => {
            clearTimeout(timer);
            if (error !== null) errors.push(error);
            if (got !== undefined) streams.push(...got);
            resolve();
          },
        });
      });
      const dir = typeof dirs === "string" ? dirs : (dirs.get(app) ?? "");
      this.send(app, {
        t: "snapshot",
        req,
        session,
        dir,
        ...(packets > 0 ? { packets } : {}),
        ...(measure ? { measure } : {}),
      });
      return done;
    });
    await Promise.all(waits);
    return { errors, streams };
  }

  /** `list -u`: every registered app's tracepoints. */
  tracepoints(): TracepointListing[] {
    return [...this.apps.values()]
      .filter((a) => a.registered)
      .map((a) => ({
        pid: a.pid,
        procname: a.procname,
        events: [...a.tracepoints.values()].map((tp) => ({ name: tp.name, logLevel: tp.logLevel, fields: tp.fields })),
      }));
  }

  /** Errors of per-UID metadata writers (reported by `ttng` on stop/destroy). */
  traceErrors(): string[] {
    return [...this.uidTraces.values()].flatMap((t) => (t.error === null ? [] : [t.error]));
  }
}

/**
 * The `node` domain's channels and rules into an app's config: each channel as a user-space one
 * (`channel0` as `node_channel`, the others as `node_NAME`, so they never meet a `-u` channel's
 * name), each rule (its name is a logger pattern) as the user-space rule on the agent's
 * `node_console:*` events that `nodeRuleAsUst` gives. A rule it refuses was refused by
 * `enable-event` already; it is skipped here.
 */
function addNodeDomain(cfg: AppSessionConfig, node: DomainState, ctx: Set<string>): void {
  for (const c of node.channels) {
    const k = cfg.channels.length;
    cfg.channels.push({
      name: c.name === DEFAULT_NODE_CHANNEL ? "node_channel" : `node_${c.name}`,
      enabled: c.enabled,
      attributes: c.attributes,
    });
    for (const ct of c.contexts) ctx.add(ct.type);
    if (!c.enabled) continue;
    for (const r of c.events) {
      if (!r.enabled) continue;
      const { enabled: _e, ...rule } = r;
      try {
        cfg.rules.push({ ...nodeRuleAsUst(rule), channel: k });
      } catch {}
    }
  }
}
