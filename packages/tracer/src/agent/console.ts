/**
 * node_console:* — every `console` method as a log record (LTTng's Java and Python agents turn
 * logging calls into `lttng_jul:event` / `lttng_python:event`; here the global console is the
 * logger named `console`). Each method is one event class with its LTTng log level, so
 * `--loglevel` rules select them as for any UST event; fields `logger_name` and `msg` (the text
 * the console prints, formatted as `util.format` / `util.inspect` format it).
 *
 * Node's console methods call each other (`trace` prints through `this.error`, `assert` through
 * `this.warn`, `count`, `table`, `group`, `timeEnd`, `timeLog` through `this.log`, and `info`,
 * `debug`, `dirxml`, `error`, `groupCollapsed` are aliases), so the agent wraps every method, the
 * outermost call names the event and the first printing method underneath gives the text: one
 * record per call, the one the user made. A method that prints nothing (a passing `assert`,
 * `time`) records nothing.
 *
 * The wrappers are installed only while a node_console event is enabled and removed when none
 * is, unless the app replaced them meanwhile (then its functions stay). A wrapper calls the
 * original once with the same `this` and arguments and returns its result; what it throws is
 * the app's. The `$app.caller` context gives the location of the console call.
 */
import { format, inspect } from "node:util";
import { string } from "../fields.js";
import { type LogLevelName, provider, type Tracepoint } from "../registry.js";
import { registerAppContexts } from "./contexts.js";
import { active, swallow } from "./guard.js";
import { whileEnabled } from "./when-enabled.js";

type ConsoleTracepoint = Tracepoint<[logger_name: string, msg: string]>;

const consoleProvider = provider("node_console");
function declare(name: string, logLevel: LogLevelName): ConsoleTracepoint {
  return consoleProvider.event(name, { logLevel, fields: [string("logger_name"), string("msg")] });
}

/** Event per method; `error`/`warn` family levels from syslog's meaning, as LTTng's levels are. */
export const consoleEvents = {
  log: declare("log", "INFO"),
  info: declare("info", "INFO"),
  debug: declare("debug", "DEBUG"),
  warn: declare("warn", "WARNING"),
  error: declare("error", "ERR"),
  dir: declare("dir", "INFO"),
  dirxml: declare("dirxml", "INFO"),
  trace: declare("trace", "DEBUG"),
  assert: declare("assert", "ERR"),
  count: declare("count", "DEBUG"),
  table: declare("table", "INFO"),
  group: declare("group", "INFO"),
  time: declare("time", "DEBUG"),
} as const;

/** Console method -> event (several methods share one: groupCollapsed is a group). */
const METHOD_EVENT: Readonly<Record<string, ConsoleTracepoint>> = {
  ...consoleEvents,
  groupCollapsed: consoleEvents.group,
  timeEnd: consoleEvents.time,
  timeLog: consoleEvents.time,
  countReset: consoleEvents.count,
};
/** Methods that print their arguments (the others print through one of these). */
const PRINTERS = new Set(["log", "info", "debug", "dirxml", "warn", "error", "dir"]);

type Fn = (...args: unknown[]) => unknown;
const originals = new Map<string, Fn>();
const wrappers = new Map<string, Fn>();
let depth = 0;
let outer: ConsoleTracepoint | null = null;
let outerWrapper: Fn | null = null;
let printed = false;

function text(method: string, args: unknown[]): string {
  if (method === "dir") return inspect(args[0], { customInspect: false, ...(args[1] as object) });
  return format(...args);
}

function wrap(method: string, original: Fn): Fn {
  const tp = METHOD_EVENT[method];
  const printer = PRINTERS.has(method);
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    if (depth === 0) {
      outer = tp ?? null;
      outerWrapper = wrapper;
      printed = false;
    }
    depth++;
    try {
      if (printer && !printed && outer !== null && outer.enabled) {
        printed = true;
        try {
          outer("console", text(method, args));
        } catch (e) {
          swallow(`node_console:${method}`, e);
        }
      }
      return original.apply(this, args);
    } finally {
      depth--;
      if (depth === 0) {
        outer = null;
        outerWrapper = null;
      }
    }
  };
  Object.defineProperty(wrapper, "name", { value: original.name });
  return wrapper;
}

function attach(): void {
  const c = console as unknown as Record<string, unknown>;
  for (const method of Object.keys(METHOD_EVENT)) {
    const original = c[method];
    if (typeof original !== "function") continue;
    const w = wrap(method, original as Fn);
    originals.set(method, original as Fn);
    wrappers.set(method, w);
    c[method] = w;
  }
  active.add("console");
}

function detach(): void {
  const c = console as unknown as Record<string, unknown>;
  for (const [method, w] of wrappers) {
    if (c[method] === w) c[method] = originals.get(method);
  }
  wrappers.clear();
  originals.clear();
  active.delete("console");
}

/**
 * `$app.caller`: `function (file:line:column)` of the console call being recorded, "" for any
 * other event. The stack is captured only when a session asked for this context.
 */
export function callerLocation(): string {
  if (outerWrapper === null) return "";
  const limit = Error.stackTraceLimit;
  try {
    const holder: { stack?: string } = {};
    Error.stackTraceLimit = 1;
    Error.captureStackTrace(holder, outerWrapper);
    const line = holder.stack?.split("\n")[1];
    return line === undefined ? "" : line.trim().replace(/^at /, "");
  } catch (e) {
    swallow("$app.caller", e);
    return "";
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export function installConsole(): void {
  registerAppContexts({ caller: callerLocation });
  whileEnabled("node_console", Object.values(consoleEvents), attach, detach);
}
