/**
 * `snapshot add-output | del-output | list-output | record`
 * (commands/snapshot.c): a snapshot session's output and the records taken
 * into it, with `-n/--name`, `-m/--max-size` (size suffixes) and a URL or
 * path argument. Recording is the daemon's work; this prints its result.
 */
import { isAbsolute, resolve } from "node:path";
import type { SnapshotOutputState } from "@ttng/protocol";
import { last, type OptionSpec, type ParsedArgs } from "./args.js";
import { CMD_ERROR, CMD_SUCCESS, CMD_UNDEFINED, type CommandContext } from "./context.js";
import { replyMessage } from "./errors.js";
import { parseSize } from "./units.js";

export const SNAPSHOT_OPTIONS: OptionSpec[] = [
  { long: "session", short: "s", value: true },
  { long: "name", short: "n", value: true },
  { long: "max-size", short: "m", value: true },
  { long: "ctrl-url", short: "C", value: true },
  { long: "data-url", short: "D", value: true },
];

function pathOf(url: string, cwd: string): string | null {
  if (url.startsWith("file://")) return url.slice(7);
  if (/^[a-z0-9]+:\/\//.test(url)) return null;
  return isAbsolute(url) ? url : resolve(cwd, url);
}

function outputLine(indent: string, o: SnapshotOutputState, shown: string): string {
  return o.maxSizeBytes > 0
    ? `${indent}[${o.id}] ${o.name}: ${shown} (max size: ${o.maxSizeBytes} bytes)`
    : `${indent}[${o.id}] ${o.name}: ${shown}`;
}

export async function snapshot(ctx: CommandContext, p: ParsedArgs): Promise<number> {
  const action = p.positionals[0];
  if (action === undefined) {
    ctx.err("No action specified for snapshot command.");
    return CMD_ERROR;
  }
  if (!["add-output", "del-output", "list-output", "record"].includes(action)) {
    ctx.err(`Unrecognized argument used with 'snapshot' command`);
    return CMD_UNDEFINED;
  }
  if ((last(p, "ctrl-url") === undefined) !== (last(p, "data-url") === undefined)) {
    ctx.err("URLs must be specified for both data and control");
    return CMD_ERROR;
  }
  if (last(p, "ctrl-url") !== undefined) {
    ctx.err("Network snapshot outputs need ttng-relayd, which is not built yet");
    return CMD_ERROR;
  }
  let maxSizeBytes = 0;
  const m = last(p, "max-size");
  if (m !== undefined) {
    const n = parseSize(m);
    if (n === null) {
      ctx.err(`Unable to handle max-size value ${m}`);
      return CMD_ERROR;
    }
    maxSizeBytes = n;
  }
  const session = last(p, "session") ?? ctx.currentSession();
  if (session === null) return CMD_ERROR;
  const exists = await ctx.request({ op: "get-session", session });
  if (!exists.ok) {
    ctx.err(replyMessage(exists));
    return CMD_ERROR;
  }
  const cwd = ctx.io.env.PWD ?? process.cwd();
  const name = last(p, "name");
  const arg = p.positionals[1];
  switch (action) {
    case "list-output": {
      const r = await ctx.request({ op: "snapshot-list-output", session });
      if (!r.ok) {
        ctx.err(replyMessage(r));
        return CMD_ERROR;
      }
      const outputs = (r.result as { outputs: SnapshotOutputState[] }).outputs;
      ctx.msg(`Snapshot output list for session ${session}`);
      if (outputs.length === 0) ctx.msg("    None");
      for (const o of outputs) ctx.msg(outputLine("    ", o, o.ctrlUrl));
      return CMD_SUCCESS;
    }
    case "add-output": {
      if (arg === undefined) {
        ctx.err("An output destination must be specified to add a snapshot output.");
        return CMD_ERROR;
      }
      const path = pathOf(arg, cwd);
      if (path === null) {
        ctx.err("Network snapshot outputs need ttng-relayd, which is not built yet");
        return CMD_ERROR;
      }
      const r = await ctx.request({
        op: "snapshot-add-output",
        session,
        ...(name === undefined ? {} : { name }),
        ctrlUrl: path,
        dataUrl: path,
        maxSizeBytes,
      });
      if (!r.ok) {
        ctx.err(replyMessage(r));
        return CMD_ERROR;
      }
      const o = (r.result as { output: SnapshotOutputState }).output;
      ctx.msg(`Snapshot output successfully added for session ${session}`);
      ctx.msg(outputLine("  ", o, arg));
      return CMD_SUCCESS;
    }
    case "del-output": {
      if (arg === undefined) {
        ctx.err("A snapshot output name or id must be provided to delete a snapshot output.");
        return CMD_ERROR;
      }
      const r = await ctx.request({ op: "snapshot-del-output", session, idOrName: arg });
      if (!r.ok) {
        ctx.err(replyMessage(r));
        return CMD_ERROR;
      }
      if (/^[0-9]+$/.test(arg)) ctx.msg(`Snapshot output id ${arg} successfully deleted for session ${session}`);
      else ctx.msg(`Snapshot output ${arg} successfully deleted for session ${session}`);
      return CMD_SUCCESS;
    }
    default: {
      let output: { ctrlUrl: string; dataUrl: string } | undefined;
      if (arg !== undefined) {
        const path = pathOf(arg, cwd);
        if (path === null) {
          ctx.err("Network snapshot outputs need ttng-relayd, which is not built yet");
          return CMD_ERROR;
        }
        output = { ctrlUrl: path, dataUrl: path };
      }
      const r = await ctx.request({
        op: "snapshot-record",
        session,
        ...(name === undefined ? {} : { name }),
        ...(output === undefined ? {} : { output }),
        maxSizeBytes,
      });
      if (!r.ok) {
        // lttng prints its own sentence, then the error code's message.
        if (r.code === "MAX_SIZE_INVALID") ctx.err("Invalid snapshot size. Cannot fit at least one packet per stream.");
        ctx.err(replyMessage(r));
        return CMD_ERROR;
      }
      ctx.msg(`Snapshot recorded successfully for session ${session}`);
      if (arg !== undefined) ctx.msg(`Snapshot written at: ${arg}`);
      return CMD_SUCCESS;
    }
  }
}
