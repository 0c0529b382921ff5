/**
 * Event-name patterns, exclusions and log levels of `lttng enable-event -u`
 * (lttng-tools 2.13 enable_events.c, loglevel.c; lttng-ust 2.13 matching).
 */
import { FilterSyntaxError } from "./errors.js";
import { isStarAtEndOnlyGlobPattern, isStarGlobPattern, starGlobMatch } from "./glob.js";

/** `LTTNG_SYMBOL_NAME_LEN`. */
export const SYMBOL_NAME_LEN = 256;
/** Level of a tracepoint that declares none (`TRACE_DEBUG_LINE`). */
export const DEFAULT_LOG_LEVEL = 13;

const LEVELS: ReadonlyArray<[string, number, string?]> = [
  ["EMERG", 0],
  ["ALERT", 1],
  ["CRIT", 2],
  ["ERR", 3],
  ["WARNING", 4],
  ["NOTICE", 5],
  ["INFO", 6],
  ["DEBUG_SYSTEM", 7, "SYSTEM"],
  ["DEBUG_PROGRAM", 8, "PROGRAM"],
  ["DEBUG_PROCESS", 9, "PROCESS"],
  ["DEBUG_MODULE", 10, "MODULE"],
  ["DEBUG_UNIT", 11, "UNIT"],
  ["DEBUG_FUNCTION", 12, "FUNCTION"],
  ["DEBUG_LINE", 13, "LINE"],
  ["DEBUG", 14],
];

/** The 15 LTTng-UST level names (without the `TRACE_` prefix), by value. */
export const LOG_LEVEL_NAMES: readonly string[] = LEVELS.map(([name]) => name);

/**
 * `--loglevel` / `--loglevel-only` value: a level name, case-insensitive,
 * with or without `TRACE_` (and LTTng's short aliases such as `LINE`).
 * Numbers are rejected, as in 2.13.
 */
export function parseLogLevel(name: string): number {
  const upper = name.toUpperCase();
  for (const [full, value, short] of LEVELS) {
    if (upper === full || upper === `TRACE_${full}` || upper === short) return value;
  }
  throw new FilterSyntaxError(`Unknown loglevel ${name}`, {
    diagnostics: [`Error: Unknown loglevel ${name}`],
  });
}

/** `NAME[,NAME]…` as enable-event splits it (strtok: no escapes, empty names dropped). */
export function splitEventNames(list: string): string[] {
  return list.split(",").filter((s) => s !== "");
}

/** `--exclude` list as strutils_split(…, ',', true) splits it: `\,` is a comma, other `\x` stay. */
export function splitExclusions(list: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < list.length; i++) {
    const ch = list[i]!;
    if (ch === "\\") {
      const next = list[i + 1];
      if (next === undefined) {
        cur += ch;
        break;
      }
      cur += next === "," ? "," : ch + next;
      i++;
    } else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function checkSubset(event: string, exclusion: string, warnings: string[]): void {
  let e = 0;
  let x = 0;
  for (;;) {
    let skipChecks = false;
    if (event[e] === "\\") {
      if (exclusion[x] !== event[e]) {
        warnings.push(`Warning: Event ${event}: ${exclusion} does not exclude any events from ${event}`);
        return;
      }
      e++;
      x++;
      skipChecks = true;
    }
    if (!skipChecks) {
      if (exclusion[x] === "*") {
        throw new FilterSyntaxError(`Event ${event}: ${exclusion} excludes all events from ${event}`, {
          diagnostics: [`Error: Event ${event}: ${exclusion} excludes all events from ${event}`],
        });
      }
      if (event[e] === "*") return;
    }
    if (exclusion[x] !== event[e]) {
      warnings.push(`Warning: Event ${event}: ${exclusion} does not exclude any events from ${event}`);
      return;
    }
    if (e >= event.length) return;
    x++;
    e++;
  }
}

/**
 * Validates `--exclude` for one event name like lttng 2.13. Returns the
 * warning lines LTTng prints; throws with its error line.
 */
export function validateExclusions(eventName: string, exclusions: readonly string[]): string[] {
  if (!isStarGlobPattern(eventName)) {
    throw new FilterSyntaxError(`Event ${eventName}: Exclusions can only be used with a globbing pattern`, {
      diagnostics: [`Error: Event ${eventName}: Exclusions can only be used with a globbing pattern`],
    });
  }
  const warnings: string[] = [];
  if (isStarAtEndOnlyGlobPattern(eventName)) {
    for (const x of exclusions) {
      if (!isStarGlobPattern(x) || isStarAtEndOnlyGlobPattern(x)) checkSubset(eventName, x, warnings);
    }
  }
  for (const x of exclusions) {
    if (x.length >= SYMBOL_NAME_LEN) warnings.push(`Warning: Event exclusion "${x}" will be truncated`);
  }
  return warnings;
}

export interface EventRuleSpec {
  /** One name or pattern (`provider:event`, star-globs allowed). */
  name: string;
  exclusions?: readonly string[];
  /** `--loglevel` (range: at least as severe) or `--loglevel-only` (single). */
  logLevel?: { type: "range" | "single"; level: number };
}

/**
 * A matcher for `provider:event` names and their declared log level (undefined
 * when the tracepoint declares none), as LTTng-UST 2.13 applies an enabler.
 *
 * @example
 * const m = compileEventRule({ name: "my_app:*", exclusions: ["my_app:noisy*"] });
 * m("my_app:start", undefined); // true
 */
export function compileEventRule(spec: EventRuleSpec): (eventName: string, logLevel: number | undefined) => boolean {
  const name = spec.name.slice(0, SYMBOL_NAME_LEN - 1);
  const glob = isStarGlobPattern(name);
  const exclusions = (spec.exclusions ?? []).map((x) => x.slice(0, SYMBOL_NAME_LEN - 1));
  const ll = spec.logLevel;
  return (eventName, logLevel) => {
    if (glob ? !starGlobMatch(name, eventName) : name !== eventName) return false;
    for (const x of exclusions) if (starGlobMatch(x, eventName)) return false;
    if (ll === undefined) return true;
    const level = logLevel ?? DEFAULT_LOG_LEVEL;
    return ll.type === "range" ? level <= ll.level : level === ll.level;
  };
}
