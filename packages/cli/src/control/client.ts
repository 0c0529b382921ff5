/**
 * The socket client every `ttng` control command uses to talk to ttng-sessiond: finds the daemon
 * (root's shared one for members of the `tracing` group when it runs, else the user's own under
 * `$TTNG_HOME/.ttng/`), starts it when none answers and the command asks for it (as `lttng create`
 * does), says `hello`, then sends requests and pairs replies by id. A dead daemon, a closed
 * connection or a daemon answering garbage gives a `TtngError` (ERR_CONTROL) with a sentence a
 * user can act on, never a hang or a JS stack.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { connect, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { TtngError } from "@ttng/base";
import {
  CONTROL_PROTOCOL_MAJOR,
  CONTROL_PROTOCOL_MINOR,
  type ControlReply,
  type ControlRequest,
  encodeFrame,
  FrameDecoder,
} from "@ttng/protocol";
// Only the paths module: the daemon and its model are not the client's to load.
import { globalRunPaths, type RunPaths, runPaths, TRACING_GROUP } from "@ttng/sessiond/paths";

export interface ControlClient {
  /** The daemon's answer; rejects only when the daemon cannot be reached or misbehaves. */
  request<Op extends ControlRequest["op"]>(req: Extract<ControlRequest, { op: Op }>): Promise<ControlReply<Op>>;
  readonly daemonPid: number;
  readonly paths: RunPaths;
  close(): void;
}

export interface ConnectOptions {
  env?: NodeJS.ProcessEnv;
  /** Start a daemon when none answers (`lttng create` does; `lttng list` does not). */
  autoStart?: boolean;
  /** Called before a daemon is started (the command prints LTTng's "Spawning a session daemon"). */
  onSpawn?: () => void;
  /** How long to wait for a started daemon to answer (ms). */
  startTimeoutMs?: number;
}

export class NoDaemonError extends TtngError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_CONTROL", message, { actor: "ttng", ...(options?.cause === undefined ? {} : { cause: options.cause }) });
  }
}

function controlError(message: string, cause?: unknown): TtngError {
  return new TtngError("ERR_CONTROL", message, { actor: "ttng", ...(cause === undefined ? {} : { cause }) });
}

/** The `ttng-sessiond` entry to start: `$TTNG_SESSIOND_PATH` (like LTTNG_SESSIOND_PATH) or the installed one. */
export function sessiondEntry(env: NodeJS.ProcessEnv = process.env): string {
  const p = env.TTNG_SESSIOND_PATH;
  if (p !== undefined && p !== "") return p;
  const pkg = createRequire(import.meta.url).resolve("@ttng/sessiond/package.json");
  return join(dirname(pkg), "dist", "main.js");
}

/** Member of the `tracing` group (then root's daemon, when it runs, is the one to talk to). */
function inTracingGroup(): boolean {
  try {
    const line = readFileSync("/etc/group", "utf8")
      .split("\n")
      .find((l) => l.startsWith(`${TRACING_GROUP}:`));
    if (line === undefined) return false;
    return (process.getgroups?.() ?? []).includes(Number(line.split(":")[2]));
  } catch {
    return false;
  }
}

function openSocket(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    s.once("connect", () => {
      s.removeAllListeners("error");
      resolve(s);
    });
    s.once("error", reject);
  });
}

