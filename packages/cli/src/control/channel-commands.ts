/**
 * `enable-channel` and `disable-channel` (commands/enable_channels.c,
 * disable_channels.c): every user-space option of lttng 2.13, its parsing
 * (size and time suffixes, power-of-two rounding with lttng's warnings) and
 * its messages. Attributes not given are left to the session model, which
 * applies LTTng's defaults for the buffering scheme and session kind.
 */
import type { ChannelAttributes, ControlReply } from "@ttng/protocol";
import { all, has, last, type OptionSpec, type ParsedArgs } from "./args.js";
import { CMD_ERROR, CMD_SUCCESS, CMD_WARNING, type CommandContext } from "./context.js";
import { DOMAIN_OPTIONS, domainOf } from "./domain.js";
import { replyMessage } from "./errors.js";
import { nextPow2, parseCount, parseSize, parseTimeUs } from "./units.js";

export const ENABLE_CHANNEL_OPTIONS: OptionSpec[] = [
  ...DOMAIN_OPTIONS,
  { long: "session", short: "s", value: true },
  { long: "discard" },
  { long: "overwrite" },
  { long: "subbuf-size", value: true },
  { long: "num-subbuf", value: true },
  { long: "switch-timer", value: true },
  { long: "read-timer", value: true },
  { long: "monitor-timer", value: true },
  { long: "blocking-timeout", value: true },
  { long: "output", value: true },
  { long: "buffers-uid" },
  { long: "buffers-pid" },
  { long: "buffers-global" },
  { long: "tracefile-size", short: "C", value: true },
  { long: "tracefile-count", short: "W", value: true },
];

const UINT32_MAX = 0xffffffff;
const DEFAULT_UST_PID_SUBBUF = 16 * 1024;
const DEFAULT_UST_UID_SUBBUF = 512 * 1024;

/** Parses the attribute options in command-line order, printing lttng's warnings; null on error. */
function parseAttributes(ctx: CommandContext, p: ParsedArgs): Partial<ChannelAttributes> | null {
  const a: Partial<ChannelAttributes> = {};
  if (has(p, "discard")) a.overwrite = false;
  if (has(p, "overwrite")) a.overwrite = true;
  for (const v of all(p, "subbuf-size")) {
    const n = parseSize(v);
    if (n === null || n === 0) {
      ctx.err(`Wrong value in --subbuf-size parameter: ${v}`);
      return null;
    }
    const r = nextPow2(n);
    if (r !== n) ctx.warn(`The subbuf size (${n}) is rounded to the next power of 2 (${r})`);
    a.subbufSizeBytes = r;
  }
  for (const v of all(p, "num-subbuf")) {
    const n = parseCount(v);
    if (n === null || n === 0) {
      ctx.err(`Wrong value in --num-subbuf parameter: ${v}`);
      return null;
    }
    const r = nextPow2(n);
    if (r !== n) ctx.warn(`The number of subbuffers (${n}) is rounded to the next power of 2 (${r})`);
    a.numSubbuf = r;
  }
  const timers = [
    ["switch-timer", "switchTimerUs"],
    ["read-timer", "readTimerUs"],
  ] as const;
  for (const [opt, key] of timers) {
    for (const v of all(p, opt)) {
      const n = parseTimeUs(v);
      if (n === null) {
        ctx.err(`Wrong value for --${opt} parameter: ${v}`);
        return null;
      }
      if (n > UINT32_MAX) {
        ctx.err(`32-bit overflow in --${opt} parameter: ${v}`);
        return null;
      }
      a[key] = n;
    }
  }
  for (const v of all(p, "monitor-timer")) {
    const n = parseTimeUs(v);
    if (n === null) {
      ctx.err(`Wrong value for --monitor-timer parameter: ${v}`);
      return null;
    }
    a.monitorTimerUs = n;
  }
  for (const v of all(p, "blocking-timeout")) {
    if (v === "inf") {
      a.blockingTimeoutUs = -1;
      continue;
    }
    const n = parseTimeUs(v);
    if (n === null) {
      ctx.err(`Wrong value for --blocking-timeout parameter: ${v}`);
      return null;
    }
    // The tracer waits with poll(), whose timeout is an int of milliseconds.
    if (Math.floor(n / 1000) > 0x7fffffff) {
      ctx.err(`32-bit milliseconds overflow in --blocking-timeout parameter: ${v}`);
      return null;
    }
    a.blockingTimeoutUs = n;
  }
  for (const v of all(p, "tracefile-size")) {
    const n = parseSize(v);
    if (n === null) {
      ctx.err(`Wrong value in --tracefile-size parameter: ${v}`);
      return null;
    }
    a.tracefileSizeBytes = n;
  }
  for (const v of all(p, "tracefile-count")) {
    const n = parseCount(v);
    if (n === null) {
      ctx.err(`Wrong value in --tracefile-count parameter: ${v}`);
      return null;
    }
    if (n > UINT32_MAX) {
      ctx.err(`32-bit overflow in --tracefile-count parameter: ${v}`);
      return null;
    }
    a.tracefileCount = n;
  }
  return a;
}

