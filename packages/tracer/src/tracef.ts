/**
 * `tracef` and `tracelog`, LTTng-UST's printf-style helpers (lttng/tracef.h, lttng/tracelog.h):
 * events `lttng_ust_tracef:event { msg }` and
 * `lttng_ust_tracelog:LTTNG_UST_TRACEPOINT_LOGLEVEL_<LEVEL> { line, file, func, msg }` (the 2.13
 * event names), `msg` a text sequence with an `unsigned int` length. Formatting (util.format)
 * happens only when the event is enabled; these helpers allocate, as their C versions do.
 */
import { format } from "node:util";
import { s32, string, textSequence } from "./fields.js";
import { declareEvent, type EventClass, LOG_LEVELS, type LogLevelName, logLevelValue } from "./registry.js";

let tracefEvent: EventClass | undefined;
const tracelogEvents: Array<EventClass | undefined> = [];

/**
 * Records `lttng_ust_tracef:event` with `msg = util.format(fmt, ...args)`.
 *
 * @example
 * tracef("cache miss for %s (%d ms)", key, ms);
 */
export function tracef(fmt: string, ...args: unknown[]): void {
  // TRACE_DEBUG (14), as lttng/tp/lttng-ust-tracef.h declares it.
  tracefEvent ??= declareEvent(
    "lttng_ust_tracef",
    "event",
    { logLevel: 14, fields: [textSequence("msg", { lengthType: "u32" })] },
    true,
  );
  const tp = tracefEvent.tp;
  if (!tp.enabled) return;
  let msg = "";
  try {
    msg = format(fmt, ...args);
  } catch {}
  tp(msg);
}

function caller(): { file: string; line: number; func: string } {
  const stack = new Error().stack?.split("\n")[3] ?? "";
  const m = /at (?:(.*?) \()?(.*):(\d+):\d+\)?$/.exec(stack.trim());
  return { file: m?.[2] ?? "", line: Number(m?.[3] ?? 0), func: m?.[1] ?? "" };
}

/**
 * Records `lttng_ust_tracelog:LTTNG_UST_TRACEPOINT_LOGLEVEL_<level>` with the caller's file, line
 * and function, and `msg = util.format(fmt, ...args)`.
 *
 * @example
 * tracelog("WARNING", "retrying %s", url);
 */
export function tracelog(level: LogLevelName, fmt: string, ...args: unknown[]): void {
  let v: number;
  try {
    v = logLevelValue(level);
  } catch {
    v = 13;
  }
  let ec = tracelogEvents[v];
  if (ec === undefined) {
    ec = declareEvent(
      "lttng_ust_tracelog",
      `LTTNG_UST_TRACEPOINT_LOGLEVEL_${LOG_LEVELS[v]}`,
      {
        logLevel: v,
        fields: [s32("line"), string("file"), string("func"), textSequence("msg", { lengthType: "u32" })],
      },
      true,
    );
    tracelogEvents[v] = ec;
  }
  const tp = ec.tp;
  if (!tp.enabled) return;
  let msg = "";
  try {
    msg = format(fmt, ...args);
  } catch {}
  const c = caller();
  tp(c.line, c.file, c.func, msg);
}
