// Issue 6 "Must show", with in-process sessions (until `ttng trace` drives the agent): the
// unmodified examples/http-server.mjs, preloaded with the agent (tests/agent/preload.mjs), and
// examples/http-client.mjs measuring its own durations. babeltrace2 reads the traces.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readTrace, runClient, startServer } from "./agent/harness.mjs";
import { have, skipOrFail, tracerUnavailable } from "./tracer/harness.mjs";

const skip = skipOrFail((have("babeltrace2") ? undefined : "babeltrace2 not installed") ?? (await tracerUnavailable()));
const dir = mkdtempSync(join(tmpdir(), "ttng-agent-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const byName = (events, name) => events.filter((e) => e.name === name);

test(
  "the agent records node_http, node_fetch, node_net, child_process, worker and console events with correct values",
  { skip },
  async () => {
    const server = await startServer();
    try {
      const started = await server.start({
        output: join(dir, "all"),
        contexts: ["vpid", "$app.request_id", "$app.caller"],
      });
      assert.ok(started.started, JSON.stringify(started));
      const paths = [
        "/hello",
        "/slow?ms=80",
        "/status/404",
        "/status/503",
        "/log",
        "/fetch",
        "/proxy",
        "/spawn",
        "/worker",
        "/throw",
        "/nope",
      ];
      const measured = runClient(server.port, paths);
      // The worker's exit is after its answer: give it a moment to be recorded.
      await new Promise((r) => setTimeout(r, 1000));
      const { stopped, stats } = await server.stop();
      assert.deepEqual(stopped.errors, []);
      assert.equal(stats.errors, 0, JSON.stringify(stats));
      assert.deepEqual(stats.subscriptions, [], "nothing subscribed once the session stopped");
      const events = readTrace(stopped.path);

      // HTTP server: one start and one finish per client request, linked by request_id.
      const starts = byName(events, "node_http:server_request_start");
      const finishes = byName(events, "node_http:server_response_finish");
      for (const m of measured) {
        const s = starts.find((e) => e.fields.url === m.path);
        assert.ok(s, `server_request_start for ${m.path}`);
        assert.equal(s.fields.method, "GET");
        assert.equal(s.fields.app_request_id, s.fields.request_id, "the request-id context inside its own start");
        const f = finishes.find((e) => e.fields.request_id === s.fields.request_id);
        assert.ok(f, `server_response_finish for ${m.path}`);
        assert.equal(f.fields.url, m.path);
        assert.equal(f.fields.status_code, m.status, `status of ${m.path}`);
        const serverMs = f.fields.duration_ns / 1e6;
        // The server's duration ends when Node reports the response written (a write callback),
        // which on a loaded machine can come after the client already read it; the client also
        // counts its connect. So the two agree within a loose bound; wrong units or a wrong start
        // time miss it (and the /slow bounds below) by orders of magnitude.
        assert.ok(
          Math.abs(m.durationMs - serverMs) < 250,
          `${m.path}: server ${serverMs} ms close to client ${m.durationMs} ms`,
        );
        // Each handler stamps its event with the clock reading its duration uses: the duration
        // is the difference of the two events' timestamps (each rounded to the ns).
        assert.ok(
          Math.abs(f.ts - s.ts - f.fields.duration_ns) <= 2,
          `${m.path}: duration ${f.fields.duration_ns} ns, timestamps ${s.ts} -> ${f.ts}`,
        );
      }
      const slow = finishes.find((e) => e.fields.url === "/slow?ms=80");
      assert.ok(slow.fields.duration_ns >= 79e6, `/slow?ms=80 took ${slow.fields.duration_ns} ns`);
      const slowClient = measured.find((m) => m.path === "/slow?ms=80").durationMs;
      assert.ok(slowClient >= 80, `the client waited ${slowClient} ms for /slow?ms=80`);
      assert.deepEqual(
        measured.map((m) => m.status),
        [200, 200, 404, 503, 200, 200, 200, 200, 200, 500, 404],
      );

      // Console: one record per call, with the caller's location and the request id across hops.
      const logReq = starts.find((e) => e.fields.url === "/log").fields.request_id;
      const consoleEvents = events.filter((e) => e.name.startsWith("node_console:"));
      const expected = [
        ["node_console:log", "log line 1"],
        ["node_console:info", "info line"],
        ["node_console:debug", "debug line"],
        ["node_console:warn", "warn line"],
        ["node_console:error", "error line"],
        ["node_console:trace", "Trace: trace line"],
        ["node_console:assert", "Assertion failed: assert line"],
        ["node_console:count", "requests: 1"],
      ];
      assert.deepEqual(
        consoleEvents.map((e) => [e.name, e.fields.msg.split("\n")[0]]),
        expected,
        "one record per console call",
      );
      for (const e of consoleEvents) {
        assert.equal(e.fields.logger_name, "console");
        assert.equal(e.fields.app_request_id, logReq, `${e.name} carries the /log request id`);
        assert.match(e.fields.app_caller, /examples\/http-server\.mjs:\d+:\d+\)?$/, `${e.name} caller`);
      }
      assert.notEqual(consoleEvents[0].fields.app_caller, consoleEvents[1].fields.app_caller);

      // fetch (undici) from inside /fetch: the request id context follows the await.
      const fetchReq = starts.find((e) => e.fields.url === "/fetch").fields.request_id;
      const create = byName(events, "node_fetch:request_create")[0];
      assert.ok(create, "node_fetch:request_create");
      assert.equal(create.fields.path, "/hello");
      assert.equal(create.fields.origin, `http://127.0.0.1:${server.port}`);
      assert.equal(create.fields.app_request_id, fetchReq);
      const headers = byName(events, "node_fetch:response_headers")[0];
      assert.equal(headers.fields.request_id, create.fields.request_id);
      assert.equal(headers.fields.status_code, 200);
      const done = byName(events, "node_fetch:request_finish")[0];
      assert.equal(done.fields.request_id, create.fields.request_id);
      assert.equal(done.fields.status_code, 200);
      assert.ok(done.fields.duration_ns >= headers.fields.duration_ns);
      const inner = starts.find((e) => e.fields.url === "/hello" && e.fields.request_id > fetchReq);
      assert.ok(inner, "the fetched /hello was served too");
      const connect = byName(events, "node_net:client_connect").find((e) => e.fields.remote_port === server.port);
      assert.ok(connect, "node_net:client_connect of the fetch");
      assert.equal(connect.fields.app_request_id, fetchReq);
      const accepted = byName(events, "node_net:server_connection");
      assert.ok(accepted.length >= measured.length, `${accepted.length} accepted connections`);
      assert.equal(accepted[0].fields.local_port, server.port);

      // http.get from inside /proxy: client start and finish, linked, inside the /proxy request.
      const proxyReq = starts.find((e) => e.fields.url === "/proxy").fields.request_id;
      const cStart = byName(events, "node_http:client_request_start");
      const cDone = byName(events, "node_http:client_response_finish");
      assert.equal(cStart.length, 1, "one http client request");
      assert.deepEqual(
        [cStart[0].fields.method, cStart[0].fields.host, cStart[0].fields.path],
        ["GET", "127.0.0.1", "/status/202"],
      );
      assert.equal(cStart[0].fields.app_request_id, proxyReq);
      assert.equal(cDone.length, 1);
      assert.equal(cDone[0].fields.request_id, cStart[0].fields.request_id);
      assert.equal(cDone[0].fields.status_code, 202);
      assert.ok(
        Math.abs(cDone[0].ts - cStart[0].ts - cDone[0].fields.duration_ns) <= 2,
        "client duration = ts difference",
      );
      const proxied = finishes.find((e) => e.fields.url === "/status/202");
      assert.ok(
        Math.abs(proxied.fields.duration_ns - cDone[0].fields.duration_ns) < 250e6,
        "client and server durations of the proxied request agree",
      );

      // Child process and worker: start and end.
      const spawnEv = byName(events, "node_child_process:spawn")[0];
      assert.ok(spawnEv, "node_child_process:spawn");
      assert.equal(spawnEv.fields.file, "true");
      assert.ok(spawnEv.fields.pid > 0);
      const exitEv = byName(events, "node_child_process:exit")[0];
      assert.equal(exitEv.fields.pid, spawnEv.fields.pid);
      assert.equal(exitEv.fields.exit_code, 0);
      const wStart = byName(events, "node_worker:start")[0];
      assert.ok(wStart, "node_worker:start");
      const wExit = byName(events, "node_worker:exit")[0];
      assert.ok(wExit, "node_worker:exit");
      assert.equal(wExit.fields.thread_id, wStart.fields.thread_id);
      assert.equal(wExit.fields.exit_code, 0);
    } finally {
      await server.close();
    }
  },
);

/**
 * Sends requests on one keep-alive connection: each step's paths are written at once (pipelined
 * when more than one) as soon as `after` responses have come back. Resolves with the statuses.
 */
function oneConnection(port, steps) {
  const total = steps.reduce((n, step) => n + step.paths.length, 0);
  return new Promise((resolve, reject) => {
    const statuses = [];
    const socket = connect(port, "127.0.0.1");
    const request = (p) => `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
    let pending = "";
    let next = 0;
    const send = () => {
      while (next < steps.length && steps[next].after <= statuses.length)
        socket.write(steps[next++].paths.map(request).join(""));
    };
    socket.on("connect", send);
    socket.on("data", (chunk) => {
      pending += chunk.toString("latin1");
      for (;;) {
        const head = pending.indexOf("\r\n\r\n");
        if (head < 0) return;
        const length = /\r\ncontent-length: *(\d+)/i.exec(pending.slice(0, head));
        let end;
        if (length) end = head + 4 + Number(length[1]);
        else {
          const last = pending.indexOf("\r\n0\r\n\r\n", head);
          if (last < 0) return;
          end = last + 7;
        }
        if (pending.length < end) return;
        statuses.push(Number(pending.slice(9, 12)));
        pending = pending.slice(end);
        if (statuses.length === total) {
          socket.end();
          resolve(statuses);
          return;
        }
        send();
      }
    });
    socket.on("error", reject);
  });
}

test(
  "requests on one keep-alive connection, one after the other and pipelined, are each linked to their own finish",
  { skip },
  async () => {
    const server = await startServer();
    try {
      const started = await server.start({ output: join(dir, "keep-alive"), events: [{ name: "node_http:*" }] });
      assert.ok(started.started, JSON.stringify(started));
      const inTurn = ["/hello", "/status/404", "/slow?ms=30", "/hello"];
      assert.deepEqual(
        await oneConnection(
          server.port,
          inTurn.map((p, k) => ({ after: k, paths: [p] })),
        ),
        [200, 404, 200, 200],
      );
      // Three at once: the two behind /slow are parsed, answered and queued while it runs.
      const piped = ["/slow?ms=60", "/status/201", "/status/503"];
      assert.deepEqual(await oneConnection(server.port, [{ after: 0, paths: piped }]), [200, 201, 503]);
      // /status/202 starts once /slow?ms=20 is done, while /slow?ms=300 (pipelined behind it)
      // still runs: the socket is free for 202's start, and 300's finish must not take it.
      const overlap = ["/slow?ms=20", "/slow?ms=300", "/status/202"];
      assert.deepEqual(
        await oneConnection(server.port, [
          { after: 0, paths: overlap.slice(0, 2) },
          { after: 1, paths: overlap.slice(2) },
        ]),
        [200, 200, 202],
      );
      const { stopped, stats } = await server.stop();
      assert.deepEqual(stopped.errors, []);
      assert.equal(stats.errors, 0, JSON.stringify(stats));
      const events = readTrace(stopped.path);
      const starts = byName(events, "node_http:server_request_start");
      const finishes = byName(events, "node_http:server_response_finish");
      assert.deepEqual(
        starts.map((e) => e.fields.url),
        [...inTurn, ...piped, ...overlap],
      );
      assert.equal(finishes.length, starts.length, "one finish per start");
      for (const s of starts) {
        const f = finishes.filter((e) => e.fields.request_id === s.fields.request_id);
        assert.equal(f.length, 1, `one finish for request ${s.fields.request_id} (${s.fields.url})`);
        assert.equal(f[0].fields.url, s.fields.url, "the finish is its own request's");
        assert.ok(
          Math.abs(f[0].ts - s.ts - f[0].fields.duration_ns) <= 2,
          `${s.fields.url}: duration from its own start`,
        );
      }
      const finishOf = (url) => finishes.find((e) => e.fields.url === url);
      assert.equal(finishOf("/status/201").fields.status_code, 201);
      assert.equal(finishOf("/status/503").fields.status_code, 503);
      assert.equal(finishOf("/status/202").fields.status_code, 202);
      assert.ok(finishOf("/slow?ms=60").fields.duration_ns >= 59e6);
      assert.ok(finishOf("/status/503").fields.duration_ns >= 50e6, "a pipelined request waits for the one before it");
      assert.ok(finishOf("/slow?ms=300").fields.duration_ns >= 299e6);
      assert.ok(finishOf("/status/202").ts > finishOf("/slow?ms=300").ts, "202 answered after the request before it");
    } finally {
      await server.close();
    }
  },
);
