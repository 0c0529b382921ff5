/**
 * The LTTng family of `ttng` commands: which names are control commands,
 * their option tables, and running one (`CMD --help` prints its manual
 * page). Usage errors print lttng's messages and exit 2 as lttng does.
 */
import { MissingValueError, type OptionSpec, type ParsedArgs, parseArgs, UnknownOptionError } from "./args.js";
import { CMD_SUCCESS, CMD_UNDEFINED, CommandContext } from "./context.js";
import type { ControlIO } from "./io.js";
import { manualPage } from "./manual.js";
import { VERSION_TEXT } from "./version.js";
import type { ViewHooks } from "./view.js";

interface CommandSpec {
  options: OptionSpec[];
  run(ctx: CommandContext, p: ParsedArgs, hooks: ViewHooks): Promise<number>;
}

/**
 * Each command's module loads when that command runs: `ttng version` or `ttng view TRACE` does not
 * pay for compiling every other command (and the protocol and session model they import).
 */
const COMMANDS: Record<string, () => Promise<CommandSpec>> = {
  create: async () => {
    const m = await import("./session-commands.js");
    return { options: m.CREATE_OPTIONS, run: m.create };
  },
  destroy: async () => {
    const m = await import("./session-commands.js");
    return { options: m.DESTROY_OPTIONS, run: m.destroy };
  },
  start: async () => ({ options: [], run: (await import("./session-commands.js")).start }),
  stop: async () => {
    const m = await import("./session-commands.js");
    return { options: m.STOP_OPTIONS, run: m.stop };
  },
  "enable-channel": async () => {
    const m = await import("./channel-commands.js");
    return { options: m.ENABLE_CHANNEL_OPTIONS, run: m.enableChannel };
  },
  "disable-channel": async () => {
    const m = await import("./channel-commands.js");
    return { options: m.DISABLE_CHANNEL_OPTIONS, run: m.disableChannel };
  },
  "enable-event": async () => {
    const m = await import("./event-commands.js");
    return { options: m.ENABLE_EVENT_OPTIONS, run: m.enableEvent };
  },
  "disable-event": async () => {
    const m = await import("./event-commands.js");
    return { options: m.DISABLE_EVENT_OPTIONS, run: m.disableEvent };
  },
  "add-context": async () => {
    const m = await import("./context-commands.js");
    return { options: m.ADD_CONTEXT_OPTIONS, run: m.addContext };
  },
  track: async () => {
    const m = await import("./tracker-commands.js");
    return { options: m.TRACK_OPTIONS, run: (c, p) => m.trackUntrack(c, p, "track") };
  },
  untrack: async () => {
    const m = await import("./tracker-commands.js");
    return { options: m.TRACK_OPTIONS, run: (c, p) => m.trackUntrack(c, p, "untrack") };
  },
  list: async () => {
    const m = await import("./list-commands.js");
    return { options: m.LIST_OPTIONS, run: m.list };
  },
  status: async () => ({ options: [], run: (await import("./list-commands.js")).status }),
  "set-session": async () => ({ options: [], run: (await import("./session-commands.js")).setSession }),
  snapshot: async () => {
    const m = await import("./snapshot-command.js");
    return { options: m.SNAPSHOT_OPTIONS, run: m.snapshot };
  },
  save: async () => {
    const m = await import("./save-load.js");
    return { options: m.SAVE_OPTIONS, run: m.save };
  },
  load: async () => {
    const m = await import("./save-load.js");
    return { options: m.LOAD_OPTIONS, run: m.load };
  },
  view: async () => {
    const m = await import("./view.js");
    return { options: m.VIEW_OPTIONS, run: m.view };
  },
  version: async () => ({
    options: [],
    run: async (c) => {
      c.io.stdout(VERSION_TEXT);
      return CMD_SUCCESS;
    },
  }),
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
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (load === undefined) {
    io.stdout(`ttng: ${name} is not a ttng command. See 'ttng --help'.\n`);
    return CMD_UNDEFINED;
  }
  const spec = await load();
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
