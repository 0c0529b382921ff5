/**
 * The control socket: `ttng` commands connect, say `hello` (protocol version and who they are),
 * then send requests, each answered in order with a reply carrying the request's id. A peer that
 * sends garbage (not JSON, an endless line, an unknown op, a request before `hello`) gets an error
 * reply and the connection stays usable; other clients never notice. The handler's exceptions
 * become `TTNG_INTERNAL` replies: the daemon never dies of a request.
 */
import { chmodSync, chownSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import {
  type Caller,
  CONTROL_PROTOCOL_MAJOR,
  CONTROL_PROTOCOL_MINOR,
  type ControlReply,
  type ControlRequest,
  encodeFrame,
  FrameDecoder,
} from "@ttng/protocol";

export type RequestHandler = (req: ControlRequest, caller: Caller) => Promise<ControlReply> | ControlReply;

export interface ControlServerOptions {
  path: string;
  handler: RequestHandler;
  /** Root's daemon: socket readable and writable by this group (LTTng's `tracing`). */
  group?: number;
  log: (message: string) => void;
}

function fail(code: string, message: string): ControlReply {
  return { ok: false, code, message };
}

function isCaller(v: unknown): v is Caller {
  const c = v as Caller;
  return (
    typeof c === "object" && c !== null && Number.isInteger(c.uid) && Number.isInteger(c.gid) && Number.isInteger(c.pid)
  );
}

class ControlConnection {
  private readonly decoder = new FrameDecoder();
  private caller: Caller | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: Socket,
    private readonly handler: RequestHandler,
    private readonly daemonPid: number,
  ) {
    socket.on("data", (chunk) => this.onData(chunk));
    socket.on("error", () => socket.destroy());
  }

  private send(id: unknown, body: ControlReply): void {
    if (this.socket.destroyed) return;
    this.socket.write(encodeFrame({ id: typeof id === "number" ? id : null, body }));
  }

  private onData(chunk: Buffer): void {
    for (const frame of this.decoder.push(chunk)) {
      if (!frame.ok) {
        this.send(null, fail("TTNG_PROTOCOL", frame.error.message));
        continue;
      }
      // Replies go out in request order even when a request waits for applications.
      this.chain = this.chain.then(() => this.dispatch(frame.value));
    }
  }

  private async dispatch(value: unknown): Promise<void> {
    const env = value as { id?: unknown; body?: unknown };
    const id = typeof env === "object" && env !== null ? env.id : undefined;
    const body = typeof env === "object" && env !== null ? (env.body as ControlRequest | undefined) : undefined;
    if (typeof id !== "number" || typeof body !== "object" || body === null || typeof body.op !== "string") {
      this.send(id, fail("TTNG_PROTOCOL", "Expected {id: number, body: {op: string, ...}}"));
      return;
    }
    if (body.op === "hello") {
      if (body.major !== CONTROL_PROTOCOL_MAJOR) {
        this.send(
          id,
          fail("TTNG_VERSION", `Control protocol ${String(body.major)}.x is not ${CONTROL_PROTOCOL_MAJOR}.x`),
        );
        return;
      }
      if (!isCaller(body.caller)) {
        this.send(id, fail("TTNG_PROTOCOL", "hello: caller {uid, gid, pid} expected"));
        return;
      }
      this.caller = body.caller;
      this.send(id, {
        ok: true,
        result: { daemonPid: this.daemonPid, major: CONTROL_PROTOCOL_MAJOR, minor: CONTROL_PROTOCOL_MINOR },
      });
      return;
    }
    if (this.caller === null) {
      this.send(id, fail("TTNG_PROTOCOL", `${body.op}: send hello first`));
      return;
    }
    let reply: ControlReply;
    try {
      reply = await this.handler(body, this.caller);
    } catch (e) {
      reply = fail("TTNG_INTERNAL", `${body.op}: ${(e as Error)?.message ?? String(e)}`);
    }
    this.send(id, reply);
  }
}

export class ControlServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: ControlServerOptions) {
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      new ControlConnection(socket, options.handler, process.pid);
    });
    this.server.on("error", (e) => options.log(`control socket: ${e.message}`));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.path, () => {
        this.server.off("error", reject);
        try {
          if (this.options.group !== undefined) {
            chownSync(this.options.path, 0, this.options.group);
            chmodSync(this.options.path, 0o660);
          } else chmodSync(this.options.path, 0o600);
        } catch (e) {
          this.options.log(`control socket permissions: ${(e as Error).message}`);
        }
        resolve();
      });
    });
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}
