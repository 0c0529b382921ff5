// Burst app for tests/tracer-modes.test.mjs: records `count` one-integer events (values 0..count-1)
// as fast as possible into one small channel of the given mode, then prints the stop result.
//   node tests/tracer/modes-app.mjs OUTPUT MODE COUNT [SUBBUF_SIZE] [NUM_SUBBUF]
import { provider, s32, startSession } from "@ttng/tracer";

const [output, mode, count, subbufSize, numSubbuf] = process.argv.slice(2);
const tick = provider("burst").event("tick", { fields: [s32("v")] });
const session = await startSession({
  output,
  channels: [
    {
      name: "c",
      mode,
      subbufSize: Number(subbufSize ?? 4096),
      numSubbuf: Number(numSubbuf ?? 2),
      blockingTimeoutUs: 20_000_000,
    },
  ],
});
const n = Number(count);
for (let i = 0; i < n; i++) tick(i);
process.stdout.write(`${JSON.stringify(await session.stop())}\n`);
