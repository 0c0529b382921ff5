import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { ControlReply, ControlRequest, SessionState } from "@ttng/protocol";
import { type SessionChange, SessionModel } from "./session-model.js";
import { sessionsFromXml, sessionToXml } from "./session-xml.js";

const caller = { uid: 1000, gid: 1000, pid: 42 };
// 2026-11-26 09:53:04 UTC
const T0 = Date.UTC(2026, 10, 26, 9, 53, 4);

function model(home = "/home/u") {
  process.env.TZ = "UTC";
  return new SessionModel({ home, now: () => T0 });
}

const create = (name?: string, extra: Partial<Extract<ControlRequest, { op: "create-session" }>> = {}) =>
  ({
    op: "create-session",
    ...(name === undefined ? {} : { name }),
    output: { kind: "default" },
    snapshot: false,
    liveTimerUs: 0,
    traceFormat: "ctf-1.8",
    shmPath: null,
    ...extra,
  }) as ControlRequest;

function okSession(r: ControlReply): SessionState {
  assert.ok(r.ok, r.ok ? "" : `${r.code}: ${r.message}`);
  return (r.result as { session: SessionState }).session;
}

function code(r: ControlReply): string {
  assert.equal(r.ok, false);
  return r.ok ? "" : r.code;
}

const rule = (name: string, extra: Partial<Extract<ControlRequest, { op: "enable-event" }>["rule"]> = {}) => ({
  name,
  type: "tracepoint" as const,
  logLevelType: "all" as const,
  logLevel: -1,
  filter: null,
  exclusions: [],
  ...extra,
});

test("SessionModel.apply() create-session names automatic sessions and default outputs like LTTng", () => {
  const m = model();
  const auto = okSession(m.apply(create(), caller));
  assert.equal(auto.name, "auto-20261126-095304");
  assert.deepEqual(auto.output, { kind: "local", path: "/home/u/ttng-traces/auto-20261126-095304" });
  const s = okSession(m.apply(create("s1"), caller));
  assert.deepEqual(s.output, { kind: "local", path: "/home/u/ttng-traces/s1-20261126-095304" });
  assert.equal(code(m.apply(create("s1"), caller)), "EXIST_SESS");
  assert.equal(code(m.apply(create("a/b"), caller)), "INVALID");
  assert.equal(code(m.apply(create("auto"), caller)), "INVALID");
  const snap = okSession(m.apply(create("sn", { snapshot: true }), caller));
  assert.deepEqual(snap.output, { kind: "none" });
  assert.equal(snap.snapshotOutputs[0]?.name, "snapshot-1");
  assert.equal(snap.snapshotOutputs[0]?.ctrlUrl, "/home/u/ttng-traces/sn-20261126-095304");
});

test("SessionModel.apply() start/stop/destroy follow LTTng's errors", () => {
  const m = model();
  okSession(m.apply(create("s"), caller));
  assert.equal(code(m.apply({ op: "start", session: "nope" }, caller)), "SESS_NOT_FOUND");
  assert.equal(code(m.apply({ op: "start", session: "s" }, caller)), "NO_CHANNEL");
  assert.equal(code(m.apply({ op: "stop", session: "s", noWait: false }, caller)), "TRACE_ALREADY_STOPPED");
  okSession(m.apply({ op: "enable-event", session: "s", domain: "ust", rule: rule("a:b") }, caller));
  assert.equal(okSession(m.apply({ op: "start", session: "s" }, caller)).active, true);
  assert.equal(code(m.apply({ op: "start", session: "s" }, caller)), "TRACE_ALREADY_STARTED");
  const stopped = okSession(m.apply({ op: "stop", session: "s", noWait: false }, caller));
  assert.equal(stopped.active, false);
  assert.equal(stopped.everStarted, true);
  okSession(m.apply({ op: "destroy-session", session: "s", noWait: false }, caller));
  assert.equal(code(m.apply({ op: "get-session", session: "s" }, caller)), "SESS_NOT_FOUND");
});

