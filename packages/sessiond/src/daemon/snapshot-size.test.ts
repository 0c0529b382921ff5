import assert from "node:assert/strict";
import { test } from "node:test";
import { packetsPerStream } from "./snapshot-size.js";

const four = (subbufSize: number) => ({ subbufSize, numSubbuf: 4 });

test("packetsPerStream: lttng-sessiond's split of -m among the streams", () => {
  // What lttng 2.13 did here with two 4 KiB x 4 streams: -m 1 and -m 4k refused, 8k one packet each.
  const two = [four(4096), four(4096)];
  assert.equal(packetsPerStream(two, 1), -1);
  assert.equal(packetsPerStream(two, 4096), -1);
  assert.equal(packetsPerStream(two, 8192), 1);
  assert.equal(packetsPerStream(two, 8192 * 2 - 1), 1);
  assert.equal(packetsPerStream(two, 8192 * 3), 3);
  // Beyond every stream's sub-buffer count: all of them.
  assert.equal(packetsPerStream(two, 100 * 1024), 4);
  assert.equal(packetsPerStream(two, 0), 0, "no size: everything");
  assert.equal(packetsPerStream([], 1), 0, "no stream: nothing to refuse");
  // Streams of different sizes: each added packet costs every stream still below its count.
  assert.equal(packetsPerStream([four(4096), { subbufSize: 8192, numSubbuf: 2 }], 2 * 12288 + 4096), 3);
  assert.equal(packetsPerStream([four(4096), four(8192)], 12287), -1);
});
