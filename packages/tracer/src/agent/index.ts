/**
 * @ttng/tracer/agent: trace an unmodified Node.js app through Node's diagnostics channels and
 * `console` (LTTng's Java/Python agents' role). Public surface only; see docs/agent.md.
 *
 * ```ts
 * import { installAgent, storeContexts, nodeEventRule, agentStats } from "@ttng/tracer/agent";
 * const agent = installAgent({ appContexts: storeContexts(als, ["user"]) });
 * agent.appContexts();   // { request_id, caller, user } -> startSession({ appContexts })
 * nodeEventRule({ logger: "console", logLevel: "WARNING" });   // `enable-event --node console --loglevel WARNING`
 * ```
 */
export { callerLocation, consoleEvents } from "./console.js";
export {
  type AppContextFn,
  type AppContextValue,
  agentAppContexts,
  currentRequestId,
  registerAppContexts,
  storeContexts,
} from "./contexts.js";
export { type AgentStats, agentStats } from "./guard.js";
export { type AgentHandle, type AgentOptions, installAgent } from "./install.js";
export { NODE_LOGGING_EVENTS, type NodeRule, nodeEventRule, nodeEventRuleFromState } from "./node-rules.js";
