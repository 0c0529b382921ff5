import assert from "node:assert/strict";
import dc from "node:diagnostics_channel";
import { mkdtempSync, rmSync } from "node:fs";
import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { inspect } from "node:util";
import { eventClock } from "../clock.js";
import { startSession } from "../session.js";
import { agentStats } from "./guard.js";
import { installAgent } from "./install.js";
import {
  clearMark,
  clearSocketMark,
  markedId,
  markedStartMs,
  markSocketStart,
  markStart,
  socketMarkedId,
  socketMarkedStartMs,
  socketMarkHolds,
} from "./marks.js";

function response(): ServerResponse {
  const req = new IncomingMessage(new Socket());
  req.method = "GET";
  req.url = "/";
  return new ServerResponse(req);
}

test("a mark links start and end and is invisible to the app", () => {
  const res = response();
  const keys = Reflect.ownKeys(res);
  const shown = inspect(res, { showHidden: true, depth: 0 });
  assert.equal(markedId(res), 0, "no mark before the start");
  markStart(res, 42, 1234.5);
  assert.equal(markedId(res), 42);
  assert.equal(markedStartMs(res), 1234.5);
  assert.deepEqual(Reflect.ownKeys(res), keys, "no key or symbol added");
  assert.equal(inspect(res, { showHidden: true, depth: 0 }), shown, "util.inspect shows nothing new");
  clearMark(res);
  assert.equal(markedId(res), 0, "an end is recorded once");
  markStart(res, 43, 2000);
  assert.equal(markedId(res), 43, "the object can be marked again");

  // A Proxy's traps do not see the mark being set or read.
  const seen: string[] = [];
  const trap =
    <A extends unknown[], R>(name: string, f: (...a: A) => R) =>
    (...a: A): R => {
      seen.push(name);
      return f(...a);
    };
  const proxy = new Proxy(
    { a: 1 },
    {
      defineProperty: trap("defineProperty", Reflect.defineProperty),
      set: trap("set", Reflect.set),
      get: trap("get", Reflect.get),
      has: trap("has", Reflect.has),
      ownKeys: trap("ownKeys", Reflect.ownKeys),
    },
  );
  markStart(proxy, 7, 1);
  assert.equal(markedId(proxy), 7);
  assert.deepEqual(seen, []);
});

test("a socket's mark serves its requests one after the other and names its response", () => {
  const socket = new Socket();
  const keys = Reflect.ownKeys(socket);
  const a = response();
  const b = response();
  const c = response();
  assert.equal(socketMarkHolds(socket, a), false, "an unmarked socket holds nothing (and does not throw)");
  assert.equal(markSocketStart(socket, a, 1, 10), true);
  assert.deepEqual(Reflect.ownKeys(socket), keys, "no key or symbol added to the socket");
  // b is pipelined behind a: the socket is taken, b is marked on itself.
  assert.equal(markSocketStart(socket, b, 2, 20), false);
  markStart(b, 2, 20);
  assert.equal(socketMarkHolds(socket, b), false, "b's finish does not take a's mark");
  assert.equal(socketMarkHolds(socket, a), true);
  assert.equal(socketMarkedId(socket), 1);
  assert.equal(socketMarkedStartMs(socket), 10);
  clearSocketMark(socket);
  assert.equal(socketMarkHolds(socket, a), false, "a finish is taken once");
  // c starts once a is done, while b still runs: the socket is free again.
  assert.equal(markSocketStart(socket, c, 3, 30), true);
  assert.equal(socketMarkHolds(socket, b), false);
  assert.equal(markedId(b), 2, "b's own mark");
  assert.equal(socketMarkHolds(socket, c), true);
  assert.equal(socketMarkedId(socket), 3);
});

test("a socket's mark whose finish was missed is let go at the next start", () => {
  const socket = new Socket();
  const a = response();
  assert.equal(markSocketStart(socket, a, 1, 10), true);
  const b = response();
  assert.equal(markSocketStart(socket, b, 2, 20), false, "a still running");
  // a finished while the agent was not subscribed: nobody cleared the socket's mark.
  Object.defineProperty(a, "writableFinished", { value: true });
  assert.equal(markSocketStart(socket, b, 2, 20), true);
  assert.equal(socketMarkHolds(socket, b), true);
  assert.equal(socketMarkHolds(socket, a), false);
});

test("a throwing request getter is swallowed and leaves the event clock unset", async () => {
  installAgent();
  const dir = mkdtempSync(join(tmpdir(), "ttng-agent-marks-"));
  try {
    const session = await startSession({ output: dir, events: [{ name: "node_http:*" }], logger: { warn() {} } });
    const errors = agentStats().errors;
    const res = response();
    const request = {
      get method(): string {
        throw new Error("bad method");
      },
      url: "/",
    };
    dc.channel("http.server.request.start").publish({ request, response: res });
    assert.equal(agentStats().errors, errors + 1, "the error is counted, not thrown");
    assert.equal(eventClock.at, -1, "the next events read the clock again");
    const r = await session.stop();
    assert.equal(r.recordedEvents, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