test("SessionModel.apply() enable-channel fills LTTng 2.13's user-space defaults and checks buffer types", () => {
  const m = model();
  okSession(m.apply(create("s"), caller));
  const s = okSession(
    m.apply({ op: "enable-channel", session: "s", domain: "ust", name: "c", attributes: {} }, caller),
  );
  assert.deepEqual(s.domains[0]?.channels[0]?.attributes, {
    overwrite: false,
    subbufSizeBytes: 524288,
    numSubbuf: 4,
    switchTimerUs: 0,
    readTimerUs: 0,
    monitorTimerUs: 1000000,
    liveTimerUs: 0,
    blockingTimeoutUs: 0,
    tracefileSizeBytes: 0,
    tracefileCount: 0,
    output: "mmap",
  });
  const ch = (name: string, extra: object = {}) =>
    m.apply({ op: "enable-channel", session: "s", domain: "ust", name, attributes: {}, ...extra }, caller);
  assert.equal(code(ch("c")), "UST_CHAN_EXIST");
  assert.equal(code(ch("d", { bufferType: "per-pid" })), "BUFFER_TYPE_MISMATCH");
  assert.equal(code(ch("d", { bufferType: "global" })), "BUFFER_NOT_SUPPORTED");
  assert.equal(code(ch(".d")), "INVALID_CHANNEL_NAME");
  assert.equal(code(ch("d", { attributes: { subbufSizeBytes: 3000 } })), "INVALID");
  okSession(m.apply({ op: "disable-channel", session: "s", domain: "ust", name: "c" }, caller));
  assert.equal(
    code(m.apply({ op: "disable-channel", session: "s", domain: "ust", name: "x" }, caller)),
    "UST_CHAN_NOT_FOUND",
  );
  // Re-enabling a disabled channel is allowed.
  assert.equal(okSession(ch("c")).domains[0]?.channels[0]?.enabled, true);
  okSession(m.apply(create("p"), caller));
  const p = okSession(
    m.apply(
      { op: "enable-channel", session: "p", domain: "ust", name: "c", attributes: {}, bufferType: "per-pid" },
      caller,
    ),
  );
  assert.equal(p.domains[0]?.channels[0]?.attributes.subbufSizeBytes, 16384);
  okSession(m.apply(create("sn", { snapshot: true }), caller));
  const sn = okSession(
    m.apply({ op: "enable-channel", session: "sn", domain: "ust", name: "c", attributes: {} }, caller),
  );
  assert.equal(sn.domains[0]?.channels[0]?.attributes.overwrite, true);
});

test("SessionModel.apply() enable-event creates channel0, refuses duplicates, checks filters and exclusions", () => {
  const m = model();
  okSession(m.apply(create("s"), caller));
  const ev = (r: ReturnType<typeof rule>, channel?: string) =>
    m.apply({ op: "enable-event", session: "s", domain: "ust", ...(channel ? { channel } : {}), rule: r }, caller);
  const s = okSession(ev(rule("a:b")));
  assert.equal(s.domains[0]?.channels[0]?.name, "channel0");
  assert.equal(code(ev(rule("a:b"))), "UST_EVENT_ENABLED");
  okSession(ev(rule("a:b", { logLevelType: "range", logLevel: 4 })));
  assert.equal(code(ev(rule("a:c", { filter: "a ==" }))), "FILTER_INVAL");
  assert.equal(code(ev(rule("a:c", { exclusions: ["x"] }))), "INVALID");
  okSession(ev(rule("a:*", { exclusions: ["a:x"], filter: "x > 1" })));
  okSession(m.apply({ op: "enable-channel", session: "s", domain: "ust", name: "c", attributes: {} }, caller));
  // Once a non-default channel exists, -c is required even though channel0 exists (has_non_default_channel).
  assert.equal(code(ev(rule("x:y"))), "NEED_CHANNEL_NAME");
  okSession(ev(rule("x:y"), "channel0"));
  okSession(m.apply(create("t"), caller));
  okSession(m.apply({ op: "enable-channel", session: "t", domain: "ust", name: "c", attributes: {} }, caller));
  assert.equal(
    code(m.apply({ op: "enable-event", session: "t", domain: "ust", rule: rule("x") }, caller)),
    "NEED_CHANNEL_NAME",
  );
  // Disable then re-enable the same rule.
  okSession(m.apply({ op: "disable-event", session: "s", domain: "ust", channel: "channel0", name: "a:b" }, caller));
  const again = okSession(ev(rule("a:b"), "channel0"));
  assert.equal(again.domains[0]?.channels[0]?.events[0]?.enabled, true);
  assert.equal(
    code(m.apply({ op: "disable-event", session: "s", domain: "ust", channel: "channel0", name: "zz" }, caller)),
    "UST_EVENT_NOT_FOUND",
  );
  const all = okSession(
    m.apply({ op: "disable-event", session: "s", domain: "ust", channel: "channel0", name: null }, caller),
  );
  assert.ok(all.domains[0]?.channels[0]?.events.every((e) => !e.enabled));
});

