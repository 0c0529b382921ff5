/**
 * `ttng view` / `ttng convert`: babeltrace2's `convert` command. Builds
 * the implicit graph (auto-discovered sources -> muxer -> sink) from the
 * command line and runs it. Options and their parameter mapping follow
 * babeltrace2 2.0/2.1.
 */
import { closeSync, opendirSync, openSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { isatty } from "node:tty";
import { createLogger, type LogLevel, parseLogLevel, TtngError } from "@ttng/base";
import {
  type ComponentClass,
  Graph,
  type MapValue,
  parseParams,
  type Registry,
  type TerminalInfo,
  vArray,
  vBool,
  vMap,
  vSint,
  vString,
} from "@ttng/graph";
import { isCtfTraceDir, metadataUuid, openMetadata } from "@ttng/plugin-ctf/fs-source";
import { writeAll, writeBytes } from "./output.js";
import { parallelPlan } from "./parallel/plan.js";
import { paramString, paramValue, runArgs, shellQuote } from "./run-args.js";

export class UsageError extends TtngError {
  constructor(message: string) {
    super("ERR_USAGE", message, { actor: "ttng CLI" });
  }
}

interface ExplicitComponent {
  name: string | undefined;
  spec: string;
  params: MapValue;
  /** `--params` arguments as given, for `--run-args`. */
  rawParams: string[];
  logLevel?: LogLevel;
}

/** A non-option argument and the `--params` given after it. */
export interface InputArg {
  path: string;
  params: MapValue;
  rawParams: string[];
  logLevel?: LogLevel;
}

export interface ConvertOptions {
  inputs: string[];
  inputArgs: InputArg[];
  prettyParams: MapValue;
  srcParams: MapValue;
  outputFormat: "text" | "dummy" | "ctf-metadata" | "json" | "ctf" | undefined;
  outputPath: string | undefined;
  components: ExplicitComponent[];
  mip: 0 | 1;
  logLevel: LogLevel;
  runArgs: false | "shell" | "nul";
  /** Implicit trimmer: `begin`/`end` params in command-line order (babeltrace2 keeps them all; the last wins). */
  trimmer: Array<["begin" | "end", string]> | undefined;
  /** `--clock-gmt` (also the trimmer's `gmt`). */
  clockGmt: boolean;
  streamIntersection: boolean;
  /** `--filter EXPR`: a `filter.utils.filter` after the muxer and trimmer (ttng's own option). */
  filter?: string;
  /**
   * `--ctf-version=V` (ttng's own): the `ctf-version` parameter of the implicit `sink.ctf.fs` of
   * `-o ctf` (`1`, `1.8`, `2`, `2.0`). A `-p` keeps babeltrace2's meaning (the preceding input's).
   */
  ctfVersion?: string;
  /** `--reference-clock=NAME` (ttng's own): the muxer's `reference-clock-class-name`. */
  referenceClock?: string;
}

/** babeltrace2's split_timerange(): `BEGIN,END` or `[BEGIN,END]`, `]` optional; undefined when invalid. */
export function splitTimerange(arg: string): [string, string] | undefined {
  let i = arg.startsWith("[") ? 1 : 0;
  const until = (endChar: string): string => {
    let out = "";
    for (; i < arg.length; i++) {
      const c = arg[i]!;
      if (c === "\\") {
        // No escapable characters: a backslash and the next character are kept as they are.
        out += arg.slice(i, i + 2);
        i++;
        continue;
      }
      if (c === endChar) break;
      out += c;
    }
    return out;
  };
  const begin = until(",");
  if (arg[i] !== "," || begin.length === 0) return undefined;
  i++;
  const end = until("]");
  if (end.length === 0) return undefined;
  return [begin, end];
}

const NAME_KEYS: Record<string, string> = {
  payload: "name-payload",
  args: "name-payload",
  arg: "name-payload",
  context: "name-context",
  ctx: "name-context",
  header: "name-header",
  scope: "name-scope",
};
const FIELD_KEYS: Record<string, string> = {
  trace: "field-trace",
  "trace:hostname": "field-trace:hostname",
  "trace:domain": "field-trace:domain",
  "trace:procname": "field-trace:procname",
  "trace:vpid": "field-trace:vpid",
  loglevel: "field-loglevel",
  emf: "field-emf",
  callsite: "field-callsite",
};

function applyList(
  pp: MapValue,
  list: string,
  keys: Record<string, string>,
  prefix: "name" | "field",
  opt: string,
): void {
  let sawAllOrNone = false;
  for (const item of list.split(",")) {
    if (item === "none" && prefix === "field") throw new UsageError("Unknown field: `none`.");
    if (item === "all") {
      pp.entries.set(`${prefix}-default`, vString("show"));
      sawAllOrNone = true;
    } else if (item === "none") {
      pp.entries.set(`${prefix}-default`, vString("hide"));
      sawAllOrNone = true;
    } else {
      const k = keys[item];
      if (!k) throw new UsageError(`Unknown \`${opt}\` ${prefix === "name" ? "name" : "field"}: \`${item}\``);
      pp.entries.set(k, vBool(true));
    }
  }
  if (!sawAllOrNone) pp.entries.set(`${prefix}-default`, vString("hide"));
}

/** Parses `convert` arguments (after the command name). */
export function parseConvertArgs(args: string[], mipDefault: 0 | 1): ConvertOptions {
  const o: ConvertOptions = {
    inputs: [],
    inputArgs: [],
    prettyParams: vMap(),
    srcParams: vMap(),
    outputFormat: undefined,
    outputPath: undefined,
    components: [],
    mip: mipDefault,
    logLevel: "warning",
    runArgs: false,
    trimmer: undefined,
    clockGmt: false,
    streamIntersection: false,
  };
  let hasBegin = false;
  let hasEnd = false;
  let current: ExplicitComponent | InputArg | undefined;
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    let inlineVal: string | undefined;
    if (a.startsWith("--") && a.includes("=")) {
      inlineVal = a.slice(a.indexOf("=") + 1);
      a = a.slice(0, a.indexOf("="));
    }
    const val = (): string => {
      if (inlineVal !== undefined) return inlineVal;
      const v = args[++i];
      if (v === undefined) throw new UsageError(`Missing argument for option \`${a}\``);
      return v;
    };
    const pp = o.prettyParams.entries;
    switch (a) {
      case "--clock-cycles":
        pp.set("clock-cycles", vBool(true));
        break;
      case "--clock-date":
        pp.set("clock-date", vBool(true));
        break;
      case "--clock-gmt":
        pp.set("clock-gmt", vBool(true));
        o.clockGmt = true;
        break;
      case "--clock-seconds":
        pp.set("clock-seconds", vBool(true));
        break;
      case "--no-delta":
        pp.set("no-delta", vBool(true));
        break;
      case "--color": {
        const v = val();
        if (!["never", "auto", "always"].includes(v)) throw new UsageError(`Unknown \`--color\` value: \`${v}\``);
        pp.set("color", vString(v));
        break;
      }
      case "-n":
      case "--names":
        applyList(o.prettyParams, val(), NAME_KEYS, "name", "--names");
        break;
      case "-f":
      case "--fields":
        applyList(o.prettyParams, val(), FIELD_KEYS, "field", "--fields");
        break;
      case "--clock-offset": {
        const v = val();
        if (!/^-?\d+$/.test(v)) throw new UsageError(`Invalid \`--clock-offset\` option's argument: \`${v}\``);
        o.srcParams.entries.set("clock-class-offset-s", vSint(BigInt(v)));
        break;
      }
      case "--clock-offset-ns": {
        const v = val();
        if (!/^-?\d+$/.test(v)) throw new UsageError(`Invalid \`--clock-offset-ns\` option's argument: \`${v}\``);
        o.srcParams.entries.set("clock-class-offset-ns", vSint(BigInt(v)));
        break;
      }
      case "--clock-force-correlate":
        o.srcParams.entries.set("force-clock-class-origin-unix-epoch", vBool(true));
        break;
      case "-o":
      case "--output-format": {
        const v = val();
        if (v !== "text" && v !== "dummy" && v !== "ctf-metadata" && v !== "json" && v !== "ctf") {
          throw new UsageError(`Unknown output format: \`${v}\``);
        }
        o.outputFormat = v;
        break;
      }
      case "-w":
      case "--output":
        o.outputPath = val();
        break;
      case "-i":
      case "--input-format": {
        const v = val();
        if (v !== "ctf") {
          if (v === "lttng-live") throw new TtngError("ERR_UNSUPPORTED", "Input format `lttng-live` is not built yet");
          throw new UsageError(`Unknown input format: \`${v}\``);
        }
        break;
      }
      case "-c":
      case "--component": {
        const v = val();
        const colon = v.indexOf(":");
        const spec = colon >= 0 && !/^(source|src|filter|flt|sink)\./.test(v) ? v.slice(colon + 1) : v;
        const name = spec === v ? undefined : v.slice(0, colon);
        const comp: ExplicitComponent = { name, spec, params: vMap(), rawParams: [] };
        current = comp;
        o.components.push(comp);
        break;
      }
      case "-p":
      case "--params": {
        const text = val();
        const p = parseParams(text);
        if (!current) {
          throw new UsageError(
            `No current component (--component option) or non-option argument of which to set parameters: ${text}`,
          );
        }
        for (const [k, v] of p.entries) current.params.entries.set(k, v);
        current.rawParams.push(text);
        break;
      }
      case "--run-args":
        if (o.runArgs === "nul") throw new UsageError("Cannot specify --run-args and --run-args-0.");
        o.runArgs = "shell";
        break;
      case "--run-args-0":
        if (o.runArgs === "shell") throw new UsageError("Cannot specify --run-args and --run-args-0.");
        o.runArgs = "nul";
        break;
      case "--reference-clock": {
        const v = val();
        if (o.referenceClock !== undefined)
          throw new UsageError(`At --reference-clock option: --reference-clock option already specified: ${v}`);
        o.referenceClock = v;
        break;
      }
      case "--ctf-version": {
        const v = val();
        if (o.ctfVersion !== undefined)
          throw new UsageError(`At --ctf-version option: --ctf-version option already specified: ${v}`);
        o.ctfVersion = v;
        break;
      }
      case "--filter": {
        const v = val();
        if (o.filter !== undefined) throw new UsageError(`At --filter option: --filter option already specified: ${v}`);
        o.filter = v;
        break;
      }
      case "-b":
      case "--begin": {
        const v = val();
        if (hasBegin) throw new UsageError(`At --begin option: --begin or --timerange option already specified: ${v}`);
        hasBegin = true;
        (o.trimmer ??= []).push(["begin", v]);
        break;
      }
      case "-e":
      case "--end": {
        const v = val();
        if (hasEnd) throw new UsageError(`At --end option: --end or --timerange option already specified: ${v}`);
        hasEnd = true;
        (o.trimmer ??= []).push(["end", v]);
        break;
      }
      case "--timerange": {
        const v = val();
        if (hasBegin || hasEnd)
          throw new UsageError(`At --timerange option: --begin, --end, or --timerange option already specified: ${v}`);
        const r = splitTimerange(v);
        if (!r) throw new UsageError(`Invalid --timerange option's argument: expecting BEGIN,END or [BEGIN,END]: ${v}`);
        // As babeltrace2 2.0.4: --timerange does not count as --begin/--end for later options.
        (o.trimmer ??= []).push(["begin", r[0]], ["end", r[1]]);
        break;
      }
      case "--stream-intersection":
        o.streamIntersection = true;
        break;
      case "--compat": {
        const v = val();
        if (v === "2.0") o.mip = 0;
        else if (v === "2.1" || v === "2.2") o.mip = 1;
        else throw new UsageError(`Unknown \`--compat\` version: \`${v}\` (expecting 2.0 or 2.1)`);
        break;
      }
      case "-m":
      case "--allowed-mip-versions": {
        const v = val();
        if (v !== "0" && v !== "1") throw new UsageError(`Invalid MIP version: \`${v}\``);
        o.mip = v === "0" ? 0 : 1;
        break;
      }
      case "-l":
      case "--log-level": {
        const text = val();
        const level = parseLogLevel(text);
        if (level === undefined)
          throw new UsageError(`Invalid log level: \`${text}\` (expecting N, T, D, I, W, E, F or a name)`);
        if (!current)
          throw new UsageError(
            `No current component (--component option) or non-option argument to assign a log level to: ${text}`,
          );
        current.logLevel = level;
        break;
      }
      case "-v":
      case "--verbose":
        o.logLevel = "info";
        pp.set("verbose", vBool(true));
        break;
      case "-d":
      case "--debug":
        o.logLevel = "trace";
        break;
      case "--debug-info":
        throw new TtngError("ERR_UNSUPPORTED", `Option \`${a}\` (trimmer/debug-info) is not built yet`);
      default:
        if (a.startsWith("-") && a !== "-") throw new UsageError(`Unknown option: \`${a}\``);
        o.inputs.push(args[i]!);
        current = { path: args[i]!, params: vMap(), rawParams: [] };
        o.inputArgs.push(current);
    }
  }
  return o;
}

