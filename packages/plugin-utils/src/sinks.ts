/**
 * `sink.utils.dummy` (consume and discard: for benchmarks) and
 * `sink.utils.counter` (per-kind message counts, babeltrace2's format).
 */
import { TtngError } from "@ttng/base";
import {
  type ComponentClass,
  type ComponentContext,
  type IterStatus,
  type MapValue,
  type Message,
  type MessageIterator,
  MessageKind,
  type SinkComponent,
} from "@ttng/graph";

abstract class SingleInputSink implements SinkComponent {
  readonly kind = "sink";
  protected it: MessageIterator | undefined;
  protected readonly batch: Message[] = [];
  inputPorts(): string[] {
    return ["in"];
  }
  graphIsConfigured(upstream: Map<string, MessageIterator>): void {
    this.it = upstream.get("in");
    if (!this.it)
      throw new TtngError("ERR_GRAPH", 'Single input port is not connected: port-name="in"', { actor: "sink" });
  }
  abstract consume(): IterStatus;
}

class DummySink extends SingleInputSink {
  consume(): IterStatus {
    this.batch.length = 0;
    return this.it!.next(this.batch);
  }
}

const NAMES: Array<[number, string]> = [
  [MessageKind.Event, "Event"],
  [MessageKind.StreamBeginning, "Stream beginning"],
  [MessageKind.StreamEnd, "Stream end"],
  [MessageKind.PacketBeginning, "Packet beginning"],
  [MessageKind.PacketEnd, "Packet end"],
  [MessageKind.DiscardedEvents, "Discarded event"],
  [MessageKind.DiscardedPackets, "Discarded packet"],
  [MessageKind.Inactivity, "Message iterator inactivity"],
];

/**
 * babeltrace2 2.0.4's message arrays hold 15 messages and its components fill them, so its
 * counter sees batch boundaries at every 15th message (and at the end). Its `step` check
 * runs once per batch: the counter replays those boundaries to print at the same counts
 * whatever the size of ttng's own batches.
 */
const BT2_BATCH = 15;

class CounterSink extends SingleInputSink {
  private readonly counts = new Array<number>(8).fill(0);
  private total = 0;
  /** Messages since the last periodic print, as babeltrace2's `at` (summed per batch). */
  private at = 0;
  /** Messages of the current babeltrace2-sized batch. */
  private inBatch = 0;
  // babeltrace2 starts it at -1ULL: an empty run still prints its zero counts once.
  private lastPrintedTotal = -1;
  constructor(
    private readonly step: number,
    private readonly hideZero: boolean,
    private readonly ctx: ComponentContext,
  ) {
    super();
  }
  private print(): void {
    let s = "";
    let total = 0;
    for (const [k, name] of NAMES) {
      const c = this.counts[k]!;
      total += c;
      if (c !== 0 || !this.hideZero) s += `${String(c).padStart(15)} ${name} message${c === 1 ? "" : "s"}\n`;
    }
    s += `${String(total).padStart(15)} message${total === 1 ? "" : "s"} (TOTAL)\n`;
    this.ctx.stdout(s);
    this.lastPrintedTotal = total;
  }
  /** babeltrace2's try_print_count() at the end of one of its batches. */
  private endOfBatch(): void {
    this.at += this.inBatch;
    this.inBatch = 0;
    if (this.step === 0 || this.at < this.step) return;
    this.at = 0;
    this.print();
    this.ctx.stdout("\n");
  }
  /** babeltrace2's try_print_last(). */
  private printLast(): void {
    if (this.total !== this.lastPrintedTotal) this.print();
  }
  consume(): IterStatus {
    this.batch.length = 0;
    const st = this.it!.next(this.batch);
    if (st === "end") {
      if (this.inBatch > 0) this.endOfBatch();
      this.printLast();
      return st;
    }
    for (const m of this.batch) {
      this.counts[m.kind]!++;
      this.total++;
      if (++this.inBatch === BT2_BATCH) this.endOfBatch();
    }
    return st;
  }
  finalize(): void {
    this.printLast();
  }
}

/** babeltrace2's parameter validation: a key the component does not know is an error. */
function checkKeys(params: MapValue, known: readonly string[], actor: string): void {
  for (const k of params.entries.keys())
    if (!known.includes(k))
      throw new TtngError("ERR_PARAMS", `Error validating parameters: unexpected key \`${k}\`.`, { actor });
}

export const dummySinkClass: ComponentClass = {
  type: "sink",
  plugin: "utils",
  name: "dummy",
  description: "Consume messages and discard them.",
  readsEventFields: false,
  create: (params: MapValue) => {
    checkKeys(params, [], "sink.utils.dummy");
    return new DummySink();
  },
};

export const counterSinkClass: ComponentClass = {
  type: "sink",
  plugin: "utils",
  name: "counter",
  description: "Count messages and print the statistics.",
  readsEventFields: false,
  create: (params: MapValue, ctx) => {
    checkKeys(params, ["step", "hide-zero"], "sink.utils.counter");
    const step = params.entries.get("step");
    if (step !== undefined && step.type !== "uint") {
      throw new TtngError("ERR_PARAMS", "`step` parameter: expecting an unsigned integer (write `step=+N`)", {
        actor: "sink.utils.counter",
      });
    }
    const hz = params.entries.get("hide-zero");
    if (hz !== undefined && hz.type !== "bool") {
      throw new TtngError("ERR_PARAMS", "`hide-zero` parameter: expecting a boolean", { actor: "sink.utils.counter" });
    }
    return new CounterSink(step ? Number(step.value) : 10000, hz?.type === "bool" ? hz.value : false, ctx);
  },
};
