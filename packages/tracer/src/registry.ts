/**
 * Providers, event classes and their tracepoint callables, per thread (every thread that imports
 * the package has its own registry, like each LTTng-UST process has its own probes). A tracepoint
 * is a generated function of the event's arity whose only work when disabled is one read of its
 * own `enabled` property; when a session binds it, `w` becomes the event's writer (or a fan-out
 * to several channels). This module does not know about rings or files: `setBinder` lets the
 * session (session.ts) bind each event as it is declared.
 */
import { LOG_LEVEL_NAMES } from "@ttng/filter";
import { type ArgsOf, checkFields, declError, type Field } from "./fields.js";

export type LogLevelName =
  | "EMERG"
  | "ALERT"
  | "CRIT"
  | "ERR"
  | "WARNING"
  | "NOTICE"
  | "INFO"
  | "DEBUG_SYSTEM"
  | "DEBUG_PROGRAM"
  | "DEBUG_PROCESS"
  | "DEBUG_MODULE"
  | "DEBUG_UNIT"
  | "DEBUG_FUNCTION"
  | "DEBUG_LINE"
  | "DEBUG";

/** LTTng-UST's 15 log levels, by value (0 = EMERG ... 14 = DEBUG). */
export const LOG_LEVELS: readonly LogLevelName[] = LOG_LEVEL_NAMES as readonly LogLevelName[];
/** Level of an event declared without one (TRACE_DEBUG_LINE). */
export const DEFAULT_LOG_LEVEL = 13;

export function logLevelValue(level: LogLevelName | number | undefined): number {
  if (level === undefined) return DEFAULT_LOG_LEVEL;
  if (typeof level === "number" && Number.isInteger(level) && level >= 0 && level <= 14) return level;
  const v =
    typeof level === "string" ? LOG_LEVELS.indexOf(level.toUpperCase().replace(/^TRACE_/, "") as LogLevelName) : -1;
  if (v < 0) throw declError(`Unknown log level ${JSON.stringify(level)}: expecting one of ${LOG_LEVELS.join(", ")}`);
  return v;
}

/** A declared tracepoint: call it with the field values in declaration order. */
export type Tracepoint<A extends readonly unknown[]> = ((...args: A) => void) & {
  /** True while a session records this event (a plain property: cheap guard for costly arguments). */
  readonly enabled: boolean;
  /** `provider:event` */
  readonly eventName: string;
  readonly logLevel: number;
  readonly fields: readonly Field[];
};

export interface EventDeclaration<F extends readonly Field[]> {
  logLevel?: LogLevelName | number;
  fields: F;
}

export interface EventClass {
  index: number;
  provider: string;
  name: string;
  fullName: string;
  logLevel: number;
  fields: readonly Field[];
  tp: MutableTracepoint;
}

export interface MutableTracepoint {
  (...args: unknown[]): void;
  enabled: boolean;
  w: (...args: unknown[]) => void;
  eventName: string;
  logLevel: number;
  fields: readonly Field[];
}

const NOOP = (): void => {};
export const events: EventClass[] = [];
const byName = new Map<string, EventClass>();
let binder: ((ec: EventClass) => void) | null = null;

export function setBinder(b: ((ec: EventClass) => void) | null): void {
  binder = b;
}

const declareListeners: Array<(ec: EventClass) => void> = [];

/** Calls `listener` for each event declared from now on (the daemon link lists them for `list -u`). */
export function onDeclare(listener: (ec: EventClass) => void): void {
  declareListeners.push(listener);
}

/**
 * lttng/tracepoint.h: sizeof(provider) + sizeof(name) <= LTTNG_UST_TRACEPOINT_NAME_LEN_MAX (256),
 * both counting their NUL: `provider:event` is at most 254 characters.
 */
const MAX_NAME = 254;
const PROVIDER_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EVENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function makeTracepoint(arity: number): MutableTracepoint {
  const args = Array.from({ length: arity }, (_, k) => `a${k}`).join(", ");
  // Arity-specific so calls stay monomorphic and never allocate a rest array; numbers only.
  let tp: MutableTracepoint;
  try {
    tp = new Function(
      `return function tp(${args}) { if (tp.enabled === true) tp.w(${args}); };`,
    )() as MutableTracepoint;
  } catch {
    // --disallow-code-generation-from-strings (or a CSP): a generic tracepoint; sessions then
    // report that they cannot generate writers and record nothing.
    const generic = ((...a: unknown[]) => {
      if (generic.enabled === true) generic.w(...a);
    }) as MutableTracepoint;
    tp = generic;
  }
  tp.enabled = false;
  tp.w = NOOP;
  return tp;
}