interface FoundTrace {
  dir: string;
  traceName: string | undefined;
}

function discover(input: string, warn: (m: string) => void): FoundTrace[] {
  // Paths stay as typed and are joined with "/" (babeltrace2 prints and names streams with them).
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(input);
  } catch {
    warn(`No trace was found based on input \`${input}\`.`);
    return [];
  }
  if (!st.isDirectory()) {
    warn(`No trace was found based on input \`${input}\`.`);
    return [];
  }
  if (isCtfTraceDir(input)) return [{ dir: input, traceName: undefined }];
  const out: FoundTrace[] = [];
  const walk = (dir: string, rel: string) => {
    // Directory order, not sorted: babeltrace2 discovers traces in readdir() order.
    const names: string[] = [];
    try {
      const d = opendirSync(dir);
      try {
        for (let e = d.readSync(); e !== null; e = d.readSync()) names.push(e.name);
      } finally {
        d.closeSync();
      }
    } catch {
      return;
    }
    for (const n of names) {
      const p = `${dir}/${n}`;
      const r = rel === "" ? n : `${rel}/${n}`;
      try {
        if (!statSync(p).isDirectory()) continue;
      } catch {
        continue;
      }
      if (isCtfTraceDir(p)) out.push({ dir: p, traceName: r });
      else walk(p, r);
    }
  };
  walk(input, "");
  if (out.length === 0) warn(`No trace was found based on input \`${input}\`.`);
  return out;
}

