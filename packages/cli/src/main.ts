/**
 * `ttng`: one command for Babeltrace's family (view, convert) and, later,
 * LTTng's. Exit status: 0 success, 1 error, 2 usage error. Runs when imported: `bin/ttng.js`
 * imports it, or the bundle built from it (`tools/bundle.mjs`).
 */
import { TtngError } from "@ttng/base";
// Only what every command needs loads here; each command imports the rest when it runs (start-up time).
import { isControlCommand, runControlCommand } from "./control/dispatch.js";
import { type ControlConnection, noDaemonConnection } from "./control/io.js";
import { manualPage } from "./control/manual.js";
import type { ConvertOptions } from "./convert.js";
import type { builtinRegistry } from "./plugins.js";
import { formatErrorChain } from "./errors.js";
import { writeAll, writeBytes } from "./output.js";

const USAGE = `Usage: ttng [GENERAL OPTIONS] COMMAND [COMMAND ARGUMENTS]

Babeltrace commands:
  view TRACE...       Print the events of traces (like \`babeltrace2 TRACE\`)
  convert ...         Same as babeltrace2's \`convert\` command
  run ...             Build and run a graph (-c NAME:TYPE.PLUGIN.CLS, -p, -x UP:DOWN)
  query [-p PARAMS] TYPE.PLUGIN.CLS OBJECT
                      Query a component class
  list-plugins        List the plugins and their component classes
  help PLUGIN|TYPE.PLUGIN.CLS
                      Describe a plugin or a component class

LTTng commands (see \`ttng help COMMAND\`):
  create destroy start stop enable-channel disable-channel enable-event
  disable-event add-context track untrack list status set-session snapshot
  save load view [SESSION] version

Tracing:
  trace [OPTIONS] -- COMMAND...
                      Trace a Node.js command in a new session (see \`ttng trace --help\`)

General options:
  -d, --debug         Print JavaScript stacks of errors
  --plugin-path=PATH[:PATH]...
                      Load JavaScript plugins from PATH (also TTNG_PLUGIN_PATH)
  --omit-system-plugin-path
                      Do not load ttng-plugin-* packages from node_modules
  --omit-home-plugin-path
                      Accepted for babeltrace2 compatibility (ttng has no home path)
  -h, --help          Show this help

View/convert options: --clock-cycles --clock-date --clock-gmt --clock-seconds
  --no-delta --clock-offset=S --clock-offset-ns=NS --clock-force-correlate
  -n/--names=LIST -f/--fields=LIST --color=WHEN -o/--output-format=text|dummy|ctf-metadata|json|ctf
  -w/--output=PATH (with -o ctf: the output directory) -c/--component=[NAME:]TYPE.PLUGIN.CLS -p/--params=PARAMS
  --compat=2.0 (babeltrace2 2.0.4 output) | 2.1 (default)
  --filter=EXPR (keep the events an LTTng filter expression selects; ttng's own)
  --reference-clock=NAME (the muxer's reference clock class; ttng's own)
  --ctf-version=1|2 (with -o ctf: CTF 1.8 or CTF 2; ttng's own)
`;

/**
 * Connects control commands to ttng-sessiond (control/client.ts); when none answers and
 * none is to be started, a connection refusing everything with LTTng's NO_SESSIOND.
 */
async function connectDaemon(options: { autoStart: boolean }): Promise<ControlConnection> {
  // Loaded on demand: the socket client and `trace` cost start-up time `view` does not need.
  const { connectControl, NoDaemonError } = await import("./control/client.js");
  try {
    const c = await connectControl({
      autoStart: options.autoStart,
      onSpawn: () => writeAll(1, "Spawning a session daemon\n"),
    });
    return { request: (req) => c.request(req), close: () => c.close() };
  } catch (e) {
    if (e instanceof NoDaemonError) return noDaemonConnection();
    throw e;
  }
}

async function main(argv: string[]): Promise<number> {
  const stdout = (t: string) => writeAll(1, t);
  const stderr = (t: string) => writeAll(2, t);
  const stdoutBytes = (b: Uint8Array) => writeBytes(1, b);
  let debug = false;
  const cliPaths: string[] = [];
  let omitSystem = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-d" || a === "--debug") debug = true;
    else if (a.startsWith("--plugin-path=")) cliPaths.push(a.slice("--plugin-path=".length));
    else if (a === "--plugin-path") {
      if (i + 1 >= argv.length) {
        stderr("ERROR:    [ttng CLI]\n  Missing argument for option `--plugin-path`\n");
        return 2;
      }
      cliPaths.push(argv[++i]!);
    } else if (a === "--omit-system-plugin-path") omitSystem = true;
    else if (a === "--omit-home-plugin-path") continue;
    else if (a === "-h" || a === "--help") {
      stdout(USAGE);
      return 0;
    } else break;
  }
  const cmd = argv[i];
  const rest = argv.slice(i + 1);
  // Plugins load only when a command asks for the registry.
  const search = async () =>
    (await import("./plugin-loader.js")).pluginSearchPaths({
      cliPaths,
      omitSystem,
      env: process.env,
      cwd: process.cwd(),
    });
  const registry = async (need?: Parameters<typeof builtinRegistry>[0]) => {
    const r = await (await import("./plugins.js")).builtinRegistry(need);
    const { paths, nodeModules } = await search();
    if (paths.length > 0)
      await (await import("./plugin-loader.js")).loadPlugins(r, paths, nodeModules, { warn: stderr, debug });
    return r;
  };
  const convert = async (args: string[]) => {
    const { parseConvertArgs, runConvert } = await import("./convert.js");
    const o: ConvertOptions = parseConvertArgs(args, 1);
    const { convertNeeds } = await import("./convert-classes.js");
    return runConvert(o, await registry(convertNeeds(o)), { stdout, stdoutBytes, stderr });
  };
  try {
    if (cmd === undefined) {
      stderr(USAGE);
      return 2;
    }
    if (cmd !== undefined && (isControlCommand(cmd) || (cmd === "help" && manualPage(rest[0] ?? "") !== undefined))) {
      if (cmd === "help") {
        stdout(manualPage(rest[0]!)!);
        return 0;
      }
      const viewTraces = (args: readonly string[]) => convert([...args]);
      return await runControlCommand(
        cmd,
        rest,
        { stdout, stderr, env: process.env, connect: connectDaemon },
        { viewTraces },
      );
    }
    if (cmd === "view" || cmd === "convert") return await convert(rest);
    if (cmd === "run")
      return await (await import("./run.js")).runRun(rest, await registry(), { stdout, stdoutBytes, stderr });
    if (cmd === "trace") return await (await import("./control/trace.js")).runTrace(rest, { stdout, stderr });
    if (cmd === "query") return (await import("./query.js")).runQuery(rest, await registry(), { stdout, stderr });
    if (cmd === "list-plugins" || cmd === "help") {
      const { help, listPlugins } = await import("./list-plugins.js");
      const { colorsFor } = await import("./query.js");
      if (cmd === "help") stdout(help(rest, await registry(), colorsFor()));
      else stdout(listPlugins(rest, await registry(), (await search()).paths, colorsFor()));
      return 0;
    }
    // babeltrace2 runs `convert` when the first argument is not a command name.
    return await convert(argv.slice(i));
  } catch (e) {
    stderr(formatErrorChain(e, debug));
    if (e instanceof TtngError && e.code === "ERR_USAGE") return 2;
    if (!(e instanceof TtngError) && debug === false && !(e instanceof Error)) return 1;
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    writeAll(2, formatErrorChain(e, true));
    process.exitCode = 1;
  },
);
