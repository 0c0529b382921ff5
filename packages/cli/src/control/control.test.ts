import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { ControlReply, ControlRequest } from "@ttng/protocol";
import { parseArgs, UnknownOptionError } from "./args.js";
import { isControlCommand, runControlCommand } from "./dispatch.js";
import type { ControlConnection, ControlIO } from "./io.js";
import { tracepointsText } from "./list-text.js";
import { manualCommands, manualPage } from "./manual.js";
import { modelConnector } from "./model-client.js";
import { parseCount, parseSize, parseTimeUs } from "./units.js";

function io(home: string, connect: () => Promise<ControlConnection>) {
  const out = { stdout: "", stderr: "" };
  const value: ControlIO = {
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
    env: { HOME: home, PWD: home },
    connect,
  };
  return { io: value, out };
}

const noView = {
  viewTraces: async () => {
    throw new Error("unexpected view");
  },
};

test("parseArgs() follows popt: --opt=v, --opt v, -xv, bundled flags, --, optional values", () => {
  const p = parseArgs(
    ["-ua", "--session=s", "-cch", "x", "--vpid", "--vuid", "1,2", "--", "-z"],
    [
      { long: "userspace", short: "u" },
      { long: "all", short: "a" },
      { long: "session", short: "s", value: true },
      { long: "channel", short: "c", value: true },
      { long: "vpid", optionalNext: true },
      { long: "vuid", optionalNext: true },
    ],
  );
  assert.deepEqual(
    [...p.options],
    [
      ["userspace", [""]],
      ["all", [""]],
      ["session", ["s"]],
      ["channel", ["ch"]],
      ["vpid", [""]],
      ["vuid", ["1,2"]],
    ],
  );
  assert.deepEqual(p.positionals, ["x", "-z"]);
  assert.throws(() => parseArgs(["--nope"], []), UnknownOptionError);
});

test("parseSize()/parseTimeUs()/parseCount() accept and refuse what lttng does", () => {
  assert.equal(parseSize("4k"), 4096);
  assert.equal(parseSize("1M"), 1048576);
  assert.equal(parseSize("2G"), 2 * 1024 ** 3);
  assert.equal(parseSize("0x10"), 16);
  assert.equal(parseSize("010"), 8);
  assert.equal(parseSize("12x"), null);
  assert.equal(parseSize("-1"), null);
  assert.equal(parseTimeUs("100"), 100);
  assert.equal(parseTimeUs("100us"), 100);
  assert.equal(parseTimeUs("5ms"), 5000);
  assert.equal(parseTimeUs("2s"), 2_000_000);
  assert.equal(parseTimeUs("1m"), 60_000_000);
  assert.equal(parseTimeUs("1h"), 3_600_000_000);
  assert.equal(parseTimeUs("1x"), null);
  assert.equal(parseCount("3"), 3);
  assert.equal(parseCount("x3"), null);
});

test("manualPage() embeds a page for every control command", () => {
  for (const name of ["create", "destroy", "enable-event", "snapshot", "save", "load", "track", "view"]) {
    assert.ok(manualCommands().includes(name), name);
  }
  for (const name of manualCommands()) {
    const page = manualPage(name)!;
    assert.match(page, new RegExp(`^TTNG-${name.toUpperCase()}\\(1\\)`));
    assert.match(page, /\nSYNOPSIS\n/);
    assert.match(page, /\nOPTIONS\n/);
    assert.match(page, /\nEXIT STATUS\n/);
  }
  assert.equal(manualPage("nope"), undefined);
});

test("runControlCommand() prints the manual page for CMD --help and refuses unknown options with exit 2", async () => {
  const { connect } = modelConnector("/nonexistent");
  const a = io("/nonexistent", connect);
  assert.equal(await runControlCommand("enable-event", ["--help"], a.io, noView), 0);
  assert.equal(a.out.stdout, manualPage("enable-event"));
  const b = io("/nonexistent", connect);
  assert.equal(await runControlCommand("create", ["--bogus"], b.io, noView), 2);
  assert.equal(b.out.stderr, "Error: Unrecognized argument used with 'create' command\n");
  assert.ok(isControlCommand("snapshot"));
  assert.ok(!isControlCommand("convert"));
});