export function declareEvent(
  providerName: string,
  name: string,
  decl: { logLevel?: LogLevelName | number; fields: readonly Field[] },
  internal = false,
): EventClass {
  if (typeof name !== "string" || (!internal && !EVENT_RE.test(name)))
    throw declError(`Invalid event name ${JSON.stringify(name)}: expecting a C identifier`);
  const fullName = `${providerName}:${name}`;
  if (fullName.length > MAX_NAME) throw declError(`Event name ${fullName} is longer than ${MAX_NAME} characters`);
  if (byName.has(fullName)) throw declError(`Event ${fullName} is already declared`);
  if (decl === null || typeof decl !== "object") throw declError(`Event ${fullName}: missing declaration`);
  const fields = checkFields(fullName, decl.fields);
  const logLevel = logLevelValue(decl.logLevel);
  const tp = makeTracepoint(fields.length);
  tp.eventName = fullName;
  tp.logLevel = logLevel;
  tp.fields = fields;
  const ec: EventClass = { index: events.length, provider: providerName, name, fullName, logLevel, fields, tp };
  events.push(ec);
  byName.set(fullName, ec);
  if (binder !== null) binder(ec);
  for (const l of declareListeners) l(ec);
  return ec;
}

export interface Provider {
  readonly name: string;
  /**
   * Declares `provider:name`. Throws a TtngError (ERR_USAGE) on a duplicate name, an unknown field
   * type, more than 127 fields or a bad log level.
   *
   * @example
   * const request = provider("my_app").event("request", { logLevel: "INFO", fields: [u32("status"), string("path")] });
   * request(200, "/index");
   */
  event<const F extends readonly Field[]>(name: string, decl: EventDeclaration<F>): Tracepoint<ArgsOf<F>>;
}

/**
 * A tracepoint provider (LTTNG_UST_TRACEPOINT_PROVIDER).
 *
 * @example
 * const app = provider("my_app");
 */
export function provider(name: string): Provider {
  if (typeof name !== "string" || !PROVIDER_RE.test(name))
    throw declError(`Invalid provider name ${JSON.stringify(name)}: expecting a C identifier`);
  return {
    name,
    event<const F extends readonly Field[]>(evName: string, decl: EventDeclaration<F>): Tracepoint<ArgsOf<F>> {
      return declareEvent(name, evName, decl).tp as unknown as Tracepoint<ArgsOf<F>>;
    },
  };
}

export function eventByName(fullName: string): EventClass | undefined {
  return byName.get(fullName);
}

/** Listeners of `watchEnabled`, per tracepoint. */
const watchers = new Map<MutableTracepoint, Array<(enabled: boolean) => void>>();

/**
 * Sets a tracepoint's `enabled` (what sessions do when they bind or unbind it) and tells its
 * watchers when it changed. `enabled` stays a plain data property: an accessor would put the
 * tracepoint function in V8's dictionary mode (what `watchEnabled` did first, checked with
 * `%HasFastProperties`), and every `tp.enabled` / `tp.w` read on the hot path would become a
 * hash lookup (bench/agent/micro.mjs: about 40 ns per HTTP request of two events).
 */
export function setEnabled(tp: MutableTracepoint, enabled: boolean): void {
  if (tp.enabled === enabled) return;
  tp.enabled = enabled;
  const listeners = watchers.get(tp);
  if (listeners === undefined) return;
  for (const l of listeners) {
    try {
      l(enabled);
    } catch {}
  }
}

/**
 * Calls `listener(enabled)` whenever sessions enable or disable `tp` (whichever session does,
 * now or later). For a tracepoint's owner that must do work only while it records: the Node agent
 * subscribes to a diagnostics channel only while one of its events is enabled. A throwing
 * listener is ignored.
 */
export function watchEnabled<A extends readonly unknown[]>(
  tp: Tracepoint<A>,
  listener: (enabled: boolean) => void,
): void {
  const m = tp as unknown as MutableTracepoint;
  const listeners = watchers.get(m);
  if (listeners === undefined) watchers.set(m, [listener]);
  else listeners.push(listener);
}

export function disableAll(): void {
  for (const ec of events) {
    setEnabled(ec.tp, false);
    ec.tp.w = NOOP;
  }
}

export { NOOP };
