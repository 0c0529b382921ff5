// The Node agent end to end through the control plane (issue 6): the unmodified example server
// traced with `ttng trace` (the agent comes with @ttng/tracer/register), and the same server
// started before the session daemon, driven live with `ttng enable-event -u/--node` and
// `disable-event`, then with its daemon killed (-9). Traces are read with babeltrace2 (the
// oracle) and `ttng view`, which must print the same text.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { haveTool, root, skipReason } from "./helpers.mjs";
import { Home, sleep } from "./lib/control.mjs";

const skip = haveTool("babeltrace2") ? false : skipReason("babeltrace2");
const server = join(root, "examples/http-server.mjs");
const client = join(root, "examples/http-client.mjs");
const register = join(root, "packages/tracer/dist/bundle/register.js");

/** babeltrace2's text (with log levels) for a trace. */
function babeltrace(path) {
  const r = spawnSync("babeltrace2", ["--fields=loglevel", path], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`babeltrace2 ${path}: ${r.stderr}`);
  return r.stdout;
}

/** Events of `babeltrace2 --fields=loglevel`: {name, level, fields}, every `name = value` of the line. */
function parseEvents(text) {
  const out = [];
  for (const line of text.split("\n")) {
    const m = /^\[[^\]]+\] \([^)]+\) (TRACE_\w+) \(\d+\) ([\w:]+): (.*)$/.exec(line);
    if (m === null) continue;
    const fields = {};
    // A variant (the `$app.*` contexts) prints its value as `{ 4 }`.
    const body = m[3].replace(/= \{ (-?\d+|"(?:[^"\\]|\\.)*") \}/g, "= $1");
    for (const f of body.matchAll(/(\w+) = ("(?:[^"\\]|\\.)*"|-?\d+)/g))
      fields[f[1]] = f[2].startsWith('"')
        ? f[2].slice(1, -1).replace(/\\(.)/g, (_, c) => (c === "n" ? "\n" : c === "t" ? "\t" : c))
        : Number(f[2]);
    out.push({ level: m[1], name: m[2], fields });
  }
  return out;
}