test("create/set-session/destroy keep the current session in $TTNG_HOME/.ttngrc", async () => {
  const home = mkdtempSync(join(tmpdir(), "ttng-ctl-"));
  try {
    const { connect } = modelConnector(home);
    const run = async (argv: string[]) => {
      const x = io(home, connect);
      const status = await runControlCommand(argv[0]!, argv.slice(1), x.io, noView);
      return { status, ...x.out };
    };
    assert.equal((await run(["create", "a"])).status, 0);
    assert.equal(readFileSync(join(home, ".ttngrc"), "utf8"), "session=a\n");
    assert.equal((await run(["create", "b"])).status, 0);
    assert.equal((await run(["set-session", "a"])).stdout, "Session set to a\n");
    assert.equal((await run(["enable-event", "-u", "x:y"])).stdout, "ust event x:y created in channel channel0\n");
    const st = await run(["status"]);
    assert.match(st.stdout, /^Recording session a: \[inactive\]/);
    assert.equal((await run(["destroy"])).stdout, "Session a destroyed\n");
    assert.ok(!existsSync(join(home, ".ttngrc")));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("view with a session name views the session's output; with a path, the trace", async () => {
  const home = mkdtempSync(join(tmpdir(), "ttng-ctl-"));
  try {
    const { connect } = modelConnector(home);
    const seen: string[][] = [];
    const hooks = {
      viewTraces: async (argv: readonly string[]) => {
        seen.push([...argv]);
        return 0;
      },
    };
    const x = io(home, connect);
    await runControlCommand("create", ["s", "-o", `${home}/out`], x.io, hooks);
    assert.equal(await runControlCommand("view", ["s"], x.io, hooks), 0);
    assert.equal(await runControlCommand("view", [], x.io, hooks), 0);
    assert.equal(await runControlCommand("view", [home], x.io, hooks), 0);
    assert.equal(await runControlCommand("view", ["--clock-gmt", "/some/trace"], x.io, hooks), 0);
    assert.deepEqual(seen, [[`${home}/out`], [`${home}/out`], [home], ["--clock-gmt", "/some/trace"]]);
    assert.equal(x.out.stdout.split(`Trace directory: ${home}/out\n\n`).length, 3);
    const y = io(home, connect);
    await runControlCommand("enable-event", ["-u", "-a"], y.io, hooks);
    await runControlCommand("start", [], y.io, hooks);
    assert.equal(await runControlCommand("view", ["s"], y.io, hooks), 1);
    assert.equal(y.out.stderr, "Warning: Session s is running. Please stop it before reading it.\n");
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("snapshot record and list -u print the daemon's results as lttng does", async () => {
  const replies: Partial<Record<ControlRequest["op"], ControlReply>> = {
    "get-session": { ok: true, result: { session: {} } } as ControlReply,
    "snapshot-record": { ok: true, result: { path: "/x/snap-1" } },
    "list-tracepoints": {
      ok: true,
      result: {
        apps: [
          {
            pid: 42,
            procname: "node",
            events: [{ name: "my_app:tick", logLevel: 13, fields: [{ name: "n", type: "integer", nowrite: false }] }],
          },
        ],
      },
    },
  };
  const conn: ControlConnection = { request: async (r) => replies[r.op]!, close() {} };
  const x = io("/h", async () => conn);
  assert.equal(await runControlCommand("snapshot", ["record", "-s", "sn", "/x/out"], x.io, noView), 0);
  assert.equal(x.out.stdout, "Snapshot recorded successfully for session sn\nSnapshot written at: /x/out\n");
  const y = io("/h", async () => conn);
  assert.equal(await runControlCommand("list", ["-u"], y.io, noView), 0);
  assert.equal(
    y.out.stdout,
    "UST events:\n-------------\n\nPID: 42 - Name: node\n      my_app:tick (loglevel: TRACE_DEBUG_LINE (13)) (type: tracepoint)\n\n",
  );
  assert.equal(tracepointsText([], false), "UST events:\n-------------\nNone\n\n");
});

test("stop and destroy wait for data with lttng's dots and report discarded events", async () => {
  let pending = 2;
  const session = {
    name: "s",
    active: false,
    snapshot: false,
    domains: [{ channels: [{ discardedEvents: 3, lostPackets: 0 }] }],
  };
  const conn: ControlConnection = {
    request: async (r) => {
      switch (r.op) {
        case "data-pending":
          return { ok: true, result: { pending: pending-- > 0 } };
        case "list-sessions":
          return { ok: true, result: { sessions: [session] } } as ControlReply;
        case "stop":
          return { ok: false, code: "TRACE_ALREADY_STOPPED", message: "" };
        default:
          return { ok: true, result: { session } } as ControlReply;
      }
    },
    close() {},
  };
  const x = io("/h", async () => conn);
  assert.equal(await runControlCommand("destroy", ["s"], x.io, noView), 0);
  assert.equal(x.out.stdout, "Destroying session s..\nSession s destroyed\n");
  pending = 1;
  const stopConn: ControlConnection = {
    ...conn,
    request: async (r) => (r.op === "stop" ? ({ ok: true, result: { session } } as ControlReply) : conn.request(r)),
  };
  const y = io("/h", async () => stopConn);
  assert.equal(await runControlCommand("stop", ["s"], y.io, noView), 0);
  assert.equal(
    y.out.stdout,
    "Waiting for data availability.\nWarning: 3 events were discarded, please refer to the documentation on channel configuration.\nTracing stopped for session s\n",
  );
});
