/**
 * ttng-sessiond put together: the run directory, its lock and pid files, the control socket
 * (control-server.ts) answering with the session model (LTTng's semantics, `../model`), the app
 * socket and registry (app-registry.ts) that every state change is pushed to, and the data side of
 * the operations that involve apps (list-tracepoints, data-pending; start/stop/destroy return once
 * the apps follow). Not the command-line entry (../main.ts) nor the model.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { connect } from "node:net";
import { TtngError } from "@ttng/base";
import {
  type Caller,
  type ControlReply,
  type ControlRequest,
  lttngErrorMessage,
  type SessionState,
} from "@ttng/protocol";
import { AppRegistry } from "./app-registry.js";
import { ControlServer } from "./control-server.js";
import { refuseUnrecordedContext } from "./recorded-contexts.js";
import type { RunPaths } from "./paths.js";

/** What the daemon needs of the session model. */
export interface SessionModelLike {
  apply(req: ControlRequest, caller: Caller): ControlReply;
  sessions(): SessionState[];
  /** Validates a snapshot record as lttng-sessiond does; the snapshot's directory. */
  checkSnapshotRecord?(
    req: Extract<ControlRequest, { op: "snapshot-record" }>,
    recordIndex: number,
  ): { ok: true; path: string; maxSizeBytes: number } | { ok: false; code: string; message: string };
}

export interface DaemonOptions {
  paths: RunPaths;
  model: SessionModelLike;
  /** Group allowed on a root daemon's control socket (the `tracing` group's gid). */
  group?: number;
  /** How long start/stop/destroy wait for apps to follow (ms). */
  appTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface Daemon {
  readonly paths: RunPaths;
  readonly registry: AppRegistry;
  /** Closes the sockets and removes the run files; idempotent. */
  close(): Promise<void>;
}

/** Operations that only read: no push to apps after them. */
const READ_ONLY = new Set<ControlRequest["op"]>([
  "version",
  "list-sessions",
  "get-session",
  "snapshot-list-output",
  "save",
  "list-tracepoints",
  "data-pending",
]);
/** Operations that return once the apps have applied the new state. */
const WAIT_FOR_APPS = new Set<ControlRequest["op"]>([
  "start",
  "stop",
  "destroy-session",
  "enable-event",
  "disable-event",
]);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when something answers on a unix socket. */
export function socketAnswers(path: string, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    const t = setTimeout(() => {
      s.destroy();
      resolve(false);
    }, timeoutMs);
    s.once("connect", () => {
      clearTimeout(t);
      s.destroy();
      resolve(true);
    });
    s.once("error", () => {
      clearTimeout(t);
      resolve(false);
    });
  });
}

/**
 * Takes the lock file (created exclusively, holding the pid). A lock left by a dead daemon
 * (kill -9) is stale and taken over; a live one whose socket answers means another daemon.
 */
async function takeLock(paths: RunPaths): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(paths.lockFile, "wx", 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    let pid = Number.NaN;
    try {
      pid = Number.parseInt(readFileSync(paths.lockFile, "utf8"), 10);
    } catch {}
    if (Number.isInteger(pid) && alive(pid) && (await socketAnswers(paths.controlSocket)))
      throw new TtngError("ERR_CONTROL", `A session daemon is already running (pid ${pid}, ${paths.runDir})`);
    rmSync(paths.lockFile, { force: true });
  }
  throw new TtngError("ERR_CONTROL", `Cannot take the lock ${paths.lockFile}`);
}

async function freeSocket(path: string): Promise<void> {
  if (await socketAnswers(path)) throw new TtngError("ERR_CONTROL", `Something already listens on ${path}`);
  rmSync(path, { force: true });
}

/**
 * Starts a daemon in this process.
 *
 * @example
 * const d = await startDaemon({ paths: runPaths(), model: new SessionModel({ home }) });
 * // ... later
 * await d.close();
 */
