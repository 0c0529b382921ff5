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
}

export interface SourceComponent {
  readonly kind: "source";
  outputPorts(): string[];
  createIterator(port: string): MessageIterator;
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
  query?(object: string, params: MapValue, ctx: ComponentContext): Value;
}

export function classSpec(cc: ComponentClass): string {
  return `${cc.type}.${cc.plugin}.${cc.name}`;
}
