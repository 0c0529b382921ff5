#!/usr/bin/env node
// bench/agent/micro.mjs: the Node agent's own cost per HTTP server request, in-process, without
// sockets or a load generator (so without their noise): each "request" builds Node's real
// IncomingMessage and ServerResponse and publishes the two channels exactly as Node's http
// server does (`http.server.request.start`, then `http.server.response.finish`, each only when
// it has subscribers).
//   node bench/agent/micro.mjs [none|noop|tp|ttng] [N]
//   none  nothing subscribed: building the objects;
//   noop  an empty subscriber on both channels: what Node's channel messages themselves cost;
//   tp    the agent's two tracepoints called directly (event records only), no channels;
//   ttng  the agent recording node_http:* through the channels (what an app pays).
// Prints ns per request, main thread (from /proc, Linux) and all threads (process.cpuUsage:
// the consumer worker included), min and median of 7 rounds of N requests.
import dc from "node:diagnostics_channel";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const here = new URL(".", import.meta.url).pathname;
const dist = join(here, "../../packages/tracer/dist");
const mode = process.argv[2] ?? "ttng";
const N = Number(process.argv[3] ?? 300000);
if (!["none", "noop", "tp", "ttng"].includes(mode)) {
  console.error("usage: node bench/agent/micro.mjs [none|noop|tp|ttng] [N]");
  process.exit(2);
}
const { startSession } = await import(join(dist, "index.js"));
const { installAgent } = await import(join(dist, "agent/index.js"));
const events = await import(join(dist, "agent/events.js"));

if (mode === "ttng") installAgent();
if (mode === "noop") {
  dc.subscribe("http.server.request.start", () => {});
  dc.subscribe("http.server.response.finish", () => {});
}
const output = mkdtempSync(join(tmpdir(), "ttng-bench-micro-"));
const session =
  mode === "ttng" || mode === "tp"
    ? await startSession({
        output,
        events: [{ name: "node_http:*" }],
        // TTNG_BENCH_SUBBUF: bigger sub-buffers for runs under valgrind, where the consumer falls behind.
        channels: [{ name: "channel0", subbufSize: Number(process.env.TTNG_BENCH_SUBBUF ?? 262144), numSubbuf: 4 }],
      })
    : null;

const start = dc.channel("http.server.request.start");
const finish = dc.channel("http.server.response.finish");
const socket = new Socket();
const server = {};
function request(i) {
  const req = new IncomingMessage(socket);
  req.method = "GET";
  req.url = "/";
  const res = new ServerResponse(req);
  res.statusCode = 200;
  if (mode === "tp") {
    events.serverRequestStart(i, req.method, req.url);
    events.serverResponseFinish(i, req.method, req.url, res.statusCode, 1234);
    return;
  }
  if (start.hasSubscribers) start.publish({ request: req, response: res, socket, server });
  if (finish.hasSubscribers) finish.publish({ request: req, response: res, socket, server });
}

const mainNs = () => {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]);
  } catch {
    return Number.NaN;
  }
};
for (let i = 0; i < 50000; i++) request(i);
const main = [];
const all = [];
for (let round = 0; round < 7; round++) {
  const m0 = mainNs();
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) request(i);
  const c = process.cpuUsage(c0);
  main.push((mainNs() - m0) / N);
  all.push(((c.user + c.system) * 1000) / N);
}
const ns = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0].toFixed(0)}, median ${s[3].toFixed(0)}`;
};
console.log(`${mode}: ns per request: main thread ${ns(main)}; all threads ${ns(all)}`);
if (session !== null) {
  const r = await session.stop();
  console.log(`recorded ${r.recordedEvents} events, discarded ${r.discardedEvents}`);
}
rmSync(output, { recursive: true, force: true });
