// Fault tests for @ttng/tracer (issue 4, "Must show"): the traced program
// survives its tracer's failures, and what was written stays readable.
//  (a) the consumer worker is terminated mid-run, once it has written a packet
//      (tracer/fault-app.mjs catches the tracer's worker_threads Workers and
//      terminates them: the tracer has no kill hook of its own);
//  (b) the output directory is a 256 KiB tmpfs (a private mount namespace)
//      that the trace overflows;
//  (c) the traced process is killed with SIGKILL mid-run.
// In (a) and (b) the app prints every heartbeat and exits 0, and the failure
// is reported, but not once per event or packet. In every case babeltrace2
// reads the trace without error (exit 0) and prints events.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { root } from "./helpers.mjs";
import { findTraces } from "./tracer/ctf-size.mjs";
import { have, inPrivateNamespace, oracleUnavailable, shq, skipOrFail, tracerUnavailable } from "./tracer/harness.mjs";

const app = join(root, "tests/tracer/fault-app.mjs");
const HEARTBEATS = 12;
const tracerWhy = await tracerUnavailable();
const skipAll = skipOrFail((have("babeltrace2") ? undefined : "babeltrace2 not installed") ?? tracerWhy);

const dirs = [];
function scratch(tag) {
  const d = mkdtempSync(join(tmpdir(), `ttng-tracer-fault-${tag}-`));
  dirs.push(d);
  return d;
}
after(() => {
  if (process.env.TTNG_KEEP) console.log(`kept ${dirs.join(" ")}`);
  else for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function babeltrace(path) {
  const r = spawnSync("babeltrace2", [path], { encoding: "utf8", maxBuffer: 1 << 28 });
  return {
    status: r.status,
    events: r.stdout ? r.stdout.split("\n").filter((l) => l.length > 0).length : 0,
    stderr: r.stderr,
  };
}

function heartbeatsOf(stdout) {
  return stdout.split("\n").filter((l) => /^heartbeat \d+$/.test(l)).length;
}

/** The failure is reported (stderr), but not once per event or packet. */
function assertReportedOnce(stderr, what) {
  const lines = stderr.split("\n").filter((l) => l.trim().length > 0);
  assert.ok(lines.length > 0, `${what} is reported on stderr`);
  assert.ok(lines.length <= 3, `${what} is reported once, not ${lines.length} times:\n${stderr}`);
}

function assertReadable(output, minEvents = 1) {
  const traces = findTraces(output);
  assert.equal(traces.length, 1, `one trace under ${output}: ${traces}`);
  const r = babeltrace(output);
  assert.equal(r.status, 0, `babeltrace2 reads the trace: ${r.stderr}`);
  assert.ok(r.events >= minEvents, `babeltrace2 printed ${r.events} events`);
  return r;
}

test(
  "a terminated consumer worker: the app keeps running and exits 0; babeltrace2 reads the trace",
  { skip: skipAll },
  () => {
    assert.equal(tracerWhy, undefined, tracerWhy);
    const dir = scratch("consumer");
    const output = join(dir, "out");
    mkdirSync(output);
    const r = spawnSync(process.execPath, [app, output, "kill-consumer", String(HEARTBEATS)], {
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.notEqual(r.status, 3, `cannot kill the consumer: ${r.stdout}`);
    assert.notEqual(r.status, 5, `the consumer never wrote a packet: ${r.stdout}${r.stderr}`);
    const killedAt = Number(/consumer killed at heartbeat (\d+)/.exec(r.stdout)?.[1]);
    assert.ok(killedAt > 0, `the consumer was killed:\n${r.stdout}${r.stderr}`);
    assert.equal(heartbeatsOf(r.stdout), killedAt + HEARTBEATS, `every heartbeat printed:\n${r.stdout}${r.stderr}`);
    assert.equal(r.status, 0, `the app exits 0 (signal ${r.signal}):\n${r.stdout}${r.stderr}`);
    assertReportedOnce(r.stderr, "the dead consumer");
    assertReadable(output);
  },
);

test(
  "a full output disk (256 KiB tmpfs): the app keeps running and exits 0; babeltrace2 reads the trace",
  { skip: skipOrFail(oracleUnavailable(["babeltrace2"]) ?? tracerWhy) },
  () => {
    assert.equal(tracerWhy, undefined, tracerWhy);
    const dir = scratch("disk");
    const output = join(dir, "out");
    mkdirSync(output);
    const res = join(dir, "res");
    mkdirSync(res);
    // The tmpfs only exists inside the namespace: babeltrace2 reads it there.
    const r = inPrivateNamespace(
      dir,
      `mount -t tmpfs -o size=256k none ${shq(output)} || exit 93
${shq(process.execPath)} ${shq(app)} ${shq(output)} disk-full ${HEARTBEATS} >${shq(join(res, "app.out"))} 2>${shq(join(res, "app.err"))}
echo $? >${shq(join(res, "app.status"))}
df -k ${shq(output)} | tail -1 | awk '{print $4}' >${shq(join(res, "avail"))}
find ${shq(output)} -name metadata | wc -l >${shq(join(res, "traces"))}
babeltrace2 ${shq(output)} >${shq(join(res, "bt.out"))} 2>${shq(join(res, "bt.err"))}
echo $? >${shq(join(res, "bt.status"))}`,
      { sessiond: false, timeoutMs: 90_000 },
    );
    assert.equal(r.status, 0, `namespace script failed: ${r.stderr}`);
    const read = (f) => readFileSync(join(res, f), "utf8");
    const stdout = read("app.out");
    const stderr = read("app.err");
    assert.equal(heartbeatsOf(stdout), HEARTBEATS, `every heartbeat printed:\n${stdout}${stderr}`);
    assert.equal(read("app.status").trim(), "0", `the app exits 0:\n${stdout}${stderr}`);
    assert.ok(Number(read("avail")) < 64, `the trace filled the tmpfs (${read("avail").trim()} KiB left)`);
    assertReportedOnce(stderr, "the full disk");
    assert.equal(read("traces").trim(), "1", "one trace on the tmpfs");
    assert.equal(read("bt.status").trim(), "0", `babeltrace2 reads the trace: ${read("bt.err")}`);
    assert.ok(read("bt.out").length > 0, "babeltrace2 printed events");
  },
);

test("SIGKILL mid-run: babeltrace2 reads what was written", { skip: skipAll }, async () => {
  assert.equal(tracerWhy, undefined, tracerWhy);
  const dir = scratch("sigkill");
  const output = join(dir, "out");
  mkdirSync(output);
  const child = spawn(process.execPath, [app, output, "forever", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  // Kill once the app is well into its run and a data stream holds packets.
  const ready = () => {
    if (heartbeatsOf(stdout) < 8) return false;
    const traces = findTraces(output);
    if (traces.length !== 1) return false;
    const dataFiles = spawnSync("find", [traces[0], "-maxdepth", "1", "-type", "f", "!", "-name", "metadata"], {
      encoding: "utf8",
    })
      .stdout.split("\n")
      .filter(Boolean);
    return dataFiles.some((f) => statSync(f).size > 0);
  };
  await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the app never got ready to be killed:\n${stdout}${stderr}`)),
      30_000,
    );
    child.stdout.on("data", (d) => {
      stdout += d;
      if (ready()) {
        clearTimeout(timer);
        resolve();
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the app exited early (code ${code}, signal ${signal}):\n${stdout}${stderr}`));
    });
  }).catch((e) => {
    child.kill("SIGKILL");
    throw e;
  });
  child.kill("SIGKILL");
  const { signal } = await exited;
  assert.equal(signal, "SIGKILL");
  assertReadable(output);
});
