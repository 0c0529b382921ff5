import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { TtngError } from "@ttng/base";
import { decodeMetadataStream } from "@ttng/ctf";
import {
  array,
  enumeration,
  f32,
  f64,
  hex,
  network,
  nowrite,
  provider,
  s8,
  s32,
  s64,
  sequence,
  startSession,
  string,
  textArray,
  textSequence,
  tracef,
  tracelog,
  u8,
  u16,
  u32,
} from "./index.js";
import { CTL_BYTES, PACKET_PREFIX_BYTES, Ring, ringBytes, SESSION_CTL_BYTES } from "./ring.js";
import { baseHelpers, buildWriter, writerSource } from "./writer.js";

const dir = mkdtempSync(join(tmpdir(), "ttng-tracer-unit-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const haveBt = spawnSync("sh", ["-c", "command -v babeltrace2"]).status === 0;

/** False (and the test skipped) without babeltrace2 outside CI; in CI a missing oracle fails. */
function needBabeltrace(t: { skip(message: string): void }): boolean {
  if (haveBt) return true;
  if (process.env.CI === "true") throw new Error("babeltrace2 is required in CI but missing");
  t.skip("babeltrace2 not available");
  return false;
}

function throwsUsage(fn: () => unknown, re: RegExp) {
  assert.throws(fn, (e: unknown) => e instanceof TtngError && e.code === "ERR_USAGE" && re.test(e.message));
}

test("provider().event() rejects bad declarations with a TtngError when declared", () => {
  const p = provider("decl_errors");
  p.event("ok", { fields: [u32("a")] });
  throwsUsage(() => p.event("ok", { fields: [] }), /already declared/);
  throwsUsage(() => p.event("dup", { fields: [u32("a"), s32("a")] }), /duplicate field name a/);
  throwsUsage(() => p.event("unk", { fields: [{ kind: "weird", name: "x" } as never] }), /unknown field type/);
  throwsUsage(
    () => p.event("many", { fields: Array.from({ length: 128 }, (_, k) => u8(`f${k}`)) }),
    /too many fields \(128, at most 127\)/,
  );
  throwsUsage(() => p.event("lvl", { logLevel: "LOUD" as never, fields: [] }), /Unknown log level/);
  throwsUsage(() => p.event("bad name", { fields: [] }), /Invalid event name/);
  throwsUsage(() => provider("bad-provider"), /Invalid provider name/);
  throwsUsage(() => u32("not an identifier"), /Invalid field name/);
  throwsUsage(() => array("a", string as never, 2), /Invalid array\/sequence element/);
  throwsUsage(() => sequence("q", u8, { lengthType: "u7" as never }), /Unknown length type/);
  throwsUsage(() => enumeration("e", {}), /no mappings/);
  throwsUsage(() => hex(f64("x")), /integers only/);
  const tp = p.event("typed", { logLevel: "INFO", fields: [u32("status"), f64("ms"), string("path")] });
  assert.equal(tp.enabled, false);
  assert.equal(tp.eventName, "decl_errors:typed");
  assert.equal(tp.logLevel, 6);
  tp(200, 1.5, "/"); // disabled: does nothing
});

test("writerSource() holds numbers and fixed identifiers only, never user strings", () => {
  const fields = [
    u32("secret_status"),
    string("secret_path"),
    enumeration("secret_state", { '"); process.exit(1); //': 0, "label\\with`backtick${x}": [1, 3] }),
    textArray("secret_text", 4),
    sequence("secret_seq", hex(u16("")), { lengthType: "u8" }),
    network(s64("secret_net")),
    nowrite(u8("secret_hidden")),
  ];
  const src = writerSource({
    fields,
    id: 3,
    eventIndex: 7,
    contexts: [{ kind: "vpid" }, { kind: "app", name: "secret_ctx", ident: "app_1" }],
    hasFilter: true,
    debug: true,
  });
  assert.doesNotMatch(src, /secret|process\.exit|backtick|label/);
  // Every string literal in the generated source is a typeof tag or "use strict".
  for (const m of src.matchAll(/"([^"]*)"/g)) assert.match(m[1]!, /^(use strict|string|number|bigint|object)$/);
});

test("an event takes the extended header when 2^27 ns or more passed since the last, as LTTng-UST on 64-bit", () => {
  const cfg = {
    subbufSize: 4096,
    numSubbuf: 2,
    mode: "discard" as const,
    blockingTimeoutUs: 0,
    streamId: 0,
    instanceId: 0,
    cpuId: 0,
    uuid: new Uint8Array(16),
    wakeup: false,
  };
  const ring = new Ring(
    new SharedArrayBuffer(ringBytes(cfg.subbufSize, cfg.numSubbuf)),
    new Int32Array(new SharedArrayBuffer(SESSION_CTL_BYTES)),
    cfg,
  );
  let ms = 0;
  const T27 = 2 ** 27;
  const write = buildWriter(
    { fields: [], id: 1, eventIndex: 0, contexts: [], hasFilter: false, debug: false },
    {
      ring,
      perf: { now: () => ms },
      baseHi: 7,
      baseLo: 0,
      ctxValues: [],
      procname: new Uint8Array(17),
      appFns: [],
      helpers: { ...baseHelpers, warn() {}, fail() {} },
      filter: null,
    },
  );
  // Nanoseconds since the base (7 * 2^32). Crossing a multiple of 2^27, or of 2^32, a few ns after
  // the last event stays compact (6 bytes); the first event of the ring and a gap of 2^27 or more
  // take the extended header (14).
  const at = [T27 - 1, T27, 2 * T27, 2 * T27 + 5, 2 ** 32 - 2, 2 ** 32 + 2, 2 ** 32 + 2 + T27];
  const sizes: number[] = [];
  for (const ns of at) {
    ms = ns / 1e6;
    assert.equal(Math.floor(ms * 1e6), ns, "the fake clock gives whole nanoseconds");
    const before = ring.open ? ring.pos : CTL_BYTES + PACKET_PREFIX_BYTES;
    write();
    sizes.push(ring.pos - before);
  }
  assert.equal(ring.pktStart, CTL_BYTES, "one packet");
  assert.deepEqual(sizes, [14, 6, 14, 6, 14, 6, 14]);
  // A compact header holds the low 32 bits; an extended one the id and all 64.
  const dv = ring.dv;
  const first = CTL_BYTES + PACKET_PREFIX_BYTES;
  assert.equal(dv.getUint16(first, true), 0xffff);
  assert.equal(dv.getUint32(first + 2, true), 1);
  assert.equal(dv.getUint32(first + 6, true), T27 - 1);
  assert.equal(dv.getUint32(first + 10, true), 7);
  assert.equal(dv.getUint16(first + 14, true), 1);
  assert.equal(dv.getUint32(first + 16, true), T27);
});

test("wrong arguments never throw; they are coerced as documented, and debug reports them", async (t) => {
  const p = provider("coerce");
  const ev = p.event("all", {
    fields: [u32("u"), s64("big"), f32("f"), string("s"), array("a", s8, 2), sequence("q", u16), textSequence("t")],
  });
  const messages: string[] = [];
  const session = await startSession({
    output: join(dir, "coerce"),
    events: [{ name: "coerce:*" }],
    debug: true,
    logger: { warn: (m) => messages.push(m), debug: (m) => messages.push(`debug: ${m}`) },
  });
  assert.equal(ev.enabled, true);
  const hostile = {
    valueOf() {
      throw new Error("no");
    },
    toString() {
      throw new Error("no");
    },
  };
  const call = ev as unknown as (...a: unknown[]) => void;
  call("12", 5n, "1.5", null, [1, 2], undefined, 42);
  call(Symbol("x"), Symbol("y"), hostile, hostile, hostile, hostile, hostile);
  call(7n, -1, Number.NaN, undefined, null, { length: -3 }, undefined);
  call();
  const result = await session.stop();
  assert.deepEqual(result.errors, []);
  assert.ok(messages.some((m) => m.startsWith("debug: coerce:all: argument 0 (u) is string")));
  assert.equal(ev.enabled, false);
  if (!needBabeltrace(t)) return;
  const bt = spawnSync("babeltrace2", [result.path], { encoding: "utf8" });
  assert.equal(bt.status, 0, bt.stderr);
  const payloads = bt.stdout
    .trim()
    .split("\n")
    .map((l) => l.slice(l.indexOf("}, {") + 3));
  assert.deepEqual(payloads, [
    '{ u = 12, big = 5, f = 1.5, s = "(null)", a = [ [0] = 1, [1] = 2 ], _q_length = 0, q = [ ], _t_length = 2, t = "42" }',
    '{ u = 0, big = 0, f = 0, s = "", a = [ [0] = 0, [1] = 0 ], _q_length = 0, q = [ ], _t_length = 0, t = "" }',
    '{ u = 7, big = -1, f = nan, s = "(null)", a = [ [0] = 0, [1] = 0 ], _q_length = 0, q = [ ], _t_length = 6, t = "(null)" }',
    '{ u = 0, big = 0, f = nan, s = "(null)", a = [ [0] = 0, [1] = 0 ], _q_length = 0, q = [ ], _t_length = 6, t = "(null)" }',
  ]);
});

test("a bad configuration is reported once and records nothing; startSession never throws", async () => {
  const messages: string[] = [];
  const logger = { warn: (m: string) => messages.push(m) };
  const tp = provider("badcfg").event("e", { fields: [u32("v")] });
  const s1 = await startSession({
    output: join(dir, "bad"),
    channels: [{ name: "c", mode: "sideways" as never }],
    logger,
  });
  assert.equal(tp.enabled, false);
  const r1 = await s1.stop();
  assert.equal(r1.path, "");
  assert.match(r1.errors[0]!, /unknown mode sideways/);
  const s2 = await startSession({ output: join(dir, "bad2"), events: [{ name: "*", filter: "a +" }], logger });
  assert.match((await s2.stop()).errors[0]!, /syntax error/);
  const s3 = await startSession(undefined as never);
  assert.match((await s3.stop()).errors[0]!, /output/);
  assert.equal(messages.length, 2); // the third used the default logger (stderr)
  assert.match(messages[0]!, /^bad session configuration: .*; tracing stopped$/);
});

test("filters, log levels, exclusions and contexts select and decorate events as LTTng does", async (t) => {
  const p = provider("sel");
  const req = p.event("req", { logLevel: "INFO", fields: [u32("status"), string("path")] });
  const dbg = p.event("dbg", { logLevel: "DEBUG", fields: [u32("v")] });
  const noisy = p.event("noisy", { logLevel: "ERR", fields: [u32("v")] });
  const session = await startSession({
    output: join(dir, "sel"),
    events: [
      { name: "sel:*", filter: 'status >= 500 || path == "/api*"', logLevel: "INFO", exclude: ["sel:noisy"] },
      { name: "sel:req", filter: "$ctx.vpid == 0" },
    ],
    contexts: ["vpid", "procname", "$app.user"],
    appContexts: { user: () => "ada" },
  });
  // Rule 1 takes INFO or more severe (dbg is DEBUG), except sel:noisy; rule 2's filter is false.
  assert.equal(req.enabled, true);
  assert.equal(dbg.enabled, false);
  assert.equal(noisy.enabled, false);
  req(200, "/x");
  req(500, "/x");
  req(200, "/api/v1");
  dbg(1);
  noisy(1);
  tracef("hello %s", "world"); // not enabled by these rules
  const result = await session.stop();
  assert.equal(result.discardedEvents, 0);
  const meta = decodeMetadataStream(new Uint8Array(readFileSync(join(result.path, "metadata")))).text;
  assert.match(meta, /tracer_name = "ttng";/);
  assert.match(meta, /domain = "ust";/);
  assert.match(meta, /name = "sel:req";\n\tid = 0;\n\tstream_id = 0;\n\tloglevel = 6;/);
  assert.ok(existsSync(join(result.path, "index", "channel0_0.idx")));
  if (!needBabeltrace(t)) return;
  const bt = spawnSync("babeltrace2", [result.path], { encoding: "utf8" });
  assert.equal(bt.status, 0, bt.stderr);
  const lines = bt.stdout
    .trim()
    .split("\n")
    .map((l) => l.slice(l.indexOf(" sel:") + 1));
  const ctx = `{ vpid = ${process.pid}, procname = "${readFileSync("/proc/self/comm", "utf8").trim()}", app_user_tag = ( "_string" : container = 3 ), app_user = { "ada" } }`;
  assert.deepEqual(lines, [
    `sel:req: { cpu_id = 0 }, ${ctx}, { status = 500, path = "/x" }`,
    `sel:req: { cpu_id = 0 }, ${ctx}, { status = 200, path = "/api/v1" }`,
  ]);
});

test("tracef() and tracelog() record LTTng-UST's events with a msg text sequence", async (t) => {
  const session = await startSession({ output: join(dir, "tracef"), events: [{ name: "lttng_ust_trace*" }] });
  tracef("x=%d y=%s", 42, "é");
  tracelog("WARNING", "careful %d", 7);
  const result = await session.stop();
  if (!needBabeltrace(t)) return;
  const bt = spawnSync("babeltrace2", [result.path], { encoding: "utf8" });
  assert.equal(bt.status, 0, bt.stderr);
  const lines = bt.stdout.trim().split("\n");
  assert.match(lines[0]!, /lttng_ust_tracef:event: \{ cpu_id = 0 \}, \{ _msg_length = 9, msg = "x=42 y=é" \}$/);
  assert.match(
    lines[1]!,
    /lttng_ust_tracelog:LTTNG_UST_TRACEPOINT_LOGLEVEL_WARNING: \{ cpu_id = 0 \}, \{ line = \d+, file = ".*tracer\.test\.js", func = ".*", _msg_length = 9, msg = "careful 7" \}$/,
  );
});

test("the switch timer closes packets while the session runs; the read timer makes the consumer poll", async () => {
  const { statSync } = await import("node:fs");
  const tp = provider("timers").event("t", { fields: [u32("v")] });
  const session = await startSession({
    output: join(dir, "timers"),
    channels: [{ name: "ch", subbufSize: 65536, numSubbuf: 2, switchTimerUs: 20_000, readTimerUs: 10_000 }],
  });
  for (let i = 0; i < 10; i++) tp(i);
  const file = join(session.path, "ch_0");
  let size = 0;
  for (let k = 0; k < 100 && size === 0; k++) {
    await new Promise((r) => setTimeout(r, 10));
    size = existsSync(file) ? statSync(file).size : 0;
  }
  assert.equal(size, 4096, "one packet (10 events, rounded up to a page) before stop");
  const result = await session.stop();
  assert.equal(result.recordedEvents, 10);
  assert.equal(result.packets, 1);
});

test("an event declared while the session runs reaches the metadata file at once, not at the consumer's next poll", async () => {
  // Woken per packet (no read timer), the consumer polls only once a second; the metadata
  // message rings its doorbell. Four declarations, each given 400 ms: without the doorbell each
  // would wait for the poll (uniform over a second), and all four in time is about a 3 % chance.
  const session = await startSession({ output: join(dir, "late-meta"), events: [{ name: "late_meta:*" }] });
  const file = join(session.path, "metadata");
  const p = provider("late_meta");
  try {
    for (const name of ["a", "b", "c", "d"]) {
      await new Promise((r) => setTimeout(r, 150));
      const tp = p.event(name, { fields: [u32("v")] });
      assert.equal(tp.enabled, true);
      const t0 = Date.now();
      let seen = false;
      while (!seen && Date.now() - t0 < 400) {
        await new Promise((r) => setTimeout(r, 5));
        const text = existsSync(file) ? decodeMetadataStream(new Uint8Array(readFileSync(file))).text : "";
        seen = text.includes(`name = "late_meta:${name}";`);
      }
      assert.ok(seen, `late_meta:${name} not in the metadata file ${Date.now() - t0} ms after its declaration`);
    }
  } finally {
    await session.stop();
  }
});
test("an unwritable output is reported once; tracing stops and the app goes on", async () => {
  const messages: string[] = [];
  const tp = provider("unwritable").event("t", { fields: [u32("v")] });
  const session = await startSession({ output: "/etc/hostname/sub", logger: { warn: (m) => messages.push(m) } });
  for (let i = 0; i < 1000; i++) tp(i);
  for (let k = 0; k < 100 && tp.enabled; k++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(tp.enabled, false);
  for (let i = 0; i < 1000; i++) tp(i);
  const result = await session.stop();
  assert.equal(messages.length, 1);
  assert.match(messages[0]!, /^cannot write the trace \(ENOTDIR\): .*; tracing stopped$/);
  assert.match(result.errors[0]!, /ENOTDIR/);
});

test("sessions run one after the other; a second concurrent one records nothing", async (t) => {
  const tp = provider("again").event("t", { fields: [u32("v")] });
  const messages: string[] = [];
  const s1 = await startSession({ output: join(dir, "again1"), events: [{ name: "again:*" }] });
  const s2 = await startSession({ output: join(dir, "again2"), logger: { warn: (m) => messages.push(m) } });
  assert.match((await s2.stop()).errors[0]!, /already active/);
  tp(1);
  const r1 = await s1.stop();
  tp(2); // disabled between sessions
  const s3 = await startSession({ output: join(dir, "again3"), events: [{ name: "again:*" }] });
  tp(3);
  const r3 = await s3.stop();
  assert.equal(r1.recordedEvents, 1);
  assert.equal(r3.recordedEvents, 1);
  assert.notEqual(r1.path, r3.path);
  if (!needBabeltrace(t)) return;
  for (const [r, v] of [
    [r1, 1],
    [r3, 3],
  ] as const) {
    const bt = spawnSync("babeltrace2", [r.path], { encoding: "utf8" });
    assert.equal(bt.status, 0, bt.stderr);
    assert.match(bt.stdout, new RegExp(`again:t: \\{ cpu_id = 0 \\}, \\{ v = ${v} \\}\\n$`));
  }
});

test("eventId() gives one id per signature and channel, whichever thread asks first", async () => {
  const { eventId, eventIdsBytes, eventSignature } = await import("./event-ids.js");
  const table = new Int32Array(new SharedArrayBuffer(eventIdsBytes(2)));
  const a = eventSignature("p:a", 13, [u32("x")]);
  const b = eventSignature("p:a", 13, [s32("x")]);
  assert.deepEqual(eventId(table, 0, a), { id: 0, created: true });
  assert.deepEqual(eventId(table, 0, b), { id: 1, created: true });
  assert.deepEqual(eventId(table, 0, a), { id: 0, created: false });
  assert.deepEqual(eventId(table, 1, b), { id: 0, created: true });
  for (let k = 0; k < 5000; k++) eventId(table, 1, `sig ${k}`); // beyond the table: fresh ids, never a hang
  assert.equal(eventId(table, 1, b).created, false);
});
