// @ttng/tracer with `traceFormat: "ctf-2"`: the same events recorded in CTF 2 and in CTF 1.8 read
// identically in ttng (`ttng view`, all names and fields); babeltrace2 2.0.4 reads the CTF 1.8
// recording the same (it cannot read CTF 2, so ttng's CTF 2 reader is the only oracle there).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { haveTool, root, skipReason, ttng, ttngBin } from "./helpers.mjs";

const dir = mkdtempSync(join(tmpdir(), "ttng-ctf2-tracer-"));
after(() => {
  if (!process.env.TTNG_KEEP) rmSync(dir, { recursive: true, force: true });
});
const bt = haveTool("babeltrace2");

function app(name, args) {
  const r = spawnSync(process.execPath, [join(root, "tests/tracer", name), ...args], {
    encoding: "utf8",
    timeout: 60000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "");
  return JSON.parse(r.stdout);
}

/** Pretty text without what differs between two recordings: times, the process ID, the creation date. */
function neutral(text, pid) {
  return text
    .replace(/timestamp = [^,]*, delta = [^,]*, /g, "")
    .replace(/^\[[^\]]*\] \([^)]*\) /gm, "")
    .replaceAll(pid, "PID")
    .replace(/\d{8}[-T]\d{6}(\+\d{4})?/g, "DATE");
}

const pidOf = (path) => /node-(\d+)-/.exec(path)[1];

test("metadata of a CTF 2 recording: packets of version 2.0 holding a JSON text sequence", () => {
  const r = app("ctf2-contexts-app.mjs", [join(dir, "meta"), "ctf-2"]);
  assert.deepEqual(r.errors, []);
  const md = readFileSync(join(r.path, "metadata"));
  assert.equal(md[37], 0x1e);
  const chunks = [];
  for (let at = 0; at < md.length; at += md.readUInt32LE(at + 28) / 8) {
    assert.equal(md.readUInt32LE(at), 0x75d11d57);
    assert.deepEqual([md[at + 35], md[at + 36]], [2, 0]);
    chunks.push(md.subarray(at + 37, at + md.readUInt32LE(at + 24) / 8));
  }
  const text = Buffer.concat(chunks).toString("utf8");
  const types = text
    .split("\x1e")
    .slice(1)
    .map((f) => JSON.parse(f).type);
  assert.deepEqual(types, ["preamble", "trace-class", "clock-class", "data-stream-class", "event-record-class"]);
});

test("every context kind, enumerations, floats, sequences, log levels: CTF 2 and CTF 1.8 recordings read the same", () => {
  const r2 = app("ctf2-contexts-app.mjs", [join(dir, "c2"), "ctf-2"]);
  const r1 = app("ctf2-contexts-app.mjs", [join(dir, "c1"), "ctf-1.8"]);
  assert.equal(r2.recordedEvents, 8);
  assert.equal(r1.recordedEvents, 8);
  const v2 = ttng(["view", "-n", "all", "-f", "all", r2.path]);
  const v1 = ttng(["view", "-n", "all", "-f", "all", r1.path]);
  assert.equal(v2.status, 0, v2.stderr);
  assert.equal(v1.status, 0, v1.stderr);
  assert.equal(v2.stdout.split("\n").length, 9);
  assert.match(v2.stdout, /loglevel = TRACE_WARNING \(4\)/);
  assert.match(v2.stdout, /app_kind = \{ "text" \}/);
  assert.equal(neutral(v2.stdout, pidOf(r2.path)), neutral(v1.stdout, pidOf(r1.path)));
  if (bt) {
    const b = spawnSync("babeltrace2", ["-n", "all", "-f", "all", r1.path], { encoding: "utf8" });
    assert.equal(b.status, 0, b.stderr);
    assert.equal(b.stdout, v1.stdout);
  }
});

