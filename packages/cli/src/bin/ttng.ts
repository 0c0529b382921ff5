#!/usr/bin/env node
/**
 * `ttng`: one command for Babeltrace's family (view, convert) and, later,
 * LTTng's. Exit status: 0 success, 1 error, 2 usage error.
 */
import { TtngError } from "@ttng/base";
import { parseConvertArgs, runConvert } from "../convert.js";
import { formatErrorChain } from "../errors.js";
import { help, listPlugins, pluginPaths } from "../list-plugins.js";
import { writeAll, writeBytes } from "../output.js";
import { builtinRegistry } from "../plugins.js";
import { colorsFor, runQuery } from "../query.js";
import { runTrace } from "../control/trace.js";
import { runRun } from "../run.js";

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

Tracing:
  trace [OPTIONS] -- COMMAND...
                      Trace a Node.js command in a new session (see \`ttng trace --help\`)

General options:
  -d, --debug         Print JavaScript stacks of errors
  -h, --help          Show this help

View/convert options: --clock-cycles --clock-date --clock-gmt --clock-seconds
  --no-delta --clock-offset=S --clock-offset-ns=NS --clock-force-correlate
  -n/--names=LIST -f/--fields=LIST --color=WHEN -o/--output-format=text|dummy|ctf-metadata|json
  -w/--output=PATH -c/--component=[NAME:]TYPE.PLUGIN.CLS -p/--params=PARAMS
  --compat=2.0 (babeltrace2 2.0.4 output) | 2.1 (default)
`;

async function main(argv: string[]): Promise<number> {
  const stdout = (t: string) => writeAll(1, t);
  const stderr = (t: string) => writeAll(2, t);
  const stdoutBytes = (b: Uint8Array) => writeBytes(1, b);
  let debug = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-d" || a === "--debug") debug = true;
    else if (a === "-h" || a === "--help") {
      stdout(USAGE);
      return 0;
    } else break;
  }
  const cmd = argv[i];
  let rest = argv.slice(i + 1);
  try {
    if (cmd === undefined) {
      stderr(USAGE);
      return 2;
    }
    if (cmd === "view" || cmd === "convert") {
      const o = parseConvertArgs(rest, 1);
      return await runConvert(o, builtinRegistry(), { stdout, stdoutBytes, stderr });
    }
    if (cmd === "run") return await runRun(rest, builtinRegistry(), { stdout, stdoutBytes, stderr });
    if (cmd === "trace") return await runTrace(rest, { stdout, stderr });
    if (cmd === "query") return runQuery(rest, builtinRegistry(), { stdout, stderr });
    if (cmd === "list-plugins") {
      stdout(listPlugins(rest, builtinRegistry(), pluginPaths(), colorsFor()));
      return 0;
    }
    if (cmd === "help") {
      stdout(help(rest, builtinRegistry(), colorsFor()));
      return 0;
    }
    // babeltrace2 runs `convert` when the first argument is not a command name.
    rest = argv.slice(i);
    const o = parseConvertArgs(rest, 1);
    return await runConvert(o, builtinRegistry(), { stdout, stdoutBytes, stderr });
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
