/**
 * `ttng query [-p PARAMS] TYPE.PLUGIN.CLS OBJECT`: babeltrace2's `query`
 * command, and babeltrace2's value printer (print_value() in
 * src/cli/babeltrace2.c), which `list-plugins` reuses for its paths.
 * Colors follow babeltrace2's bt_common_colors_supported() (see
 * `detectTerminal()`): none unless on a color terminal or
 * BABELTRACE_TERM_COLOR=always.
 */
import { createLogger, TtngError } from "@ttng/base";
import {
  type ComponentClass,
  type ComponentContext,
  type TerminalInfo,
  type ComponentType,
  extendMap,
  type MapValue,
  parseParams,
  type Registry,
  type Value,
  vMap,
} from "@ttng/graph";
import { detectTerminal, UsageError } from "./convert.js";

/** babeltrace2's bt_common_color_*() codes: all empty when colors are off. */
export interface Colors {
  reset: string;
  bold: string;
  fgDefault: string;
  fgBlue: string;
  fgYellow: string;
  fgBrightRed: string;
  fgBrightGreen: string;
  fgBrightBlue: string;
  fgBrightCyan: string;
}

export const NO_COLORS: Colors = {
  reset: "",
  bold: "",
  fgDefault: "",
  fgBlue: "",
  fgYellow: "",
  fgBrightRed: "",
  fgBrightGreen: "",
  fgBrightBlue: "",
  fgBrightCyan: "",
};

/** The codes for a terminal (bright colors drawn as bold + color unless `brightMeansBold` is false). */
export function colorsFor(t: TerminalInfo = detectTerminal()): Colors {
  if (!t.colorCodes) return NO_COLORS;
  const bright = (n: number) => (t.brightMeansBold ? `\x1b[1m\x1b[${n - 60}m` : `\x1b[${n}m`);
  return {
    reset: "\x1b[0m",
    bold: "\x1b[1m",
    fgDefault: "\x1b[39m",
    fgBlue: "\x1b[34m",
    fgYellow: "\x1b[33m",
    fgBrightRed: bright(91),
    fgBrightGreen: bright(92),
    fgBrightBlue: bright(94),
    fgBrightCyan: bright(96),
  };
}

/** babeltrace2's bt_common_string_until(): reads up to an unescaped end character. */
export function stringUntil(input: string, escapable: string, ends: string): { text: string; end: number } {
  let text = "";
  let i = 0;
  for (; i < input.length; i++) {
    const c = input[i]!;
    if (c === "\\") {
      const n = input[i + 1];
      if (n === undefined) {
        text += c;
        i++;
        break;
      }
      // An escapable character loses its `\`; any other keeps it.
      text += escapable.includes(n) ? n : c + n;
      i++;
      continue;
    }
    if (ends.includes(c)) break;
    text += c;
  }
  return { text, end: i };
}

export interface ClassSpec {
  name: string | undefined;
  type: ComponentType;
  plugin: string;
  cls: string;
}

/** babeltrace2's plugin_comp_cls_names(): `[NAME:]TYPE.PLUGIN.CLS` with `\.`, `\:`, `\\` escapes. */
export function parseClassSpec(arg: string, withName: boolean): ClassSpec {
  let at = arg;
  let name: string | undefined;
  if (withName) {
    const n = stringUntil(at, ".:\\", ":");
    if (at[n.end] === ":") {
      name = n.text === "" ? undefined : n.text;
      at = at.slice(n.end + 1);
    }
  }
  const t = stringUntil(at, ".:\\", ".");
  if (t.end >= at.length) throw new UsageError("Missing component class type (`source`, `filter`, or `sink`).");
  let type: ComponentType;
  if (t.text === "source" || t.text === "src") type = "source";
  else if (t.text === "filter" || t.text === "flt") type = "filter";
  else if (t.text === "sink") type = "sink";
  else throw new UsageError(`Unknown component class type: \`${t.text}\`.`);
  at = at.slice(t.end + 1);
  const p = stringUntil(at, ".:\\", ".");
  if (p.text === "" || p.end >= at.length) throw new UsageError("Missing plugin or component class name.");
  at = at.slice(p.end + 1);
  const c = stringUntil(at, ".:\\", ".");
  if (c.text === "") throw new UsageError("Missing component class name.");
  if (c.end < at.length) throw new UsageError(`Unexpected \`.\` in component class specification: \`${arg}\``);
  return { name, type, plugin: p.text, cls: c.text };
}