const LINE = /^\[[^\]]*\] \([^)]*\) \S+ (\S+): \{ cpu_id = (\d+) \}(?:, (\{.*\}))?$/;
function perThread(text) {
  const out = {};
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const m = LINE.exec(line);
    assert.ok(m, `unexpected line: ${line}`);
    (out[m[2]] ??= []).push(`${m[1]}: ${m[3] ?? "{ }"}`);
  }
  return out;
}

test("random events of every field kind from three threads (tests/tracer/roundtrip-app.mjs): CTF 2 reads as emitted, as CTF 1.8 does", (t) => {
  const run = (format) => {
    const { result, expected } = app("roundtrip-app.mjs", ["2", join(dir, `rt-${format}`), "150", format]);
    assert.deepEqual(result.errors, []);
    assert.equal(result.discardedEvents, 0);
    return { result, expected };
  };
  const two = run("ctf-2");
  const one = run("ctf-1.8");
  assert.deepEqual(two.expected, one.expected, "same seed, same emitted values");
  const view = (path) =>
    spawnSync(process.execPath, [ttngBin, "view", path], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
  const v2 = view(two.result.path);
  const v1 = view(one.result.path);
  assert.equal(v2.status, 0, v2.stderr);
  assert.deepEqual(perThread(v2.stdout), two.expected);
  assert.deepEqual(perThread(v1.stdout), one.expected);
  if (!bt) {
    t.skip(skipReason("babeltrace2"));
    return;
  }
  const b = spawnSync("babeltrace2", [one.result.path], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
  assert.equal(b.status, 0, b.stderr);
  assert.equal(b.stdout, v1.stdout);
});

test("an unknown trace format is reported, and nothing is recorded", async () => {
  const { startSession } = await import("@ttng/tracer");
  const warnings = [];
  const s = await startSession({
    output: join(dir, "bad"),
    traceFormat: "ctf-3",
    logger: { warn: (m) => warnings.push(m) },
  });
  const r = await s.stop();
  assert.equal(r.path, "");
  assert.match(r.errors.join("\n"), /Unknown trace format "ctf-3"/);
  assert.equal(warnings.length, 1);
});

/** The metadata file's packets: all of version `v`, content starting with `first`. */
function checkMetadataPackets(file, v, first) {
  const md = readFileSync(file);
  assert.equal(md[37], first);
  for (let at = 0; at < md.length; at += md.readUInt32LE(at + 28) / 8) {
    assert.equal(md.readUInt32LE(at), 0x75d11d57);
    assert.deepEqual([md[at + 35], md[at + 36]], v);
  }
}

test("ttng create --trace-format=ctf-2 (per-UID and per-PID daemon sessions) records CTF 2; bad values refused", async () => {
  const { Home, filesUnder, sleep, countByName } = await import("./lib/control.mjs");
  const home = new Home();
  try {
    const bad = home.ttng("create", "x", "--trace-format=ctf-3");
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /Invalid trace format `ctf-3`/);
    for (const pid of [false, true]) {
      const out = home.ok("create", `f${pid ? "pid" : "uid"}`, "--trace-format=ctf-2");
      const path = /Traces will be (?:output|written) to (\S+)/.exec(out)[1];
      if (pid) home.ok("enable-channel", "-u", "--buffers-pid", "channel0");
      home.ok("enable-event", "-u", "ctlapp:*");
      home.ok("add-context", "-u", "-t", "vpid");
      home.ok("start");
      const app = await home.app();
      await home.waitRegistered(app.pid);
      await sleep(150);
      home.ok("stop");
      home.ok("destroy");
      assert.equal(await app.finish(), 0);
      const md = filesUnder(path).filter((f) => f.endsWith("/metadata"));
      assert.ok(md.length > 0, filesUnder(path).join(" "));
      for (const f of md) checkMetadataPackets(join(path, f), [2, 0], 0x1e);
      const text = home.ok("view", path);
      const counts = countByName(text);
      assert.ok(counts["ctlapp:a"] > 0, JSON.stringify(counts));
      assert.match(text, new RegExp(`vpid = ${app.pid}`));
    }
  } finally {
    await home.cleanup();
  }
});
