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
import { LOG_LEVELS } from "../registry.js";
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
export const NODE_LOGGING_EVENTS = "node_console:*";

function usage(message: string): TtngError {
  return new TtngError("ERR_USAGE", message, { actor: "agent" });
}

/**
 * One `node` domain rule as the tracer's event rule.
 *
 * @example
 * nodeEventRule({ logger: "console", logLevel: "WARNING" });
 * // { name: "node_console:*", filter: 'logger_name == "console"', logLevel: "WARNING" }
 */
export function nodeEventRule(rule: NodeRule): EventRuleOptions {
  const logger = rule.logger;
  if (typeof logger !== "string" || logger === "") throw usage("A node domain rule needs a logger name (or -a)");
  // The filter language has no escape for a quote in a string literal (lttng-tools' lexer neither).
  if (/["\n\r\0]/.test(logger)) throw usage(`Invalid logger name ${JSON.stringify(logger)}`);
  const conditions: string[] = [];
  if (logger !== "*") conditions.push(`logger_name == "${logger}"`);
  if (rule.filter !== undefined && rule.filter !== "") conditions.push(`(${rule.filter})`);
  const out: EventRuleOptions = { name: NODE_LOGGING_EVENTS };
  if (conditions.length > 0) out.filter = conditions.join(" && ");
  if (rule.channel !== undefined) out.channel = rule.channel;
  if (rule.logLevel !== undefined) {
    const level =
      typeof rule.logLevel === "number"
        ? LOG_LEVELS[rule.logLevel]
        : LOG_LEVELS.find(
            (l) =>
              l ===
              String(rule.logLevel)
                .toUpperCase()
                .replace(/^TRACE_/, ""),
          );
    if (level === undefined) throw usage(`Unknown loglevel ${String(rule.logLevel)}`);
    out.logLevel = level;
    if (rule.logLevelOnly === true) out.logLevelOnly = true;
  } else if (rule.logLevelOnly === true) {
    throw usage("--loglevel-only needs --loglevel");
  }
  return out;
}

/**
 * A `node` domain rule as the daemon stores it (@ttng/protocol's EventRuleState: the name is the
 * logger pattern) as the tracer's event rule.
 */
export function nodeEventRuleFromState(state: {
  name: string;
  logLevelType: "all" | "range" | "single";
  logLevel: number;
  filter: string | null;
}): EventRuleOptions {
  const rule: NodeRule = { logger: state.name };
  if (state.logLevelType !== "all") {
    rule.logLevel = state.logLevel;
    if (state.logLevelType === "single") rule.logLevelOnly = true;
  }
  if (state.filter !== null) rule.filter = state.filter;
  return nodeEventRule(rule);
}
