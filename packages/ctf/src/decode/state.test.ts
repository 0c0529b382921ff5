import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

test("a decode state keeps its hidden class when a clock word, a bit count or a special field gets past 2^31 (no deoptimization midway)", () => {
  // %HaveSameMap needs --allow-natives-syntax: checked in a child process. A field V8 gave a
  // small-integer representation would change the map of the state that gets a larger word.
  const state = new URL("./state.js", import.meta.url).href;
  const code = `
    const { DecodeState } = await import(${JSON.stringify(state)});
    const a = new DecodeState();
    const b = new DecodeState();
    const words = ["clockHi", "clockLo", "eventClockHi", "eventClockLo", "hi", "lo", "tsBeginLo", "tsEndLo", "discardedEvents", "seqNum",
      "end", "fileOffsetBytes", "streamClassId", "dataStreamId", "packetSizeBits", "contentSizeBits", "tsBeginHi", "tsEndHi"];
    const same = [];
    for (const k of words) {
      // Untouched, a keeps the map it was made with: a deprecated one would differ from the map of b.
      b[k] = 4294967295;
      same.push(%HaveSameMap(a, b));
    }
    console.log(JSON.stringify([same, a.clockLo, b.clockLo, a.seqNum, a.end, a.tsEndHi]));`;
  const r = spawnSync(process.execPath, ["--allow-natives-syntax", "--input-type=module", "-e", code], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [new Array(18).fill(true), 0, 4294967295, -1, 0, -1]);
});
