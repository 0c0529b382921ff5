// source.text.dmesg against babeltrace2 2.0.4's on generated dmesg files (same stdout, same exit
// status), real `dmesg` output, and the case babeltrace2 fails on: lines without timestamps mixed
// with timestamped ones (ttng gives them the previous line's time; see packages/plugin-text/src/node/dmesg.ts).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { haveTool, run, skipReason, ttng, ttngBin } from "./helpers.mjs";

const bt2 = haveTool("babeltrace2") ? false : skipReason("babeltrace2");
const dir = mkdtempSync(join(tmpdir(), "ttng-dmesg-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name, text) {
  const p = join(dir, name);
  writeFileSync(p, Buffer.from(text, "latin1"));
  return p;
}

const pad = (n) => String(n).padStart(5, " ");
const timestamped = [
  "[    0.000000] Linux version 6.1.0 (gcc 12) #1 SMP",
  "[    0.000000] Command line: BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet",
  "",
  "   \t  ",
  "[    0.004512] x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'",
  `[${pad(12)}.345678] usb 1-1: new high-speed USB device number 2 using xhci_hcd`,
  `[${pad(12)}.345678]no space after bracket, tab\there, quote "q" and backslash \\`,
  "[   13.5] short fraction (babeltrace2 reads it as 5 microseconds)",
  "[   14.000001] brackets ] inside [x] the message",
  "[   15.000000] crlf line\r",
  "[   16.000000] utf-8 \xc3\xa9 and a raw byte \xff and ctl \x01",
  "[20000000.123456] uptime above 2^53 ns (231 days)",
  "[2023-01-02 03:04:05.678] date-and-time form",
  "[2023-01-02 03:04:06.999] date-and-time form again",
].join("\n");
const untimestamped = [
  "Linux version 6.1.0",
  "",
  "  indented line",
  "[not a timestamp] x",
  "last line without newline",
].join("\n");

function bt2Run(args) {
  return run("babeltrace2", args);
}

const CASES = [
  ["only timestamped lines", () => [`path=${JSON.stringify(file("ts.txt", `${timestamped}\n`))}`]],
  ["only untimestamped lines", () => [`path=${JSON.stringify(file("nots.txt", untimestamped))}`]],
  [
    "no-extract-timestamp=yes",
    () => [`path=${JSON.stringify(file("ts2.txt", `${timestamped}\n`))},no-extract-timestamp=yes`],
  ],
  ["an empty file", () => [`path=${JSON.stringify(file("empty.txt", "\n\n"))}`]],
  ["a missing file", () => [`path=${JSON.stringify(join(dir, "missing.txt"))}`]],
  ["a directory", () => [`path=${JSON.stringify(dir)}`]],
  ["an unknown parameter", () => [`path=${JSON.stringify(file("ts3.txt", timestamped))},nope=1`]],
];

for (const [what, params] of CASES) {
  test(`dmesg source prints ${what} as babeltrace2 does`, { skip: bt2 }, () => {
    const p = params();
    const args = ["-c", "source.text.dmesg", "-p", p[0]];
    const want = bt2Run(args);
    const got = ttng(["view", ...args]);
    assert.equal(got.status, want.status, got.stderr);
    assert.equal(got.stdout, want.stdout);
  });
}

test("dmesg source prints clock options (cycles, seconds) as babeltrace2 does", { skip: bt2 }, () => {
  const p = `path=${JSON.stringify(file("ts4.txt", timestamped))}`;
  for (const extra of [["--clock-cycles"], ["--clock-seconds"], ["--no-delta", "--clock-date"]]) {
    const args = ["-c", "source.text.dmesg", "-p", p, ...extra];
    const want = bt2Run(args);
    const got = ttng(["view", ...args]);
    assert.equal(got.status, want.status, got.stderr);
    assert.equal(got.stdout, want.stdout);
  }
});

test("dmesg source reads standard input when `path` is absent, as babeltrace2 does", { skip: bt2 }, () => {
  const input = Buffer.from(`${timestamped}\n`, "latin1");
  const opts = { input, env: { ...process.env, TZ: "UTC" }, encoding: "latin1" };
  const want = spawnSync("babeltrace2", ["-c", "source.text.dmesg"], opts);
  const got = spawnSync(process.execPath, [ttngBin, "view", "-c", "source.text.dmesg"], opts);
  assert.equal(got.status, want.status, got.stderr);
  assert.equal(got.stdout, want.stdout);
  // The trace is named `STDIN`, as in babeltrace2 (sink.text.details shows it).
  const details = spawnSync(
    process.execPath,
    [ttngBin, "view", "-c", "source.text.dmesg", "-c", "sink.text.details"],
    opts,
  );
  assert.match(details.stdout, /Trace `STDIN`/);
});

test("dmesg source reads real `dmesg` output as babeltrace2 does", { skip: bt2 }, (t) => {
  const d = spawnSync("dmesg", [], { encoding: "latin1" });
  if (d.status !== 0 || d.stdout.length === 0) {
    t.skip("dmesg not readable here");
    return;
  }
  const args = ["-c", "source.text.dmesg", "-p", `path=${JSON.stringify(file("real.txt", d.stdout))}`];
  const want = bt2Run(args);
  const got = ttng(["view", ...args]);
  assert.equal(got.status, want.status, got.stderr);
  assert.equal(got.stdout, want.stdout);
  assert.ok(got.stdout.split("\n").length > 10);
});

test("dmesg lines without timestamps take the previous line's time (babeltrace2 2.0.4 fails)", () => {
  const p = file(
    "mixed.txt",
    ["[    5.000000] first", "continuation", "[    6.000000] second", "  more", "more"].join("\n"),
  );
  const args = ["-c", "source.text.dmesg", "-p", `path=${JSON.stringify(p)}`];
  const got = ttng(["view", ...args]);
  assert.equal(got.status, 0, got.stderr);
  assert.deepEqual(got.stdout.split("\n").slice(0, -1), [
    '[00:00:05.000000000] (+?.?????????) string: { str = "first" }',
    '[00:00:05.000000000] (+0.000000000) string: { str = "continuation" }',
    '[00:00:06.000000000] (+1.000000000) string: { str = "second" }',
    '[00:00:06.000000000] (+0.000000000) string: { str = "  more" }',
    '[00:00:06.000000000] (+0.000000000) string: { str = "more" }',
  ]);
  if (!bt2) assert.notEqual(bt2Run(args).status, 0, "babeltrace2 2.0.4 was expected to fail here");
});

test("dmesg lines before the first timestamp take its time (babeltrace2 drops every time)", () => {
  const p = file("mixed2.txt", ["no time yet", "[    7.250000] first with time", "after"].join("\n"));
  const got = ttng(["view", "-c", "source.text.dmesg", "-p", `path=${JSON.stringify(p)}`, "--no-delta"]);
  assert.equal(got.status, 0, got.stderr);
  assert.deepEqual(got.stdout.split("\n").slice(0, -1), [
    '[00:00:07.250000000] string: { str = "no time yet" }',
    '[00:00:07.250000000] string: { str = "first with time" }',
    '[00:00:07.250000000] string: { str = "after" }',
  ]);
});

test("dmesg source feeds sink.text.json (mixed lines keep non-decreasing times)", () => {
  const p = file("mixed3.txt", ["[    1.000000] a", "b", "[    2.000000] c"].join("\n"));
  const got = ttng(["view", "-c", "source.text.dmesg", "-p", `path=${JSON.stringify(p)}`, "-c", "sink.text.json"]);
  assert.equal(got.status, 0, got.stderr);
  const objs = got.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    objs.map((o) => [o.payload.str, o.timestamp.ns, o.trace]),
    [
      ["a", 1e9, "mixed3.txt"],
      ["b", 1e9, "mixed3.txt"],
      ["c", 2e9, "mixed3.txt"],
    ],
  );
});
