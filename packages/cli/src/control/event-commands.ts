/**
 * `enable-event` and `disable-event` for user space (commands/
 * enable_events.c, disable_events.c): comma lists, `-a`, star globs,
 * `--exclude` (validated like lttng, with its warnings), `--loglevel` /
 * `--loglevel-only`, and `--filter` checked on the client with
 * `@ttng/filter` exactly as liblttng-ctl checks it (same diagnostics, same
 * "Invalid filter bytecode"). Messages and exit statuses are lttng's.
 */
import {
  FilterSyntaxError,
  FilterTypeError,
  parseFilterExpression,
  parseLogLevel,
  splitEventNames,
  splitExclusions,
  validateExclusions,
} from "@ttng/filter";
import { type ControlReply, lttngErrorValue } from "@ttng/protocol";
import { all, has, last, type OptionSpec, type ParsedArgs } from "./args.js";
import { CMD_ERROR, CMD_SUCCESS, CMD_UNSUPPORTED, CMD_WARNING, type CommandContext } from "./context.js";
import { DOMAIN_OPTIONS, domainOf } from "./domain.js";
import { replyMessage, replyValue } from "./errors.js";

export const ENABLE_EVENT_OPTIONS: OptionSpec[] = [
  ...DOMAIN_OPTIONS,
  { long: "session", short: "s", value: true },
  { long: "channel", short: "c", value: true },
  { long: "all", short: "a" },
  { long: "tracepoint" },
  { long: "syscall" },
  { long: "probe", value: true },
  { long: "function", value: true },
  { long: "userspace-probe", value: true },
  { long: "loglevel", value: true },
  { long: "loglevel-only", value: true },
  { long: "filter", short: "f", value: true },
  { long: "exclude", short: "x", value: true },
];

const DOMAINS = ["kernel", "userspace", "jul", "log4j", "python", "node"];

/** A filter refused on the client: lttng's diagnostics lines, then the error code LTTng returns. */
function checkFilter(ctx: CommandContext, filter: string): string | null {
  try {
    parseFilterExpression(filter);
    return null;
  } catch (e) {
    if (e instanceof FilterSyntaxError || e instanceof FilterTypeError) {
      for (const line of e.diagnostics) ctx.io.stderr(`${line}\n`);
      return e.lttngError === "Invalid parameter" ? "INVALID" : "FILTER_INVAL";
    }
    throw e;
  }
}