/** babeltrace2's bt_common_colors_supported() and bright-means-bold rules. */
export function detectTerminal(env: NodeJS.ProcessEnv = process.env): TerminalInfo {
  const force = env.BABELTRACE_TERM_COLOR?.toLowerCase();
  let colorCodes = false;
  if (force === "always") colorCodes = true;
  else if (force !== "never") {
    const term = env.TERM ?? "";
    const known = ["xterm", "rxvt", "konsole", "gnome", "screen", "tmux", "putty"].some((p) => term.startsWith(p));
    colorCodes = known && isatty(1) && isatty(2);
  }
  let brightMeansBold = env.TERM !== "xterm-kitty";
  const bmb = env.BABELTRACE_TERM_COLOR_BRIGHT_MEANS_BOLD;
  if (bmb !== undefined) brightMeansBold = bmb !== "0";
  return { colorCodes, brightMeansBold };
}

export interface RunIo {
  stdout: (t: string) => void;
  stdoutBytes: (b: Uint8Array) => void;
  stderr: (t: string) => void;
}

/** Builds and runs the convert graph. Returns the exit status. */

export interface PlanItem {
  name: string;
  spec: string;
  cc: ComponentClass;
  map: MapValue;
  params: string[];
  logLevel?: LogLevel;
}

export interface ConvertPlan {
  components: PlanItem[];
  connections: Array<[string, string]>;
  intersections: Map<string, Map<string, [string, string]>>;
}