/** babeltrace2's bt_common_shell_quote(s, false), for class names in `'TYPE.PLUGIN.CLS'`. */
function shellQuoteBare(s: string): string {
  if (s !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return s.replace(/'/g, `'"'"'`);
}

/** babeltrace2's format_plugin_comp_cls_opt(): `'source.ctf.fs'`. */
export function formatClass(cc: ComponentClass, c: Colors = NO_COLORS): string {
  return `'${c.bold}${c.fgBrightCyan}${cc.type}${c.fgDefault}.${c.fgBlue}${shellQuoteBare(cc.plugin)}${c.fgDefault}.${c.fgYellow}${shellQuoteBare(cc.name)}${c.reset}'`;
}

/** C's `%lf`: six decimals, `nan`, `inf`. */
function formatReal(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Object.is(v, -0)) return "-0.000000";
  if (Math.abs(v) < 1e21) return v.toFixed(6);
  // toFixed() switches to exponent notation from 1e21; %f never does.
  const int = BigInt(Math.trunc(v));
  return `${int}.000000`;
}

function isEmptyContainer(v: Value): string | undefined {
  if (v.type === "array" && v.items.length === 0) return "[ ]\n";
  if (v.type === "map" && v.entries.size === 0) return "{ }\n";
  return undefined;
}

function valueRec(v: Value, indent: number, out: string[], c: Colors): void {
  const pad = " ".repeat(indent);
  switch (v.type) {
    case "null":
      out.push(`${c.bold}null${c.reset}\n`);
      return;
    case "bool":
      out.push(`${c.bold}${c.fgBrightCyan}${v.value ? "yes" : "no"}${c.reset}\n`);
      return;
    case "uint":
    case "sint":
      out.push(`${c.bold}${c.fgBrightRed}${v.value}${c.reset}\n`);
      return;
    case "real":
      out.push(`${c.bold}${c.fgBrightRed}${formatReal(v.value)}${c.reset}\n`);
      return;
    case "string":
      out.push(`${c.bold}${c.fgBrightGreen}${v.value}${c.reset}\n`);
      return;
    case "array":
      if (v.items.length === 0) {
        out.push(`${pad}[ ]\n`);
        return;
      }
      for (const e of v.items) {
        out.push(`${pad}- `);
        const empty = isEmptyContainer(e);
        if (empty) {
          out.push(empty);
          continue;
        }
        if (e.type === "array" || e.type === "map") out.push("\n");
        valueRec(e, indent + 2, out, c);
      }
      return;
    case "map": {
      if (v.entries.size === 0) {
        out.push(`${pad}{ }\n`);
        return;
      }
      // babeltrace2 sorts keys with strcmp(): byte order, which code-unit order matches for these keys.
      const keys = [...v.entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const k of keys) {
        const e = v.entries.get(k)!;
        out.push(`${pad}${k}: `);
        const empty = isEmptyContainer(e);
        if (empty) {
          out.push(empty);
          continue;
        }
        if (e.type === "array" || e.type === "map") out.push("\n");
        valueRec(e, indent + 2, out, c);
      }
      return;
    }
  }
}

/** A value as babeltrace2's CLI prints it (query results, plugin paths). */
export function formatValue(v: Value, indent = 0, colors: Colors = NO_COLORS): string {
  const out: string[] = [];
  if (v.type !== "array" && v.type !== "map") out.push(" ".repeat(indent));
  valueRec(v, indent, out, colors);
  return out.join("");
}

function queryContext(stderr: (t: string) => void): ComponentContext {
  return {
    name: "query",
    logger: createLogger("warning", (level, tag, message) => stderr(`${level.toUpperCase()[0]} ${tag} ${message}\n`)),
    stderr,
    stdout: () => {},
    stdoutBytes: () => {},
    mipVersion: 0,
    terminal: { colorCodes: false, brightMeansBold: true },
  };
}

const QUERY_USAGE = `Usage: ttng query [OPTS] TYPE.PLUGIN.CLS OBJECT

Options:

  -p, --params=PARAMS  Set the query parameters to PARAMS
  -h, --help           Show this help and quit
`;

/** `ttng query`. Returns the exit status. */
export function runQuery(
  args: string[],
  registry: Registry,
  io: { stdout: (t: string) => void; stderr: (t: string) => void },
): number {
  let params: MapValue = vMap();
  const nonOpts: string[] = [];
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    let inline: string | undefined;
    if (a.startsWith("--") && a.includes("=")) {
      inline = a.slice(a.indexOf("=") + 1);
      a = a.slice(0, a.indexOf("="));
    } else if (a.startsWith("-p") && a.length > 2) {
      inline = a.slice(2);
      a = "-p";
    }
    if (a === "-h" || a === "--help") {
      io.stdout(QUERY_USAGE);
      return 0;
    }
    if (a === "-p" || a === "--params") {
      const text = inline ?? args[++i];
      if (text === undefined) throw new UsageError(`Missing argument for option \`${a}\``);
      let p: MapValue;
      try {
        p = parseParams(text);
      } catch (e) {
        throw new TtngError("ERR_USAGE", `Invalid format for --params option's argument:\n    ${text}`, {
          actor: "ttng CLI",
          cause: e,
        });
      }
      params = extendMap(params, p);
      continue;
    }
    if (a.startsWith("-") && a !== "-") throw new UsageError(`Unknown option: \`${a}\``);
    nonOpts.push(args[i]!);
  }
  if (nonOpts.length > 2)
    throw new UsageError(`Extraneous command-line argument specified to \`query\` command: \`${nonOpts[2]}\`.`);
  if (nonOpts.length < 2) throw new UsageError("Expecting a component class specification and an object.");
  const specText = nonOpts[0]!;
  let spec: ClassSpec;
  try {
    spec = parseClassSpec(specText, false);
  } catch (e) {
    throw new TtngError("ERR_USAGE", `Invalid format for component class specification:\n    ${specText}`, {
      actor: "ttng CLI",
      cause: e,
    });
  }
  const object = nonOpts[1]!;
  if (object === "") throw new UsageError("Invalid empty object.");
  const cc = registry.find(spec.type, spec.plugin, spec.cls);
  const what = `plugin-name="${spec.plugin}", comp-cls-name="${spec.cls}", comp-cls-type=${spec.type}`;
  if (!cc) throw new TtngError("ERR_GRAPH", `Cannot find component class: ${what}`, { actor: "ttng CLI" });
  if (!cc.query) {
    throw new TtngError(
      "ERR_UNSUPPORTED",
      `Failed to query component class: unknown query object: ${what} object="${object}"`,
      {
        actor: "ttng CLI",
      },
    );
  }
  let result: Value;
  try {
    result = cc.query(object, params, queryContext(io.stderr));
  } catch (e) {
    throw new TtngError("ERR_GRAPH", `Failed to query component class: ${what} object="${object}"`, {
      actor: "ttng CLI",
      cause: e,
    });
  }
  io.stdout(formatValue(result, 0, colorsFor()));
  return 0;
}