export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const { paths, model } = options;
  const log = options.log ?? (() => {});
  const appTimeoutMs = options.appTimeoutMs ?? 10000;
  mkdirSync(paths.runDir, { recursive: true, mode: paths.global ? 0o755 : 0o700 });
  await takeLock(paths);
  const registry = new AppRegistry({ path: paths.appSocket, log });
  /** Snapshots recorded per session name (the `-N` suffix of snapshot directories). */
  const snapshotCounts = new Map<string, number>();
  const handler = async (req: ControlRequest, caller: Caller): Promise<ControlReply> => {
    switch (req.op) {
      case "list-tracepoints":
        return { ok: true, result: { apps: registry.tracepoints() } };
      case "data-pending": {
        const s = model.apply({ op: "get-session", session: req.session }, caller);
        if (!s.ok) return s;
        const { lagging } = await registry.sync(appTimeoutMs);
        return { ok: true, result: { pending: lagging > 0 } };
      }
      case "snapshot-record": {
        if (model.checkSnapshotRecord === undefined) break;
        const index = snapshotCounts.get(req.session) ?? 0;
        const check = model.checkSnapshotRecord(req, index);
        if (!check.ok) return check;
        const s = model.apply({ op: "get-session", session: req.session }, caller);
        if (!s.ok) return s;
        const { errors, maxSizeInvalid } = await registry.snapshot(
          (s.result as { session: SessionState }).session.id,
          check.path,
          appTimeoutMs,
          check.maxSizeBytes,
        );
        // Like lttng-sessiond, a refused size is not a snapshot: the next one keeps this number.
        if (maxSizeInvalid === true)
          return { ok: false, code: "MAX_SIZE_INVALID", message: lttngErrorMessage("MAX_SIZE_INVALID") };
        snapshotCounts.set(req.session, index + 1);
        if (errors.length > 0) return { ok: false, code: "TTNG_SNAPSHOT", message: errors.join("; ") };
        return { ok: true, result: { path: check.path } };
      }
      case "add-context": {
        const s = model.sessions().find((x) => x.name === req.session);
        const refused = refuseUnrecordedContext(req, s);
        if (refused !== null) return refused;
        break;
      }
      case "regenerate-metadata":
        return { ok: false, code: "TTNG_NOT_BUILT", message: `${req.op} is not built yet in ttng-sessiond` };
    }
    const reply = model.apply(req, caller);
    if (!reply.ok || READ_ONLY.has(req.op)) return reply;
    registry.update(model.sessions());
    const noWait = (req as { noWait?: boolean }).noWait === true;
    // Data must be on disk after stop/destroy; a change of rules only needs to be seen soon (an
    // app whose main thread is busy applies it when it gets back to its event loop).
    const flushes = req.op === "stop" || req.op === "destroy-session";
    if (WAIT_FOR_APPS.has(req.op) && !noWait)
      await registry.sync(flushes ? appTimeoutMs : Math.min(appTimeoutMs, 3000));
    return reply;
  };
  const control = new ControlServer({
    path: paths.controlSocket,
    handler,
    ...(options.group === undefined ? {} : { group: options.group }),
    log,
  });
  let closed = false;
  const cleanup = () => {
    for (const p of [paths.controlSocket, paths.appSocket, paths.pidFile]) rmSync(p, { force: true });
    try {
      if (Number.parseInt(readFileSync(paths.lockFile, "utf8"), 10) === process.pid) unlinkSync(paths.lockFile);
    } catch {}
  };
  try {
    await freeSocket(paths.appSocket);
    await registry.listen();
    await freeSocket(paths.controlSocket);
    await control.listen();
    writeFileSync(paths.pidFile, `${process.pid}\n`);
  } catch (e) {
    await Promise.allSettled([registry.close(), control.close()]);
    cleanup();
    throw e;
  }
  return {
    paths,
    registry,
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.allSettled([control.close(), registry.close()]);
      cleanup();
    },
  };
}
