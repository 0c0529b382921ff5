/**
 * `save` and `load` (commands/save.c, load.c): sessions to and from LTTng's
 * session XML, by default in `$TTNG_HOME/.ttng/sessions/NAME.lttng` (LTTng:
 * `~/.lttng/sessions`). The files are LTTng's format, so `lttng load -i`
 * reads what `ttng save` writes and the other way round.
 */
import { resolve } from "node:path";
import { has, last, type OptionSpec, type ParsedArgs } from "./args.js";
import { CMD_ERROR, CMD_SUCCESS, type CommandContext } from "./context.js";
import { replyMessage, replyValue } from "./errors.js";

export const SAVE_OPTIONS: OptionSpec[] = [
  { long: "all", short: "a" },
  { long: "output-path", short: "o", value: true },
  { long: "force", short: "f" },
];

export async function save(ctx: CommandContext, p: ParsedArgs): Promise<number> {
  const cwd = ctx.io.env.PWD ?? process.cwd();
  const name = has(p, "all") ? undefined : p.positionals[0];
  const extra = p.positionals[name === undefined ? 0 : 1];
  if (extra !== undefined) {
    ctx.err(`Unknown argument: ${extra}`);
    return CMD_ERROR;
  }
  const out = last(p, "output-path");
  const r = await ctx.request({
    op: "save",
    session: name ?? null,
    ...(out === undefined ? {} : { outputDir: resolve(cwd, out) }),
    force: has(p, "force"),
  });
  if (!r.ok) {
    ctx.err(replyMessage(r));
    return replyValue(r);
  }
  if (name !== undefined) {
    ctx.msg(
      out !== undefined ? `Session ${name} saved successfully in ${out}.` : `Session ${name} saved successfully.`,
    );
  } else {
    ctx.msg(
      out !== undefined
        ? `All sessions have been saved successfully in ${out}.`
        : "All sessions have been saved successfully.",
    );
  }
  return CMD_SUCCESS;
}

export const LOAD_OPTIONS: OptionSpec[] = [
  { long: "all", short: "a" },
  { long: "input-path", short: "i", value: true },
  { long: "force", short: "f" },
  { long: "override-url", value: true },
  { long: "override-name", value: true },
];

export async function load(ctx: CommandContext, p: ParsedArgs): Promise<number> {
  const cwd = ctx.io.env.PWD ?? process.cwd();
  const name = has(p, "all") ? undefined : p.positionals[0];
  const extra = p.positionals[name === undefined ? 0 : 1];
  if (extra !== undefined) {
    ctx.err(`Unknown argument: ${extra}`);
    return CMD_ERROR;
  }
  const overrideName = last(p, "override-name");
  const overrideUrl = last(p, "override-url");
  // Without a session name lttng loads all sessions, which excludes --override-name.
  if (name === undefined && overrideName !== undefined) {
    ctx.err("Options --all and --override-name cannot be used simultaneously");
    return CMD_ERROR;
  }
  const input = last(p, "input-path");
  const r = await ctx.request({
    op: "load",
    session: name ?? null,
    ...(input === undefined ? {} : { inputPath: resolve(cwd, input) }),
    force: has(p, "force"),
    ...(overrideUrl === undefined ? {} : { overrideUrl }),
    ...(overrideName === undefined ? {} : { overrideName }),
  });
  if (!r.ok) {
    ctx.err(replyMessage(r));
    return CMD_ERROR;
  }
  if (name === undefined) ctx.msg("All sessions have been loaded successfully");
  else {
    const shown = overrideName ?? name;
    ctx.setCurrentSession(shown);
    ctx.msg(`Session ${name} has been loaded successfully`);
  }
  if (overrideName !== undefined) ctx.msg(`Session name overridden with ${overrideName}`);
  if (overrideUrl !== undefined) ctx.msg(`Session output url overridden with ${overrideUrl}`);
  return CMD_SUCCESS;
}
