/**
 * The LTTng family of `ttng` commands: which names are control commands,
 * their option tables, and running one (`CMD --help` prints its manual
 * page). Usage errors print lttng's messages and exit 2 as lttng does.
 */
import { MissingValueError, type OptionSpec, type ParsedArgs, parseArgs, UnknownOptionError } from "./args.js";
import { ADD_CONTEXT_OPTIONS, addContext } from "./context-commands.js";
import { CMD_SUCCESS, CMD_UNDEFINED, CommandContext } from "./context.js";
import { DISABLE_CHANNEL_OPTIONS, disableChannel, ENABLE_CHANNEL_OPTIONS, enableChannel } from "./channel-commands.js";
import { DISABLE_EVENT_OPTIONS, disableEvent, ENABLE_EVENT_OPTIONS, enableEvent } from "./event-commands.js";
import type { ControlIO } from "./io.js";
import { LIST_OPTIONS, list, status } from "./list-commands.js";
import { manualPage } from "./manual.js";
import { LOAD_OPTIONS, load, SAVE_OPTIONS, save } from "./save-load.js";
import {
  CREATE_OPTIONS,
  create,
  DESTROY_OPTIONS,
  destroy,
  setSession,
  STOP_OPTIONS,
  start,
  stop,
} from "./session-commands.js";
import { SNAPSHOT_OPTIONS, snapshot } from "./snapshot-command.js";
import { TRACK_OPTIONS, trackUntrack } from "./tracker-commands.js";
import { VERSION_TEXT } from "./version.js";
import { VIEW_OPTIONS, view, type ViewHooks } from "./view.js";

interface CommandSpec {
  options: OptionSpec[];
  run(ctx: CommandContext, p: ParsedArgs, hooks: ViewHooks): Promise<number>;
}

const COMMANDS: Record<string, CommandSpec> = {
  create: { options: CREATE_OPTIONS, run: create },
  destroy: { options: DESTROY_OPTIONS, run: destroy },
  start: { options: [], run: start },
  stop: { options: STOP_OPTIONS, run: stop },
  "enable-channel": { options: ENABLE_CHANNEL_OPTIONS, run: enableChannel },
  "disable-channel": { options: DISABLE_CHANNEL_OPTIONS, run: disableChannel },
  "enable-event": { options: ENABLE_EVENT_OPTIONS, run: enableEvent },
  "disable-event": { options: DISABLE_EVENT_OPTIONS, run: disableEvent },
  "add-context": { options: ADD_CONTEXT_OPTIONS, run: addContext },
  track: { options: TRACK_OPTIONS, run: (c, p) => trackUntrack(c, p, "track") },
  untrack: { options: TRACK_OPTIONS, run: (c, p) => trackUntrack(c, p, "untrack") },
  list: { options: LIST_OPTIONS, run: list },
  status: { options: [], run: status },
  "set-session": { options: [], run: setSession },
  snapshot: { options: SNAPSHOT_OPTIONS, run: snapshot },
  save: { options: SAVE_OPTIONS, run: save },
  load: { options: LOAD_OPTIONS, run: load },
  view: { options: VIEW_OPTIONS, run: view },
  version: {
    options: [],
    run: async (c) => {
      c.io.stdout(VERSION_TEXT);
      return CMD_SUCCESS;
    },
  },
};

/** True for the LTTng-family command names `ttng` handles here. */
export function isControlCommand(name: string): boolean {
  return Object.hasOwn(COMMANDS, name);
}

const COMMON: OptionSpec[] = [{ long: "help", short: "h" }, { long: "list-options" }];

/**
 * Runs one control command; returns its exit status. `view` falls back to
 * the Babeltrace `view` (through `hooks`) when its argument is not a session.
 */
export async function runControlCommand(
  name: string,
  argv: readonly string[],
  io: ControlIO,
  hooks: ViewHooks,
): Promise<number> {
  const spec = COMMANDS[name];
  if (spec === undefined) {
    io.stdout(`ttng: ${name} is not a ttng command. See 'ttng --help'.\n`);
    return CMD_UNDEFINED;
  }
  const ctx = new CommandContext(io, name);
  let p: ParsedArgs;
  try {
    p = parseArgs(argv, [...spec.options, ...COMMON]);
  } catch (e) {
    if (name === "view") return hooks.viewTraces(argv);
    if (e instanceof UnknownOptionError || e instanceof MissingValueError) {
      ctx.err(`Unrecognized argument used with '${name}' command`);
      return CMD_UNDEFINED;
    }
    throw e;
  }
  if (p.options.has("help")) {
    io.stdout(manualPage(name) ?? "");
    return CMD_SUCCESS;
  }
  if (p.options.has("list-options")) {
    for (const o of [...spec.options, ...COMMON]) {
      io.stdout(`--${o.long}\n`);
      if (o.short !== undefined) io.stdout(`-${o.short}\n`);
    }
    return CMD_SUCCESS;
  }
  try {
    return await spec.run(ctx, p, hooks);
  } finally {
    ctx.close();
  }
}
