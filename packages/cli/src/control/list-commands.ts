/**
 * `list` and `status` (commands/list.c, status.c): every session; one
 * session with its domains, trackers, channels and rules (`-u`, `-c`
 * narrow it); `list -u [-f]` the tracepoints of registered applications.
 */
import type { SessionState, TracepointListing } from "@ttng/protocol";
import { has, last, type OptionSpec, type ParsedArgs } from "./args.js";
import { CMD_ERROR, CMD_SUCCESS, type CommandContext } from "./context.js";
import { replyMessage } from "./errors.js";
import { nodeLoggersText, sessionsText, sessionText, tracepointsText } from "./list-text.js";

export const LIST_OPTIONS: OptionSpec[] = [
  { long: "userspace", short: "u" },
  { long: "kernel", short: "k" },
  { long: "jul", short: "j" },
  { long: "log4j", short: "l" },
  { long: "python", short: "p" },
  { long: "node" },
  { long: "channel", short: "c", value: true },
  { long: "domain", short: "d" },
  { long: "fields", short: "f" },
  { long: "syscall", short: "S" },
];

async function listOne(ctx: CommandContext, name: string, p: ParsedArgs | null): Promise<number> {
  const all = await ctx.request({ op: "list-sessions" });
  if (!all.ok) {
    ctx.err(replyMessage(all));
    return CMD_ERROR;
  }
  const sessions = (all.result as { sessions: SessionState[] }).sessions;
  const s = sessions.find((x) => x.name === name);
  if (s === undefined) {
    if (sessions.length === 0) {
      // lttng prints the empty list, then fails on the session's rotation schedules.
      ctx.msg("Currently no available recording session");
      ctx.err("Failed to list session rotation schedules: Session name not found");
    } else ctx.err(`Session '${name}' not found`);
    return CMD_ERROR;
  }
  if (p !== null && has(p, "domain")) {
    ctx.msg(`Recording session ${s.name}: [${s.active ? "active" : "inactive"}${s.snapshot ? " snapshot" : ""}]`);
    const path = s.output.kind === "local" ? s.output.path : "";
    if (path !== "") ctx.msg(`    Trace output: ${path}\n`);
    ctx.msg("Domains:\n-------------");
    if (s.domains.length === 0) ctx.msg("  None");
    for (const d of s.domains) ctx.msg(`  - ${d.type === "ust" ? "UST global" : d.type}`);
    return CMD_SUCCESS;
  }
  const channel = p === null ? undefined : last(p, "channel");
  const domain = p !== null && has(p, "userspace") ? "ust" : p !== null && has(p, "node") ? "node" : undefined;
  const r = sessionText(s, {
    ...(domain === undefined ? {} : { domain }),
    ...(channel === undefined ? {} : { channel }),
  });
  ctx.raw(r.text);
  if (!r.channelFound) {
    ctx.err(`Channel ${channel} not found`);
    return CMD_ERROR;
  }
  return CMD_SUCCESS;
}

export async function list(ctx: CommandContext, p: ParsedArgs): Promise<number> {
  for (const d of ["kernel", "jul", "log4j", "python"]) {
    if (has(p, d)) {
      ctx.err(`Listing the ${d} domain is not built in ttng (user space, -u, only)`);
      return CMD_ERROR;
    }
  }
  if (has(p, "syscall")) {
    ctx.warn("--syscall will only work with the Kernel domain (-k)");
    return CMD_ERROR;
  }
  const name = p.positionals[0];
  if (p.positionals.length > 1) {
    ctx.err(`Unknown argument: ${p.positionals[1]}`);
    return CMD_ERROR;
  }
  if (name !== undefined) return listOne(ctx, name, p);
  if (has(p, "userspace")) {
    const r = await ctx.request({ op: "list-tracepoints", domain: "ust", fields: has(p, "fields") });
    if (!r.ok) {
      ctx.err(`Unable to list UST ${has(p, "fields") ? "event fields" : "events"}: ${replyMessage(r)}`);
      return CMD_ERROR;
    }
    ctx.raw(tracepointsText((r.result as { apps: TracepointListing[] }).apps, has(p, "fields")));
    return CMD_SUCCESS;
  }
  if (has(p, "node")) {
    // The agent's loggers, from the tracepoints the registered apps declared.
    const r = await ctx.request({ op: "list-tracepoints", domain: "ust", fields: false });
    if (!r.ok) {
      ctx.err(`Unable to list node events: ${replyMessage(r)}`);
      return CMD_ERROR;
    }
    ctx.raw(nodeLoggersText((r.result as { apps: TracepointListing[] }).apps));
    return CMD_SUCCESS;
  }
  const r = await ctx.request({ op: "list-sessions" });
  if (!r.ok) {
    ctx.err(replyMessage(r));
    return CMD_ERROR;
  }
  ctx.raw(sessionsText((r.result as { sessions: SessionState[] }).sessions));
  return CMD_SUCCESS;
}

export async function status(ctx: CommandContext, p: ParsedArgs): Promise<number> {
  if (p.positionals.length > 0) {
    ctx.err("This command does not accept positional arguments.\n");
    return CMD_ERROR;
  }
  const name = ctx.currentSession();
  if (name === null) return CMD_ERROR;
  return listOne(ctx, name, null);
}
