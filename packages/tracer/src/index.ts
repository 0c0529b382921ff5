/**
 * @ttng/tracer: trace Node.js applications (LTTng-UST's role). Public surface only.
 *
 * API summary (the shape other packages, tests and benches code against):
 *
 * ```ts
 * import { provider, u8, u16, u32, u64, s8, s16, s32, s64, f32, f64, string, array, sequence,
 *   textArray, textSequence, enumeration, hex, oct, bin, network, nowrite, tracef, tracelog,
 *   startSession, sessionReady, TtngError } from "@ttng/tracer";
 *
 * // Declaration (throws TtngError code ERR_USAGE on duplicate event or field names, unknown field
 * // types, > 127 fields, bad lengths or log levels, names that are not C identifiers).
 * const app = provider("my_app");
 * const request = app.event("request", {
 *   logLevel: "INFO",                        // one of LTTng's 15 names (EMERG..DEBUG); default DEBUG_LINE
 *   fields: [u32("status"), f64("duration_ms"), string("path")],
 * });
 * request(200, 12.5, "/index");              // typed: (status: number, duration_ms: number, path: string) => void
 * if (request.enabled) request(...);         // `enabled` is a plain boolean property
 * request.eventName;                         // "my_app:request"
 *
 * // Field constructors (name, options?). Options: { base?: 2|8|10|16, byteOrder?: "le"|"be", nowrite?: true }
 * u8 u16 u32 u64 s8 s16 s32 s64              // 64-bit accept number | bigint
 * hex(u32("x")) oct(...) bin(...)            // display base wrappers (also for arrays/sequences elements)
 * network(u16("port"))                       // big-endian (LTTng's _network)
 * nowrite(u32("x"))                          // filter-only field (LTTng's _nowrite): argument taken, not recorded
 * f32("x") f64("x") string("s")
 * array("a", s32, 3)                         // element: a constructor (s32) or a field (hex(u16(""))); value ArrayLike<number|bigint>
 * sequence("q", u16, { lengthType?: "u8"|"u16"|"u32"|"u64" })   // default length type u64 (size_t); preceding __q_length
 * textArray("t", 4)                          // string, UTF-8, truncated / NUL-padded to 4 bytes
 * textSequence("t", { lengthType? })         // string, UTF-8 (default length type u32)
 * enumeration("st", { IDLE: 0, BUSY: [1, 5] }, { type?: "s32" | "u8" | ... })   // or [["IDLE", 0], ["BUSY", [1, 5]]]
 *
 * // Run-time arguments never throw: integers are converted as DataView setters do (ToNumber, then
 * // wrapped to the field's width; NaN, undefined -> 0; a bigint outside 64-bit fields, a Symbol or a
 * // throwing valueOf -> the event is written again with Number()-coerced values, 0 when that fails),
 * // floats via Number(), strings via String() (null/undefined -> "(null)" as LTTng-UST; a NUL ends a
 * // string as in C), arrays pad with 0, sequences of a non-array are empty. `startSession({ debug: true })`
 * // reports each coerced argument through logger.debug (or warn).
 *
 * tracef("x=%d", 42);                        // lttng_ust_tracef:event { msg }
 * tracelog("WARNING", "x=%d", 42);           // lttng_ust_tracelog:LTTNG_UST_TRACEPOINT_LOGLEVEL_WARNING { line, file, func, msg }
 * //                                            (LTTng-UST 2.13's event names; msg: text sequence, u32 length)
 *
 * // In-process session (no daemon), main thread only.
 * const session = await startSession({
 *   output: "/tmp/traces/s1",                 // trace at <output>/ust/pid/<procname>-<pid>-<YYYYmmdd-HHMMSS>/
 *   channels: [{ name: "channel0", subbufSize: 16384, numSubbuf: 4, mode: "discard" | "overwrite" | "blocking",
 *                blockingTimeoutUs: 100000, switchTimerUs: 0, readTimerUs: 0 }],   // defaults: LTTng per-PID 4 x 16 KiB
 *   events: [{ name: "my_app:*", channel: "channel0", filter: "status >= 500", logLevel: "WARNING",
 *              logLevelOnly: false, exclude: ["my_app:noisy*"] }],               // default: every event
 *   contexts: ["vpid", "vtid", "procname", "pthread_id", "worker_id", "vuid", "net_ns", "$app.NAME"],
 *   appContexts: { NAME: () => "value" },
 *   logger: { warn(msg: string): void; debug?(msg: string): void },          // default: stderr "ttng: ..."
 *   debug: false,
 *   traceFormat: "ctf-1.8",                  // or "ctf-2" (CTF 2 metadata, as LTTng 2.15's --trace-format)
 * });
 * const result = await session.stop();
 * // { path, discardedEvents, recordedEvents, packets, lostPackets, bytes, streams: string[], errors: string[] }
 * // startSession never throws: a bad configuration is reported once through `logger` and `errors`.
 * // Stream files are `<channel>_<thread index>` (main = 0, worker = its threadId = cpu_id).
 *
 * // In a worker_threads worker: tracepoints join the running session asynchronously (BroadcastChannel);
 * await sessionReady();                      // resolves true once this thread records (false: no session / timeout)
 * ```
 */
import { autoRegister } from "./auto-register.js";

// Importing the tracer registers with a session daemon (auto-register.ts), as LTTng-UST does.
await autoRegister();

export { TtngError } from "@ttng/base";
export { registration } from "./auto-register.js";
export {
  array,
  type ArgsOf,
  type Base,
  bin,
  type ByteOrder,
  type EnumOptions,
  type EnumValues,
  enumeration,
  f32,
  f64,
  type Field,
  type FieldOptions,
  hex,
  type IntType,
  MAX_FIELDS,
  network,
  nowrite,
  oct,
  s8,
  s16,
  s32,
  s64,
  type SequenceOptions,
  sequence,
  string,
  textArray,
  textSequence,
  u8,
  u16,
  u32,
  u64,
} from "./fields.js";
export {
  DEFAULT_LOG_LEVEL,
  type EventDeclaration,
  LOG_LEVELS,
  type LogLevelName,
  type Provider,
  provider,
  type Tracepoint,
  watchEnabled,
} from "./registry.js";
export {
  type ChannelOptions,
  type EventRuleOptions,
  type SessionHandle,
  type SessionOptions,
  type StopResult,
  sessionReady,
  startSession,
  type TracerLogger,
} from "./session.js";
export { tracef, tracelog } from "./tracef.js";
