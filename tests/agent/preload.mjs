// Test stand-in for `@ttng/tracer/register` (issue 5) until `ttng trace` can drive the agent:
// preloaded with `node --import`, it installs the Node agent and runs in-process sessions that
// the test (the parent, through the fork IPC channel) starts and stops while the app runs:
//   {cmd: "start", output, events?, contexts?, channels?}  ->  {started: path}
//   {cmd: "stop"}                                           ->  {stopped: StopResult, stats}
//   {cmd: "stats"}                                          ->  {stats}
// The app itself is not touched. The IPC channel is unref'd so it never keeps the app alive.
import { startSession } from "../../packages/tracer/dist/index.js";
import { installAgent } from "../../packages/tracer/dist/agent/index.js";

const agent = installAgent();
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
    } else if (m.cmd === "stats") {
      process.send({ stats: agent.stats() });
    }
  });
}
