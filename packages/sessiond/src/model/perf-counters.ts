/**
 * perf counter contexts as LTTng's session files carry them: the
 * `perf_event_attr` type and config of each counter name `add-context`
 * accepts (Linux perf_event.h: HARDWARE 0, SOFTWARE 1, HW_CACHE 3 with
 * config = cache | op << 8 | result << 16, RAW 4), and the `name` element
 * lttng writes (`perf_thread_L1_dcache_load_misses`).
 */

const HARDWARE: Record<string, number> = {
  "cpu-cycles": 0,
  cycles: 0,
  instructions: 1,
  "cache-references": 2,
  "cache-misses": 3,
  "branch-instructions": 4,
  branches: 4,
  "branch-misses": 5,
  "bus-cycles": 6,
  "stalled-cycles-frontend": 7,
  "idle-cycles-frontend": 7,
  "stalled-cycles-backend": 8,
  "idle-cycles-backend": 8,
};

const SOFTWARE: Record<string, number> = {
  "cpu-clock": 0,
  "task-clock": 1,
  "page-fault": 2,
  faults: 2,
  "context-switches": 3,
  cs: 3,
  "cpu-migrations": 4,
  migrations: 4,
  "minor-faults": 5,
  "major-faults": 6,
  "alignment-faults": 7,
  "emulation-faults": 8,
};

const CACHES: Record<string, number> = { "L1-dcache": 0, "L1-icache": 1, LLC: 2, dTLB: 3, iTLB: 4, branch: 5 };
const OPS: Record<string, number> = { loads: 0, load: 0, stores: 1, store: 1, prefetches: 2, prefetch: 2 };

/** `perf:thread:NAME` -> `{ type, config, name }` as lttng saves it, or undefined for a name it does not know. */
export function perfCounterAttr(context: string): { type: number; config: number; name: string } | undefined {
  const m = /^perf:(thread|cpu):(.+)$/.exec(context);
  if (m === null) return undefined;
  const counter = m[2]!;
  const name = `perf_${m[1]}_${counter.replace(/[-:]/g, "_")}`;
  if (Object.hasOwn(HARDWARE, counter)) return { type: 0, config: HARDWARE[counter]!, name };
  if (Object.hasOwn(SOFTWARE, counter)) return { type: 1, config: SOFTWARE[counter]!, name };
  const raw = /^raw:r([0-9a-fA-F]+):.+$/.exec(counter);
  if (raw !== null) return { type: 4, config: Number.parseInt(raw[1]!, 16), name };
  const cache =
    /^(L1-dcache|L1-icache|LLC|dTLB|iTLB|branch)-(loads|load|stores|store|prefetches|prefetch)(-misses)?$/.exec(
      counter,
    );
  if (cache !== null) {
    const config = CACHES[cache[1]!]! | (OPS[cache[2]!]! << 8) | ((cache[3] === undefined ? 0 : 1) << 16);
    return { type: 3, config, name };
  }
  return undefined;
}

/** The context type of a saved `<perf>` element, from its name (`perf_thread_cycles` -> `perf:thread:cycles`). */
export function perfContextFromName(saved: string, known: readonly string[]): string | undefined {
  const m = /^perf_(thread|cpu)_(.+)$/.exec(saved);
  if (m === null) return undefined;
  const raw = /^raw_r([0-9a-fA-F]+)_(.+)$/.exec(m[2]!);
  if (raw !== null) return `perf:${m[1]}:raw:r${raw[1]}:${raw[2]}`;
  const counter = known.find((c) => c.replace(/-/g, "_") === m[2]);
  return counter === undefined ? undefined : `perf:${m[1]}:${counter}`;
}
