/**
 * `installAgent()`: declares the agent's events and arms its hooks. Arming subscribes to
 * nothing: each group of events subscribes to its diagnostics channels (or wraps `console`)
 * when a session first enables one of them and unsubscribes when the last is disabled. What
 * `@ttng/tracer/register` (and so `ttng trace`) calls; an in-process session uses it as well.
 */
import { type AppContextFn, agentAppContexts, registerAppContexts } from "./contexts.js";
import { installConsole } from "./console.js";
import { installFetch } from "./fetch.js";
import { type AgentStats, agentStats } from "./guard.js";
import { installHttp } from "./http.js";
import { installNet } from "./net.js";
import { installProcesses } from "./processes.js";

export interface AgentOptions {
  /** More `$app.*` contexts (see `storeContexts`), on top of `request_id` and `caller`. */
  appContexts?: Readonly<Record<string, AppContextFn>>;
}

export interface AgentHandle {
  /** Every `$app.*` callback the agent offers: pass it as a session's `appContexts`. */
  appContexts(): Record<string, AppContextFn>;
  /** Errors swallowed so far and the channels subscribed to now. */
  stats(): AgentStats;
}

let installed = false;
const handle: AgentHandle = { appContexts: agentAppContexts, stats: agentStats };

/**
 * Installs the Node agent in this thread (idempotent). It never throws and never changes what
 * the app does; with no session enabling its events it is not subscribed to anything.
 *
 * @example
 * import { installAgent } from "@ttng/tracer/agent";
 * import { startSession } from "@ttng/tracer";
 * const agent = installAgent();
 * const session = await startSession({
 *   output: "/tmp/traces",
 *   events: [{ name: "node_http:*" }],
 *   contexts: ["$app.request_id"],
 *   appContexts: agent.appContexts(),
 * });
 */
export function installAgent(options: AgentOptions = {}): AgentHandle {
  if (options.appContexts !== undefined) registerAppContexts(options.appContexts);
  if (installed) return handle;
  installed = true;
  installHttp();
  installFetch();
  installNet();
  installProcesses();
  installConsole();
  return handle;
}