/** The convert graph in babeltrace2's order: explicit components, discovered sources, implicit sink, muxer. */
export function planConvert(o: ConvertOptions, registry: Registry, warn: (m: string) => void): ConvertPlan {
  const components: PlanItem[] = [];
  const explicit: PlanItem[] = [];
  for (const c of o.components) {
    const spec = registry.parseSpec(c.spec);
    if (!spec) throw new UsageError(`Invalid component class specification: \`${c.spec}\``);
    const cc = registry.find(spec.type, spec.plugin, spec.name);
    if (!cc) {
      throw new TtngError(
        "ERR_UNSUPPORTED",
        `Cannot find component class \`${spec.type}.${spec.plugin}.${spec.name}\``,
        {
          actor: "ttng CLI",
        },
      );
    }
    const full = `${spec.type}.${spec.plugin}.${spec.name}`;
    const item: PlanItem = { name: c.name ?? full, spec: full, cc, map: c.params, params: c.rawParams };
    if (c.logLevel !== undefined) item.logLevel = c.logLevel;
    explicit.push(item);
    components.push(item);
  }
  const explicitSinks = explicit.filter((e) => e.cc.type === "sink");
  // The pretty-sink options (--clock-*, -n, -f, --no-delta, --color) make an implicit sink, as -o does.
  const implicitSink = o.outputFormat !== undefined || o.prettyParams.entries.size > 0;
  if (explicitSinks.length > 0 && implicitSink) throw new UsageError("More than one sink component specified.");
  if (explicitSinks.length > 1) throw new UsageError("More than one sink component specified.");
  // Sources: one component per group of discovered traces with the same UUID, in discovery order.
  const groups: Array<{ traces: FoundTrace[]; arg: InputArg }> = [];
  const byUuid = new Map<string, FoundTrace[]>();
  for (const arg of o.inputArgs) {
    for (const f of discover(arg.path, warn)) {
      let uuid: string | undefined;
      try {
        uuid = metadataUuid(f.dir);
      } catch {
        uuid = undefined;
      }
      const g = uuid === undefined ? undefined : byUuid.get(uuid);
      if (g) {
        g.push(f);
        continue;
      }
      const ng = [f];
      if (uuid !== undefined) byUuid.set(uuid, ng);
      groups.push({ traces: ng, arg });
    }
  }
  const fsClass = registry.find("source", "ctf", "fs")!;
  const src = o.srcParams.entries;
  const implicitSrc: string[] = [];
  if (src.get("force-clock-class-origin-unix-epoch")?.type === "bool")
    implicitSrc.push("force-clock-class-origin-unix-epoch=yes");
  for (const k of ["clock-class-offset-s", "clock-class-offset-ns"]) {
    const v = src.get(k);
    if (v) implicitSrc.push(`${k}=${paramValue(v)}`);
  }
  const sources: string[] = [];
  groups.forEach((g, idx) => {
    const map = vMap(new Map(o.srcParams.entries));
    const params: string[] = [];
    if (implicitSrc.length > 0) params.push(implicitSrc.join(","));
    const traceName = g.traces.length === 1 ? g.traces[0]!.traceName : undefined;
    if (traceName !== undefined) {
      map.entries.set("trace-name", vString(traceName));
      params.push(`trace-name=${paramString(traceName)}`);
    }
    for (const [k, v] of g.arg.params.entries) map.entries.set(k, v);
    params.push(...g.arg.rawParams);
    const inputs = vArray(g.traces.map((f) => vString(f.dir)));
    map.entries.set("inputs", inputs);
    params.push(`inputs=${paramValue(inputs)}`);
    const name = idx === 0 ? "auto-disc-source-ctf-fs" : `auto-disc-source-ctf-fs-${idx - 1}`;
    const item: PlanItem = { name, spec: "source.ctf.fs", cc: fsClass, map, params };
    if (g.arg.logLevel !== undefined) item.logLevel = g.arg.logLevel;
    components.push(item);
    sources.push(name);
  });
  for (const e of explicit) if (e.cc.type === "source") sources.push(e.name);
  if (sources.length === 0) {
    const reasons = o.inputs.map((i) => {
      const md = join(resolve(i), "metadata");
      let why = "no `metadata` file in it or below it";
      try {
        if (statSync(md).isFile()) why = `\`${md}\` is not a CTF 1.8 metadata stream (empty or unknown format)`;
      } catch {
        // No metadata file: keep the generic reason.
      }
      return `\`${i}\`: ${why}`;
    });
    throw new TtngError("ERR_GRAPH", "No trace to read", {
      actor: "ttng CLI",
      cause: new TtngError("ERR_IO", `No CTF trace found: ${reasons.join("; ")}`, { actor: "source.ctf.fs" }),
    });
  }
  if (o.ctfVersion !== undefined && (o.outputFormat !== "ctf" || explicitSinks.length > 0))
    throw new UsageError("--ctf-version specified without --output-format=ctf.");
  let sink = explicitSinks[0]?.name;
  if (sink === undefined) {
    if (o.outputFormat === "dummy") {
      components.push({
        name: "dummy",
        spec: "sink.utils.dummy",
        cc: registry.find("sink", "utils", "dummy")!,
        map: vMap(),
        params: [],
      });
      sink = "dummy";
    } else if (o.outputFormat === "ctf") {
      // babeltrace2: `-o ctf` needs `-w`, which then goes to the sink's `path`, never to a pretty sink.
      if (o.outputPath === undefined)
        throw new UsageError("--output-format=ctf specified without --output (trace output path).");
      if (o.prettyParams.entries.size > 0)
        throw new UsageError(
          "Ambiguous --output option: --output-format=ctf specified but another option implies --output-format=text.",
        );
      components.push({
        name: "sink-ctf-fs",
        spec: "sink.ctf.fs",
        cc: registry.find("sink", "ctf", "fs")!,
        map: vMap({
          path: vString(o.outputPath),
          ...(o.ctfVersion === undefined ? {} : { "ctf-version": vString(o.ctfVersion) }),
        }),
        params: [
          `path=${paramString(o.outputPath)}`,
          ...(o.ctfVersion === undefined ? [] : [`ctf-version=${paramString(o.ctfVersion)}`]),
        ],
      });
      sink = "sink-ctf-fs";
    } else if (o.outputFormat === "json") {
      // ttng's own format (not in babeltrace2): `-w` redirects standard output, as for the other sinks.
      components.push({
        name: "json",
        spec: "sink.text.json",
        cc: registry.find("sink", "text", "json")!,
        map: vMap(),
        params: [],
      });
      sink = "json";
    } else {
      // As babeltrace2 maps `-w` to the pretty sink's `path` (which also turns `color=auto` off).
      const pp = o.prettyParams;
      if (o.outputPath !== undefined) pp.entries.set("path", vString(o.outputPath));
      // babeltrace2 writes the option-derived parameters first, then `color` and `path` on their own.
      const params: string[] = [];
      const plain: string[] = [];
      for (const [k, v] of pp.entries) {
        if (k !== "color" && k !== "path") plain.push(`${k}=${v.type === "string" ? v.value : paramValue(v)}`);
      }
      if (plain.length > 0) params.push(plain.join(","));
      for (const k of ["color", "path"]) {
        const v = pp.entries.get(k);
        if (v) params.push(`${k}=${paramValue(v)}`);
      }
      components.push({
        name: "pretty",
        spec: "sink.text.pretty",
        cc: registry.find("sink", "text", "pretty")!,
        map: pp,
        params,
      });
      sink = "pretty";
    }
  }
  components.push({
    name: "muxer",
    spec: "filter.utils.muxer",
    cc: registry.find("filter", "utils", "muxer")!,
    map: o.referenceClock === undefined ? vMap() : vMap({ "reference-clock-class-name": vString(o.referenceClock) }),
    params: o.referenceClock === undefined ? [] : [`reference-clock-class-name=${paramString(o.referenceClock)}`],
  });
  const connections: Array<[string, string]> = sources.map((s) => [s, "muxer"]);
  let last = "muxer";
  if (o.trimmer) {
    // babeltrace2's order: `gmt` (from --clock-gmt) first, then each begin/end as given (the last one wins).
    const map = vMap();
    const params: string[] = [];
    if (o.clockGmt) {
      map.entries.set("gmt", vBool(true));
      params.push("gmt=yes");
    }
    for (const [k, v] of o.trimmer) {
      map.entries.set(k, vString(v));
      params.push(`${k}=${paramString(v)}`);
    }
    components.push({
      name: "trimmer",
      spec: "filter.utils.trimmer",
      cc: registry.find("filter", "utils", "trimmer")!,
      map,
      params,
    });
    connections.push([last, "trimmer"]);
    last = "trimmer";
  }
  if (o.filter !== undefined) {
    components.push({
      name: "filter",
      spec: "filter.utils.filter",
      cc: registry.find("filter", "utils", "filter")!,
      map: vMap({ expression: vString(o.filter) }),
      params: [`expression=${paramString(o.filter)}`],
    });
    connections.push([last, "filter"]);
    last = "filter";
  }
  const intersections = new Map<string, Map<string, [string, string]>>();
  if (o.streamIntersection) {
    for (const c of components) if (c.cc.type === "source") intersections.set(c.name, streamIntersections(c));
  }
  for (const e of explicit.filter((x) => x.cc.type === "filter")) {
    connections.push([last, e.name]);
    last = e.name;
  }
  connections.push([last, sink]);
  return { components, connections, intersections };
}

