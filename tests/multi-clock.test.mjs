// Multi-clock traces: one CTF 2 trace whose two data stream classes have different default clock
// classes (frequencies and offsets). Correlatable clocks (both Unix epoch, or one CTF 2 custom
// origin) are muxed in time order; clocks that cannot be correlated give an error naming both the
// stream's clock class and the reference one (the first stream's), unless
// `--clock-force-correlate` forces every origin to the Unix epoch.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ttng } from "./helpers.mjs";

const root = mkdtempSync(join(tmpdir(), "ttng-multi-clock-"));
after(() => rmSync(root, { recursive: true, force: true }));

const u = (length, extra = {}) => ({
  type: "fixed-length-unsigned-integer",
  length,
  "byte-order": "little-endian",
  alignment: 8,
  ...extra,
});

/** Writes a two-stream CTF 2 trace; `fastOrigin`/`slowOrigin` are clock class `origin` values. */
function writeTrace(name, fastOrigin, slowOrigin) {
  const dir = join(root, name);
  mkdirSync(dir);
  const clock = (id, frequency, offset, origin) => ({
    type: "clock-class",
    id,
    frequency,
    "offset-from-origin": offset,
    ...(origin === undefined ? {} : { origin }),
  });
  const dsc = (id, clockId) => ({
    type: "data-stream-class",
    id,
    "default-clock-class-id": clockId,
    "event-record-header-field-class": {
      type: "structure",
      "member-classes": [{ name: "ts", "field-class": u(64, { roles: ["default-clock-timestamp"] }) }],
    },
  });
  const erc = (scId, n) => ({
    type: "event-record-class",
    "data-stream-class-id": scId,
    name: n,
    "payload-field-class": { type: "structure", "member-classes": [{ name: "v", "field-class": u(32) }] },
  });
  const frags = [
    { type: "preamble", version: 2 },
    {
      type: "trace-class",
      "packet-header-field-class": {
        type: "structure",
        "member-classes": [{ name: "sc", "field-class": u(8, { roles: ["data-stream-class-id"] }) }],
      },
    },
    // 1 GHz, 100 s after its origin; 1 kHz, 99.5 s after its origin.
    clock("fast", 1e9, { seconds: 100, cycles: 0 }, fastOrigin),
    clock("slow", 1000, { seconds: 99, cycles: 500 }, slowOrigin),
    dsc(0, "fast"),
    dsc(1, "slow"),
    erc(0, "on_fast"),
    erc(1, "on_slow"),
  ];
  writeFileSync(join(dir, "metadata"), frags.map((f) => `\x1e${JSON.stringify(f)}\n`).join(""));
  const stream = (sc, events) => {
    const b = Buffer.alloc(1 + events.length * 12);
    b.writeUInt8(sc, 0);
    events.forEach(([ts, v], i) => {
      b.writeBigUInt64LE(BigInt(ts), 1 + i * 12);
      b.writeUInt32LE(v, 9 + i * 12);
    });
    return b;
  };
  // Fast: 100 s, 102 s, 104 s. Slow: 99.5 + 1.5 = 101 s, 103 s, 105 s.
  writeFileSync(
    join(dir, "fast"),
    stream(0, [
      [0, 1],
      [2e9, 3],
      [4e9, 5],
    ]),
  );
  writeFileSync(
    join(dir, "slow"),
    stream(1, [
      [1500, 2],
      [3500, 4],
      [5500, 6],
    ]),
  );
  return dir;
}

function values(stdout) {
  return [...stdout.matchAll(/^\[(\d+\.\d+)\].* (on_\w+): \{ v = (\d+) \}$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
}

const SORTED = [
  "100.000000000 on_fast 1",
  "101.000000000 on_slow 2",
  "102.000000000 on_fast 3",
  "103.000000000 on_slow 4",
  "104.000000000 on_fast 5",
  "105.000000000 on_slow 6",
];

test("two streams with different clock frequencies and offsets (Unix epoch) are muxed in time order", () => {
  const dir = writeTrace("epoch", "unix-epoch", "unix-epoch");
  const r = ttng(["view", "--clock-seconds", dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(values(r.stdout), SORTED);
});

test("two clock classes with the same CTF 2 custom origin are correlated", () => {
  const boot = { namespace: "example.org", name: "boot", uid: "b-1" };
  const dir = writeTrace("custom", boot, boot);
  const r = ttng(["view", "--clock-seconds", dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(values(r.stdout), SORTED);
});

for (const [name, fast, slow] of [
  ["epoch-unknown", "unix-epoch", undefined],
  ["custom-other", { name: "boot", uid: "b-1" }, { name: "boot", uid: "b-2" }],
  ["unknown-epoch", undefined, "unix-epoch"],
]) {
  test(`uncorrelatable clock classes (${name}) give an error naming both clocks`, () => {
    const dir = writeTrace(name, fast, slow);
    const r = ttng(["view", dir]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^ERROR: +\[filter\.utils\.muxer\]/m);
    assert.match(r.stderr, /clock-class-name="(fast|slow)", reference-clock-class-name="(slow|fast)"/);
    assert.doesNotMatch(r.stderr, /\n\s+at .*\.js:\d+/, "no JS stack");
    // Forcing every origin to the Unix epoch correlates them.
    const forced = ttng(["view", "--clock-seconds", "--clock-force-correlate", dir]);
    assert.equal(forced.status, 0, forced.stderr);
    assert.deepEqual(values(forced.stdout), SORTED);
  });
}

test("--reference-clock picks the reference clock class (muxer's reference-clock-class-name)", () => {
  const dir = writeTrace("epoch-ref", "unix-epoch", "unix-epoch");
  const r = ttng(["view", "--clock-seconds", "--reference-clock=slow", dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(values(r.stdout), SORTED);
  const args = ttng(["convert", "--reference-clock=slow", dir, "--run-args"]);
  assert.match(args.stdout, /filter\.utils\.muxer --params 'reference-clock-class-name="slow"'/);
  // With an uncorrelatable pair, the stream refused is the one whose clock is not the reference.
  const bad = writeTrace("epoch-unknown-ref", "unix-epoch", undefined);
  for (const [ref, other] of [
    ["slow", "fast"],
    ["fast", "slow"],
  ]) {
    const e = ttng(["view", `--reference-clock=${ref}`, bad]);
    assert.equal(e.status, 1, ref);
    assert.match(e.stderr, new RegExp(`clock-class-name="${other}", reference-clock-class-name="${ref}"`));
  }
  const none = ttng(["view", "--reference-clock=nope", dir]);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /No stream has a default clock class named `nope`/);
});
