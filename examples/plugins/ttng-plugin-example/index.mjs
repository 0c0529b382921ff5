// An example ttng plugin package (plugin API version 1, see docs/plugins.md):
//
// - `filter.example.drop-events`: passes every message through except the event messages whose
//   event class name matches one of the `names` globs (`*` matches anything, `\` escapes), with
//   a `matches` query telling whether a name would be dropped;
// - `sink.example.event-counts`: counts event messages per event class name and prints the
//   counts (sorted by name) and the total when its upstream ends.
//
// It imports the API from `@ttng/graph` (a peer dependency: the ttng that loads it provides it).
import { TtngError } from "@ttng/base";
import { definePlugin, MessageKind, PLUGIN_API_VERSION, vBool } from "@ttng/graph";

/** A star glob (`*` and `\` escapes, babeltrace2's rule) as a RegExp. */
function globRegExp(glob) {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "\\" && i + 1 < glob.length) re += glob[++i].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    else if (c === "*") re += "[^]*";
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** The `names` parameter: an array of strings (or one string). */
function namesParam(params, actor) {
  const v = params.entries.get("names");
  if (v === undefined) return [];
  const items = v.type === "array" ? v.items : [v];
  return items.map((x) => {
    if (x.type !== "string")
      throw new TtngError("ERR_PARAMS", "`names` parameter: expecting a string or an array of strings", { actor });
    return globRegExp(x.value);
  });
}

class DropIterator {
  constructor(upstream, patterns) {
    this.upstream = upstream;
    this.patterns = patterns;
    this.batch = [];
  }
  dropped(m) {
    if (m.kind !== MessageKind.Event) return false;
    const name = m.eventClass?.name ?? "";
    return this.patterns.some((p) => p.test(name));
  }
  next(out) {
    // The iterator contract: "ok" appends at least one message, so pull until one is kept.
    for (;;) {
      this.batch.length = 0;
      const st = this.upstream.next(this.batch);
      if (st !== "ok") return st;
      const before = out.length;
      for (const m of this.batch) if (!this.dropped(m)) out.push(m);
      if (out.length > before) return "ok";
    }
  }
  canSeekBeginning() {
    return this.upstream.canSeekBeginning?.() ?? false;
  }
  seekBeginning() {
    this.upstream.seekBeginning?.();
  }
}

const dropEvents = {
  type: "filter",
  name: "drop-events",
  description: "Drop the event messages whose name matches a glob.",
  help: "Parameters:\n  names: glob or array of globs (`*` matches anything, `\\` escapes)\n\nQuery `matches` with params `names` and `name`: whether `name` would be dropped.",
  create(params) {
    const patterns = namesParam(params, "filter.example.drop-events");
    return {
      kind: "filter",
      inputPorts: () => ["in"],
      outputPorts: () => ["out"],
      createIterator(_port, upstream) {
        const it = upstream.get("in");
        if (!it)
          throw new TtngError("ERR_GRAPH", 'Input port is not connected: port-name="in"', { actor: "drop-events" });
        return new DropIterator(it, patterns);
      },
    };
  },
  query(object, params) {
    if (object !== "matches")
      throw new TtngError("ERR_GRAPH", `Unknown query object: \`${object}\``, { actor: "filter.example.drop-events" });
    const name = params.entries.get("name");
    if (name?.type !== "string")
      throw new TtngError("ERR_PARAMS", "`name` parameter: expecting a string", {
        actor: "filter.example.drop-events",
      });
    const patterns = namesParam(params, "filter.example.drop-events");
    return vBool(patterns.some((p) => p.test(name.value)));
  },
};

const eventCounts = {
  type: "sink",
  name: "event-counts",
  description: "Count the events per name and print the counts at the end.",
  // Event class names only: the source may skip decoding fields.
  readsEventFields: false,
  create(_params, ctx) {
    const counts = new Map();
    const batch = [];
    let it;
    let printed = false;
    const print = () => {
      printed = true;
      let total = 0;
      let s = "";
      for (const name of [...counts.keys()].sort()) {
        total += counts.get(name);
        s += `${String(counts.get(name)).padStart(10)} ${name}\n`;
      }
      ctx.stdout(`${s}${String(total).padStart(10)} events (TOTAL)\n`);
    };
    return {
      kind: "sink",
      inputPorts: () => ["in"],
      graphIsConfigured(upstream) {
        it = upstream.get("in");
        if (!it)
          throw new TtngError("ERR_GRAPH", 'Input port is not connected: port-name="in"', { actor: "event-counts" });
      },
      consume() {
        batch.length = 0;
        const st = it.next(batch);
        if (st === "end") print();
        for (const m of batch) {
          if (m.kind !== MessageKind.Event) continue;
          const name = m.eventClass?.name ?? "";
          counts.set(name, (counts.get(name) ?? 0) + 1);
        }
        return st;
      },
      finalize() {
        // Interrupted (Ctrl-C): still print what was counted.
        if (!printed) print();
      },
    };
  },
};

export default definePlugin({
  apiVersion: PLUGIN_API_VERSION,
  name: "example",
  description: "Example plugin: drop events by name, count events per name",
  author: "ttng",
  license: "MIT",
  version: "1.0.0",
  componentClasses: [dropEvents, eventCounts],
});
