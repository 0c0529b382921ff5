/**
 * Where `sink.ctf.fs` puts a trace and its stream files, as babeltrace2
 * 2.0.4 decides (fs-sink-trace.c, fs-sink-stream.c): LTTng 2.11+ traces
 * keep LTTng's layout (`HOST/SESSION-DATETIME/kernel`,
 * `…/ust/uid/UID/BITS-bit`, `…/ust/pid/PROC-PID-DATETIME`), other traces
 * use their name, else `trace`; `.`/`..` components are defused, and an
 * existing directory gets a `-N` suffix. Pure string logic: whether a path
 * exists is asked through a callback.
 */
import type { IrEnvValue, IrTrace } from "@ttng/graph";

function envString(trace: IrTrace, name: string): string | undefined {
  const v = trace.env.find(([k]) => k === name)?.[1];
  return typeof v === "string" ? v : undefined;
}

function envInt(trace: IrTrace, name: string): number | bigint | undefined {
  const v: IrEnvValue | undefined = trace.env.find(([k]) => k === name)?.[1];
  return typeof v === "number" || typeof v === "bigint" ? v : undefined;
}

/**
 * An ISO 8601 date and time as GLib's g_time_val_from_iso8601() accepts it (basic or
 * extended form, optional fraction and zone), which is how babeltrace2 validates LTTng's.
 */
export function isIso8601DateTime(s: string): boolean {
  return /^\d{4}-?\d{2}-?\d{2}[T ]\d{2}:?\d{2}:?\d{2}([.,]\d+)?(Z|[+-]\d{2}(:?\d{2})?)?$/.test(s);
}

/** The LTTng-style relative trace path, or undefined when the trace is not an LTTng 2.11+ trace with the needed environment. */
export function lttngTracePath(trace: IrTrace): string | undefined {
  const tracer = envString(trace, "tracer_name");
  if (tracer !== "lttng-ust" && tracer !== "lttng-modules") return undefined;
  const major = envInt(trace, "tracer_major");
  const minor = envInt(trace, "tracer_minor");
  if (major === undefined || minor === undefined) return undefined;
  if (!(major >= 3 || (Number(major) === 2 && minor >= 11))) return undefined;
  const host = envString(trace, "hostname");
  const name = envString(trace, "trace_name");
  const created = envString(trace, "trace_creation_datetime");
  const domain = envString(trace, "domain");
  if (host === undefined || name === undefined || created === undefined || !isIso8601DateTime(created))
    return undefined;
  if (domain === undefined) return undefined;
  let path = `${host}/${name}-${created}/${domain}`;
  if (domain === "ust") {
    const scheme = envString(trace, "tracer_buffering_scheme");
    if (scheme === undefined) return undefined;
    path += `/${scheme}`;
    if (scheme === "uid") {
      const id = envInt(trace, "tracer_buffering_id");
      const bits = envInt(trace, "architecture_bit_width");
      if (id === undefined || bits === undefined) return undefined;
      path += `/${String(id)}/${String(bits)}-bit`;
    } else if (scheme === "pid") {
      const proc = envString(trace, "procname");
      const vpid = envInt(trace, "vpid");
      const dt = envString(trace, "vpid_datetime");
      if (proc === undefined || vpid === undefined || dt === undefined || !isIso8601DateTime(dt)) return undefined;
      path += `/${proc}-${String(vpid)}-${dt}`;
    } else return undefined;
  } else if (domain !== "kernel") return undefined;
  return path;
}

/** Turns `.` and `..` path components into `_` and `__`, drops trailing slashes; empty becomes `trace`. */
export function sanitizeTracePath(path: string): string {
  const parts = path.split("/").map((p) => (p === "." ? "_" : p === ".." ? "__" : p));
  let out = parts.join("/");
  while (out.endsWith("/")) out = out.slice(0, -1);
  return out.length === 0 ? "trace" : out;
}

/** The output directory of `trace` below `base` (babeltrace2's make_trace_path()). */
export function tracePath(trace: IrTrace, base: string, exists: (p: string) => boolean): string {
  const rel = sanitizeTracePath(lttngTracePath(trace) ?? trace.name ?? "trace");
  const full = `${base}/${rel}`;
  let unique = full;
  for (let i = 0; exists(unique); i++) unique = `${full}-${i}`;
  return unique;
}

/** A stream file name: the stream name's last component (`stream` without one), unique in its trace and never `metadata`. */
export function streamFileName(streamName: string | undefined, taken: Set<string>): string {
  let base = streamName ?? "stream";
  // g_path_get_basename(): the last non-empty component ("/" for only slashes).
  const trimmed = base.replace(/\/+$/, "");
  base = trimmed.length === 0 ? (base.length > 0 ? "/" : ".") : trimmed.slice(trimmed.lastIndexOf("/") + 1);
  base = base.replace(/\//g, "_");
  if (base === "." || base === "..") base = "stream";
  let name = base;
  for (let i = 0; taken.has(name) || name === "metadata" || name === "index"; i++) name = `${base}-${i}`;
  return name;
}