/** babeltrace2's s_from_ns(): `SEC.NNNNNNNNN`, negative with a leading `-`. */
function sFromNs(ns: bigint): string {
  const neg = ns < 0n;
  const a = neg ? -ns : ns;
  return `${neg ? "-" : ""}${a / 1000000000n}.${(a % 1000000000n).toString().padStart(9, "0")}`;
}

/**
 * `--stream-intersection`: the `babeltrace.trace-infos` query of a source,
 * and for each of its ports the range where all streams of its trace are
 * active (babeltrace2's set_stream_intersections()).
 */
function streamIntersections(c: PlanItem): Map<string, [string, string]> {
  const fail = (why: string, cause?: unknown) =>
    new TtngError(
      "ERR_GRAPH",
      "Cannot determine stream intersection of trace.",
      cause === undefined
        ? { actor: "ttng CLI", cause: new TtngError("ERR_GRAPH", why, { actor: "ttng CLI" }) }
        : { actor: "ttng CLI", cause: new TtngError("ERR_GRAPH", why, { actor: "ttng CLI", cause }) },
    );
  if (!c.cc.query)
    throw fail(`Component class does not support the \`babeltrace.trace-infos\` query: comp-class-name="${c.cc.name}"`);
  let result: ReturnType<NonNullable<ComponentClass["query"]>>;
  try {
    result = c.cc.query("babeltrace.trace-infos", c.map, {
      name: "query",
      logger: createLogger("none", () => {}),
      stderr: () => {},
      stdout: () => {},
      stdoutBytes: () => {},
      mipVersion: 0,
      terminal: { colorCodes: false, brightMeansBold: true },
    });
  } catch (e) {
    throw fail(`Failed to execute \`babeltrace.trace-infos\` query: comp-class-name="${c.cc.name}"`, e);
  }
  const out = new Map<string, [string, string]>();
  if (result.type !== "array" || result.items.length === 0)
    throw fail("Unexpected `babeltrace.trace-infos` query result: expecting a non-empty array");
  for (const trace of result.items) {
    const infos = trace.type === "map" ? trace.entries.get("stream-infos") : undefined;
    if (infos?.type !== "array" || infos.items.length === 0) throw fail("Trace has no streams");
    let begin = 0n;
    let end = (1n << 64n) - 1n;
    const ports: string[] = [];
    for (const si of infos.items) {
      const m = si.type === "map" ? si.entries : undefined;
      const range = m?.get("range-ns");
      const b = range?.type === "map" ? range.entries.get("begin") : undefined;
      const e = range?.type === "map" ? range.entries.get("end") : undefined;
      if (b?.type !== "sint" || e?.type !== "sint") throw fail("missing expected `range-ns` key in stream map.");
      if (b.value < 0n || e.value < 0n || e.value < b.value)
        throw fail(`Invalid stream range values: range-ns:begin=${b.value}, range-ns:end=${e.value}`);
      if (b.value > begin) begin = b.value;
      if (e.value < end) end = e.value;
      const pn = m?.get("port-name");
      if (pn?.type === "string") ports.push(pn.value);
    }
    // The C code keeps them as uint64 and prints them as int64.
    const range: [string, string] = [sFromNs(BigInt.asIntN(64, begin)), sFromNs(BigInt.asIntN(64, end))];
    for (const p of ports) out.set(p, range);
  }
  return out;
}

