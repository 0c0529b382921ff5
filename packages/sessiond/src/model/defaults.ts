/**
 * LTTng 2.13's defaults for user-space channels, as `lttng list` shows them
 * for a channel created without options (verified against the installed
 * lttng-sessiond 2.13.9; configure.ac's DEFAULT_UST_* values).
 */
import type { ChannelAttributes } from "@ttng/protocol";

/** `channel0`: the channel `enable-event`/`add-context` create when the domain has none. */
export const DEFAULT_CHANNEL_NAME = "channel0";

/** Per-user buffers: 4 sub-buffers of 512 KiB. */
export const UST_PER_UID_SUBBUF_SIZE_BYTES = 512 * 1024;
/** Per-process buffers: 4 sub-buffers of 16 KiB. */
export const UST_PER_PID_SUBBUF_SIZE_BYTES = 16 * 1024;
export const UST_NUM_SUBBUF = 4;
export const MONITOR_TIMER_US = 1_000_000;

/** Attributes of a user-space channel nobody configured, for a buffering scheme and session kind. */
export function defaultChannelAttributes(perPid: boolean, snapshot: boolean): ChannelAttributes {
  return {
    overwrite: snapshot,
    subbufSizeBytes: perPid ? UST_PER_PID_SUBBUF_SIZE_BYTES : UST_PER_UID_SUBBUF_SIZE_BYTES,
    numSubbuf: UST_NUM_SUBBUF,
    switchTimerUs: 0,
    readTimerUs: 0,
    monitorTimerUs: MONITOR_TIMER_US,
    liveTimerUs: 0,
    blockingTimeoutUs: 0,
    tracefileSizeBytes: 0,
    tracefileCount: 0,
    output: "mmap",
  };
}

/**
 * Context types a user-space channel accepts (lttng 2.13 `add-context -u`):
 * the fixed names, plus `perf:thread:*` counters and `$app.PROVIDER:NAME`
 * application contexts, which are checked by shape.
 */
export const UST_CONTEXT_TYPES: readonly string[] = [
  "vpid",
  "vtid",
  "procname",
  "ip",
  "pthread_id",
  "cgroup_ns",
  "ipc_ns",
  "mnt_ns",
  "net_ns",
  "pid_ns",
  "time_ns",
  "user_ns",
  "uts_ns",
  "vuid",
  "veuid",
  "vsuid",
  "vgid",
  "vegid",
  "vsgid",
];

/** Perf counters LTTng names for `perf:thread:NAME` (user space counts per thread), in `add-context --list` order. */
export const UST_PERF_COUNTERS: readonly string[] = [
  "cpu-cycles",
  "cycles",
  "stalled-cycles-frontend",
  "idle-cycles-frontend",
  "stalled-cycles-backend",
  "idle-cycles-backend",
  "instructions",
  "cache-references",
  "cache-misses",
  "branch-instructions",
  "branches",
  "branch-misses",
  "bus-cycles",
  "L1-dcache-loads",
  "L1-dcache-load-misses",
  "L1-dcache-stores",
  "L1-dcache-store-misses",
  "L1-dcache-prefetches",
  "L1-dcache-prefetch-misses",
  "L1-icache-loads",
  "L1-icache-load-misses",
  "L1-icache-stores",
  "L1-icache-store-misses",
  "L1-icache-prefetches",
  "L1-icache-prefetch-misses",
  "LLC-loads",
  "LLC-load-misses",
  "LLC-stores",
  "LLC-store-misses",
  "LLC-prefetches",
  "LLC-prefetch-misses",
  "dTLB-loads",
  "dTLB-load-misses",
  "dTLB-stores",
  "dTLB-store-misses",
  "dTLB-prefetches",
  "dTLB-prefetch-misses",
  "iTLB-loads",
  "iTLB-load-misses",
  "branch-loads",
  "branch-load-misses",
  "cpu-clock",
  "task-clock",
  "page-fault",
  "faults",
  "major-faults",
  "minor-faults",
  "context-switches",
  "cs",
  "cpu-migrations",
  "migrations",
  "alignment-faults",
  "emulation-faults",
];

/** True when `type` is a context a user-space channel can carry. */
export function isUstContextType(type: string): boolean {
  if (UST_CONTEXT_TYPES.includes(type)) return true;
  if (type.startsWith("perf:thread:")) {
    const name = type.slice("perf:thread:".length);
    return UST_PERF_COUNTERS.includes(name) || /^raw:r[0-9a-fA-F]+:[A-Za-z0-9_]+$/.test(name);
  }
  // `$app.PROVIDER:NAME`, both parts non-empty.
  return /^\$app\.[^:]+:.+$/.test(type);
}
