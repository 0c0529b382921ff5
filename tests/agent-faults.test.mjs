// Issue 6 "Must show": whatever goes wrong around the agent, the traced server keeps serving.
//  - malformed messages on every diagnostics channel the agent listens to (what a broken
//    library or a hostile object would publish) and `$app.*` contexts whose user code throws:
//    swallowed and counted (agentStats), the events around them still recorded; the app's own
//    subscriber on the same channel throwing on every request does not stop the agent's;
//  - a full output disk (a 256 KiB tmpfs in a private mount namespace): the tracer reports it,
//    every request is still answered;
//  - a CommonJS app is traced as an ES module app is.
// (A dead daemon is issue 5's register path; its test comes with `ttng trace`.)
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { root } from "./helpers.mjs";
import { readTrace, runClient, startServer } from "./agent/harness.mjs";
import { have, oracleUnavailable, skipOrFail, tracerUnavailable } from "./tracer/harness.mjs";

const tracerWhy = await tracerUnavailable();
const skip = skipOrFail((have("babeltrace2") ? undefined : "babeltrace2 not installed") ?? tracerWhy);
const dir = mkdtempSync(join(tmpdir(), "ttng-agent-faults-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test(
  "malformed channel messages, throwing user contexts and a throwing user subscriber: the server serves and the agent records",
  { skip },
  async () => {
    const server = await startServer({ env: { TTNG_AGENT_TEST_FAULTS: "1" } });
    try {
      await server.start({ output: join(dir, "garbage"), contexts: ["$app.request_id", "$app.user", "$app.boom"] });
      const channels = (await server.stats()).subscriptions.filter((c) => c !== "console");
      assert.ok(channels.length >= 10, `subscribed to ${channels}`);
      for (const channel of channels) assert.deepEqual(await server.ask({ cmd: "garbage", channel }), { published: 7 });
      const measured = runClient(server.port, ["/hello", "/log", "/fetch", "/status/418"]);
      assert.deepEqual(
        measured.map((m) => m.status),
        [200, 200, 200, 418],
      );
      // The app's own subscriber threw for the 7 malformed messages and the 5 requests served.
      assert.equal((await server.ask({ cmd: "stats" })).uncaught, 7 + 5);
      const { stopped, stats } = await server.stop();
      assert.ok(stats.errors >= channels.length, `errors counted: ${JSON.stringify(stats)}`);
      assert.equal(server.child.exitCode, null, "the server is still running");
      const events = readTrace(stopped.path);
      const finishes = events.filter((e) => e.name === "node_http:server_response_finish");
      assert.deepEqual(
        finishes.map((e) => [e.fields.url, e.fields.status_code]),
        [
          ["/hello", 200],
          ["/log", 200],
          ["/hello", 200],
          ["/fetch", 200],
          ["/status/418", 418],
        ],
      );
      assert.equal(events.filter((e) => e.name === "node_console:log").length, 1);
    } finally {
      await server.close();
    }
  },
);

test(
  "a full output disk (256 KiB tmpfs): every request is answered, the failure is reported",
  {
    skip: skipOrFail(oracleUnavailable([]) ?? tracerWhy),
  },
  async () => {
    const output = join(dir, "full");
    mkdirSync(output);
    const server = await startServer({ tmpfsAt: output, tmpfsKiB: 256 });
    try {
      await server.start({ output, events: [{ name: "node_http:*" }, { name: "node_console:*" }] });
      const pad = "x".repeat(2000);
      const paths = Array.from({ length: 150 }, (_, k) => (k % 10 === 0 ? "/log" : `/hello?pad=${pad}&k=${k}`));
      const measured = runClient(server.port, paths);
      assert.equal(measured.length, paths.length);
      assert.ok(
        measured.every((m) => m.status === 200),
        "every request answered 200",
      );
      const { stopped, stats } = await server.stop();
      assert.ok(stopped.errors.length > 0, "the tracer reports the full disk");
      assert.ok(stopped.errors.length <= 3, `reported once, not per packet: ${stopped.errors}`);
      assert.match(stopped.errors.join("\n"), /ENOSPC|space/i);
      assert.ok(server.warnings.length <= 3, `warned once: ${server.warnings}`);
      assert.equal(stats.errors, 0, "the agent itself saw no error");
      assert.deepEqual(
        runClient(server.port, ["/hello"]).map((m) => m.status),
        [200],
        "still serving after the session",
      );
    } finally {
      await server.close();
    }
  },
);

test("a CommonJS app is traced (node --import of the agent)", { skip }, async () => {
  const server = await startServer({ script: join(root, "tests/agent/cjs-app.cjs") });
  try {
    await server.start({ output: join(dir, "cjs"), contexts: ["$app.request_id"] });
    runClient(server.port, ["/cjs", "/missing"]);
    const { stopped } = await server.stop();
    const events = readTrace(stopped.path).filter((e) => e.name !== "node_net:server_connection");
    assert.deepEqual(
      events.map((e) => [e.name, e.fields.url ?? e.fields.msg, e.fields.status_code]),
      [
        ["node_http:server_request_start", "/cjs", undefined],
        ["node_console:log", "cjs GET /cjs", undefined],
        ["node_http:server_response_finish", "/cjs", 200],
        ["node_http:server_request_start", "/missing", undefined],
        ["node_console:log", "cjs GET /missing", undefined],
        ["node_http:server_response_finish", "/missing", 404],
      ],
    );
    assert.equal(events[1].fields.app_request_id, events[0].fields.request_id);
  } finally {
    await server.close();
  }
});
