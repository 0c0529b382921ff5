/**
 * Typed errors of the filter language.
 *
 * Every rejection carries `diagnostics`: the exact lines lttng-tools 2.13
 * prints on stderr for the same expression (before its final
 * `Error: Event ...: Invalid filter bytecode (...)` line), so callers such as
 * the CLI can reproduce LTTng's output and tests can compare it verbatim.
 */
import { TtngError } from "@ttng/base";

/** Options shared by both filter errors. */
export interface FilterErrorOptions {
  /** Lines LTTng prints on stderr for this rejection, in order (may be empty). */
  diagnostics: readonly string[];
  /** LTTng's `lttng_strerror()` text for the returned error code. */
  lttngError?: string;
  cause?: unknown;
}

/** The expression does not lex or parse, or exceeds a size limit. */
export class FilterSyntaxError extends TtngError {
  readonly diagnostics: readonly string[];
  readonly lttngError: string;
  /** Offset (UTF-16 code units) in the text of the token where parsing stopped, when known. */
  offset: number | undefined = undefined;
  constructor(message: string, options: FilterErrorOptions) {
    super("ERR_FILTER_SYNTAX", message, { actor: "filter", cause: options.cause });
    this.name = "FilterSyntaxError";
    this.diagnostics = options.diagnostics;
    this.lttngError = options.lttngError ?? "Invalid filter bytecode";
  }
}

/** The expression parses but LTTng's semantic checks reject it. */
export class FilterTypeError extends TtngError {
  readonly diagnostics: readonly string[];
  readonly lttngError: string;
  constructor(message: string, options: FilterErrorOptions) {
    super("ERR_FILTER_TYPE", message, { actor: "filter", cause: options.cause });
    this.name = "FilterTypeError";
    this.diagnostics = options.diagnostics;
    this.lttngError = options.lttngError ?? "Invalid filter bytecode";
  }
}

/** Either filter error. */
export type FilterError = FilterSyntaxError | FilterTypeError;
