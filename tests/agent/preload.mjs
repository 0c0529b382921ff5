// Test stand-in for `@ttng/tracer/register` (issue 5) until `ttng trace` can drive the agent:
// preloaded with `node --import`, it installs the Node agent and runs in-process sessions that
// the test (the parent, through the fork IPC channel) starts and stops while the app runs:
//   {cmd: "start", output, events?, contexts?, channels?}  ->  {started: path}
//   {cmd: "stop"}                                           ->  {stopped: StopResult, stats}
//   {cmd: "stats"}                                          ->  {stats}
//   {cmd: "garbage", channel}    publishes malformed messages on a diagnostics channel, as a
//                                 broken library or a weird request would   ->  {published: n}
// With TTNG_AGENT_TEST_FAULTS=1 it also registers `$app.*` contexts whose user code throws and
// plays an app with its own diagnostics channel subscriber that throws on every request (Node
// turns that into an uncaught exception whether the agent is there or not, so this app counts
// them in an `uncaughtException` handler: {cmd: "stats"} also answers {uncaught}).
// The app itself is not touched. The IPC channel is unref'd so it never keeps the app alive.
import dc from "node:diagnostics_channel";
import { startSession } from "@ttng/tracer";
import { installAgent, storeContexts } from "@ttng/tracer/agent";

const throwing = () => {
  throw new Error("user context callback failed");
};
const agent = installAgent(
  process.env.TTNG_AGENT_TEST_FAULTS === "1"
    ? { appContexts: { ...storeContexts({ getStore: throwing }, ["user"]), boom: throwing } }
    : {},
);
let uncaught = 0;
if (process.env.TTNG_AGENT_TEST_FAULTS === "1") {
  dc.subscribe("http.server.request.start", () => {
    throw new Error("the app's own subscriber failed");
  });
  process.on("uncaughtException", () => {
    uncaught++;
  });
}
const hostile = {
  get method() {
    throw new Error("hostile getter");
  },
  get url() {
    throw new Error("hostile getter");
  },
};
const garbage = [
  undefined,
  null,
  42,
  {},
  { request: hostile, response: hostile, socket: hostile, process: hostile, worker: hostile, server: hostile },
  { request: null, response: null },
  {
    socket: { once: throwing },
    process: { once: throwing },
    worker: { once: throwing },
    server: { address: throwing },
  },
];
let session = null;

if (process.send !== undefined) {
  process.channel?.unref();
  process.on("message", async (m) => {
    if (m === null || typeof m !== "object" || typeof m.cmd !== "string") return;
    if (m.cmd === "start") {
      session = await startSession({
        output: m.output,
        ...(m.events ? { events: m.events } : {}),
        ...(m.channels ? { channels: m.channels } : {}),
        contexts: m.contexts ?? ["vpid", "vtid", "procname"],
        appContexts: agent.appContexts(),
        logger: { warn: (msg) => process.send({ warn: msg }) },
      });
      process.send({ started: session.path });
    } else if (m.cmd === "stop") {
      const result = session === null ? null : await session.stop();
      session = null;
      process.send({ stopped: result, stats: agent.stats() });
    } else if (m.cmd === "garbage") {
      for (const g of garbage) dc.channel(m.channel).publish(g);
      process.send({ published: garbage.length });
    } else if (m.cmd === "stats") {
      process.send({ stats: agent.stats(), uncaught });
    }
  });
}
