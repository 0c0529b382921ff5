/**
 * `ttng run`: babeltrace2's `run` command. Components come from `-c`,
 * their parameters from `-b` (base) and `-p`, connections from `-x`
 * (`UP[.PORTGLOB]:DOWN[.PORTGLOB]`, validated as babeltrace2 validates
 * them). Ports are connected as babeltrace2 does: each output port to the
 * first `-x` rule matching it, then to the first free matching input port
 * of the downstream component, and output ports that appear later are
 * connected as they appear. Not here: `--stream-intersection` (a
 * `convert` option) and colors.
 */
import { createLogger, type LogLevel, parseLogLevel, TtngError } from "@ttng/base";
import {
  type ComponentClass,
  type ComponentType,
  extendMap,
  Graph,
  type MapValue,
  parseParams,
  type Registry,
  vMap,
} from "@ttng/graph";
import { detectTerminal, type RunIo, UsageError } from "./convert.js";
import { parseClassSpec, stringUntil } from "./query.js";

interface RunComponent {
  name: string;
  type: ComponentType;
  plugin: string;
  cls: string;
  params: MapValue;
  logLevel?: LogLevel;
}

export interface Connection {
  arg: string;
  up: string;
  upGlob: string;
  down: string;
  downGlob: string;
}

export interface RunOptions {
  components: RunComponent[];
  connections: Connection[];
  retryDurationUs: number;
  /** `-m/--allowed-mip-versions` (babeltrace2 2.1+); ttng's default is 1, as for `convert`. */
  mip: 0 | 1;
}

function cfgError(message: string): TtngError {
  return new TtngError("ERR_USAGE", message, { actor: "ttng CLI" });
}

/** Port globs reserve `?` and `[` (they must be escaped); consecutive `*` collapse. */
function portGlob(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "?" || c === "[") return undefined;
  }
  return text.replace(/(?<!\\)\*{2,}/g, "*");
}

/** babeltrace2's bt_common_star_glob_match(): `*` matches anything, `\` makes the next character literal. */
export function starGlobMatch(glob: string, text: string): boolean {
  let re = "^";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "\\" && i + 1 < glob.length) {
      re += glob[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    } else if (c === "*") re += "[^]*";
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`${re}$`).test(text);
}

/** babeltrace2's cfg_connection_from_arg(). */
export function parseConnection(arg: string): Connection | undefined {
  const c: Connection = { arg, up: "", upGlob: "*", down: "", downGlob: "*" };
  let at = arg;
  const up = stringUntil(at, ".:\\", ".:");
  if (up.text === "") return undefined;
  c.up = up.text;
  if (at[up.end] === ".") {
    at = at.slice(up.end + 1);
    const g = stringUntil(at, ".:", ".:");
    const glob = g.text === "" ? undefined : portGlob(g.text);
    if (glob === undefined || at[g.end] !== ":") return undefined;
    c.upGlob = glob;
    at = at.slice(g.end + 1);
  } else if (at[up.end] === ":") at = at.slice(up.end + 1);
  else return undefined;
  const down = stringUntil(at, ".:\\", ".:");
  if (down.text === "") return undefined;
  c.down = down.text;
  if (down.end >= at.length) return c;
  if (at[down.end] !== ".") return undefined;
  at = at.slice(down.end + 1);
  const g = stringUntil(at, ".:", ".:");
  const glob = g.text === "" ? undefined : portGlob(g.text);
  if (glob === undefined || g.end < at.length) return undefined;
  c.downGlob = glob;
  return c;
}

/** babeltrace2's validate_connections(): the first problem, as babeltrace2 words it. */
function validateConnections(comps: RunComponent[], conns: Connection[]): string | undefined {
  const byName = new Map(comps.map((c) => [c.name, c]));
  for (const c of conns) {
    if (!byName.has(c.up)) return `Invalid connection: cannot find upstream component \`${c.up}\`:\n    ${c.arg}`;
    if (!byName.has(c.down)) return `Invalid connection: cannot find downstream component \`${c.down}\`:\n    ${c.arg}`;
  }
  for (const c of conns) {
    const u = byName.get(c.up)!;
    const d = byName.get(c.down)!;
    if (u.type === "sink")
      return `Invalid connection: cannot connect sink component \`${c.up}\` to component \`${c.down}\`:\n    ${c.arg}`;
    if (d.type === "source")
      return `Invalid connection: ${u.type} component \`${c.up}\` not connected to filter or sink component:\n    ${c.arg}`;
  }
  const connected = new Set(conns.flatMap((c) => [c.up, c.down]));
  for (const type of ["source", "filter", "sink"] as const) {
    for (const c of comps)
      if (c.type === type && !connected.has(c.name)) return `Component \`${c.name}\` is not connected`;
  }
  const flat = new Set<string>();
  for (const c of conns) {
    const k = [c.up, c.upGlob, c.down, c.downGlob].join("\x01");
    if (flat.has(k)) return `Duplicate connection:\n    ${c.arg}`;
    flat.add(k);
  }
  const cycle = (path: string[]): string | undefined => {
    const last = path[path.length - 1];
    for (const c of conns) {
      if (c.up !== last) continue;
      if (path.includes(c.down)) return `Invalid connection: connection forms a cycle:\n    ${c.arg}`;
      const r = cycle([...path, c.down]);
      if (r) return r;
    }
    return undefined;
  };
  for (const c of conns) {
    const r = cycle([c.up]);
    if (r) return r;
  }
  return undefined;
}

