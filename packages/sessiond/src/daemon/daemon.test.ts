import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  type AppSessionConfig,
  type Caller,
  type ControlReply,
  type ControlRequest,
  type DaemonToApp,
  encodeFrame,
  FrameDecoder,
  type SessionState,
} from "@ttng/protocol";
import { startDaemon } from "./daemon.js";
import { runPaths } from "./paths.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function home(): string {
  const d = mkdtempSync(join(tmpdir(), "ttng-sessiond-"));
  dirs.push(d);
  return d;
}

/** A stand-in for the session model: one session, enough to drive pushes (the real model is tested by itself). */
class TinyModel {
  session: SessionState | null = null;
  apply(req: ControlRequest, _caller: Caller): ControlReply {
    switch (req.op) {
      case "boom" as string:
        throw new Error("model bug");
      case "list-sessions":
        return { ok: true, result: { sessions: this.sessions() } };
      case "get-session":
        return this.session === null
          ? { ok: false, code: "SESS_NOT_FOUND", message: "Session not found" }
          : { ok: true, result: { session: this.session } };
      case "create-session":
        this.session = {
          name: req.name ?? "s",
          id: 7,
          createdAtMs: 0,
          output: req.output.kind === "local" ? { kind: "local", path: req.output.path } : { kind: "none" },
          snapshot: false,
          liveTimerUs: 0,
          active: false,
          everStarted: false,
          traceFormat: "ctf-1.8",
          shmPath: null,
          domains: [
            {
              type: "ust",
              bufferType: "per-uid",
              channels: [],
              trackers: {
                vpid: { policy: "all", values: [] },
                vuid: { policy: "all", values: [] },
                vgid: { policy: "all", values: [] },
              },
            },
          ],
          snapshotOutputs: [],
        };
        return { ok: true, result: { session: this.session } };
      case "start":
        if (this.session === null) return { ok: false, code: "SESS_NOT_FOUND", message: "Session not found" };
        this.session.active = true;
        return { ok: true, result: { session: this.session } };
      case "track":
        this.session!.domains[0]!.trackers.vpid = { policy: "include-set", values: req.values ?? [] };
        return { ok: true, result: { session: this.session! } };
      default:
        return { ok: false, code: "UND", message: "unsupported here" };
    }
  }
  sessions(): SessionState[] {
    return this.session === null ? [] : [structuredClone(this.session)];
  }
}

/** A line-oriented client for either socket. */
class Peer {
  private readonly decoder = new FrameDecoder();
  private readonly queue: unknown[] = [];
  private waiter: (() => void) | null = null;
  constructor(readonly socket: Socket) {
    socket.on("data", (c) => {
      for (const f of this.decoder.push(c)) this.queue.push(f.ok ? f.value : { garbage: true });
      this.waiter?.();
    });
  }
  static open(path: string): Promise<Peer> {
    return new Promise((resolve, reject) => {
      const s = connect(path);
      s.once("connect", () => resolve(new Peer(s)));
      s.once("error", reject);
    });
  }
  send(v: unknown): void {
    this.socket.write(encodeFrame(v));
  }
  raw(text: string): void {
    this.socket.write(text);
  }
  async next(timeoutMs = 3000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (Date.now() > deadline) throw new Error("no frame");
      await new Promise<void>((r) => {
        this.waiter = r;
        setTimeout(r, 50);
      });
    }
    return this.queue.shift();
  }
  close(): void {
    this.socket.destroy();
  }
}

const caller = { uid: 0, gid: 0, pid: process.pid };
const hello = { op: "hello", major: 1, minor: 0, caller };

test("startDaemon() writes pid and lock files, refuses a second daemon, removes its files on close", async () => {
  const paths = runPaths({ TTNG_HOME: home() }, 1000);
  const d = await startDaemon({ paths, model: new TinyModel() });
  assert.equal(readFileSync(paths.pidFile, "utf8").trim(), String(process.pid));
  assert.ok(existsSync(paths.lockFile));
  await assert.rejects(startDaemon({ paths, model: new TinyModel() }), /already running/);
  await d.close();
  for (const p of [paths.pidFile, paths.lockFile, paths.controlSocket, paths.appSocket]) assert.ok(!existsSync(p), p);
});

