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
  if (tracePath !== undefined) return hooks.viewTraces([tracePath]);
  const arg = p.positionals[0] ?? last(p, "session");
  if (p.positionals.length > 1) return hooks.viewTraces(p.positionals);
  // Session names cannot contain '/': a path is a trace, no daemon needed.
  if (arg !== undefined && (arg.includes("/") || existsSync(arg))) return hooks.viewTraces([arg]);
  let name = arg;
  if (name === undefined) {
    name = ctx.currentSession() ?? undefined;
    if (name === undefined) return CMD_ERROR;
  }
  let sessions: SessionState[] = [];
  try {
    const r = await ctx.request({ op: "list-sessions" });
    if (r.ok) sessions = (r.result as { sessions: SessionState[] }).sessions;
  } catch (e) {
    // No daemon: an argument can only be a trace path.
    if (arg !== undefined) return hooks.viewTraces([arg]);
    throw e;
  }
  const s = sessions.find((x) => x.name === name);
  if (s === undefined) {
    if (arg !== undefined && p.positionals.length === 1) return hooks.viewTraces([arg]);
    ctx.msg(`Session name ${name} not found`);
    return CMD_ERROR;
  }
  const path = s.output.kind === "local" ? s.output.path : (s.snapshotOutputs[0]?.ctrlUrl ?? "");
  if (path === "") {
    ctx.err(`Session ${s.name} has no local trace to view`);
    return CMD_ERROR;
  }
  return hooks.viewTraces([path]);
}
