/**
 * `add-context` (commands/add_context.c): `-t TYPE` (repeatable), `--list`,
 * and lttng's two-stage checking: a type lttng does not know at all is
 * refused by the client ("Unknown context type", exit 3); a type it knows
 * but user space cannot record is refused by the session model (UST invalid
 * context).
 */
import { UST_PERF_COUNTERS } from "@ttng/sessiond";
import { all, has, last, type OptionSpec, type ParsedArgs } from "./args.js";
import { CMD_ERROR, CMD_FATAL, CMD_SUCCESS, CMD_WARNING, type CommandContext } from "./context.js";
import { DOMAIN_OPTIONS, domainOf } from "./domain.js";
import { replyMessage } from "./errors.js";

export const ADD_CONTEXT_OPTIONS: OptionSpec[] = [
  ...DOMAIN_OPTIONS,
  { long: "session", short: "s", value: true },
  { long: "channel", short: "c", value: true },
  { long: "type", short: "t", value: true },
  { long: "list" },
];

/** Every context type name lttng 2.13 knows, in the order `--list` prints them. */
const FIXED_TYPES = [
  "pid",
  "procname",
  "prio",
  "nice",
  "vpid",
  "tid",
  "pthread_id",
  "vtid",
  "ppid",
  "vppid",
  "hostname",
  "ip",
  "interruptible",
  "preemptible",
  "need_reschedule",
  "migratable",
  "callstack-kernel",
  "callstack-user",
  "cgroup_ns",
  "ipc_ns",
  "mnt_ns",
  "net_ns",
  "pid_ns",
  "time_ns",
  "user_ns",
  "uts_ns",
  "uid",
  "euid",
  "suid",
  "gid",
  "egid",
  "sgid",
  "vuid",
  "veuid",
  "vsuid",
  "vgid",
  "vegid",
  "vsgid",
];

export function contextTypeNames(): string[] {
  const perf = UST_PERF_COUNTERS;
  return [...FIXED_TYPES, ...perf.map((n) => `perf:cpu:${n}`), ...perf.map((n) => `perf:thread:${n}`)];
}

/** Whether lttng's client accepts the type name at all (before asking the daemon). */
function knownType(ctx: CommandContext, type: string): boolean {
  if (contextTypeNames().includes(type)) return true;
  if (/^perf:(cpu|thread):raw:r[0-9a-fA-F]+:[^:]+$/.test(type)) return true;
  if (type.startsWith("$app.") && type.length > 5) {
    // lttng looks for the ':' from the provider's second character on.
    const colon = type.indexOf(":", 6);
    if (colon < 0 || colon === 6) {
      ctx.err("Invalid application context provided: no provider or context name provided.");
      return false;
    }
    return true;
  }
  return false;
}

export async function addContext(ctx: CommandContext, p: ParsedArgs): Promise<number> {
  if (has(p, "list")) {
    ctx.io.stdout(`${contextTypeNames().join("\n")}\n`);
    return CMD_SUCCESS;
  }
  const types = all(p, "type");
  for (const t of types) {
    if (!knownType(ctx, t)) {
      ctx.err(`Unknown context type ${t}`);
      return CMD_FATAL;
    }
  }
  const domain = domainOf(ctx, p, ["kernel", "userspace", "jul", "log4j"]);
  if (domain === null) return CMD_ERROR;
  if (p.positionals.length > 0) {
    ctx.err(`Unknown argument: ${p.positionals[0]}`);
    return CMD_ERROR;
  }
  if (types.length === 0) {
    ctx.err("Missing mandatory -t TYPE");
    return CMD_ERROR;
  }
  const session = last(p, "session") ?? ctx.currentSession();
  if (session === null) return CMD_ERROR;
  const channel = last(p, "channel");
  let warn = false;
  for (const type of types) {
    const r = await ctx.request({
      op: "add-context",
      session,
      domain,
      ...(channel === undefined ? {} : { channel }),
      type,
    });
    if (!r.ok) {
      ctx.err(`${type}: ${replyMessage(r)}`);
      warn = true;
    } else if (channel !== undefined) ctx.msg(`ust context ${type} added to channel ${channel}`);
    else ctx.msg(`ust context ${type} added to all channels`);
  }
  return warn ? CMD_WARNING : CMD_SUCCESS;
}
