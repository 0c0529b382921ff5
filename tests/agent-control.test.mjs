// Issue 6: the agent subscribes only while a matching event is enabled, follows sessions
// started and stopped while the app runs, and `node` domain rules (`enable-event --node LOGGER
// --loglevel/--loglevel-only`, compiled by nodeEventRule) select console records by logger and
// LTTng log level. The app (examples/http-server.mjs) runs before any session exists.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { nodeEventRule } from "@ttng/tracer/agent";
import { readTrace, runClient, startServer } from "./agent/harness.mjs";
import { have, skipOrFail, tracerUnavailable } from "./tracer/harness.mjs";

const skip = skipOrFail((have("babeltrace2") ? undefined : "babeltrace2 not installed") ?? (await tracerUnavailable()));
const dir = mkdtempSync(join(tmpdir(), "ttng-agent-ctl-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const names = (events) => events.map((e) => e.name);

test(
  "sessions enabled and disabled while the app runs; --node rules select console records by logger and level",
  { skip },
  async () => {
    const server = await startServer();
    try {
      assert.deepEqual((await server.stats()).subscriptions, [], "no subscription before any session");
      runClient(server.port, ["/hello"]);

      // A: node_http only, enabled while the app runs.
      await server.start({ output: join(dir, "a"), events: [{ name: "node_http:*" }] });
      assert.deepEqual((await server.stats()).subscriptions, [
        "http.client.request.start",
        "http.client.response.finish",
        "http.server.request.start",
        "http.server.response.finish",
      ]);
      runClient(server.port, ["/status/201", "/log"]);
      const a = await server.stop();
      assert.deepEqual(a.stats.subscriptions, [], "unsubscribed when the session stopped");
      const aEvents = readTrace(a.stopped.path);
      assert.deepEqual(names(aEvents), [
        "node_http:server_request_start",
        "node_http:server_response_finish",
        "node_http:server_request_start",
        "node_http:server_response_finish",
      ]);
      assert.deepEqual(
        aEvents.map((e) => e.fields.url),
        ["/status/201", "/status/201", "/log", "/log"],
      );

      // Disabled: nothing recorded, the app still serves.
      assert.deepEqual(
        runClient(server.port, ["/hello", "/log"]).map((m) => m.status),
        [200, 200],
      );

      // B: `enable-event --node console --loglevel WARNING`: WARNING and more severe.
      await server.start({
        output: join(dir, "b"),
        events: [nodeEventRule({ logger: "console", logLevel: "WARNING" })],
      });
      assert.deepEqual((await server.stats()).subscriptions, ["console"]);
      runClient(server.port, ["/log", "/hello"]);
      const b = await server.stop();
      assert.deepEqual(b.stats.subscriptions, []);
      assert.deepEqual(names(readTrace(b.stopped.path)), [
        "node_console:warn",
        "node_console:error",
        "node_console:assert",
      ]);

      // C: an unknown logger records nothing; `cons*` with --loglevel-only INFO records log and info.
      await server.start({
        output: join(dir, "c"),
        events: [
          nodeEventRule({ logger: "other" }),
          nodeEventRule({ logger: "cons*", logLevel: "INFO", logLevelOnly: true }),
        ],
      });
      runClient(server.port, ["/log"]);
      const c = await server.stop();
      const cEvents = readTrace(c.stopped.path);
      assert.deepEqual(names(cEvents), ["node_console:log", "node_console:info"]);
      assert.deepEqual(
        cEvents.map((e) => e.fields.msg),
        ["log line 1", "info line"],
      );

      // D: a filter on the agent's fields, as with any -u rule.
      await server.start({
        output: join(dir, "d"),
        events: [{ name: "node_http:server_response_finish", filter: "status_code >= 500" }],
      });
      runClient(server.port, ["/hello", "/status/502", "/throw", "/status/404"]);
      const d = await server.stop();
      assert.deepEqual(
        readTrace(d.stopped.path).map((e) => [e.fields.url, e.fields.status_code]),
        [
          ["/status/502", 502],
          ["/throw", 500],
        ],
      );
      assert.equal(d.stats.errors, 0);
    } finally {
      await server.close();
    }
  },
);