/** Adds `plan`'s components to `graph` and connects them (with babeltrace2's stream-intersection trimmers). */
export function connectConvertGraph(graph: Graph, plan: ConvertPlan, registry: Registry): void {
  for (const c of plan.components) graph.addComponent(c.cc, c.name, c.map, c.logLevel);
  const trimmerClass = registry.find("filter", "utils", "trimmer")!;
  for (const [up, down] of plan.connections) {
    const ranges = plan.intersections.get(up);
    for (const port of graph.outputPorts(up)) {
      const free = graph.inputPorts(down).find((q) => !graph.isConnected(down, q, true));
      if (free === undefined)
        throw new TtngError("ERR_GRAPH", `No free input port on \`${down}\``, { actor: "ttng CLI" });
      const range = ranges?.get(port);
      if (range) {
        // babeltrace2 puts a trimmer between each source port and the muxer.
        const name = `stream-intersection-trimmer-${port}`;
        graph.addComponent(trimmerClass, name, vMap({ begin: vString(range[0]), end: vString(range[1]) }));
        graph.connect(up, port, name, "in");
        graph.connect(name, "out", down, free);
      } else graph.connect(up, port, down, free);
      if (down !== "muxer") break;
    }
  }
}

export async function runConvert(o: ConvertOptions, registry: Registry, io: RunIo): Promise<number> {
  if (o.inputs.length === 0 && o.components.every((c) => !c.spec.startsWith("source") && !c.spec.startsWith("src"))) {
    throw new UsageError("No input trace specified (expecting at least one non-option argument)");
  }
  let outFd: number | undefined;
  let stdout = io.stdout;
  let stdoutBytes = io.stdoutBytes;
  if (o.outputPath !== undefined && o.outputFormat !== "dummy" && o.outputFormat !== "ctf") {
    outFd = openSync(o.outputPath, "w");
    const fd = outFd;
    stdout = (t) => writeAll(fd, t);
    stdoutBytes = (b) => writeBytes(fd, b);
  }
  try {
    const warn = (m: string) => io.stderr(`ttng: warning: ${m}\n`);
    if (o.outputFormat === "ctf-metadata") {
      if (o.inputs.length !== 1) throw new UsageError("`-o ctf-metadata` needs exactly one input trace directory");
      const md = openMetadata(resolve(o.inputs[0]!), {}, () => {});
      let text = md.metadataText;
      if (!text.startsWith("/* CTF 1.8")) text = `/* CTF 1.8 */\n\n${text}`;
      // babeltrace2 prints the text followed by a newline.
      stdout(`${text}\n`);
      return 0;
    }
    // The components' standard error, which a parallel read redirects into its segments' output.
    let graphStderr = io.stderr;
    const logger = createLogger(o.logLevel, (level, tag, message) => {
      graphStderr(`${level.toUpperCase()[0]} ${tag} ${message}\n`);
    });
    const terminal = detectTerminal();
    const graph = new Graph({
      logger,
      stderr: (t) => graphStderr(t),
      stdout,
      stdoutBytes,
      mipVersion: o.mip,
      terminal,
    });
    if (o.streamIntersection && o.runArgs)
      throw new UsageError("Cannot specify --stream-intersection with --run-args or --run-args-0.");
    const plan = planConvert(o, registry, warn);
    if (o.runArgs) {
      const args = runArgs(plan.components, plan.connections);
      if (o.runArgs === "nul")
        io.stdout(
          args
            .map((a) => `${a}\0`)
            .join("")
            .slice(0, -1),
        );
      else io.stdout(args.map(shellQuote).join(" "));
      return 0;
    }
    connectConvertGraph(graph, plan, registry);
    const parallel = parallelPlan(o, plan, graph);
    let interrupted = false;
    const onSigint = () => {
      interrupted = true;
      graph.interrupt();
    };
    process.on("SIGINT", onSigint);
    try {
      const r =
        parallel === undefined
          ? await graph.run()
          : // Loaded only when asked for: a one-thread read does not pay for the worker machinery.
            await (await import("./parallel/run.js")).runParallel(parallel, {
              terminal,
              stdoutBytes,
              stderr: io.stderr,
              redirectGraphStderr: (to) => {
                graphStderr = to ?? io.stderr;
              },
              interrupted: () => interrupted,
            });
      if (r === "interrupted") io.stderr("ttng: interrupted\n");
      return r === "interrupted" ? 2 : 0;
    } finally {
      process.off("SIGINT", onSigint);
      // babeltrace2 resets the console after running the graph, in case something left a color on.
      if (terminal.colorCodes) {
        io.stdout("\x1b[0m");
        io.stderr("\x1b[0m");
      }
    }
  } finally {
    if (outFd !== undefined) closeSync(outFd);
  }
}
