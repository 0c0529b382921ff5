/**
 * A graph of components connected port to port, and its runner: it calls
 * each sink's `consume()` in turn until all have ended, sleeping
 * `retryDurationUs` when every live sink says AGAIN. `interrupt()` stops it
 * between two calls.
 */
import { type Logger, type LogLevel, TtngError } from "@ttng/base";
import {
  type Component,
  type ComponentClass,
  type ComponentContext,
  type IteratorHints,
  type MessageIterator,
  NO_TERMINAL,
  type SinkComponent,
  type TerminalInfo,
} from "./component.js";
import type { MapValue } from "./value.js";

interface Node {
  name: string;
  cc: ComponentClass;
  comp: Component;
}

interface Connection {
  up: string;
  upPort: string;
  down: string;
  downPort: string;
}

export interface GraphOptions {
  logger: Logger;
  stderr: (text: string) => void;
  stdout: (text: string) => void;
  stdoutBytes?: (bytes: Uint8Array) => void;
  mipVersion: 0 | 1;
  terminal?: TerminalInfo;
}

function latin1Of(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** A macrotask turn: `setImmediate` where it exists (Node), else `setTimeout` (browsers). */
function yieldToHost(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void };
  return new Promise((r) => (g.setImmediate ? g.setImmediate(r) : setTimeout(r, 0)));
}

function graphErr(message: string, cause?: unknown): TtngError {
  return new TtngError("ERR_GRAPH", message, cause === undefined ? { actor: "graph" } : { actor: "graph", cause });
}

export class Graph {
  private readonly nodes = new Map<string, Node>();
  private readonly connections: Connection[] = [];
  private interrupted = false;
  private hints: IteratorHints = { eventFieldsRead: true };

  constructor(private readonly options: GraphOptions) {}

  /** Instantiates `cc` as component `name` with `params`. */
  addComponent(cc: ComponentClass, name: string, params: MapValue, logLevel?: LogLevel): Component {
    if (this.nodes.has(name)) throw graphErr(`Duplicate component name: \`${name}\``);
    const base = this.options.logger.child(name);
    const ctx: ComponentContext = {
      name,
      logger: logLevel === undefined ? base : base.at(logLevel),
      stderr: this.options.stderr,
      stdout: this.options.stdout,
      stdoutBytes: this.options.stdoutBytes ?? ((b) => this.options.stdout(latin1Of(b))),
      mipVersion: this.options.mipVersion,
      terminal: this.options.terminal ?? NO_TERMINAL,
    };
    let comp: Component;
    try {
      comp = cc.create(params, ctx);
    } catch (e) {
      throw new TtngError("ERR_GRAPH", `Cannot create component: name="${name}", comp-cls-name="${cc.name}"`, {
        actor: "graph",
        cause: e,
      });
    }
    this.nodes.set(name, { name, cc, comp });
    return comp;
  }

  component(name: string): Component | undefined {
    return this.nodes.get(name)?.comp;
  }

  outputPorts(name: string): string[] {
    const c = this.nodes.get(name)?.comp;
    return c && c.kind !== "sink" ? c.outputPorts() : [];
  }

  inputPorts(name: string): string[] {
    const c = this.nodes.get(name)?.comp;
    return c && c.kind !== "source" ? c.inputPorts() : [];
  }

  connect(up: string, upPort: string, down: string, downPort: string): void {
    const u = this.nodes.get(up);
    const d = this.nodes.get(down);
    if (!u || !d) throw graphErr(`Cannot connect unknown components: ${up} -> ${down}`);
    if (
      this.connections.some((c) => (c.up === up && c.upPort === upPort) || (c.down === down && c.downPort === downPort))
    ) {
      throw graphErr(`Port already connected: ${up}.${upPort} -> ${down}.${downPort}`);
    }
    this.connections.push({ up, upPort, down, downPort });
    if (d.comp.kind !== "source") d.comp.inputPortConnected?.(downPort);
  }

  isConnected(comp: string, port: string, input: boolean): boolean {
    return this.connections.some((c) =>
      input ? c.down === comp && c.downPort === port : c.up === comp && c.upPort === port,
    );
  }

  interrupt(): void {
    this.interrupted = true;
  }

  private iteratorFor(up: string, upPort: string): MessageIterator {
    const node = this.nodes.get(up)!;
    const comp = node.comp;
    if (comp.kind === "source") return comp.createIterator(upPort, this.hints);
    if (comp.kind === "filter") return comp.createIterator(upPort, this.upstreamOf(up));
    throw graphErr(`A sink has no output port: ${up}`);
  }

  private upstreamOf(down: string): Map<string, MessageIterator> {
    const out = new Map<string, MessageIterator>();
    for (const c of this.connections) if (c.down === down) out.set(c.downPort, this.iteratorFor(c.up, c.upPort));
    return out;
  }

  private setHints(): void {
    const sinkClasses = [...this.nodes.values()].filter((n) => n.comp.kind === "sink").map((n) => n.cc);
    this.hints = { eventFieldsRead: sinkClasses.some((cc) => cc.readsEventFields !== false) };
  }

  /**
   * The message iterators feeding `down`'s input ports, created as `run()` creates them (with
   * the same hints), for a host that drives a sink of its own instead of `run()`: the parallel
   * reader gives each time segment a fresh sink over one muxer iterator.
   */
  iteratorsInto(down: string): Map<string, MessageIterator> {
    if (!this.nodes.has(down)) throw graphErr(`No such component: \`${down}\``);
    this.setHints();
    return this.upstreamOf(down);
  }

  /** Finalizes every component (what `run()` does when it returns or throws). */
  finalize(): void {
    for (const n of this.nodes.values()) n.comp.finalize?.();
  }

  /** Runs the graph to completion. Returns "interrupted" when `interrupt()` was called. */
  async run(retryDurationUs = 100000): Promise<"ok" | "interrupted"> {
    const sinks: SinkComponent[] = [];
    for (const n of this.nodes.values()) {
      if (n.comp.kind === "sink") sinks.push(n.comp);
    }
    if (sinks.length === 0) throw graphErr("Graph has no sink component");
    this.setHints();
    for (const n of this.nodes.values()) {
      if (n.comp.kind === "sink") n.comp.graphIsConfigured(this.upstreamOf(n.name));
    }
    const live = new Set(sinks);
    let turns = 0;
    let lastYield = Date.now();
    try {
      while (live.size > 0) {
        // Let the host's event loop run (signal handlers: interruption) about every 50 ms.
        if (++turns % 64 === 0 && Date.now() - lastYield > 50) {
          await yieldToHost();
          lastYield = Date.now();
        }
        if (this.interrupted) return "interrupted";
        let allAgain = true;
        for (const s of [...live]) {
          const st = s.consume();
          if (st === "end") {
            live.delete(s);
            allAgain = false;
          } else if (st === "ok") allAgain = false;
        }
        if (allAgain && live.size > 0) await new Promise((r) => setTimeout(r, retryDurationUs / 1000));
      }
    } finally {
      this.finalize();
    }
    return "ok";
  }
}