/** The client's JSON lines: {path, status, durationMs} per request. */
function request(home, port, ...paths) {
  const r = home.run(process.execPath, [client, String(port), ...paths]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

/** Starts a process with piped output; resolves once its stdout matches `ready`. */
async function startProcess(cmd, args, env, ready) {
  const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const p = { child, stdout: "", stderr: "" };
  child.stdout.on("data", (d) => {
    p.stdout += d;
  });
  child.stderr.on("data", (d) => {
    p.stderr += d;
  });
  p.exited = new Promise((r) => child.once("exit", (code) => r(code)));
  const t0 = Date.now();
  while (!ready.test(p.stdout)) {
    if (Date.now() - t0 > 15000) throw new Error(`${args.join(" ")} did not start: ${p.stdout}${p.stderr}`);
    if (child.exitCode !== null) throw new Error(`${args.join(" ")} exited: ${p.stdout}${p.stderr}`);
    await sleep(20);
  }
  p.port = Number(/listening on (\d+)/.exec(p.stdout)?.[1]);
  return p;
}

/** The pid `ttng list -u` shows for the (only) registered app. */
async function registeredPid(home, timeoutMs = 8000) {
  const t0 = Date.now();
  for (;;) {
    const m = /PID: (\d+) - Name: node/.exec(home.ttng("list", "-u").stdout);
    if (m !== null) return Number(m[1]);
    if (Date.now() - t0 > timeoutMs) throw new Error("the server did not register");
    await sleep(100);
  }
}

test("ttng trace records the unmodified example server's HTTP requests and console output", { skip }, async () => {
  const home = new Home();
  let traced = null;
  try {
    const out = join(home.dir, "trace");
    traced = await startProcess(
      process.execPath,
      [
        join(root, "packages/cli/dist/bin/ttng.js"),
        "trace",
        "-o",
        out,
        "-e",
        "node_http:*,node_console:*",
        "-t",
        "vpid",
        "-t",
        "$app.node:request_id",
        "--",
        process.execPath,
        server,
      ],
      home.env,
      /listening on \d+/,
    );
    const pid = await registeredPid(home);
    const paths = ["/hello", "/slow?ms=80", "/status/404", "/status/503", "/log", "/proxy"];
    const measured = request(home, traced.port, ...paths);
    assert.deepEqual(
      measured.map((m) => m.status),
      [200, 200, 404, 503, 200, 200],
    );
    process.kill(pid, "SIGTERM");
    assert.equal(await traced.exited, 0, traced.stderr);
    assert.match(traced.stdout, new RegExp(`Trace written to ${out}\n`));
    assert.match(traced.stdout, / {2}7 node_http:server_request_start\n/);

    const text = babeltrace(out);
    const events = parseEvents(text);
    // Every request the client made, with the server's view of it; /proxy's own http.get adds
    // a client request and the server request it makes (/status/202).
    const finishes = events.filter((e) => e.name === "node_http:server_response_finish");
    assert.deepEqual(
      finishes.map((e) => [e.fields.url, e.fields.status_code, e.fields.method]),
      [
        ["/hello", 200, "GET"],
        ["/slow?ms=80", 200, "GET"],
        ["/status/404", 404, "GET"],
        ["/status/503", 503, "GET"],
        ["/log", 200, "GET"],
        ["/status/202", 202, "GET"],
        ["/proxy", 200, "GET"],
      ],
    );
    for (const m of measured) {
      const f = finishes.find((e) => e.fields.url === m.path);
      const start = events.find((e) => e.name === "node_http:server_request_start" && e.fields.url === m.path);
      assert.equal(start.fields.request_id, f.fields.request_id, m.path);
      assert.equal(f.fields.vpid, pid);
      // The server's duration sits inside the client's (which adds its connect and the
      // response's trip), with slack for a loaded machine's scheduling.
      const serverMs = f.fields.duration_ns / 1e6;
      assert.ok(serverMs <= m.durationMs + 50, `${m.path}: server ${serverMs} ms, client ${m.durationMs} ms`);
    }
    const slow = finishes[1].fields.duration_ns / 1e6;
    assert.ok(slow >= 80 && slow <= measured[1].durationMs + 50, `/slow?ms=80 took ${slow} ms`);
    const proxyClient = events.filter((e) => e.name === "node_http:client_response_finish");
    assert.deepEqual(
      proxyClient.map((e) => [e.fields.host, e.fields.path, e.fields.status_code]),
      [["127.0.0.1", "/status/202", 202]],
    );

    // Console records with their LTTng log levels, their text, and the request they ran for.
    const logId = finishes[4].fields.request_id;
    const consoleEvents = events.filter((e) => e.name.startsWith("node_console:"));
    assert.deepEqual(
      consoleEvents.map((e) => [e.name, e.level, e.fields.logger_name, e.fields.msg.split("\n")[0]]),
      [
        ["node_console:log", "TRACE_INFO", "console", "log line 1"],
        ["node_console:info", "TRACE_INFO", "console", "info line"],
        ["node_console:debug", "TRACE_DEBUG", "console", "debug line"],
        ["node_console:warn", "TRACE_WARNING", "console", "warn line"],
        ["node_console:error", "TRACE_ERR", "console", "error line"],
        ["node_console:trace", "TRACE_DEBUG", "console", "Trace: trace line"],
        ["node_console:assert", "TRACE_ERR", "console", "Assertion failed: assert line"],
        ["node_console:count", "TRACE_DEBUG", "console", "requests: 1"],
      ],
    );
    for (const e of consoleEvents) assert.equal(e.fields.app_request_id, logId, e.name);

    // ttng's own reader prints what babeltrace2 prints.
    assert.equal(home.ok("view", "--fields=loglevel", out), text);
  } finally {
    if (traced !== null && traced.child.exitCode === null) traced.child.kill("SIGKILL");
    await home.cleanup();
  }
});

test(
  "a server started before the daemon is driven live with --node and -u rules, and outlives its daemon",
  { skip },
  async () => {
    const home = new Home();
    let app = null;
    try {
      // No daemon yet: the tracer waits for one (a check per second) and the app serves.
      app = await startProcess(
        process.execPath,
        [server],
        { ...home.env, NODE_OPTIONS: `--import ${register}` },
        /listening on \d+/,
      );
      assert.deepEqual(
        request(home, app.port, "/hello").map((m) => m.status),
        [200],
      );
      const out = join(home.dir, "live");
      assert.match(home.ok("create", "live", "-o", out), /Spawning a session daemon/);
      const pid = await registeredPid(home);
      assert.equal(pid, app.child.pid);
      assert.match(home.ok("list", "--node"), new RegExp(`PID: ${pid} - Name: node\n {6}- console\n`));
      assert.equal(
        home.ok("enable-event", "-u", "node_http:server_response_finish"),
        "ust event node_http:server_response_finish created in channel channel0\n",
      );
      assert.equal(
        home.ok("enable-event", "--node", "console", "--loglevel", "WARNING"),
        "node event console enabled\n",
      );
      const refused = home.ttng("enable-event", "--node", "console", "-x", "a");
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /Event name exclusions are not yet implemented for node events/);
      home.ok("start");
      assert.match(
        home.ok("list", "live"),
        /=== Domain: Node\.js ===\n\nEvents \(Logger name\):\n-+\n {4}- console \[enabled\] \(loglevel <= TRACE_WARNING\)\n/,
      );

      // Phase 1: both rules. Phase 2: --node disabled. Phase 3: -u disabled, a filtered rule on
      // status codes. Phase 4: the --node rule enabled again. /status/2NN marks each phase.
      request(home, app.port, "/status/201", "/log");
      assert.equal(
        home.ok("disable-event", "--node", "console"),
        "node console of type any disabled in channel channel0 for session live\n",
      );
      request(home, app.port, "/status/202", "/log");
      home.ok("disable-event", "-u", "node_http:server_response_finish");
      home.ok("enable-event", "-u", "node_http:*", "--filter", "status_code >= 500");
      request(home, app.port, "/status/203", "/status/500", "/log");
      assert.equal(
        home.ok("enable-event", "--node", "console", "--loglevel", "WARNING"),
        "node event console enabled\n",
      );
      request(home, app.port, "/status/204", "/log", "/status/501");
      home.ok("stop");

      const events = parseEvents(babeltrace(out));
      const seen = events.map((e) =>
        e.name.startsWith("node_console:") ? `${e.name} ${e.level}` : `${e.name} ${e.fields.url}`,
      );
      const consoleAtWarning = [
        "node_console:warn TRACE_WARNING",
        "node_console:error TRACE_ERR",
        "node_console:assert TRACE_ERR",
      ];
      assert.deepEqual(seen, [
        "node_http:server_response_finish /status/201",
        ...consoleAtWarning,
        "node_http:server_response_finish /log",
        "node_http:server_response_finish /status/202",
        "node_http:server_response_finish /log",
        "node_http:server_response_finish /status/500",
        ...consoleAtWarning,
        "node_http:server_response_finish /status/501",
      ]);
      assert.equal(home.ok("view", "--fields=loglevel", out), babeltrace(out));

      // The daemon dies: the app goes on serving, untraced.
      home.ok("start");
      const daemon = home.daemonPid();
      process.kill(daemon, "SIGKILL");
      await sleep(200);
      assert.deepEqual(
        request(home, app.port, "/hello", "/log", "/status/500", "/slow?ms=20").map((m) => m.status),
        [200, 200, 500, 200],
      );
      assert.equal(app.child.exitCode, null);
      app.child.kill("SIGTERM");
      assert.equal(await app.exited, 0, app.stderr);
      const reports = app.stderr.split("\n").filter((l) => l.startsWith("ttng:"));
      assert.deepEqual(reports, []);
      assert.doesNotMatch(app.stderr, /TypeError|RangeError|ERR_/);
    } finally {
      if (app !== null && app.child.exitCode === null) app.child.kill("SIGKILL");
      await home.cleanup();
    }
  },
);

test("an app that ends with process.exit() keeps the events of its open packets", { skip }, () => {
  const home = new Home();
  try {
    const out = join(home.dir, "exit");
    const code = `import { provider, startSession, u32 } from ${JSON.stringify(join(root, "packages/tracer/dist/bundle/index.js"))};
const ev = provider("exit_test").event("e", { fields: [u32("v")] });
await startSession({ output: ${JSON.stringify(out)}, events: [{ name: "exit_test:*" }] });
for (let i = 0; i < 10; i++) ev(i);
setTimeout(() => { ev(10); process.exit(3); }, 200);`;
    const r = home.run(process.execPath, ["--input-type=module", "-e", code]);
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.stderr, "");
    const values = parseEvents(babeltrace(out)).map((e) => e.fields.v);
    assert.deepEqual(values, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  } finally {
    void home.cleanup();
  }
});
