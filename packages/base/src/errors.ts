/**
 * Typed errors shared by every package.
 *
 * An expected failure (bad trace, bad input, protocol error, missing file) is a
 * `TtngError` subclass with a stable `code` and an `actor` (the component or
 * module that raised it); wrapping keeps the chain through `{ cause }` so the
 * CLI can print Babeltrace-style `CAUSED BY [actor] message` lines. A bug is an
 * assertion (`assert()` below), never one of these.
 */

/** Stable error codes; tests and callers match on these, never on text. */
export type ErrorCode =
  | "ERR_USAGE"
  | "ERR_PARAMS"
  | "ERR_IO"
  | "ERR_METADATA_SYNTAX"
  | "ERR_METADATA"
  | "ERR_DECODE"
  | "ERR_CLOCK"
  | "ERR_GRAPH"
  | "ERR_FILTER_SYNTAX"
  | "ERR_FILTER_TYPE"
  | "ERR_UNSUPPORTED"
  | "ERR_PROTOCOL"
  | "ERR_CONTROL"
  | "ERR_INTERRUPTED"
  | "ERR_PLUGIN";

export interface TtngErrorOptions {
  cause?: unknown;
  /** Who raised the error, printed as `[actor]` by the CLI. */
  actor?: string;
}

/**
 * Base class of every expected failure.
 *
 * @example
 * throw new TtngError("ERR_DECODE", "Cannot decode event record: stream-id=3, offset-bits=81920");
 */
export class TtngError extends Error {
  readonly code: ErrorCode;
  readonly actor: string | undefined;

  constructor(code: ErrorCode, message: string, options: TtngErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.actor = options.actor;
    this.name = "TtngError";
  }
}

/** Input that is not what the format says it must be (metadata, data, params). */
export class FormatError extends TtngError {
  constructor(code: ErrorCode, message: string, options: TtngErrorOptions = {}) {
    super(code, message, options);
    this.name = "FormatError";
  }
}

/** Raised for internal invariants: a failed assertion is a bug in ttng. */
export class AssertionError extends Error {
  constructor(message: string) {
    super(`Assertion failed: ${message}`);
    this.name = "AssertionError";
  }
}

export function assert(condition: unknown, message = "unexpected state"): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** One line of a cause chain, outermost first. */
export interface CauseLine {
  actor: string | undefined;
  message: string;
}

/** Flattens `error` and its `cause` chain, outermost first. */
export function causeChain(error: unknown): CauseLine[] {
  const lines: CauseLine[] = [];
  let current: unknown = error;
  const seen = new Set<unknown>();
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    if (current instanceof TtngError) {
      lines.push({ actor: current.actor, message: current.message });
    } else if (current instanceof Error) {
      lines.push({ actor: undefined, message: current.message });
    } else {
      lines.push({ actor: undefined, message: String(current) });
      break;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return lines;
}