test("startDaemon() takes over the lock and sockets of a dead daemon", async () => {
  const paths = runPaths({ TTNG_HOME: home() }, 1000);
  const d0 = await startDaemon({ paths, model: new TinyModel() });
  await d0.close();
  // What kill -9 leaves: a lock naming a dead pid, and socket files nobody listens on.
  writeFileSync(paths.lockFile, "999999999\n");
  writeFileSync(paths.controlSocket, "");
  const d = await startDaemon({ paths, model: new TinyModel() });
  const c = await Peer.open(paths.controlSocket);
  c.send({ id: 1, body: hello });
  assert.deepEqual((await c.next()) as object, {
    id: 1,
    body: { ok: true, result: { daemonPid: process.pid, major: 1, minor: 0 } },
  });
  c.close();
  await d.close();
});

test("control socket: garbage gets error replies, the connection and other clients keep working", async () => {
  const paths = runPaths({ TTNG_HOME: home() }, 1000);
  const d = await startDaemon({ paths, model: new TinyModel() });
  const a = await Peer.open(paths.controlSocket);
  const b = await Peer.open(paths.controlSocket);
  a.send({ id: 1, body: { op: "list-sessions" } });
  assert.deepEqual(((await a.next()) as { body: ControlReply }).body.ok, false); // hello first
  a.raw("\u0000\u0001 not json {{{\n");
  const e1 = (await a.next()) as { id: null; body: { ok: false; code: string } };
  assert.equal(e1.id, null);
  assert.equal(e1.body.code, "TTNG_PROTOCOL");
  a.send([1, 2, 3]);
  assert.equal(((await a.next()) as { body: { code: string } }).body.code, "TTNG_PROTOCOL");
  a.send({ id: 2, body: hello });
  assert.equal(((await a.next()) as { body: ControlReply }).body.ok, true);
  a.send({ id: 3, body: { op: "boom" } });
  const e2 = (await a.next()) as { id: number; body: { ok: false; code: string } };
  assert.deepEqual([e2.id, e2.body.code], [3, "TTNG_INTERNAL"]);
  a.send({ id: 4, body: { ...hello, major: 9 } });
  assert.equal(((await a.next()) as { body: { code: string } }).body.code, "TTNG_VERSION");
  // An endless line is cut at the frame bound, not buffered.
  a.raw("x".repeat(5 * 1024 * 1024));
  a.raw("\n");
  assert.equal(((await a.next(10000)) as { body: { code: string } }).body.code, "TTNG_PROTOCOL");
  b.send({ id: 1, body: hello });
  b.send({ id: 2, body: { op: "list-sessions" } });
  await b.next();
  assert.deepEqual((await b.next()) as object, { id: 2, body: { ok: true, result: { sessions: [] } } });
  a.send({ id: 5, body: { op: "list-sessions" } });
  assert.equal(((await a.next()) as { id: number }).id, 5);
  a.close();
  b.close();
  await d.close();
});