const RUN_USAGE = `Usage: ttng run [OPTIONS]

Options:

  -b, --base-params=PARAMS          Set PARAMS as the current base parameters
                                    for all the following components until
                                    --reset-base-params is encountered
  -c, --component=NAME:TYPE.PLUGIN.CLS
                                    Instantiate the component class CLS of type
                                    TYPE (\`source\`, \`filter\`, or \`sink\`) found
                                    in the plugin PLUGIN, add it to the graph,
                                    and name it NAME
  -x, --connect=CONNECTION          Connect two created components
                                    (UPSTREAM[.UPSTREAM-PORT]:DOWNSTREAM[.DOWNSTREAM-PORT],
                                    ports as globs with \`*\`; escape \`.\`, \`:\`, \`\\\` with \`\\\`)
  -l, --log-level=LVL               Set the log level of the current component to LVL
                                    (\`N\`, \`T\`, \`D\`, \`I\`, \`W\`, \`E\`, or \`F\`)
  -p, --params=PARAMS               Add initialization parameters PARAMS to the
                                    current component
  -r, --reset-base-params           Reset the current base parameters to an
                                    empty map
  -m, --allowed-mip-versions=0|1    Message Interchange Protocol version (0: babeltrace2
                                    2.0 output, 1: 2.1+, the default)
      --retry-duration=DUR          When the graph needs to retry later, retry
                                    in DUR µs (default: 100000)
  -h, --help                        Show this help and quit
`;

const SHORT: Record<string, string> = {
  "-b": "--base-params",
  "-c": "--component",
  "-x": "--connect",
  "-l": "--log-level",
  "-p": "--params",
  "-r": "--reset-base-params",
  "-h": "--help",
  "-m": "--allowed-mip-versions",
};
const WITH_ARG = new Set([
  "--base-params",
  "--component",
  "--connect",
  "--log-level",
  "--params",
  "--retry-duration",
  "--allowed-mip-versions",
]);

/** babeltrace2's bt_log_get_level_from_string(): exact, upper-case names and letters only. */
const BT2_LOG_LEVELS = /^(T|TRACE|D|DEBUG|I|INFO|W|WARN|WARNING|E|ERROR|F|FATAL|N|NONE)$/;

interface RunArgItem {
  opt: string;
  arg: string;
}

/**
 * babeltrace2 (argpar) reads the whole command line before looking at any option:
 * unknown options and missing arguments are reported first, and `--help` anywhere wins.
 * Short options bundle (`-rx A:B` is `-r -x A:B`); an argument follows its option in
 * the same word (`-xA:B`, `--connect=A:B`) or in the next one. Non-options are kept (as
 * `opt` "") to be reported in order with the other checks.
 */