/** Runs `ttng-sessiond --daemonize` (which returns once the daemon listens). */
function startDaemon(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let entry: string;
    try {
      entry = sessiondEntry(env);
    } catch (e) {
      reject(controlError("Cannot find ttng-sessiond", e));
      return;
    }
    const child = spawn(process.execPath, [entry, "--daemonize"], { env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => {
      if (err.length < 4096) err += String(d);
    });
    const t = setTimeout(() => {
      child.kill();
      reject(controlError(`ttng-sessiond did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("error", (e) => {
      clearTimeout(t);
      reject(controlError("Cannot start ttng-sessiond", e));
    });
    child.once("exit", (code) => {
      clearTimeout(t);
      if (code === 0) resolve();
      else reject(controlError(`ttng-sessiond exited with status ${code}${err === "" ? "" : `: ${err.trim()}`}`));
    });
  });
}

class Connection implements ControlClient {
  private readonly decoder = new FrameDecoder();
  private readonly pending = new Map<number, { resolve: (r: ControlReply) => void; reject: (e: unknown) => void }>();
  private nextId = 1;
  private broken: TtngError | null = null;
  daemonPid = 0;

  constructor(
    private readonly socket: Socket,
    readonly paths: RunPaths,
  ) {
    socket.on("data", (chunk) => this.onData(chunk));
    socket.on("error", (e) => this.fail(controlError("Lost the connection to the session daemon", e)));
    socket.on("close", () => this.fail(controlError("The session daemon closed the connection (did it die?)")));
  }

  private fail(e: TtngError): void {
    if (this.broken === null) this.broken = e;
    for (const p of this.pending.values()) p.reject(this.broken);
    this.pending.clear();
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    for (const f of this.decoder.push(chunk)) {
      const env = f.ok ? (f.value as { id?: unknown; body?: unknown }) : null;
      const body = env?.body as ControlReply | undefined;
      const p = typeof env?.id === "number" ? this.pending.get(env.id) : undefined;
      if (p === undefined || typeof body !== "object" || body === null || typeof body.ok !== "boolean") {
        // A reply with id null is the daemon's own protocol error about what we sent.
        if (env !== null && env.id === null && body !== undefined && body.ok === false)
          this.fail(controlError(`The session daemon refused a request: ${body.message}`));
        else this.fail(controlError("The session daemon answered something that is not a reply (garbage)"));
        return;
      }
      this.pending.delete(env!.id as number);
      p.resolve(body);
    }
  }

  request<Op extends ControlRequest["op"]>(req: Extract<ControlRequest, { op: Op }>): Promise<ControlReply<Op>> {
    if (this.broken !== null) return Promise.reject(this.broken);
    const id = this.nextId++;
    return new Promise<ControlReply<Op>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: ControlReply) => void, reject });
      this.socket.write(encodeFrame({ id, body: req }));
    });
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }
}

async function hello(socket: Socket, paths: RunPaths): Promise<Connection> {
  const c = new Connection(socket, paths);
  const r = await c.request({
    op: "hello",
    major: CONTROL_PROTOCOL_MAJOR,
    minor: CONTROL_PROTOCOL_MINOR,
    caller: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, pid: process.pid },
  });
  if (!r.ok) {
    c.close();
    throw controlError(`The session daemon refused the connection: ${r.message}`);
  }
  c.daemonPid = r.result.daemonPid;
  return c;
}

/**
 * Connects to the session daemon.
 *
 * @example
 * const client = await connectControl({ autoStart: true });
 * const reply = await client.request({ op: "list-sessions" });
 * client.close();
 */
export async function connectControl(options: ConnectOptions = {}): Promise<ControlClient> {
  const env = options.env ?? process.env;
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0 && inTracingGroup()) {
    const g = globalRunPaths(env);
    try {
      return await hello(await openSocket(g.controlSocket), g);
    } catch {}
  }
  const paths = runPaths(env, uid);
  try {
    return await hello(await openSocket(paths.controlSocket), paths);
  } catch (e) {
    if (e instanceof TtngError) throw e;
    if (options.autoStart !== true) throw new NoDaemonError("No session daemon is available", { cause: e });
  }
  options.onSpawn?.();
  await startDaemon(env, options.startTimeoutMs ?? 10000);
  try {
    return await hello(await openSocket(paths.controlSocket), paths);
  } catch (e) {
    if (e instanceof TtngError) throw e;
    throw new NoDaemonError("No session daemon is available (it was started but does not answer)", { cause: e });
  }
}
