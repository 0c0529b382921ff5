/**
 * `track` and `untrack` (commands/track-untrack.c, LTTng 2.12's process
 * attribute trackers): `--vpid`, `--vuid`, `--vgid` with comma lists or
 * `-a/--all`, user and group names for the ID trackers, and lttng's
 * messages, including its warnings for values already (not) in the set.
 */
import { lttngErrorMessage } from "@ttng/protocol";
import { has, last, type OptionSpec, type ParsedArgs } from "./args.js";
import { CMD_ERROR, CMD_FATAL, CMD_SUCCESS, type CommandContext } from "./context.js";
import { domainOf } from "./domain.js";
import { replyMessage } from "./errors.js";

export const TRACK_OPTIONS: OptionSpec[] = [
  { long: "session", short: "s", value: true },
  { long: "kernel", short: "k" },
  { long: "userspace", short: "u" },
  { long: "pid", short: "p", optionalNext: true },
  { long: "vpid", optionalNext: true },
  { long: "uid", optionalNext: true },
  { long: "vuid", optionalNext: true },
  { long: "gid", optionalNext: true },
  { long: "vgid", optionalNext: true },
  { long: "all", short: "a" },
];

const ATTRS = {
  vpid: { cap: "Virtual process ID", lower: "virtual process ID", names: false },
  vuid: { cap: "Virtual user ID", lower: "virtual user ID", names: true },
  vgid: { cap: "Virtual group ID", lower: "virtual group ID", names: true },
} as const;

export async function trackUntrack(ctx: CommandContext, p: ParsedArgs, op: "track" | "untrack"): Promise<number> {
  const domain = domainOf(ctx, p, ["kernel", "userspace"]);
  if (domain === null) return CMD_ERROR;
  const cmds: Array<{ attr: "vpid" | "vuid" | "vgid"; values: string[] }> = [];
  for (const o of p.order) {
    if (o.long === "pid" || o.long === "uid" || o.long === "gid") {
      ctx.err(
        `The ${o.long === "pid" ? "process ID" : o.long === "uid" ? "user ID" : "group ID"} process attribute cannot be tracked in the user space domain.`,
      );
      return CMD_ERROR;
    }
    if (o.long !== "vpid" && o.long !== "vuid" && o.long !== "vgid") continue;
    let c = cmds.find((x) => x.attr === o.long);
    if (c === undefined) {
      c = { attr: o.long, values: [] };
      cmds.push(c);
    }
    if (o.value !== "") c.values.push(...o.value.split(",").filter((v) => v !== ""));
  }
  if (cmds.length === 0) {
    ctx.err("At least one process attribute must be specified");
    return CMD_ERROR;
  }
  const allFlag = has(p, "all");
  for (const c of cmds) {
    if (allFlag && c.values.length > 0) {
      ctx.err("The --all option cannot be used with a list of process attribute values");
      return CMD_ERROR;
    }
    if (!allFlag && c.values.length === 0) {
      ctx.err(`No process attribute value specified for ${ATTRS[c.attr].cap} tracker`);
      return CMD_ERROR;
    }
  }
  if (p.positionals.length > 0) {
    ctx.err(`Unknown argument: ${p.positionals[0]}`);
    return CMD_ERROR;
  }
  const session = last(p, "session") ?? ctx.currentSession();
  if (session === null) return CMD_ERROR;
  const exists = await ctx.request({ op: "get-session", session });
  if (!exists.ok) {
    // liblttng-ctl's tracker handle reports a missing session as SESSION_NOT_EXIST, anything else as UNK.
    ctx.err(lttngErrorMessage(exists.code === "SESS_NOT_FOUND" ? "SESSION_NOT_EXIST" : "UNK"));
    return CMD_ERROR;
  }
  let ret = CMD_SUCCESS;
  for (const c of cmds) {
    const info = ATTRS[c.attr];
    if (allFlag) {
      const r = await ctx.request({ op, session, domain, attr: c.attr, values: null });
      if (!r.ok) {
        ctx.err(replyMessage(r));
        ret = CMD_ERROR;
      } else ctx.msg(`${info.cap} tracking policy set to \`${op === "track" ? "include all" : "exclude all"}\``);
      continue;
    }
    for (const text of c.values) {
      const numeric = /^[0-9]+$/.test(text);
      if (!numeric && !info.names) {
        ctx.err(`${text} is not a valid ${info.lower} value; expected an integer`);
        return CMD_ERROR;
      }
      const value = numeric ? Number(text) : text;
      const shown = numeric ? text : `\`${text}\``;
      const r = await ctx.request({ op, session, domain, attr: c.attr, values: [value] });
      if (r.ok) {
        ctx.msg(
          op === "track"
            ? `Added ${text} to the ${info.lower} tracker inclusion set`
            : `Removed ${text} from the ${info.lower} tracker inclusion set`,
        );
      } else if (r.code === "PROCESS_ATTR_EXISTS") ctx.warn(`${shown} is already in the ${info.lower} inclusion set`);
      else if (r.code === "PROCESS_ATTR_MISSING") ctx.warn(`${shown} is not in the ${info.lower} the inclusion set`);
      else if (r.code === "USER_NOT_FOUND") {
        ctx.err(`User ${shown} was not found`);
        ret = CMD_ERROR;
      } else if (r.code === "GROUP_NOT_FOUND") {
        ctx.err(`Group ${shown} was not found`);
        ret = CMD_ERROR;
      } else {
        ctx.err(
          `Unknown error encountered while ${op === "track" ? "adding" : "removing"} ${info.lower} ${shown} ${op === "track" ? "to" : "from"} tracker's inclusion set`,
        );
        ret = CMD_FATAL;
      }
    }
  }
  return ret;
}
