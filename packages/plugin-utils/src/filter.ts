/**
 * `filter.utils.filter`: keeps the event messages whose fields satisfy an
 * expression in LTTng's filter language (`@ttng/filter`, the language of
 * `lttng enable-event --filter`), optionally only those whose event class
 * name matches an LTTng event-name pattern. Every other message (stream,
 * packet, discarded items, inactivity) passes through unchanged. It is not a
 * babeltrace2 component class: babeltrace2 2.0 has no event filter.
 *
 * The expression is parsed once; it is bound to each event class the first
 * time one of its events arrives (field layouts differ per event class), as
 * LTTng-UST links filter bytecode to an event description. Per event, the
 * work is: fill a small array with the referenced fields, call the compiled
 * evaluator. Names resolve as in docs/filter-component.md: payload fields
 * for bare names, `$ctx.NAME` in the specific context, then the common
 * context, then the packet context.
 */
import { TtngError } from "@ttng/base";
import {
  compileFilter,
  compileStarGlob,
  type FieldLayout,
  type FieldSlot,
  type FieldType,
  type FieldValue,
  FilterSyntaxError,
  type FilterEvaluator,
  type FilterExpression,
  type IrNode,
  parseFilterExpression,
} from "@ttng/filter";
import type {
  ComponentClass,
  FilterComponent,
  IrEventClass,
  IrFieldClass,
  IterStatus,
  MapValue,
  Message,
  MessageIterator,
} from "@ttng/graph";
import { MessageKind } from "@ttng/graph";

const ACTOR = "filter.utils.filter";

function paramsErr(message: string, cause?: unknown): TtngError {
  return new TtngError("ERR_PARAMS", message, cause === undefined ? { actor: ACTOR } : { actor: ACTOR, cause });
}

/** Where a referenced value lives in an event message. */
const Scope = { Payload: 0, SpecContext: 1, CommonContext: 2, PacketContext: 3 } as const;
type Scope = (typeof Scope)[keyof typeof Scope];

type Struct = IrFieldClass & { kind: "struct" };

/** A field reached from a scope through structure slots, and how the filter sees it. */
interface Access {
  scope: Scope;
  slots: number[];
  type: FieldType;
  /** bool values become 0/1. */
  bool: boolean;
}

/** The filter's view of a field class; undefined when the language cannot use it (structures, variants, …). */
function fieldType(fc: IrFieldClass): { type: FieldType; bool: boolean } | undefined {
  switch (fc.kind) {
    case "int":
      return { type: { kind: fc.mappings === undefined ? "integer" : "enum", signed: fc.signed }, bool: false };
    case "bit-array":
      return { type: { kind: "integer", signed: false }, bool: false };
    case "bool":
      return { type: { kind: "integer", signed: false }, bool: true };
    case "real":
      return { type: { kind: "float" }, bool: false };
    case "string":
      // CTF 1.8 text arrays and sequences are strings in the IR already.
      return { type: { kind: "string" }, bool: false };
    case "static-array":
      if (fc.element.kind !== "int") return undefined;
      return {
        type: { kind: "array", length: fc.length, element: { signed: fc.element.signed }, text: false },
        bool: false,
      };
    case "dynamic-array":
      if (fc.element.kind !== "int") return undefined;
      return { type: { kind: "sequence", element: { signed: fc.element.signed }, text: false }, bool: false };
    default:
      return undefined;
  }
}

/**
 * `name` in a structure: a member of that exact name, else a dotted path
 * through nested structures (`a.b`, which LTTng's legacy `a.b`/`a->b` spell).
 */
function findIn(root: Struct | undefined, scope: Scope, name: string): Access | undefined {
  if (root === undefined) return undefined;
  const direct = root.members.find((m) => m.name === name);
  let slots: number[] | undefined;
  let fc: IrFieldClass | undefined;
  if (direct) {
    slots = [direct.slot];
    fc = direct.fc;
  } else if (name.includes(".")) {
    slots = [];
    let cur: IrFieldClass = root;
    for (const part of name.split(".")) {
      if (cur.kind !== "struct") return undefined;
      const m: { slot: number; fc: IrFieldClass } | undefined = cur.members.find((x) => x.name === part);
      if (!m) return undefined;
      slots.push(m.slot);
      cur = m.fc;
    }
    fc = cur;
  }
  if (slots === undefined || fc === undefined) return undefined;
  const t = fieldType(fc);
  return t === undefined ? undefined : { scope, slots, type: t.type, bool: t.bool };
}

