/**
 * The `node` domain's recording event rules (`ttng enable-event --node LOGGER`), compiled into
 * rules on the agent's `node_console:*` events the way lttng-sessiond turns a `-j/-l/-p LOGGER`
 * rule into a user-space rule on `lttng_jul:*` with a `logger_name == "LOGGER"` filter. Where
 * LTTng's Java and Python agents carry the level in a payload field, the agent's console events
 * each have their LTTng log level, so `--loglevel` and `--loglevel-only` keep their user-space
 * meaning and need no filter. A logger name is a star-glob (`-a` / `*`: every logger), as in
 * LTTng; the rule's own `--filter` is ANDed with the logger condition.
 */
import { TtngError } from "@ttng/base";
import { type EventRuleState, NODE_AGENT_EVENTS, nodeRuleAsUst } from "@ttng/protocol";
import { LOG_LEVELS, type LogLevelName } from "../registry.js";
import type { EventRuleOptions } from "../session.js";

export interface NodeRule {
  /** Logger name pattern: `console` for the global console, `*` for every logger. */
  logger: string;
  /** `--loglevel NAME` (this level or more severe), LTTng's user-space level names or values. */
  logLevel?: string | number;
  /** `--loglevel-only`: exactly `logLevel`. */
  logLevelOnly?: boolean;
  filter?: string;
  channel?: string;
}

/** The agent's logging events (what a `node` domain rule applies to). */
export const NODE_LOGGING_EVENTS = NODE_AGENT_EVENTS;

function usage(message: string): TtngError {
  return new TtngError("ERR_USAGE", message, { actor: "agent" });
}

function levelValue(level: string | number): number {
  if (typeof level === "number") {
    if (Number.isInteger(level) && level >= 0 && level < LOG_LEVELS.length) return level;
    throw usage(`Unknown loglevel ${level}`);
  }
  const v = LOG_LEVELS.indexOf(
    String(level)
      .toUpperCase()
      .replace(/^TRACE_/, "") as LogLevelName,
  );
  if (v < 0) throw usage(`Unknown loglevel ${level}`);
  return v;
}

/**
 * A `node` domain rule as the daemon stores it (@ttng/protocol's EventRuleState: the name is the
 * logger pattern) as the tracer's event rule, through @ttng/protocol's `nodeRuleAsUst`, which
 * the daemon can use as well.
 */
export function nodeEventRuleFromState(
  state: Pick<EventRuleState, "name" | "logLevelType" | "logLevel" | "filter">,
  channel?: string,
): EventRuleOptions {
  const ust = nodeRuleAsUst({ ...state, type: "tracepoint", exclusions: [] });
  const out: EventRuleOptions = { name: ust.name };
  if (ust.filter !== null) out.filter = ust.filter;
  if (channel !== undefined) out.channel = channel;
  if (ust.logLevelType !== "all") {
    const level = LOG_LEVELS[ust.logLevel];
    if (level === undefined) throw usage(`Unknown loglevel ${ust.logLevel}`);
    out.logLevel = level;
    if (ust.logLevelType === "single") out.logLevelOnly = true;
  }
  return out;
}

/**
 * One `node` domain rule as the tracer's event rule (`enable-event --node LOGGER --loglevel L`).
 *
 * @example
 * nodeEventRule({ logger: "console", logLevel: "WARNING" });
 * // { name: "node_console:*", filter: 'logger_name == "console"', logLevel: "WARNING" }
 */
export function nodeEventRule(rule: NodeRule): EventRuleOptions {
  if (rule.logLevel === undefined && rule.logLevelOnly === true) throw usage("--loglevel-only needs --loglevel");
  const level = rule.logLevel === undefined ? -1 : levelValue(rule.logLevel);
  return nodeEventRuleFromState(
    {
      name: rule.logger,
      logLevelType: level < 0 ? "all" : rule.logLevelOnly === true ? "single" : "range",
      logLevel: level,
      filter: rule.filter === undefined || rule.filter === "" ? null : rule.filter,
    },
    rule.channel,
  );
}