export async function enableEvent(ctx: CommandContext, p: ParsedArgs): Promise<number> {
  const domain = domainOf(ctx, p, DOMAINS);
  if (domain === null) return CMD_ERROR;
  for (const t of ["syscall", "probe", "function", "userspace-probe"]) {
    if (has(p, t)) {
      ctx.err(
        domain === "node" ? "Event type not supported for domain." : "Event type not available for user-space tracing",
      );
      return CMD_UNSUPPORTED;
    }
  }
  // lttng's checks for an agent domain (-j/-l/-p), for `--node`: no exclusions, tracepoints only.
  if (domain === "node" && has(p, "exclude")) {
    ctx.err("Event name exclusions are not yet implemented for node events");
    return CMD_ERROR;
  }
  const allEvents = has(p, "all");
  const list = p.positionals[0];
  if (!allEvents && list === undefined) {
    ctx.err("Missing event name(s).");
    return CMD_ERROR;
  }
  if (p.positionals.length > (allEvents ? 0 : 1)) {
    ctx.err(`Unknown argument: ${p.positionals[allEvents ? 0 : 1]}`);
    return CMD_ERROR;
  }
  const session = last(p, "session") ?? ctx.currentSession();
  if (session === null) return CMD_ERROR;
  const channel = last(p, "channel");
  const chName = channel ?? "channel0";
  const rawChName = channel ?? "<default>";
  // popt keeps the last of --loglevel / --loglevel-only.
  let levelText: string | undefined;
  let levelType: "range" | "single" = "range";
  for (const o of p.order) {
    if (o.long === "loglevel" || o.long === "loglevel-only") {
      levelText = o.value;
      levelType = o.long === "loglevel" ? "range" : "single";
    }
  }
  let logLevel = -1;
  if (levelText !== undefined) {
    try {
      logLevel = parseLogLevel(levelText);
    } catch {
      ctx.err(`Unknown loglevel ${levelText}`);
      return lttngErrorValue("INVALID");
    }
  }
  const filter = last(p, "filter") ?? null;
  const excludeTexts = all(p, "exclude");
  const exclusions = excludeTexts.length === 0 ? [] : splitExclusions(excludeTexts[excludeTexts.length - 1]!);
  const exclusionText = exclusions.length === 0 ? "" : ` excluding ${exclusions.map((x) => `"${x}"`).join(", ")}`;
  const typeWord = has(p, "tracepoint") ? "tracepoints" : "events";
  let warn = false;
  let error = false;
  let errorHolder = 0;

  const names = allEvents ? ["*"] : splitEventNames(list!);
  for (const name of names) {
    if (exclusions.length > 0) {
      try {
        for (const w of validateExclusions(name, exclusions)) ctx.io.stderr(`${w}\n`);
      } catch (e) {
        if (e instanceof FilterSyntaxError) for (const line of e.diagnostics) ctx.io.stderr(`${line}\n`);
        else throw e;
        return CMD_ERROR;
      }
    }
    const what = allEvents ? (filter === null ? "Events" : "All events") : `Event ${name}${exclusionText}`;
    let r: ControlReply;
    const filterCode = filter === null ? null : checkFilter(ctx, filter);
    if (filterCode !== null) r = { ok: false, code: filterCode, message: "" };
    else {
      r = await ctx.request({
        op: "enable-event",
        session,
        domain,
        ...(channel === undefined ? {} : { channel }),
        rule: {
          name,
          type: "tracepoint",
          logLevelType: levelText === undefined ? "all" : levelType,
          logLevel,
          filter,
          exclusions,
        },
      });
    }
    if (!r.ok) {
      const shownChannel = r.code === "NEED_CHANNEL_NAME" ? rawChName : chName;
      const msg =
        r.code === "TRACE_ALREADY_STARTED"
          ? "The command tried to enable an event in a new domain for a session that has already been started once."
          : replyMessage(r);
      const filterPart = filter === null ? "" : `, filter '${filter}'`;
      if (r.code === "FILTER_EXIST") {
        ctx.warn(
          `Filter on ${allEvents ? "all events" : `event ${name}${exclusionText}`} is already enabled (channel ${chName}, session ${session})`,
        );
        warn = true;
      } else {
        ctx.err(`${what}: ${msg} (channel ${shownChannel}, session ${session}${filterPart})`);
        error = true;
      }
      // lttng keeps the daemon's code as the exit status, except for `-a` without a filter.
      if (!allEvents || filter !== null) errorHolder = replyValue(r);
      continue;
    }
    if (filter !== null) {
      ctx.msg(
        allEvents
          ? `Filter '${filter}' successfully set`
          : `Event ${name}${exclusionText}: Filter '${filter}' successfully set`,
      );
    } else if (allEvents) {
      const lv = levelText === undefined ? "" : ` for loglevel ${levelText}`;
      ctx.msg(`All ${domain} ${typeWord}${exclusionText} are enabled in channel ${chName}${lv}`);
    } else if (domain === "node") ctx.msg(`node event ${name} enabled`);
    else ctx.msg(`ust event ${name}${exclusionText} created in channel ${chName}`);
  }
  if (errorHolder !== 0) return errorHolder;
  if (error) return CMD_ERROR;
  return warn ? CMD_WARNING : CMD_SUCCESS;
}

export const DISABLE_EVENT_OPTIONS: OptionSpec[] = [
  ...DOMAIN_OPTIONS,
  { long: "session", short: "s", value: true },
  { long: "channel", short: "c", value: true },
  { long: "all-events", short: "a" },
  { long: "tracepoint" },
  { long: "syscall" },
  { long: "probe" },
  { long: "function" },
];

export async function disableEvent(ctx: CommandContext, p: ParsedArgs): Promise<number> {
  const domain = domainOf(ctx, p, DOMAINS);
  if (domain === null) return CMD_ERROR;
  if (["tracepoint", "syscall", "probe", "function"].some((t) => has(p, t))) {
    ctx.err("Disabling userspace and agent (-j | -l | -p) event(s) based on instrumentation type is not supported.\n");
    return CMD_ERROR;
  }
  const allEvents = has(p, "all-events");
  const list = p.positionals[0];
  if (!allEvents && list === undefined) {
    ctx.err("Missing event name(s).\n");
    return CMD_ERROR;
  }
  const session = last(p, "session") ?? ctx.currentSession();
  if (session === null) return CMD_ERROR;
  const channel = last(p, "channel");
  const chName = channel ?? "channel0";
  const type = "any";
  if (allEvents) {
    const r = await ctx.request({
      op: "disable-event",
      session,
      domain,
      ...(channel === undefined ? {} : { channel }),
      name: null,
    });
    if (!r.ok) {
      ctx.err(replyMessage(r));
      return replyValue(r);
    }
    ctx.msg(`All ${domain} events of type ${type} are disabled in channel ${chName}`);
    return CMD_SUCCESS;
  }
  let ret = CMD_SUCCESS;
  for (const name of splitEventNames(list!)) {
    const r = await ctx.request({
      op: "disable-event",
      session,
      domain,
      ...(channel === undefined ? {} : { channel }),
      name,
    });
    if (!r.ok) {
      const shown = r.code === "NEED_CHANNEL_NAME" ? (channel ?? "<default>") : chName;
      ctx.err(`${name} of type ${type} : ${replyMessage(r)} (channel ${shown}, session ${session})`);
      ret = replyValue(r);
    } else ctx.msg(`${domain} ${name} of type ${type} disabled in channel ${chName} for session ${session}`);
  }
  return ret;
}
