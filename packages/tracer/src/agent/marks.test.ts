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
import { clearMark, markedId, markedStartMs, markStart } from "./marks.js";

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
