/**
 * Component classes, components, ports and message iterators
 * (Babeltrace's graph model). An iterator's `next()` fills a batch and
 * returns OK / END / AGAIN; errors are thrown `TtngError`s carrying a cause
 * chain.
 */
import type { Logger } from "@ttng/base";
import type { Message } from "./message.js";
import type { MapValue, Value } from "./value.js";

export type IterStatus = "ok" | "end" | "again";

export interface MessageIterator {
  /** Appends at least one message to `out` and returns "ok", or returns "end"/"again" and appends none. */
  next(out: Message[]): IterStatus;
  canSeekBeginning?(): boolean;
  seekBeginning?(): void;
  /**
   * Whether `seekNsFromOrigin(s, ns)` is possible now (babeltrace2's
   * `can_seek_ns_from_origin`). Time as a snapshot's (s, ns): seconds from
   * origin and ns in [0, 1e9).
   */
  canSeekNsFromOrigin?(s: number, ns: number): boolean;
  /**
   * A coarse seek: afterwards the iterator delivers every message it would
   * have delivered at or after the time, preceded by what makes its streams'
   * state there the same as when read from the beginning (stream and packet
   * beginnings, and whatever earlier messages it chose to keep). It may
   * deliver messages before the time: the caller fast-forwards over them,
   * as babeltrace2's auto-seek does. Only after `canSeekNsFromOrigin` said yes.
   */
  seekNsFromOrigin?(s: number, ns: number): void;
  finalize?(): void;
}

export interface ComponentContext {
  /** The component's unique name in its graph. */
  name: string;
  logger: Logger;
  /** Writes a line to standard error (warnings sinks print, like babeltrace2's). */
  stderr: (text: string) => void;
  /** Writes to standard output. */
  stdout: (text: string) => void;
  /** Writes bytes to standard output (the fast path of text sinks). */
  stdoutBytes: (bytes: Uint8Array) => void;
  /** Maximum MIP version the graph runs with (0 for babeltrace2 2.0 behaviour, 1 for 2.1+). */
  mipVersion: 0 | 1;
  /** What the terminal supports (babeltrace2's color detection), decided by the host. */
  terminal: TerminalInfo;
}

/**
 * babeltrace2's global color detection: `colorCodes` is true when
 * BABELTRACE_TERM_COLOR=always, or TERM is a known terminal and both
 * standard output and standard error are TTYs (and not forced `never`).
 * When false, every color code is an empty string.
 */
export interface TerminalInfo {
  colorCodes: boolean;
  /** Bright colors drawn as bold + color (default), unless TERM=xterm-kitty or BABELTRACE_TERM_COLOR_BRIGHT_MEANS_BOLD=0. */
  brightMeansBold: boolean;
}

export const NO_TERMINAL: TerminalInfo = { colorCodes: false, brightMeansBold: true };

/** What the graph knows about its consumers, for sources that can do less work. */
export interface IteratorHints {
  /**
   * Whether some sink reads event fields. When false (dummy, counter), a
   * source may skip fields and decode them only if they are read after all.
   */
  eventFieldsRead: boolean;
}

export interface SourceComponent {
  readonly kind: "source";
  outputPorts(): string[];
  createIterator(port: string, hints?: IteratorHints): MessageIterator;
  finalize?(): void;
}

export interface FilterComponent {
  readonly kind: "filter";
  inputPorts(): string[];
  outputPorts(): string[];
  /** Called when an input port gets connected (a muxer then adds a free port). */
  inputPortConnected?(port: string): void;
  createIterator(port: string, upstream: Map<string, MessageIterator>): MessageIterator;
  finalize?(): void;
}

export interface SinkComponent {
  readonly kind: "sink";
  inputPorts(): string[];
  inputPortConnected?(port: string): void;
  /** Called once all connections are made: the sink creates its upstream iterators from `upstream`. */
  graphIsConfigured(upstream: Map<string, MessageIterator>): void;
  consume(): IterStatus;
  finalize?(): void;
}

export type Component = SourceComponent | FilterComponent | SinkComponent;

export type ComponentType = "source" | "filter" | "sink";

export interface ComponentClass {
  type: ComponentType;
  /** Class name within its plugin (`fs`, `pretty`). */
  name: string;
  plugin: string;
  description: string;
  help?: string;
  create(params: MapValue, ctx: ComponentContext): Component;
  /** Sinks only: false when the sink never reads event fields (lets sources skip decoding them). Default true. */
  readsEventFields?: boolean;
  query?(object: string, params: MapValue, ctx: ComponentContext): Value;
}

export function classSpec(cc: ComponentClass): string {
  return `${cc.type}.${cc.plugin}.${cc.name}`;
}
