// The app of tests/tracer-timestamps.test.mjs: records ttng_clock:tick events carrying the app's
// own reading of CLOCK_MONOTONIC (process.hrtime.bigint(), taken just before the call) and a
// 200-character pad every ~15 ms, with pauses of 150 ms (more than 2^27 ns) now and then, until
// it has seen a multiple of 2^32 ns crossed between two ticks less than 2^27 ns apart (at most
// 12 s). Such a tick takes a compact header whose 32-bit timestamp wrapped; the pauses take
// extended headers.
//
// usage: node clock-app.mjs OUTPUT_DIR
// prints the session.stop() result as JSON on the last line.
import { pathToFileURL } from "node:url";

const tracerUrl = pathToFileURL(new URL("../../packages/tracer/dist/bundle/index.js", import.meta.url).pathname).href;
const { provider, string, u64, startSession } = await import(tracerUrl);

const tick = provider("ttng_clock").event("tick", { fields: [u64("mono_ns"), string("pad")] });
/** Fills several 4 KiB packets, so that packets begin with compact and extended headers alike. */
const PAD = "x".repeat(200);
const session = await startSession({
  output: process.argv[2],
  channels: [{ name: "c", subbufSize: 4096, numSubbuf: 8 }],
  events: [{ name: "ttng_clock:tick", channel: "c" }],
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const T27 = 1n << 27n;
const start = process.hrtime.bigint();
let last = -1n;
let wrapped = false;
for (let k = 0; !wrapped || k < 60; k++) {
  const now = process.hrtime.bigint();
  if (last >= 0n && now >> 32n !== last >> 32n && now - last < T27 - 20_000_000n) wrapped = true;
  tick(now, PAD);
  last = now;
  if (now - start > 12_000_000_000n) break;
  await sleep(k % 20 === 10 ? 150 : 15);
}
console.log(JSON.stringify(await session.stop()));
