/**
 * The `node` domain's recording event rules (issue 6: `ttng enable-event --node LOGGER`) as the
 * user-space rules an app records with, the way lttng-sessiond turns a `-j/-l/-p LOGGER` rule
 * into a rule on `lttng_jul:*` / `lttng_python:*` with a `logger_name == "LOGGER"` filter. Here
 * so that both sides can use it across the walls: the daemon when it pushes an app's rules
 * (AppSessionConfig has no domain per rule), the tracer's agent for in-process sessions. The
 * agent's console events each carry their LTTng log level, so `--loglevel`/`--loglevel-only`
 * stay log-level rules; only the logger name becomes a filter. See docs/agent.md.
 */
import { TtngError } from "@ttng/base";
import type { EventRuleState } from "./session.js";

/** The events a `node` domain rule applies to (the agent's console log records). */
export const NODE_AGENT_EVENTS = "node_console:*";

/**
 * A `node` domain rule (its `name` is a logger name pattern, `*` for every logger) as a
 * user-space rule on the agent's console events. Throws a TtngError (ERR_USAGE) for an empty
 * logger name or one the filter language cannot quote (`"`, a line break, NUL).
 *
 * @example
 * nodeRuleAsUst({ name: "console", type: "tracepoint", logLevelType: "range", logLevel: 4, filter: null, exclusions: [] })
 * // { name: "node_console:*", ..., logLevelType: "range", logLevel: 4, filter: 'logger_name == "console"' }
 */
export function nodeRuleAsUst<R extends Omit<EventRuleState, "enabled">>(rule: R): R {
  const logger = rule.name;
  if (typeof logger !== "string" || logger === "")
    throw new TtngError("ERR_USAGE", "A node domain rule needs a logger name (or -a)", { actor: "agent" });
  if (/["\n\r\0]/.test(logger))
    throw new TtngError("ERR_USAGE", `Invalid logger name ${JSON.stringify(logger)}`, { actor: "agent" });
  const conditions: string[] = [];
  if (logger !== "*") conditions.push(`logger_name == "${logger}"`);
  if (rule.filter !== null && rule.filter !== "") conditions.push(`(${rule.filter})`);
  return {
    ...rule,
    name: NODE_AGENT_EVENTS,
    filter: conditions.length === 0 ? null : conditions.join(" && "),
    exclusions: [],
  };
}