function readRunArgs(args: string[]): RunArgItem[] | undefined {
  const items: RunArgItem[] = [];
  let help = false;
  const fail = (i: number, what: string) =>
    new UsageError(
      `While parsing \`run\` command's command-line arguments: While parsing argument #${i + 1} (\`${args[i]}\`): ${what}`,
    );
  for (let i = 0; i < args.length; i++) {
    const raw = args[i]!;
    if (raw.startsWith("--")) {
      const eq = raw.indexOf("=");
      const opt = eq >= 0 ? raw.slice(0, eq) : raw;
      if (opt === "--help") {
        help = true;
        continue;
      }
      if (!WITH_ARG.has(opt) && opt !== "--reset-base-params") throw fail(i, `Unknown option \`${opt}\``);
      if (!WITH_ARG.has(opt)) {
        items.push({ opt, arg: "" });
        continue;
      }
      if (eq >= 0) items.push({ opt, arg: raw.slice(eq + 1) });
      else if (i + 1 < args.length) items.push({ opt, arg: args[++i]! });
      else throw fail(i, `Missing required argument for option \`${opt}\``);
      continue;
    }
    if (!raw.startsWith("-") || raw.length < 2) {
      items.push({ opt: "", arg: raw });
      continue;
    }
    const at = i;
    for (let j = 1; j < raw.length; j++) {
      const opt = SHORT[`-${raw[j]}`];
      if (opt === undefined) throw fail(at, `Unknown option \`-${raw[j]}\``);
      if (opt === "--help") {
        help = true;
        continue;
      }
      if (!WITH_ARG.has(opt)) {
        items.push({ opt, arg: "" });
        continue;
      }
      if (j + 1 < raw.length) items.push({ opt, arg: raw.slice(j + 1) });
      else if (i + 1 < args.length) items.push({ opt, arg: args[++i]! });
      else throw fail(at, `Missing required argument for option \`-${raw[j]}\``);
      break;
    }
  }
  return help ? undefined : items;
}

/** Parses `run` arguments (after the command name); undefined for `--help`. */
export function parseRunArgs(args: string[]): RunOptions | undefined {
  const o: RunOptions = { components: [], connections: [], retryDurationUs: 100000, mip: 1 };
  let base: MapValue = vMap();
  let current: RunComponent | undefined;
  const connectArgs: string[] = [];
  const items = readRunArgs(args);
  if (items === undefined) return undefined;
  for (const { opt, arg } of items) {
    if (opt === "") throw cfgError(`Unexpected argument: \`${arg}\``);
    const params = (what: string): MapValue => {
      try {
        return parseParams(arg);
      } catch (e) {
        throw new TtngError("ERR_USAGE", `Invalid format for ${what} option's argument:\n    ${arg}`, {
          actor: "ttng CLI",
          cause: e,
        });
      }
    };
    switch (opt) {
      case "--component": {
        let spec: ReturnType<typeof parseClassSpec>;
        try {
          spec = parseClassSpec(arg, true);
        } catch (e) {
          throw new TtngError("ERR_USAGE", `Invalid format for --component option's argument:\n    ${arg}`, {
            actor: "ttng CLI",
            cause: e,
          });
        }
        if (spec.name === undefined) throw cfgError("Found an unnamed component.");
        if (o.components.some((c) => c.name === spec.name))
          throw cfgError(`Duplicate component instance name:\n    ${spec.name}`);
        current = {
          name: spec.name,
          type: spec.type,
          plugin: spec.plugin,
          cls: spec.cls,
          params: extendMap(base, vMap()),
        };
        o.components.push(current);
        break;
      }
      case "--params": {
        if (!current) throw cfgError(`Cannot add parameters to unavailable component:\n    ${arg}`);
        current.params = extendMap(current.params, params("--params"));
        break;
      }
      case "--log-level": {
        if (!current) throw cfgError(`Cannot set the log level of unavailable component:\n    ${arg}`);
        const level = BT2_LOG_LEVELS.test(arg) ? parseLogLevel(arg) : undefined;
        if (level === undefined) throw cfgError(`Invalid argument for --log-level option:\n    ${arg}`);
        current.logLevel = level;
        break;
      }
      case "--base-params":
        base = params("--base-params");
        break;
      case "--reset-base-params":
        base = vMap();
        break;
      case "--connect":
        connectArgs.push(arg);
        break;
      case "--allowed-mip-versions":
        if (arg !== "0" && arg !== "1") throw cfgError(`Invalid MIP version: \`${arg}\``);
        o.mip = arg === "0" ? 0 : 1;
        break;
      case "--retry-duration": {
        // g_ascii_strtoll(): leading white space and a sign are accepted, nothing after the digits.
        if (!/^\s*[+-]?\d+$/.test(arg))
          throw cfgError(`Could not parse --retry-duration option's argument as an unsigned integer: \`${arg}\``);
        const n = Number.parseInt(arg.trim(), 10);
        if (n < 0) throw cfgError(`--retry-duration option's argument must be positive or 0: ${n}`);
        o.retryDurationUs = n;
        break;
      }
    }
  }
  if (!o.components.some((c) => c.type === "source")) throw cfgError("Incomplete graph: no source component.");
  if (!o.components.some((c) => c.type === "sink")) throw cfgError("Incomplete graph: no sink component.");
  const fail = (why: string) =>
    new TtngError("ERR_USAGE", "Cannot create connections", {
      actor: "ttng CLI",
      cause: new TtngError("ERR_USAGE", why, { actor: "ttng CLI" }),
    });
  for (const a of connectArgs) {
    const c = parseConnection(a);
    if (!c) throw fail(`Cannot parse --connect option's argument:\n    ${a}`);
    o.connections.push(c);
  }
  const why = validateConnections(o.components, o.connections);
  if (why) throw fail(why);
  return o;
}

