/**
 * The state of recording sessions as ttng-sessiond keeps it and as clients see
 * it: LTTng's recording session, channel, recording event rule, context and
 * process-attribute tracker, with the attributes LTTng's session XML
 * (`lttng save`, session.xsd) carries. Plain JSON-able data: it crosses the
 * CLI <-> sessiond socket as is. It is not the daemon's behaviour (that is
 * `@ttng/sessiond`'s session model) nor the text the CLI prints.
 */

/** Tracing domains. `node` is ttng's agent domain (issue 6), like LTTng's `jul`/`python`. */
export type DomainType = "ust" | "kernel" | "jul" | "log4j" | "python" | "node";

/** LTTng's buffering schemes (`--buffers-uid` is the user-space default). */
export type BufferType = "per-uid" | "per-pid" | "global";

/** A channel's attributes; units in the names, LTTng's defaults applied by the session model. */
export interface ChannelAttributes {
  /** `--overwrite` (flight recorder) versus `--discard` (the default). */
  overwrite: boolean;
  subbufSizeBytes: number;
  numSubbuf: number;
  /** 0 = timer off. */
  switchTimerUs: number;
  readTimerUs: number;
  monitorTimerUs: number;
  liveTimerUs: number;
  /** 0 = never block (the default), -1 = block forever, else the timeout. */
  blockingTimeoutUs: number;
  /** 0 = unlimited. */
  tracefileSizeBytes: number;
  /** 0 = unlimited. */
  tracefileCount: number;
  output: "mmap" | "splice";
}

/** LTTng's log-level rule kinds: all levels, `--loglevel` (this one or more severe), `--loglevel-only`. */
export type LogLevelType = "all" | "range" | "single";

/** A recording event rule (LTTng 2.13: an `enable-event` in a channel). */
export interface EventRuleState {
  /** Name pattern (`*` globs, LTTng 2.10 multi-wildcards). */
  name: string;
  type: "tracepoint" | "syscall" | "probe" | "function" | "userspace-probe";
  enabled: boolean;
  logLevelType: LogLevelType;
  /** -1 with `logLevelType: "all"`. */
  logLevel: number;
  /** Filter expression text, as given (normalised by nothing), or null. */
  filter: string | null;
  exclusions: string[];
}

/** A context field added to a channel: `vpid`, `procname`, `perf:thread:cycles`, `$app.PROVIDER:NAME`, ... */
export interface ContextState {
  type: string;
}

export interface ChannelState {
  name: string;
  enabled: boolean;
  attributes: ChannelAttributes;
  events: EventRuleState[];
  contexts: ContextState[];
  /** Statistics the daemon fills in replies (`list` prints them); absent = 0. */
  discardedEvents?: number;
  lostPackets?: number;
}

/**
 * A process-attribute tracker (LTTng 2.12): `all` tracks every process (the
 * default), `include-set` only those whose value is in `values` (an empty
 * set tracks none).
 */
export interface ProcessAttrTrackerState {
  policy: "all" | "include-set";
  values: Array<number | string>;
}

export interface DomainState {
  type: DomainType;
  bufferType: BufferType;
  channels: ChannelState[];
  /** User-space trackers: vpid, vuid, vgid. */
  trackers: { vpid: ProcessAttrTrackerState; vuid: ProcessAttrTrackerState; vgid: ProcessAttrTrackerState };
}

export interface SnapshotOutputState {
  id: number;
  name: string;
  /** `file:///abs/path` or `net://...` as LTTng prints it. */
  ctrlUrl: string;
  dataUrl: string;
  /** 0 = no limit. */
  maxSizeBytes: number;
}

export type TraceFormat = "ctf-1.8" | "ctf-2";

export interface SessionState {
  name: string;
  /** Unique per daemon, increasing. */
  id: number;
  /** Wall-clock creation time, ms since the epoch (the `-YYYYmmdd-HHMMSS` suffix comes from it). */
  createdAtMs: number;
  /** Where traces go: a local directory, a relay daemon, or nowhere (`--no-output`). */
  output: { kind: "local"; path: string } | { kind: "network"; ctrlUrl: string; dataUrl: string } | { kind: "none" };
  snapshot: boolean;
  /** 0 unless `--live`. */
  liveTimerUs: number;
  /** Tracing started (`start`) and not stopped. */
  active: boolean;
  /** Started at least once (LTTng's `started` in the session XML is `active`; this one says whether data may exist). */
  everStarted: boolean;
  traceFormat: TraceFormat;
  shmPath: string | null;
  domains: DomainState[];
  snapshotOutputs: SnapshotOutputState[];
}

/** Who sent a request (the daemon learns it from the socket's peer credentials or the hello). */
export interface Caller {
  uid: number;
  gid: number;
  pid: number;
}
