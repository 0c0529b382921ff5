/**
 * CLI <-> ttng-sessiond: the requests `ttng`'s control commands send and the
 * replies they get. The operations are liblttng-ctl's (lttng_create_session_ext,
 * lttng_enable_channel, lttng_enable_event_with_exclusions, lttng_add_context,
 * lttng_list_*, lttng_snapshot_*, lttng_save/load_session, ...); the encoding
 * is ttng's own (JSON lines, see `frame.ts`), not LTTng's private binary ABI.
 * Option parsing and the text printed are the CLI's business; validation and
 * LTTng's semantics are the daemon's session model's.
 */
import type {
  Caller,
  ChannelAttributes,
  DomainType,
  EventRuleState,
  SessionState,
  SnapshotOutputState,
  TraceFormat,
} from "./session.js";

/** Version of this request/reply vocabulary; the daemon refuses a hello with another major. */
export const CONTROL_PROTOCOL_MAJOR = 1;
export const CONTROL_PROTOCOL_MINOR = 0;

export type ControlRequest =
  | { op: "hello"; major: number; minor: number; caller: Caller }
  | { op: "version" }
  | {
      op: "create-session";
      /** Omitted: the daemon picks `auto-YYYYmmdd-HHMMSS`. */
      name?: string;
      output:
        | { kind: "default" }
        | { kind: "local"; path: string }
        | { kind: "network"; ctrlUrl: string; dataUrl: string }
        | { kind: "none" };
      snapshot: boolean;
      liveTimerUs: number;
      traceFormat: TraceFormat;
      shmPath: string | null;
    }
  | { op: "destroy-session"; session: string; noWait: boolean }
  | { op: "start"; session: string }
  | { op: "stop"; session: string; noWait: boolean }
  | {
      op: "enable-channel";
      session: string;
      domain: DomainType;
      name: string;
      /** Only the attributes given on the command line; the model fills LTTng's defaults. */
      attributes: Partial<ChannelAttributes>;
      bufferType?: "per-uid" | "per-pid" | "global";
    }
  | { op: "disable-channel"; session: string; domain: DomainType; name: string }
  | {
      op: "enable-event";
      session: string;
      domain: DomainType;
      /** Omitted: `channel0`, created when the domain has no channel (LTTng's rule). */
      channel?: string;
      rule: Omit<EventRuleState, "enabled">;
    }
  | {
      op: "disable-event";
      session: string;
      domain: DomainType;
      channel?: string;
      /** `null`: `-a` (every rule of the channel). */
      name: string | null;
    }
  | { op: "add-context"; session: string; domain: DomainType; channel?: string; type: string }
  | {
      op: "track" | "untrack";
      session: string;
      domain: DomainType;
      attr: "vpid" | "vuid" | "vgid";
      /** `null`: `-a/--all`. */
      values: Array<number | string> | null;
    }
  | { op: "list-sessions" }
  | { op: "get-session"; session: string }
  | { op: "list-tracepoints"; domain: DomainType; fields: boolean }
  | {
      op: "snapshot-add-output";
      session: string;
      name?: string;
      ctrlUrl: string;
      dataUrl: string;
      maxSizeBytes: number;
    }
  | { op: "snapshot-del-output"; session: string; idOrName: string }
  | { op: "snapshot-list-output"; session: string }
  | {
      op: "snapshot-record";
      session: string;
      name?: string;
      /** Omitted: the session's registered snapshot output. */
      output?: { ctrlUrl: string; dataUrl: string };
      maxSizeBytes: number;
    }
  | { op: "save"; session: string | null; outputDir?: string; force: boolean }
  | {
      op: "load";
      session: string | null;
      inputPath?: string;
      force: boolean;
      overrideUrl?: string;
      overrideName?: string;
    }
  | { op: "regenerate-metadata"; session: string }
  | { op: "data-pending"; session: string };

/** One registered application, as `list -u` shows it. */
export interface TracepointListing {
  pid: number;
  procname: string;
  events: Array<{
    name: string;
    logLevel: number;
    fields?: Array<{ name: string; type: string; nowrite: boolean }>;
  }>;
}

/** What each request returns on success. */
export interface ControlResults {
  hello: { daemonPid: number; major: number; minor: number };
  version: { version: string };
  "create-session": { session: SessionState };
  "destroy-session": { session: SessionState };
  start: { session: SessionState };
  stop: { session: SessionState };
  "enable-channel": { session: SessionState };
  "disable-channel": { session: SessionState };
  "enable-event": { session: SessionState };
  "disable-event": { session: SessionState };
  "add-context": { session: SessionState };
  track: { session: SessionState };
  untrack: { session: SessionState };
  "list-sessions": { sessions: SessionState[] };
  "get-session": { session: SessionState };
  "list-tracepoints": { apps: TracepointListing[] };
  "snapshot-add-output": { output: SnapshotOutputState };
  "snapshot-del-output": { output: SnapshotOutputState };
  "snapshot-list-output": { outputs: SnapshotOutputState[] };
  "snapshot-record": { path: string };
  save: { paths: string[] };
  load: { sessions: string[] };
  "regenerate-metadata": Record<string, never>;
  "data-pending": { pending: boolean };
}

/**
 * LTTng's error codes (`enum lttng_error_code`) without the `LTTNG_ERR_`
 * prefix, e.g. `SESS_NOT_FOUND`, `EXIST_SESS`, `UST_CHAN_EXIST`,
 * `UST_EVENT_ENABLED`, `FILTER_INVAL`, `INVALID`; ttng-only codes start with
 * `TTNG_`. The CLI maps a code to LTTng's message text.
 */
export type ControlErrorCode = string;

export type ControlReply<Op extends ControlRequest["op"] = ControlRequest["op"]> =
  | { ok: true; result: ControlResults[Op] }
  | { ok: false; code: ControlErrorCode; message: string };

/** Carries a request or a reply with the id that pairs them. */
export interface ControlEnvelope<T> {
  id: number;
  body: T;
}

/** What a daemon (or an in-process test double) answers requests with. */
export type ControlHandler = (req: ControlRequest, caller: Caller) => Promise<ControlReply> | ControlReply;
