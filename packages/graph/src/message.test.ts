import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

test("a message keeps its hidden class when its cycle count gets past 2^31 (no deoptimization midway)", () => {
  // %HaveSameMap needs --allow-natives-syntax: checked in a child process. Had `csCycles` started
  // as a small integer, the first message given a larger count would deprecate the map of all.
  const message = new URL("./message.js", import.meta.url).href;
  const code = `
    const { Message, MessageKind } = await import(${JSON.stringify(message)});
    const stream = {};
    const clock = { frequency: 1e9, offsetSecNs: [0, 0] };
    const a = new Message(MessageKind.Event, stream);
    const b = new Message(MessageKind.Event, stream);
    const c = new Message(MessageKind.Event, stream);
    const same = [];
    same.push(b.setCycles(clock, 0, 7), %HaveSameMap(a, b));
    same.push(c.setCycles(clock, 5, 4294967295), %HaveSameMap(a, c));
    console.log(JSON.stringify([same, Number.isNaN(a.csCycles), b.csCycles, c.csCycles, c.cs.s, c.cs.ns]));`;
  const r = spawnSync(process.execPath, ["--allow-natives-syntax", "--input-type=module", "-e", code], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  const cycles = 5 * 4294967296 + 4294967295;
  assert.deepEqual(JSON.parse(r.stdout), [
    [true, true, true, true],
    true,
    7,
    cycles,
    Math.floor(cycles / 1e9),
    cycles % 1e9,
  ]);
});
