import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { startSession } from "../session.js";
import { agentAppContexts, currentRequestId, registerAppContexts, storeContexts } from "./contexts.js";
import { agentStats } from "./guard.js";
import { installAgent } from "./install.js";

test('storeContexts() reads the app\'s AsyncLocalStorage store when called, "" outside it', async () => {
  const als = new AsyncLocalStorage<{ user: string; n: number; obj: object }>();
  const { user, n, obj, missing } = storeContexts(als, ["user", "n", "obj", "missing"]);
  assert.equal(user?.(), "");
  await als.run({ user: "alice", n: 7, obj: { a: 1 } }, async () => {
    await sleep(1);
    assert.equal(user?.(), "alice");
    assert.equal(n?.(), 7);
    assert.equal(obj?.(), "[object Object]");
    assert.equal(missing?.(), "");
  });
  const errors = agentStats().errors;
  const bad = storeContexts(
    {
      getStore() {
        throw new Error("no store");
      },
    },
    ["user"],
  );
  assert.equal(bad.user?.(), "");
  assert.equal(agentStats().errors, errors + 1);
  registerAppContexts({ user: user as () => string });
  installAgent();
  assert.deepEqual(Object.keys(agentAppContexts()).sort(), ["caller", "request_id", "user"]);
});

function fetchText(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () => resolve(body));
    }).on("error", reject);
  });
}

test("$app.request_id follows a request across async hops once a session asked for it", async () => {
  const agent = installAgent();
  const dir = mkdtempSync(join(tmpdir(), "ttng-agent-ctx-"));
  const server = createServer(async (_req, res) => {
    const before = currentRequestId();
    await sleep(5);
    const afterTimer = await new Promise<number>((r) => setImmediate(() => r(currentRequestId())));
    res.end(`${before} ${afterTimer}`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  try {
    const session = await startSession({
      output: dir,
      events: [{ name: "node_http:*" }],
      contexts: ["$app.request_id"],
      appContexts: agent.appContexts(),
      logger: { warn() {} },
    });
    await fetchText(port, "/first"); // the first event asks for the context: the store is entered from now on
    const ids = await Promise.all([fetchText(port, "/a"), fetchText(port, "/b")]);
    await session.stop();
    const pairs = ids.map((t) => t.split(" ").map(Number));
    for (const [before, after] of pairs) {
      assert.ok((before ?? 0) > 0, `a request id inside the handler: ${pairs}`);
      assert.equal(after, before, "the same id after await and setImmediate");
    }
    assert.notEqual(pairs[0]?.[0], pairs[1]?.[0], "two concurrent requests, two ids");
    assert.equal(currentRequestId(), 0, "0 outside a request");
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
