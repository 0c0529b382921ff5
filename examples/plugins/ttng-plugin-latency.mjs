// An example single-file ttng plugin (plugin API version 1, see docs/plugins.md), in the
// factory form: the default export is a function that receives the host's `@ttng/graph`
// module and returns the plugin descriptor, so this file imports nothing and works from
// any directory.
//
// `sink.latency.histogram` prints a histogram of the time between consecutive event
// messages (by their default clock snapshots, in the order the sink receives them, so put
// a muxer upstream for several streams). Its `buckets` query returns the bucket upper
// bounds that given parameters produce.

const DEFAULT_BOUNDS_NS = [1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

export default (api) => {
  /** The `bounds-ns` parameter: increasing unsigned integers, or the default decades. */
  function bounds(params) {
    const v = params.entries.get("bounds-ns");
    if (v === undefined) return DEFAULT_BOUNDS_NS;
    const ok =
      v.type === "array" &&
      v.items.length > 0 &&
      v.items.every(
        (x, i) =>
          (x.type === "uint" || x.type === "sint") && x.value >= 0n && (i === 0 || x.value > v.items[i - 1].value),
      );
    if (!ok) throw new Error("`bounds-ns` parameter: expecting a non-empty array of increasing non-negative integers");
    return v.items.map((x) => Number(x.value));
  }

  const histogram = {
    type: "sink",
    name: "histogram",
    description: "Print a histogram of the time between consecutive events.",
    help: "Parameters:\n  bounds-ns: bucket upper bounds in ns (default: [+1000, +10000, ..., +1000000000])",
    readsEventFields: false,
    create(params, ctx) {
      const limits = bounds(params);
      const counts = new Array(limits.length + 1).fill(0);
      const batch = [];
      let it;
      let events = 0;
      let prevS = 0;
      let prevNs = 0;
      let havePrev = false;
      let printed = false;
      const print = () => {
        printed = true;
        let s = `${events} events, ${counts.reduce((a, b) => a + b, 0)} intervals\n`;
        limits.forEach((b, i) => {
          s += `  <= ${String(b).padStart(12)} ns: ${counts[i]}\n`;
        });
        s += `   > ${String(limits[limits.length - 1]).padStart(12)} ns: ${counts[limits.length]}\n`;
        ctx.stdout(s);
      };
      return {
        kind: "sink",
        inputPorts: () => ["in"],
        graphIsConfigured(upstream) {
          it = upstream.get("in");
          if (!it) throw new Error('Input port is not connected: port-name="in"');
        },
        consume() {
          batch.length = 0;
          const st = it.next(batch);
          if (st === "end") print();
          for (const m of batch) {
            if (m.kind !== api.MessageKind.Event) continue;
            events++;
            const cs = m.cs;
            if (cs === undefined) continue;
            if (havePrev) {
              // Seconds and nanoseconds apart: no precision lost for traces far from the origin.
              const gapNs = (cs.s - prevS) * 1e9 + (cs.ns - prevNs);
              let i = 0;
              while (i < limits.length && gapNs > limits[i]) i++;
              counts[i]++;
            }
            prevS = cs.s;
            prevNs = cs.ns;
            havePrev = true;
          }
          return st;
        },
        finalize() {
          if (!printed) print();
        },
      };
    },
    query(object, params) {
      if (object !== "buckets") throw new Error(`Unknown query object: \`${object}\``);
      return api.vArray(bounds(params).map((b) => api.vUint(b)));
    },
  };

  return {
    apiVersion: 1,
    name: "latency",
    description: "Time between events",
    author: "ttng",
    license: "MIT",
    version: "1.0.0",
    componentClasses: [histogram],
  };
};
