/**
 * Application <-> ttng-sessiond: what an app instrumented with `@ttng/tracer` and the daemon
 * say to each other on the app socket (`$TTNG_HOME/.ttng/app-ttng-sessiond`), framed as JSON
 * lines (`frame.ts`). The roles are LTTng-UST's command and notify sockets folded into one
 * connection: the app registers (pid, uid, procname, its tracepoints), the daemon pushes the
 * state of every recording session that concerns the app (tracker checks done), the app asks the
 * daemon for event class ids of per-UID traces and hands it their metadata. Not LTTng's binary
 * ABI (`lttng_ust_ctl_reg_msg`); only the semantics are LTTng's.
 *
 * Every push carries a sequence number; the app answers `applied` once its buffers follow it
 * (after a flush when tracing stopped), so `ttng stop` returns when the data is on disk.
 */
import type { ChannelAttributes, ContextState, EventRuleState } from "./session.js";

export const APP_PROTOCOL_MAJOR = 1;
export const APP_PROTOCOL_MINOR = 0;

/** A declared tracepoint as the app describes it (for `list -u` and per-UID metadata). */
export interface AppTracepoint {
  name: string;
  logLevel: number;
  fields: Array<{ name: string; type: string; nowrite: boolean }>;
}

/** App -> daemon. */
export type AppToDaemon =
  | {
      t: "register";
      major: number;
      minor: number;
      pid: number;
      ppid: number;
      uid: number;
      gid: number;
      procname: string;
      bitsPerLong: number;
    }
  /** Tracepoints declared so far (sent after `register`) or since the last `tracepoints`. */
  | { t: "tracepoints"; tracepoints: AppTracepoint[] }
  /** The app's buffers follow push `seq` (stopped sessions are flushed to disk). */
  | { t: "applied"; seq: number }
  /**
   * Per-UID trace: the metadata preamble (trace, env, clock, stream blocks) this app would
   * write; the daemon writes the first one it gets for the trace and ignores the others.
   */
  | { t: "uid-preamble"; trace: string; tsdl: string }
  /**
   * Per-UID trace: the event class id for a signature in a channel (LTTng's notify-socket
   * "register event"). `tsdlHead + id + tsdlTail` is the event's metadata block.
   */
  | {
      t: "event-id";
      req: number;
      trace: string;
      channel: number;
      signature: string;
      tsdlHead: string;
      tsdlTail: string;
    }
  /**
   * Answer to `snapshot`: the app wrote its buffers' packets (or says why not); to a `measure`
   * request, its streams for the session instead (nothing written).
   */
  | { t: "snapshot-done"; req: number; error?: string; streams?: SnapshotStream[] };

/** One stream (ring) of an app's session, as `snapshot record -m` splits its size among them. */
export interface SnapshotStream {
  subbufSize: number;
  numSubbuf: number;
}

/** What an app records for one session: LTTng's channel, enabler and context objects. */
export interface AppSessionConfig {
  /** The daemon's session id. */
  id: number;
  name: string;
  /** Recording now (`start` and not `stop`). */
  active: boolean;
  bufferType: "per-uid" | "per-pid";
  /** The session's trace format (`create --trace-format`); absent: CTF 1.8. */
  traceFormat?: "ctf-1.8" | "ctf-2";
  /**
   * per-pid: the directory under which the app creates `<procname>-<pid>-<datetime>/`;
   * per-uid: the trace directory itself (`.../ust/uid/<uid>/64-bit`). Empty: no output
   * (`--no-output`, or a snapshot session: its buffers are written only by `snapshot`).
   */
  dir: string;
  /** per-uid: the trace's key for `uid-preamble`/`event-id`, its UUID, this app's stream instance base. */
  uidTrace?: { key: string; uuid: string; instanceBase: number };
  channels: Array<{ name: string; enabled: boolean; attributes: ChannelAttributes }>;
  /** Enabled recording event rules, each with the index of its channel in `channels`. */
  rules: Array<Omit<EventRuleState, "enabled"> & { channel: number }>;
  /** Context types, the same for every channel of the session in ttng's tracer. */
  contexts: ContextState[];
  snapshot: boolean;
}

/**
 * The context types ttng's tracer records in a daemon session (`$app.*` aside): the daemon
 * refuses `add-context -u` of the other user-space types LTTng knows (`ip`, `perf:thread:*`),
 * which a Node.js process cannot read.
 */
export const APP_RECORDED_CONTEXTS: readonly string[] = [
  "vpid",
  "vtid",
  "procname",
  "pthread_id",
  "vuid",
  "veuid",
  "vsuid",
  "vgid",
  "vegid",
  "vsgid",
  "cgroup_ns",
  "ipc_ns",
  "mnt_ns",
  "net_ns",
  "pid_ns",
  "time_ns",
  "user_ns",
  "uts_ns",
];

/** Daemon -> app. */
export type DaemonToApp =
  | { t: "registered"; daemonPid: number; major: number; minor: number }
  | { t: "sessions"; seq: number; sessions: AppSessionConfig[] }
  | { t: "event-id"; req: number; id: number }
  /**
   * `snapshot record`: write the packets in this app's buffers for session `session` under
   * `dir` (per-pid: the directory that gets `<procname>-<pid>-<datetime>/`; per-uid: the trace
   * directory, whose metadata the daemon writes), then answer `snapshot-done`.
   */
  | {
      t: "snapshot";
      req: number;
      session: number;
      dir: string;
      /** `-m/--max-size`: write at most this many of the newest packets per stream (0: all). */
      packets?: number;
      /** Write nothing; answer the session's streams (the first step of `snapshot record -m`). */
      measure?: boolean;
    }
  | { t: "error"; message: string };

/** Application socket file name in the daemon's run directory. */
export const APP_SOCKET_NAME = "app-ttng-sessiond";
/** Control socket file name in the daemon's run directory (LTTng: client-lttng-sessiond). */
export const CONTROL_SOCKET_NAME = "client-ttng-sessiond";