test("SessionModel.apply() add-context checks types, duplicates and started sessions", () => {
  const m = model();
  okSession(m.apply(create("s"), caller));
  const ctx = (type: string, channel?: string) =>
    m.apply({ op: "add-context", session: "s", domain: "ust", type, ...(channel ? { channel } : {}) }, caller);
  const s = okSession(ctx("vpid"));
  assert.deepEqual(s.domains[0]?.channels[0]?.contexts, [{ type: "vpid" }]);
  assert.equal(code(ctx("vpid")), "UST_CONTEXT_EXIST");
  assert.equal(code(ctx("pid")), "UST_CONTEXT_INVAL");
  okSession(ctx("perf:thread:cycles"));
  okSession(ctx("$app.myprov:myctx"));
  okSession(m.apply({ op: "enable-event", session: "s", domain: "ust", rule: rule("*") }, caller));
  okSession(m.apply({ op: "start", session: "s" }, caller));
  assert.equal(code(ctx("vtid")), "TRACE_ALREADY_STARTED");
});

test("SessionModel.apply() track/untrack keep LTTng's inclusion sets", () => {
  const m = model();
  okSession(m.apply(create("s"), caller));
  const tr = (op: "track" | "untrack", attr: "vpid" | "vuid" | "vgid", values: number[] | null) =>
    m.apply({ op, session: "s", domain: "ust", attr, values }, caller);
  let s = okSession(tr("track", "vpid", [12, 13]));
  assert.deepEqual(s.domains[0]?.trackers.vpid, { policy: "include-set", values: [12, 13] });
  assert.equal(code(tr("track", "vpid", [12])), "PROCESS_ATTR_EXISTS");
  assert.equal(code(tr("untrack", "vpid", [99])), "PROCESS_ATTR_MISSING");
  s = okSession(tr("untrack", "vgid", null));
  assert.deepEqual(s.domains[0]?.trackers.vgid, { policy: "include-set", values: [] });
  s = okSession(tr("track", "vpid", null));
  assert.deepEqual(s.domains[0]?.trackers.vpid, { policy: "all", values: [] });
});

test("SessionModel.apply() snapshot outputs: one per session, ids keep increasing", () => {
  const m = model();
  okSession(m.apply(create("sn", { snapshot: true }), caller));
  okSession(m.apply(create("plain"), caller));
  const add = (session: string) =>
    m.apply({ op: "snapshot-add-output", session, ctrlUrl: "/tmp/x", dataUrl: "/tmp/x", maxSizeBytes: 0 }, caller);
  assert.equal(code(add("plain")), "NOT_SNAPSHOT_SESSION");
  assert.equal(code(add("sn")), "SNAPSHOT_OUTPUT_EXIST");
  assert.equal(code(m.apply({ op: "snapshot-del-output", session: "sn", idOrName: "3" }, caller)), "INVALID");
  assert.ok(m.apply({ op: "snapshot-del-output", session: "sn", idOrName: "snapshot-1" }, caller).ok);
  const r = add("sn");
  assert.ok(r.ok);
  assert.deepEqual(r.ok && r.result, {
    output: { id: 2, name: "snapshot-2", ctrlUrl: "/tmp/x", dataUrl: "/tmp/x", maxSizeBytes: 0 },
  });
  const rec = m.checkSnapshotRecord({ op: "snapshot-record", session: "sn", maxSizeBytes: 0 }, 0);
  assert.equal(rec.ok ? "" : rec.code, "START_SESSION_ONCE");
});

test("SessionModel.onChange() reports created, changed and destroyed sessions", () => {
  const m = model();
  const seen: SessionChange[] = [];
  const off = m.onChange((c) => seen.push(c));
  okSession(m.apply(create("s"), caller));
  okSession(m.apply({ op: "enable-event", session: "s", domain: "ust", rule: rule("*") }, caller));
  m.apply({ op: "enable-event", session: "s", domain: "ust", rule: rule("*") }, caller); // refused: no change
  okSession(m.apply({ op: "destroy-session", session: "s", noWait: false }, caller));
  off();
  okSession(m.apply(create("t"), caller));
  assert.deepEqual(
    seen.map((c) => [c.kind, c.op, c.session.name]),
    [
      ["created", "create-session", "s"],
      ["changed", "enable-event", "s"],
      ["destroyed", "destroy-session", "s"],
    ],
  );
});