/** `$ctx.NAME`: the specific context, then the common context, then the packet context. */
function findContext(ec: IrEventClass, name: string): Access | undefined {
  const sc = ec.streamClass;
  // LTTng writes `perf:cpu:cycles` as the CTF field `perf_cpu_cycles` (`:` is not a CTF identifier character).
  const names = name.includes(":") ? [name, name.replace(/:/g, "_")] : [name];
  for (const n of names) {
    const a =
      findIn(ec.specContext, Scope.SpecContext, n) ??
      findIn(sc.eventCommonContext, Scope.CommonContext, n) ??
      findIn(sc.packetContext, Scope.PacketContext, n);
    if (a) return a;
  }
  return undefined;
}

function scopeValue(m: Message, scope: Scope): unknown[] | undefined {
  switch (scope) {
    case Scope.Payload:
      return m.payload;
    case Scope.SpecContext:
      return m.specContext;
    case Scope.CommonContext:
      return m.commonContext;
    case Scope.PacketContext:
      return m.packet?.context;
  }
}

function read(m: Message, a: Access): FieldValue {
  let v: unknown = scopeValue(m, a.scope);
  for (const slot of a.slots) {
    if (v === undefined || v === null) return undefined;
    v = (v as unknown[])[slot];
  }
  if (a.bool) return v ? 1 : 0;
  return v as FieldValue;
}

/** One event class, bound: the evaluator and the fields it reads. */
interface Bound {
  /** false: no event of this class can pass (name pattern, or a filter that cannot link). */
  accept: FilterEvaluator | false;
  payload: Access[];
  context: Access[];
  values: FieldValue[];
  /** The message being evaluated, for the context provider. */
  cur: Message | undefined;
  provider: (index: number) => FieldValue;
}

/** Binds the expression to one event class. */
export function bindEventClass(
  expr: FilterExpression | undefined,
  nameMatch: ((name: string) => boolean) | undefined,
  ec: IrEventClass,
): Bound {
  const payload: Access[] = [];
  const context: Access[] = [];
  const bound: Bound = {
    accept: false,
    payload,
    context,
    values: [],
    cur: undefined,
    provider: (index) => {
      const m = bound.cur;
      return m === undefined ? undefined : read(m, context[index]!);
    },
  };
  if (nameMatch !== undefined && !nameMatch(ec.name ?? "")) return bound;
  if (expr === undefined) {
    bound.accept = () => true;
    return bound;
  }
  const slot = (list: Access[], a: Access | undefined): FieldSlot | undefined => {
    if (a === undefined) return undefined;
    list.push(a);
    return { index: list.length - 1, type: a.type };
  };
  const layout: FieldLayout = {
    payload: (name) => slot(payload, findIn(ec.payload, Scope.Payload, name)),
    context: (name) => slot(context, findContext(ec, name)),
    appContext: (name) => {
      // LTTng-UST application contexts: `$app.PROVIDER:NAME` recorded as the context field `app_PROVIDER_NAME`.
      const written = `$app.${name}`;
      return slot(context, findContext(ec, written) ?? findContext(ec, `app_${name.replace(/[:.]/g, "_")}`));
    },
  };
  bound.accept = compileFilter(expr, layout);
  bound.values = new Array<FieldValue>(payload.length).fill(undefined);
  return bound;
}

/** Whether an event message passes, with its class already bound. */
function passes(b: Bound, m: Message): boolean {
  const accept = b.accept;
  if (accept === false) return false;
  const values = b.values;
  const payload = b.payload;
  for (let i = 0; i < payload.length; i++) values[i] = read(m, payload[i]!);
  b.cur = m;
  const ok = accept(values, b.provider);
  b.cur = undefined;
  return ok;
}

class FilterIterator implements MessageIterator {
  private readonly batch: Message[] = [];
  private readonly bound = new Map<IrEventClass, Bound>();
  constructor(
    private readonly up: MessageIterator,
    private readonly comp: EventFilter,
  ) {}

