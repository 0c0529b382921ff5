/**
 * The injected logger. Library code never calls `console.*`: each component
 * receives a `Logger` whose level is decided by the caller (the CLI's `-v`,
 * `-d`, `-l`).
 */

export type LogLevel = "trace" | "debug" | "info" | "warning" | "error" | "fatal" | "none";

const ORDER: Record<LogLevel, number> = {
  trace: 0,
  debug: 1,
  info: 2,
  warning: 3,
  error: 4,
  fatal: 5,
  none: 6,
};

export interface Logger {
  readonly level: LogLevel;
  enabled(level: LogLevel): boolean;
  log(level: LogLevel, message: string): void;
  child(tag: string): Logger;
  /** The same logger with another threshold (a component's own `--log-level`). */
  at(level: LogLevel): Logger;
}

export type LogSink = (level: LogLevel, tag: string, message: string) => void;

/** A logger writing through `sink` the messages at or above `level`. */
export function createLogger(level: LogLevel, sink: LogSink, tag = ""): Logger {
  const threshold = ORDER[level];
  return {
    level,
    enabled: (l) => ORDER[l] >= threshold && l !== "none",
    log(l, message) {
      if (ORDER[l] >= threshold && l !== "none") sink(l, tag, message);
    },
    child: (childTag) => createLogger(level, sink, tag === "" ? childTag : `${tag}/${childTag}`),
    at: (other) => createLogger(other, sink, tag),
  };
}

/** Discards everything. */
export const silentLogger: Logger = createLogger("none", () => {});

/** Parses Babeltrace's log level letters and names (`N|T|D|I|W|E|F`, `TRACE`, ...). */
export function parseLogLevel(text: string): LogLevel | undefined {
  switch (text.toUpperCase()) {
    case "T":
    case "TRACE":
    case "V":
    case "VERBOSE":
      return "trace";
    case "D":
    case "DEBUG":
      return "debug";
    case "I":
    case "INFO":
      return "info";
    case "W":
    case "WARN":
    case "WARNING":
      return "warning";
    case "E":
    case "ERROR":
      return "error";
    case "F":
    case "FATAL":
      return "fatal";
    case "N":
    case "NONE":
      return "none";
    default:
      return undefined;
  }
}