test("sessionToXml()/sessionsFromXml() round-trip channels, rules, contexts, trackers and outputs", () => {
  const m = model();
  okSession(m.apply(create("s", { output: { kind: "local", path: "/tmp/o" } }), caller));
  m.apply(
    {
      op: "enable-channel",
      session: "s",
      domain: "ust",
      name: "c",
      attributes: { overwrite: true },
      bufferType: "per-pid",
    },
    caller,
  );
  m.apply(
    {
      op: "enable-event",
      session: "s",
      domain: "ust",
      channel: "c",
      rule: rule("a:*", { exclusions: ["a:x"], filter: 'f < 3 && s == "<&>"', logLevelType: "single", logLevel: 6 }),
    },
    caller,
  );
  m.apply({ op: "add-context", session: "s", domain: "ust", channel: "c", type: "vtid" }, caller);
  m.apply({ op: "add-context", session: "s", domain: "ust", channel: "c", type: "$app.p:n" }, caller);
  m.apply({ op: "track", session: "s", domain: "ust", attr: "vuid", values: [0, 5] }, caller);
  const s = m.session("s")!;
  const xml = sessionToXml(s);
  assert.match(xml, /<filter>f &lt; 3 &amp;&amp; s == &quot;&lt;&amp;&gt;&quot;<\/filter>/);
  assert.match(xml, /<type>VTID<\/type>/);
  const [back] = sessionsFromXml(xml);
  assert.deepEqual({ ...back, id: s.id, createdAtMs: s.createdAtMs }, s);
});

test("SessionModel.apply() save/load write and read NAME.lttng files", () => {
  const home = mkdtempSync(join(tmpdir(), "ttng-model-"));
  try {
    const m = model(home);
    okSession(m.apply(create("s"), caller));
    m.apply({ op: "enable-event", session: "s", domain: "ust", rule: rule("a:b") }, caller);
    const saved = m.apply({ op: "save", session: "s", force: false }, caller);
    assert.ok(saved.ok);
    const path = join(home, ".ttng/sessions/s.lttng");
    assert.match(readFileSync(path, "utf8"), /<name>a:b<\/name>/);
    assert.equal(code(m.apply({ op: "save", session: "s", force: false }, caller)), "SAVE_FILE_EXIST");
    assert.equal(code(m.apply({ op: "load", session: "s", force: false }, caller)), "EXIST_SESS");
    const m2 = model(home);
    const loaded = m2.apply({ op: "load", session: null, force: false, overrideName: "t" }, caller);
    assert.ok(loaded.ok);
    assert.equal(m2.session("t")?.domains[0]?.channels[0]?.events[0]?.name, "a:b");
    assert.equal(code(m2.apply({ op: "load", session: "zz", force: false }, caller)), "LOAD_SESSION_NOENT");
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("SessionModel.apply() answers malformed requests with INVALID instead of throwing", () => {
  const m = model();
  const bad: unknown[] = [
    null,
    42,
    { op: "nope" },
    { op: "start" },
    { op: "enable-event", session: "s", domain: "ust", rule: null },
    { op: "enable-event", session: "s", domain: "ust", rule: { ...rule("a"), exclusions: [1] } },
    { op: "enable-channel", session: "s", domain: "ust", name: "c", attributes: { subbufSizeBytes: "big" } },
    { op: "track", session: "s", domain: "ust", attr: "vpid", values: [{}] },
    {
      op: "create-session",
      output: { kind: "local" },
      snapshot: false,
      liveTimerUs: 0,
      traceFormat: "ctf-1.8",
      shmPath: null,
    },
  ];
  for (const req of bad) {
    const r = m.apply(req as ControlRequest, caller);
    assert.equal(r.ok ? "" : r.code, "INVALID", JSON.stringify(req));
  }
});

test("SessionModel.apply() load refuses damaged session files with LOAD_INVALID_CONFIG, never an exception", () => {
  const home = mkdtempSync(join(tmpdir(), "ttng-model-"));
  try {
    const m = model(home);
    okSession(m.apply(create("s", { output: { kind: "local", path: "/tmp/o" } }), caller));
    m.apply(
      { op: "enable-event", session: "s", domain: "ust", rule: rule("a:*", { filter: "x == 1", exclusions: ["a:b"] }) },
      caller,
    );
    m.apply({ op: "add-context", session: "s", domain: "ust", type: "perf:thread:cycles" }, caller);
    const xml = sessionToXml(m.session("s")!);
    const path = join(home, "bad.lttng");
    // Every prefix of a valid file, and a few corruptions.
    const variants = [...Array.from({ length: 60 }, (_, i) => xml.slice(0, Math.floor((xml.length * i) / 60)))];
    variants.push(
      xml.replace("<name>a:*</name>", "<name></name>"),
      xml.replace("UST", "FOO"),
      "<sessions><session/></sessions>",
      "garbage",
    );
    for (const v of variants) {
      writeFileSync(path, v);
      const r = model(home).apply({ op: "load", session: null, inputPath: path, force: false }, caller);
      assert.equal(r.ok ? "" : r.code, "LOAD_INVALID_CONFIG", v.slice(-40));
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