test("app registry: pushes session state, waits for applied, filters by tracker, assigns per-UID ids", async () => {
  const h = home();
  const paths = runPaths({ TTNG_HOME: h }, 1000);
  const model = new TinyModel();
  const d = await startDaemon({ paths, model, appTimeoutMs: 2000 });
  const c = await Peer.open(paths.controlSocket);
  c.send({ id: 1, body: hello });
  await c.next();
  const app = await Peer.open(paths.appSocket);
  app.send({ t: "tracepoints", tracepoints: [] });
  assert.equal(((await app.next()) as DaemonToApp).t, "error"); // register first
  app.send({
    t: "register",
    major: 1,
    minor: 0,
    pid: 4242,
    ppid: 1,
    uid: 1000,
    gid: 1000,
    procname: "node",
    bitsPerLong: 64,
  });
  assert.equal(((await app.next()) as DaemonToApp).t, "registered");
  assert.deepEqual((await app.next()) as object, { t: "sessions", seq: 1, sessions: [] });
  app.send({ t: "applied", seq: 1 });
  app.send({ t: "tracepoints", tracepoints: [{ name: "a:b", logLevel: 13, fields: [] }] });
  c.send({ id: 2, body: { op: "create-session", name: "s", output: { kind: "local", path: join(h, "out") } } });
  await c.next();
  const push = (await app.next()) as Extract<DaemonToApp, { t: "sessions" }>;
  const cfg = push.sessions[0] as AppSessionConfig;
  assert.equal(cfg.dir, join(h, "out", "ust", "uid", "1000", "64-bit"));
  assert.equal(cfg.active, false);
  app.send({ t: "applied", seq: push.seq });
  // start returns only once the app applied the push.
  const t0 = Date.now();
  c.send({ id: 3, body: { op: "start", session: "s" } });
  const started = (await app.next()) as Extract<DaemonToApp, { t: "sessions" }>;
  const key = started.sessions[0]!.uidTrace!.key;
  await new Promise((r) => setTimeout(r, 200));
  app.send({ t: "applied", seq: started.seq });
  const startReply = (await c.next()) as { id: number; body: ControlReply };
  assert.equal(startReply.id, 3);
  assert.ok(Date.now() - t0 >= 200, "start waited for the app");
  // Per-UID: one id per signature and channel, the first preamble wins, metadata written by the daemon.
  app.send({ t: "uid-preamble", trace: key, tsdl: "/* CTF 1.8 */\n" });
  app.send({ t: "uid-preamble", trace: key, tsdl: "ignored" });
  const ask = (req: number, sig: string) =>
    app.send({
      t: "event-id",
      req,
      trace: key,
      channel: 0,
      signature: sig,
      tsdlHead: "event { id = ",
      tsdlTail: "; };\n",
    });
  ask(1, "x");
  ask(2, "y");
  ask(3, "x");
  assert.deepEqual(await app.next(), { t: "event-id", req: 1, id: 0 });
  assert.deepEqual(await app.next(), { t: "event-id", req: 2, id: 1 });
  assert.deepEqual(await app.next(), { t: "event-id", req: 3, id: 0 });
  app.send({ t: "event-id", req: 4, trace: "7/0", channel: 0, signature: "z", tsdlHead: "", tsdlTail: "" });
  assert.equal(((await app.next()) as DaemonToApp).t, "error"); // another uid's trace
  const meta = readFileSync(join(cfg.dir, "metadata"));
  assert.equal(meta.length, 3 * 4096);
  assert.match(meta.toString("latin1"), /CTF 1\.8[\s\S]*event \{ id = 0; \};[\s\S]*event \{ id = 1; \};/);
  assert.doesNotMatch(meta.toString("latin1"), /ignored/);
  // list-tracepoints comes from the registry.
  c.send({ id: 4, body: { op: "list-tracepoints", domain: "ust", fields: false } });
  assert.deepEqual(((await c.next()) as { body: ControlReply }).body, {
    ok: true,
    result: { apps: [{ pid: 4242, procname: "node", events: [{ name: "a:b", logLevel: 13, fields: [] }] }] },
  });
  // Not tracked: the session disappears from the app's view.
  c.send({ id: 5, body: { op: "track", session: "s", domain: "ust", attr: "vpid", values: [1] } });
  const untracked = (await app.next()) as Extract<DaemonToApp, { t: "sessions" }>;
  assert.deepEqual(untracked.sessions, []);
  app.send({ t: "applied", seq: untracked.seq });
  await c.next();
  // A dead app does not hold up a command.
  app.close();
  c.send({ id: 6, body: { op: "track", session: "s", domain: "ust", attr: "vpid", values: [4242] } });
  assert.equal(((await c.next()) as { id: number }).id, 6);
  c.close();
  await d.close();
});