/** Creates the components, connects their ports, runs the graph. Returns the exit status. */
export async function runRun(args: string[], registry: Registry, io: RunIo): Promise<number> {
  const o = parseRunArgs(args);
  if (!o) {
    io.stdout(RUN_USAGE);
    return 0;
  }
  const logger = createLogger("warning", (level, tag, message) => {
    io.stderr(`${level.toUpperCase()[0]} ${tag} ${message}\n`);
  });
  const terminal = detectTerminal();
  const graph = new Graph({
    logger,
    stderr: io.stderr,
    stdout: io.stdout,
    stdoutBytes: io.stdoutBytes,
    mipVersion: o.mip,
    terminal,
  });
  const classes = new Map<string, ComponentClass>();
  // babeltrace2 creates the sources, then the filters, then the sinks.
  const ordered = (["source", "filter", "sink"] as const).flatMap((t) => o.components.filter((c) => c.type === t));
  for (const c of ordered) {
    const cc = registry.find(c.type, c.plugin, c.cls);
    if (!cc) {
      throw new TtngError("ERR_GRAPH", "Cannot create components", {
        actor: "ttng CLI",
        cause: new TtngError(
          "ERR_GRAPH",
          `Cannot find component class: plugin-name="${c.plugin}", comp-cls-name="${c.cls}", comp-cls-type=${c.type}`,
          { actor: "ttng CLI" },
        ),
      });
    }
    classes.set(c.name, cc);
    graph.addComponent(cc, c.name, c.params, c.logLevel);
  }
  connectPorts(graph, ordered, o.connections);
  const onSigint = () => graph.interrupt();
  process.on("SIGINT", onSigint);
  try {
    const r = await graph.run(o.retryDurationUs);
    if (r === "interrupted") io.stderr("ttng: interrupted\n");
    return r === "interrupted" ? 2 : 0;
  } finally {
    process.off("SIGINT", onSigint);
    if (terminal.colorCodes) {
      io.stdout("\x1b[0m");
      io.stderr("\x1b[0m");
    }
  }
}

/**
 * babeltrace2's cmd_run_ctx_connect_ports() and its "output port added"
 * listener: the initial output ports of the sources, then of the filters,
 * then any output port that appears after a connection.
 */
function connectPorts(graph: Graph, comps: RunComponent[], conns: Connection[]): void {
  const seen = new Set<string>();
  const key = (c: string, p: string) => `${c}\0${p}`;
  const connectUpstream = (up: string, port: string) => {
    const conn = conns.find((c) => c.up === up && starGlobMatch(c.upGlob, port));
    if (!conn) {
      throw new TtngError("ERR_GRAPH", "Cannot connect initial component ports", {
        actor: "ttng CLI",
        cause: new TtngError(
          "ERR_GRAPH",
          `Cannot connect upstream port: port does not match any connection argument: comp-name="${up}", port-name="${port}"`,
          { actor: "ttng CLI" },
        ),
      });
    }
    const free = graph
      .inputPorts(conn.down)
      .find((q) => !graph.isConnected(conn.down, q, true) && starGlobMatch(conn.downGlob, q));
    if (free === undefined) {
      throw new TtngError("ERR_GRAPH", "Cannot connect initial component ports", {
        actor: "ttng CLI",
        cause: new TtngError(
          "ERR_GRAPH",
          `Cannot create connection: cannot find a matching downstream port for upstream port: upstream-port-name="${port}", downstream-comp-name="${conn.down}", conn-arg="${conn.arg}"`,
          { actor: "ttng CLI" },
        ),
      });
    }
    graph.connect(up, port, conn.down, free);
    // Ports added by that connection (babeltrace2's port-added listener).
    for (const c of comps) {
      for (const p of graph.outputPorts(c.name)) {
        if (seen.has(key(c.name, p))) continue;
        seen.add(key(c.name, p));
        if (!graph.isConnected(c.name, p, false)) connectUpstream(c.name, p);
      }
    }
  };
  const initial = comps.filter((c) => c.type !== "sink");
  for (const c of initial) for (const p of graph.outputPorts(c.name)) seen.add(key(c.name, p));
  for (const c of initial) {
    for (const p of graph.outputPorts(c.name)) if (!graph.isConnected(c.name, p, false)) connectUpstream(c.name, p);
  }
}