export async function enableChannel(ctx: CommandContext, p: ParsedArgs): Promise<number> {
  const attrs = parseAttributes(ctx, p);
  if (attrs === null) return CMD_ERROR;
  const domain = domainOf(ctx, p, ["kernel", "userspace"]);
  if (domain === null) return CMD_ERROR;
  if (attrs.overwrite === true && attrs.blockingTimeoutUs !== undefined && attrs.blockingTimeoutUs !== 0) {
    ctx.err("You cannot specify --overwrite and --blocking-timeout=N, where N is different than 0");
    return CMD_ERROR;
  }
  const list = p.positionals[0];
  if (list === undefined) {
    ctx.err("Missing channel name.");
    return CMD_ERROR;
  }
  if (p.positionals.length > 1) {
    ctx.err(`Unknown argument: ${p.positionals[1]}`);
    return CMD_ERROR;
  }
  const session = last(p, "session") ?? ctx.currentSession();
  if (session === null) return CMD_ERROR;
  const perPid = has(p, "buffers-pid");
  if (!perPid && has(p, "buffers-global")) {
    ctx.err("Buffer type not supported for domain -u");
    return CMD_ERROR;
  }
  const subbuf = attrs.subbufSizeBytes ?? (perPid ? DEFAULT_UST_PID_SUBBUF : DEFAULT_UST_UID_SUBBUF);
  if (attrs.tracefileSizeBytes === undefined && attrs.tracefileCount !== undefined && attrs.tracefileCount !== 0) {
    ctx.err("Missing option --tracefile-size. A file count without a size won't do anything.");
    return CMD_ERROR;
  }
  if (attrs.tracefileSizeBytes !== undefined && attrs.tracefileSizeBytes > 0 && attrs.tracefileSizeBytes < subbuf) {
    ctx.warn(`Tracefile size rounded up from (${attrs.tracefileSizeBytes}) to subbuffer size (${subbuf})`);
    attrs.tracefileSizeBytes = subbuf;
  }
  const o = last(p, "output");
  if (o !== undefined) {
    if (o.startsWith("mmap")) attrs.output = "mmap";
    else if (o.startsWith("splice")) attrs.output = "splice";
    else {
      ctx.err(`Unknown output type ${o}. Possible values are: mmap, splice\n`);
      return CMD_ERROR;
    }
  }
  let warn = false;
  let error = false;
  for (const name of list.split(",").filter((n) => n !== "")) {
    if (name.length >= 256) {
      ctx.err("Channel name is too long (max. 255 characters)");
      error = true;
      continue;
    }
    const r: ControlReply = await ctx.request({
      op: "enable-channel",
      session,
      domain,
      name,
      attributes: attrs,
      bufferType: perPid ? "per-pid" : "per-uid",
    });
    if (r.ok) ctx.msg(`ust channel ${name} enabled for session ${session}`);
    else if (r.code === "UST_CHAN_EXIST" || r.code === "CHAN_EXIST" || r.code === "KERN_CHAN_EXIST") {
      ctx.warn(`Channel ${name}: ${replyMessage(r)} (session ${session})`);
      warn = true;
    } else if (r.code === "INVALID_CHANNEL_NAME") {
      ctx.err(`Invalid channel name: "${name}". Channel names may not start with '.', and may not contain '/'.`);
      error = true;
    } else {
      ctx.err(`Channel ${name}: ${replyMessage(r)} (session ${session})`);
      error = true;
    }
  }
  if (error) return CMD_ERROR;
  return warn ? CMD_WARNING : CMD_SUCCESS;
}

export const DISABLE_CHANNEL_OPTIONS: OptionSpec[] = [...DOMAIN_OPTIONS, { long: "session", short: "s", value: true }];

export async function disableChannel(ctx: CommandContext, p: ParsedArgs): Promise<number> {
  const domain = domainOf(ctx, p, ["kernel", "userspace"]);
  if (domain === null) return CMD_ERROR;
  const list = p.positionals[0];
  if (list === undefined) {
    ctx.err("Missing channel name(s).");
    return CMD_ERROR;
  }
  if (p.positionals.length > 1) {
    ctx.err(`Unknown argument: ${p.positionals[1]}`);
    return CMD_ERROR;
  }
  const session = last(p, "session") ?? ctx.currentSession();
  if (session === null) return CMD_ERROR;
  let warn = false;
  for (const name of list.split(",").filter((n) => n !== "")) {
    const r = await ctx.request({ op: "disable-channel", session, domain, name });
    if (r.ok) ctx.msg(`ust channel ${name} disabled for session ${session}`);
    else {
      ctx.err(`Channel ${name}: ${replyMessage(r)} (session ${session})`);
      warn = true;
    }
  }
  return warn ? CMD_WARNING : CMD_SUCCESS;
}
