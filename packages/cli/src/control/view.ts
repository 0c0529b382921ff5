/**
 * `ttng view`: LTTng's `view [SESSION]` when the argument names a session
 * (or is absent: the current session), Babeltrace's `view TRACE...`
 * otherwise. The trace printing itself is the Babeltrace side's, reached
 * through `hooks` so this module does not depend on the graph.
 */
import { existsSync } from "node:fs";
import type { SessionState } from "@ttng/protocol";
import { last, type OptionSpec, type ParsedArgs } from "./args.js";
import { CMD_ERROR, type CommandContext } from "./context.js";

export const VIEW_OPTIONS: OptionSpec[] = [
  { long: "trace-path", short: "t", value: true },
  { long: "viewer", short: "e", value: true },
  { long: "session", short: "s", value: true },
];

export interface ViewHooks {
  /** Babeltrace's `view` with these arguments (trace paths and its options). */
  viewTraces(argv: readonly string[]): Promise<number>;
}

export async function view(ctx: CommandContext, p: ParsedArgs, hooks: ViewHooks): Promise<number> {
  if (last(p, "viewer") !== undefined) {
    ctx.err("ttng view prints with its own pretty-printer; -e/--viewer is not supported");
    return CMD_ERROR;
  }
  const tracePath = last(p, "trace-path");
  if (tracePath !== undefined) {
    ctx.msg(`Trace directory: ${tracePath}\n`);
    return hooks.viewTraces([tracePath]);
  }
  const arg = p.positionals[0] ?? last(p, "session");
  if (p.positionals.length > 1) return hooks.viewTraces(p.positionals);
  // Session names cannot contain '/': a path is a trace, no daemon needed.
  if (arg !== undefined && (arg.includes("/") || existsSync(arg))) return hooks.viewTraces([arg]);
  const name = arg ?? ctx.currentSession();
  if (name === null) return CMD_ERROR;
  const r = await ctx.request({ op: "list-sessions" });
  if (!r.ok) {
    // No daemon: an argument can still be a trace (Babeltrace's `view TRACE`).
    if (arg !== undefined) return hooks.viewTraces([arg]);
    ctx.err(`Unable to list sessions. Session name ${name} not found.`);
    ctx.msg("Is there a session daemon running?");
    return CMD_ERROR;
  }
  const s = (r.result as { sessions: SessionState[] }).sessions.find((x) => x.name === name);
  if (s === undefined) {
    if (arg !== undefined) return hooks.viewTraces([arg]);
    ctx.msg(`Session name ${name} not found`);
    return CMD_ERROR;
  }
  if (s.active) {
    ctx.warn(`Session ${s.name} is running. Please stop it before reading it.`);
    return CMD_ERROR;
  }
  const path = s.output.kind === "local" ? s.output.path : "";
  if (path === "") {
    ctx.err(`Session ${s.name} has no local trace to view`);
    return CMD_ERROR;
  }
  ctx.msg(`Trace directory: ${path}\n`);
  return hooks.viewTraces([path]);
}
