// Records 3000 events in blocking mode into a session whose channel splits its stream files
// (tracefileSizeBytes / tracefileCount from argv), then prints the stop result as JSON.
import { provider, startSession, string, u32 } from "@ttng/tracer";

const [out, size, count] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const ev = provider("tf").event("e", { fields: [u32("x"), string("s")] });
const s = await startSession({
  output: out,
  channels: [
    {
      name: "channel0",
      subbufSize: 4096,
      numSubbuf: 4,
      mode: "blocking",
      blockingTimeoutUs: Number.POSITIVE_INFINITY,
      tracefileSizeBytes: size,
      tracefileCount: count,
    },
  ],
  events: [{ name: "tf:*" }],
});
for (let i = 0; i < 3000; i++) ev(i, "some text to fill the packets");
const r = await s.stop();
console.log(
  JSON.stringify({ path: r.path, recorded: r.recordedEvents, discarded: r.discardedEvents, errors: r.errors }),
);
