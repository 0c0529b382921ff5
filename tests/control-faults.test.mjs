// Faults of the control plane, for real: the daemon killed with SIGKILL while an app traces,
// the daemon started after the app, the daemon restarted, garbage on the control socket. The
// app must run on unharmed (exit 0, nothing on stderr) and what was written must stay readable.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { haveTool, skipReason } from "./helpers.mjs";
import { babeltrace, countByName, Home, sleep } from "./lib/control.mjs";

const skip = haveTool("babeltrace2") ? false : skipReason("babeltrace2");

function tracePath(createOut) {
  const m = /Traces will be output to (\S+)/.exec(createOut);
  assert.ok(m, createOut);
  return m[1];
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("kill -9 of the daemon while an app traces: the app runs on, the trace stays readable", { skip }, async () => {
  const home = new Home();
  try {
    const path = tracePath(home.ok("create", "k9"));
    home.ok("enable-event", "-u", "-a");
    home.ok("start");
    const app = await home.app();
    await sleep(200);
    const pid = home.daemonPid();
    process.kill(pid, "SIGKILL");
    const before = app.stdout;
    await sleep(300);
    assert.equal(app.child.exitCode, null, "the app still runs");
    assert.equal(app.stdout, before);
    assert.equal(await app.finish(), 0);
    assert.equal(app.stderr, "");
    assert.match(app.stdout, /done \d+/);
    const c = countByName(babeltrace(path));
    assert.ok(c["ctlapp:a"] > 0 && c["ctlapp:a"] === c["ctlapp:b"], JSON.stringify(c));
    // The next command finds no daemon (stale files left by SIGKILL), and create starts a new one.
    const r = home.ttng("list");
    assert.equal(r.status, 1);
    assert.match(r.stderr, /No session daemon is available/);
    home.ok("create", "again");
    assert.ok(alive(home.daemonPid()) && home.daemonPid() !== pid);
  } finally {
    await home.cleanup();
  }
});

test("daemon started after the app, then restarted: the app registers each time and records", { skip }, async () => {
  const home = new Home();
  try {
    const app = await home.app();
    assert.equal(app.registration.linked, false);
    const p1 = tracePath(home.ok("create", "first"));
    home.ok("enable-event", "-u", "ctlapp:a");
    home.ok("start");
    await home.waitRegistered(app.pid);
    await sleep(100);
    home.ok("stop");
    assert.ok(countByName(babeltrace(p1))["ctlapp:a"] > 0);
    // Restart: SIGTERM (clean) then a new daemon; the app reconnects with backoff.
    const pid1 = home.daemonPid();
    process.kill(pid1, "SIGTERM");
    for (let i = 0; i < 100 && alive(pid1); i++) await sleep(20);
    assert.ok(!existsSync(join(home.dir, ".ttng", "ttng-sessiond.pid")), "clean shutdown removes the pid file");
    const p2 = tracePath(home.ok("create", "second"));
    home.ok("enable-event", "-u", "ctlapp:b");
    home.ok("start");
    await home.waitRegistered(app.pid);
    await sleep(100);
    home.ok("stop");
    home.ok("destroy", "-a");
    const c = countByName(babeltrace(p2));
    assert.ok(c["ctlapp:b"] > 0 && c["ctlapp:a"] === undefined, JSON.stringify(c));
    assert.equal(await app.finish(), 0);
    assert.equal(app.stderr, "");
  } finally {
    await home.cleanup();
  }
});

test("garbage on the control and app sockets: error replies, the daemon keeps serving others", async () => {
  const home = new Home();
  try {
    home.startDaemon();
    const talk = (sock, bytes) =>
      new Promise((resolve) => {
        const s = connect(join(home.dir, ".ttng", sock));
        let got = "";
        s.on("data", (d) => {
          got += d;
        });
        s.on("error", () => resolve(got));
        s.on("connect", () => {
          s.write(bytes);
          setTimeout(() => {
            s.destroy();
            resolve(got);
          }, 300);
        });
      });
    const reply = await talk("client-ttng-sessiond", Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x0a, 0x01, 0x02]));
    const first = JSON.parse(reply.split("\n")[0]);
    assert.equal(first.id, null);
    assert.equal(first.body.ok, false);
    assert.equal(first.body.code, "TTNG_PROTOCOL");
    const appReply = await talk("app-ttng-sessiond", '{"t":"sessions"}\nnot json\n');
    assert.match(appReply, /"t":"error"/);
    home.ok("create", "still-fine");
    assert.match(home.ok("list"), /still-fine/);
  } finally {
    await home.cleanup();
  }
});

test("a daemon answering garbage: ttng fails with a clear error, not a hang or a stack", async () => {
  const home = new Home();
  const { createServer } = await import("node:net");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(join(home.dir, ".ttng"), { recursive: true });
  const server = createServer((s) => s.on("data", () => s.write("%%% garbage %%%\n")));
  await new Promise((r) => server.listen(join(home.dir, ".ttng", "client-ttng-sessiond"), r));
  try {
    const out = await runAsync(home, ["list"]);
    assert.equal(out.status, 1);
    assert.match(out.stderr, /garbage/);
    assert.doesNotMatch(out.stderr, /at .*\.js:\d+/, "no JS stack");
  } finally {
    server.close();
    await home.cleanup();
  }
});

async function runAsync(home, args) {
  const { execFile } = await import("node:child_process");
  const { ttngBin } = await import("./helpers.mjs");
  return new Promise((resolve) => {
    execFile(process.execPath, [ttngBin, ...args], { env: home.env }, (err, stdout, stderr) =>
      resolve({ status: err ? err.code : 0, stdout, stderr }),
    );
  });
}

test("an app socket that never answers or answers garbage: the app's start-up wait is bounded, it runs unharmed", async () => {
  const home = new Home();
  const { createServer } = await import("node:net");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(join(home.dir, ".ttng"), { recursive: true });
  let mode = "silent";
  const server = createServer((s) => {
    s.on("error", () => {});
    if (mode === "garbage") s.write('\u0000\u0001garbage\n{"t":"sessions","seq":"x","sessions":7}\n[1,2]\n');
  });
  await new Promise((r) => server.listen(join(home.dir, ".ttng", "app-ttng-sessiond"), r));
  try {
    for (const m of ["silent", "garbage"]) {
      mode = m;
      const t0 = Date.now();
      const app = await home.app({ TTNG_UST_REGISTER_TIMEOUT: "300" });
      const startMs = Date.now() - t0;
      assert.equal(app.registration.recording, false);
      assert.equal(await app.finish(), 0);
      assert.equal(app.stderr, "", `${m}: nothing on stderr`);
      assert.ok(startMs < 3000, `${m}: started in ${startMs} ms`);
    }
  } finally {
    server.close();
    await home.cleanup();
  }
});