  next(out: Message[]): IterStatus {
    const start = out.length;
    const batch = this.batch;
    for (;;) {
      batch.length = 0;
      const st = this.up.next(batch);
      if (st !== "ok") return st;
      let lastEc: IrEventClass | undefined;
      let lastBound: Bound | undefined;
      for (let i = 0; i < batch.length; i++) {
        const m = batch[i]!;
        if (m.kind === MessageKind.Event && m.eventClass !== undefined) {
          // Consecutive events often share a class: skip the map lookup then.
          const ec = m.eventClass;
          let b = ec === lastEc ? lastBound! : this.bound.get(ec);
          if (b === undefined) {
            b = bindEventClass(this.comp.expr, this.comp.nameMatch, ec);
            this.bound.set(ec, b);
          }
          lastEc = ec;
          lastBound = b;
          if (!passes(b, m)) continue;
        }
        out.push(m);
      }
      // "ok" promises at least one message: a batch of dropped events means reading on.
      if (out.length > start) return "ok";
    }
  }

  canSeekBeginning(): boolean {
    return this.up.canSeekBeginning?.() ?? false;
  }
  seekBeginning(): void {
    this.up.seekBeginning!();
  }
  canSeekNsFromOrigin(s: number, ns: number): boolean {
    return this.up.canSeekNsFromOrigin?.(s, ns) ?? false;
  }
  seekNsFromOrigin(s: number, ns: number): void {
    this.up.seekNsFromOrigin!(s, ns);
  }
}

class EventFilter implements FilterComponent {
  readonly kind = "filter";
  constructor(
    readonly expr: FilterExpression | undefined,
    readonly nameMatch: ((name: string) => boolean) | undefined,
  ) {}
  inputPorts(): string[] {
    return ["in"];
  }
  outputPorts(): string[] {
    return ["out"];
  }
  createIterator(_port: string, upstream: Map<string, MessageIterator>): MessageIterator {
    const up = upstream.get("in");
    if (!up) throw new TtngError("ERR_GRAPH", 'Single input port is not connected: port-name="in"', { actor: ACTOR });
    return new FilterIterator(up, this);
  }
}

const utf8 = new TextEncoder();

/**
 * Field strings are byte strings (one char per byte) and LTTng compares bytes: a literal holding
 * non-ASCII text is compared as its UTF-8 bytes, so it becomes the byte string of those bytes.
 */
function literalsAsBytes(expr: FilterExpression): void {
  const stack: IrNode[] = [expr.ir];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.op === "load-string") {
      if (/[^\x00-\x7f]/.test(n.value)) n.value = String.fromCharCode(...utf8.encode(n.value));
    } else if (n.op === "unary") stack.push(n.operand);
    else if (n.op === "binary" || n.op === "logical") stack.push(n.left, n.right);
  }
}

/** `Cannot parse filter expression: syntax error at column 6: …`, with LTTng's message kept as the cause. */
function expressionError(text: string, e: unknown): TtngError {
  if (e instanceof FilterSyntaxError && e.offset !== undefined) {
    const column = e.offset + 1;
    return paramsErr(
      `Invalid \`expression\` parameter: ${e.message} at column ${column}: \`${text}\` (near \`${text.slice(e.offset, e.offset + 16)}\`)`,
      e,
    );
  }
  return paramsErr(`Invalid \`expression\` parameter: \`${text}\``, e);
}

function createFilter(params: MapValue): EventFilter {
  let expr: FilterExpression | undefined;
  let nameMatch: ((name: string) => boolean) | undefined;
  for (const [k, v] of params.entries) {
    if (k !== "expression" && k !== "event-name") throw paramsErr(`Unknown parameter: \`${k}\``);
    if (v.type !== "string") throw paramsErr(`\`${k}\` parameter must be a string`);
  }
  const e = params.entries.get("expression");
  if (e?.type === "string") {
    try {
      expr = parseFilterExpression(e.value);
    } catch (err) {
      throw expressionError(e.value, err);
    }
    literalsAsBytes(expr);
  }
  const n = params.entries.get("event-name");
  if (n?.type === "string") nameMatch = compileStarGlob(n.value);
  if (expr === undefined && nameMatch === undefined)
    throw paramsErr("Missing `expression` parameter (or `event-name`): nothing to filter on");
  return new EventFilter(expr, nameMatch);
}

export const filterClass: ComponentClass = {
  type: "filter",
  plugin: "utils",
  name: "filter",
  description: "Keep the events that satisfy an LTTng filter expression.",
  help: "See docs/filter-component.md: parameters `expression` (LTTng filter language) and `event-name` (LTTng event-name pattern).",
  create: (params: MapValue) => createFilter(params),
};
