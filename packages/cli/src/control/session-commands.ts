/**
 * `create`, `destroy`, `start`, `stop`, `set-session`: the recording
 * session's life cycle, with lttng 2.13's options, messages and exit
 * statuses (commands/create.c, destroy.c, start.c, stop.c, set_session.c).
 */
import { isAbsolute, resolve } from "node:path";
import { LTTNG_ERRORS, type SessionState } from "@ttng/protocol";
import { has, last, type OptionSpec, type ParsedArgs } from "./args.js";
import { CMD_ERROR, CMD_SUCCESS, type CommandContext } from "./context.js";
import { replyMessage, replyValue } from "./errors.js";

export const CREATE_OPTIONS: OptionSpec[] = [
  { long: "output", short: "o", value: true },
  { long: "set-url", short: "U", value: true },
  { long: "ctrl-url", short: "C", value: true },
  { long: "data-url", short: "D", value: true },
  { long: "no-output" },
  { long: "snapshot" },
  { long: "live", optionalValue: true },
  { long: "shm-path", value: true },
  { long: "trace-format", value: true },
];

/** `file://PATH` or a bare path -> an absolute path; other schemes -> null. */
function localPath(url: string, cwd: string): string | null {
  if (url.startsWith("file://")) return url.slice(7);
  if (/^[a-z0-9]+:\/\//.test(url)) return null;
  return isAbsolute(url) ? url : resolve(cwd, url);
}

export async function create(ctx: CommandContext, p: ParsedArgs): Promise<number> {
  if (p.positionals.length > 1) {
    ctx.err(`Unknown argument: ${p.positionals[1]}`);
    return CMD_ERROR;
  }
  const name = p.positionals[0];
  if (name !== undefined) {
    if (name.length > 254) {
      ctx.err("Session name too long. Length must be lower or equal to 255");
      return CMD_ERROR;
    }
    if (name === "auto") {
      ctx.err("auto is a reserved keyword for default session(s)");
      return CMD_ERROR;
    }
  }
  const snapshot = has(p, "snapshot");
  if (snapshot && has(p, "live")) {
    ctx.err("Snapshot and live modes are mutually exclusive.");
    return CMD_ERROR;
  }
  if (has(p, "live") || has(p, "ctrl-url") || has(p, "data-url")) {
    // Live sessions and split control/data URLs need ttng-relayd.
    ctx.err("Network and live outputs need ttng-relayd, which is not built yet");
    return CMD_ERROR;
  }
  const cwd = ctx.io.env.PWD ?? process.cwd();
  let output: { kind: "default" } | { kind: "local"; path: string } | { kind: "none" } = { kind: "default" };
  if (has(p, "no-output")) output = { kind: "none" };
  const o = last(p, "output") ?? last(p, "set-url");
  if (o !== undefined) {
    const path = localPath(o, cwd);
    if (path === null) {
      ctx.err("Network and live outputs need ttng-relayd, which is not built yet");
      return CMD_ERROR;
    }
    output = { kind: "local", path };
  }
  const shm = last(p, "shm-path");
  // LTTng 2.15's --trace-format: ctf-1.8 (default here, readable by babeltrace2 2.0) or ctf-2.
  const traceFormat = last(p, "trace-format") ?? "ctf-1.8";
  if (traceFormat !== "ctf-1.8" && traceFormat !== "ctf-2") {
    ctx.err(`Invalid trace format \`${traceFormat}\`: expecting \`ctf-1.8\` or \`ctf-2\``);
    return CMD_ERROR;
  }
  const r = await ctx.request(
    {
      op: "create-session",
      ...(name === undefined ? {} : { name }),
      output,
      snapshot,
      liveTimerUs: 0,
      traceFormat,
      shmPath: shm === undefined ? null : resolve(cwd, shm),
    },
    true,
  );
  if (!r.ok) {
    ctx.err(r.code === "INVALID" ? r.message : replyMessage(r));
    return CMD_ERROR;
  }
  const s = (r.result as { session: SessionState }).session;
  if (snapshot) {
    ctx.msg(`Snapshot session ${s.name} created.`);
    const out = s.snapshotOutputs[0];
    if (out !== undefined) ctx.msg(`Default snapshot output set to ${out.ctrlUrl}`);
    ctx.msg("Every channel enabled for this session will be set to mmap output and default to overwrite mode.");
  } else {
    ctx.msg(`Session ${s.name} created.`);
    if (s.output.kind === "local") ctx.msg(`Traces will be output to ${s.output.path}`);
  }
  if (s.shmPath !== null) ctx.msg(`Shared memory path set to ${s.shmPath}`);
  ctx.setCurrentSession(s.name);
  return CMD_SUCCESS;
}

/** The warning lttng prints after stop/destroy when data was lost. */
function statsWarning(s: SessionState): string | null {
  if (s.snapshot) return null;
  let discarded = 0;
  let lost = 0;
  for (const d of s.domains) {
    for (const c of d.channels) {
      discarded += c.discardedEvents ?? 0;
      lost += c.lostPackets ?? 0;
    }
  }
  const tail = "please refer to the documentation on channel configuration.";
  if (discarded > 0 && lost > 0) {
    return `Warning: ${discarded} events were discarded and ${lost} packets were lost, ${tail}`;
  }
  if (discarded > 0) return `Warning: ${discarded} events were discarded, ${tail}`;
  if (lost > 0) return `Warning: ${lost} packets were lost, ${tail}`;
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** lttng's DEFAULT_DATA_AVAILABILITY_WAIT_TIME_US. */
const DATA_WAIT_MS = 200;

/** Polls `data-pending` until the daemon says all data is out; calls `onWait` before each sleep. */
async function waitForData(ctx: CommandContext, session: string, onWait: () => void): Promise<number | null> {
  for (;;) {
    const r = await ctx.request({ op: "data-pending", session });
    if (!r.ok) return replyValue(r);
    if (!(r.result as { pending: boolean }).pending) return null;
    onWait();
    await sleep(DATA_WAIT_MS);
  }
}

export const DESTROY_OPTIONS: OptionSpec[] = [
  { long: "all", short: "a" },
  { long: "no-wait", short: "n" },
];

async function destroyOne(ctx: CommandContext, s: SessionState, noWait: boolean): Promise<number> {
  const stop = await ctx.request({ op: "stop", session: s.name, noWait: true });
  const alreadyStopped = !stop.ok && stop.code === "TRACE_ALREADY_STOPPED";
  if (!stop.ok && !alreadyStopped) ctx.err(replyMessage(stop));
  let dots = false;
  if (!noWait) {
    const e = await waitForData(ctx, s.name, () => {
      if (!dots) ctx.raw(`Destroying session ${s.name}`);
      dots = true;
      ctx.raw(".");
    });
    if (e !== null) return e;
  }
  let stats: string | null = null;
  if (!alreadyStopped) {
    const g = await ctx.request({ op: "get-session", session: s.name });
    if (g.ok) stats = statsWarning((g.result as { session: SessionState }).session);
  }
  const r = await ctx.request({ op: "destroy-session", session: s.name, noWait });
  if (!r.ok) {
    if (dots) ctx.msg("");
    return -replyValue(r);
  }
  ctx.msg(`${dots ? "\n" : ""}Session ${s.name} destroyed`);
  if (stats !== null) ctx.msg(stats);
  if (ctx.currentSessionQuiet() === s.name) ctx.clearCurrentSession();
  return CMD_SUCCESS;
}

export async function destroy(ctx: CommandContext, p: ParsedArgs): Promise<number> {
  const noWait = has(p, "no-wait");
  const list = await ctx.request({ op: "list-sessions" });
  if (!list.ok) {
    ctx.err(replyMessage(list));
    return CMD_ERROR;
  }
  const sessions = (list.result as { sessions: SessionState[] }).sessions;
  if (has(p, "all")) {
    if (sessions.length === 0) ctx.msg("No session found, nothing to do.");
    let failed = false;
    for (const s of sessions) {
      const ret = await destroyOne(ctx, s, noWait);
      if (ret < 0) {
        ctx.err(
          `${replyMessage({ ok: false, code: codeOf(-ret), message: "" })} during the destruction of session "${s.name}"`,
        );
        failed = true;
      }
    }
    return failed ? CMD_ERROR : CMD_SUCCESS;
  }
  const name = p.positionals[0] ?? ctx.currentSession();
  if (name === null) return CMD_ERROR;
  const s = sessions.find((x) => x.name === name);
  if (s === undefined) {
    ctx.err(`Session name ${name} not found`);
    return 23; // LTTNG_ERR_SESS_NOT_FOUND
  }
  if (p.positionals.length > 1) {
    ctx.err(`Unknown argument: ${p.positionals[1]}`);
    return CMD_ERROR;
  }
  const ret = await destroyOne(ctx, s, noWait);
  if (ret < 0) {
    ctx.err(
      `${replyMessage({ ok: false, code: codeOf(-ret), message: "" })} during the destruction of session "${s.name}"`,
    );
    return -ret;
  }
  return ret;
}

function codeOf(value: number): string {
  for (const [k, v] of Object.entries(LTTNG_ERRORS)) if (v[0] === value) return k;
  return "UNK";
}

function sessionArg(ctx: CommandContext, p: ParsedArgs): string | null {
  if (p.positionals.length > 1) {
    ctx.err(`Unknown argument: ${p.positionals[1]}`);
    return null;
  }
  return p.positionals[0] ?? ctx.currentSession();
}

export async function start(ctx: CommandContext, p: ParsedArgs): Promise<number> {
  const name = sessionArg(ctx, p);
  if (name === null) return CMD_ERROR;
  const r = await ctx.request({ op: "start", session: name });
  if (!r.ok) {
    if (r.code === "TRACE_ALREADY_STARTED") ctx.warn(`Tracing already started for session ${name}`);
    else ctx.err(replyMessage(r));
    return replyValue(r);
  }
  ctx.msg(`Tracing started for session ${name}`);
  return CMD_SUCCESS;
}

export const STOP_OPTIONS: OptionSpec[] = [{ long: "no-wait", short: "n" }];

export async function stop(ctx: CommandContext, p: ParsedArgs): Promise<number> {
  const name = sessionArg(ctx, p);
  if (name === null) return CMD_ERROR;
  const r = await ctx.request({ op: "stop", session: name, noWait: has(p, "no-wait") });
  if (!r.ok) {
    if (r.code === "TRACE_ALREADY_STOPPED") ctx.warn(`Tracing already stopped for session ${name}`);
    else ctx.err(replyMessage(r));
    return replyValue(r);
  }
  if (!has(p, "no-wait")) {
    ctx.raw("Waiting for data availability");
    const e = await waitForData(ctx, name, () => ctx.raw("."));
    if (e !== null) return e;
    ctx.msg("");
  }
  const stats = statsWarning((r.result as { session: SessionState }).session);
  if (stats !== null) ctx.msg(stats);
  ctx.msg(`Tracing stopped for session ${name}`);
  return CMD_SUCCESS;
}

export async function setSession(ctx: CommandContext, p: ParsedArgs): Promise<number> {
  const name = p.positionals[0];
  if (name === undefined) {
    ctx.err("Missing session name");
    return CMD_ERROR;
  }
  if (name.length > 254) {
    ctx.err("Session name too long. Length must be lower or equal to 255");
    return CMD_ERROR;
  }
  const r = await ctx.request({ op: "list-sessions" });
  if (!r.ok) {
    ctx.err(replyMessage(r));
    return CMD_ERROR;
  }
  if (!(r.result as { sessions: SessionState[] }).sessions.some((s) => s.name === name)) {
    ctx.err(`Session '${name}' not found`);
    return CMD_ERROR;
  }
  ctx.setCurrentSession(name);
  ctx.msg(`Session set to ${name}`);
  return CMD_SUCCESS;
}
