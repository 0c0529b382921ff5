// @ttng/tracer's event timestamps over seconds (tests/tracer/clock-app.mjs): ticks ~15 ms apart,
// pauses of 150 ms, and a multiple of 2^32 ns crossed by ticks less than 2^27 ns apart. The
// header rule is LTTng-UST's on 64-bit hosts: an event takes the extended header (full 64-bit
// timestamp, 8 bytes more) when it is the ring's first or 2^27 ns or more after the previous one;
// otherwise its compact 32-bit timestamp is rebuilt by the reader from the previous one, wrapping
// when needed. babeltrace2 and ttng's reader must both place every tick at the app's own clock
// reading, print the same, and the record bytes must count exactly the extended headers the rule
// gives.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { haveTool, root, skipReason, ttngBin } from "./helpers.mjs";
import { traceSizes } from "./tracer/ctf-size.mjs";

const dir = mkdtempSync(join(tmpdir(), "ttng-tracer-clock-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const T27 = 1n << 27n;
const T32 = 1n << 32n;
const LINE = /^\[(\d+)\] \(\+[?\d.]+\) \S+ ttng_clock:tick: \{ cpu_id = \d+ \}, \{ mono_ns = (\d+), pad = "x{200}" \}$/;
/** Bytes of a tick's record besides its header: u64, then "x" * 200 and its NUL. */
const PAYLOAD = 8 + 201;

let result;
/** [timestamp, the app's reading] of each tick, read by ttng with --clock-cycles. */
let got;
before(() => {
  const r = spawnSync(process.execPath, [join(root, "tests/tracer/clock-app.mjs"), join(dir, "out")], {
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  result = JSON.parse(r.stdout.trim().split("\n").at(-1));
  assert.deepEqual(result.errors, []);
  assert.equal(result.discardedEvents, 0);
  got = ticks(view(["--clock-cycles"]));
});

function view(args) {
  const r = spawnSync(process.execPath, [ttngBin, "view", ...args, result.path], {
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC" },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** [timestamp in cycles (ns), the app's reading] of each tick, from --clock-cycles output. */
function ticks(text) {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => {
      const m = LINE.exec(line);
      assert.ok(m, `unexpected line: ${line}`);
      return [BigInt(m[1]), BigInt(m[2])];
    });
}

test("every tick is read at the app's own clock reading, across 2^27 and 2^32 ns boundaries", () => {
  assert.ok(got.length >= 60, `${got.length} ticks`);
  for (const [ts, mono] of got) {
    const off = ts - mono;
    // The tracer reads its clock just after the app (a few µs); a misread compact timestamp is
    // 2^27 ns or more off.
    assert.ok(off > -1_000_000n && off < 50_000_000n, `tick at ${ts} ns, read by the app at ${mono}: ${off} ns`);
  }
  let wrap32 = 0;
  let cross27 = 0;
  let pauses = 0;
  for (let k = 1; k < got.length; k++) {
    const [a] = got[k - 1];
    const [b] = got[k];
    assert.ok(b >= a, "timestamps never go back");
    if (b - a >= T27) pauses++;
    else if (b / T32 !== a / T32) wrap32++;
    else if (b / T27 !== a / T27) cross27++;
  }
  assert.ok(wrap32 >= 1, "a compact timestamp wrapped its 32 bits");
  assert.ok(cross27 >= 1, "a compact timestamp crossed a multiple of 2^27 ns");
  assert.ok(pauses >= 3, `${pauses} pauses of 2^27 ns or more`);
});

test("the record bytes count one extended header per event 2^27 ns or more after the previous, and the first", () => {
  const sizes = traceSizes(result.path);
  assert.ok(Object.values(sizes.packetsByStream)[0].length >= 3, "several packets");
  let expected = 1;
  for (let k = 1; k < got.length; k++) if (got[k][0] - got[k - 1][0] >= T27) expected++;
  const extended = (sizes.eventBytes - got.length * (6 + PAYLOAD)) / 8;
  assert.equal(extended, expected);
});

test("babeltrace2 prints the ticks as ttng does (default and --clock-cycles)", (t) => {
  if (!haveTool("babeltrace2")) {
    t.skip(skipReason("babeltrace2"));
    return;
  }
  for (const args of [[], ["--clock-cycles"]]) {
    const bt = spawnSync("babeltrace2", [...args, result.path], {
      encoding: "utf8",
      env: { ...process.env, TZ: "UTC" },
    });
    assert.equal(bt.status, 0, bt.stderr);
    assert.equal(bt.stderr, "");
    assert.equal(view(args), bt.stdout);
  }
});
