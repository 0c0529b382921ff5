/**
 * The session model: LTTng 2.13's semantics of recording-session state, as
 * lttng-sessiond applies liblttng-ctl's operations (cmd.c): which requests
 * are valid, which error code each invalid one gets, which defaults fill what
 * the client left out, and what the state becomes. Pure and synchronous
 * except for save/load (files under the caller's home). It is not the daemon
 * (sockets, registered applications, buffers, recording): operations whose
 * effect is on data (`snapshot-record`, `list-tracepoints`, `data-pending`,
 * `regenerate-metadata`) are the daemon's; this model only validates them
 * (`checkSnapshotRecord`).
 */
import { parseFilterExpression } from "@ttng/filter";
import { isStarGlobPattern } from "@ttng/filter";
import {
  type Caller,
  type ChannelAttributes,
  type ChannelState,
  type ControlReply,
  type ControlRequest,
  type ControlResults,
  type DomainState,
  type DomainType,
  type EventRuleState,
  lttngErrorMessage,
  type ProcessAttrTrackerState,
  type SessionState,
  type SnapshotOutputState,
} from "@ttng/protocol";
import { DEFAULT_CHANNEL_NAME, defaultChannelAttributes, isUstContextType } from "./defaults.js";
import { channelNameValid, dateTimeSuffix, sessionNameProblem } from "./names.js";
import { requestProblem } from "./request-shape.js";
import { loadSessions, saveSession } from "./session-xml-files.js";

/** What changed, for listeners (the daemon pushes the new state to applications). */
export interface SessionChange {
  kind: "created" | "changed" | "destroyed";
  /** The session's state after the change (before it, for `destroyed`). */
  session: SessionState;
  /** The operation that caused it. */
  op: ControlRequest["op"];
}

export type SessionChangeListener = (change: SessionChange) => void;

export interface SessionModelOptions {
  /** `$TTNG_HOME`: default trace outputs go to `HOME/ttng-traces`, saved sessions to `HOME/.ttng/sessions`. */
  home: string;
  /** Wall clock, ms (injected so tests can pin dates). */
  now?: () => number;
}

type Reply = ControlReply;

/** Error reply with LTTng's sentence for the code (or a more precise one). */
export function fail(code: string, message?: string): Reply {
  return { ok: false, code, message: message ?? lttngErrorMessage(code) };
}

function ok<Op extends ControlRequest["op"]>(result: ControlResults[Op]): Reply {
  return { ok: true, result } as Reply;
}

const clone = <T>(v: T): T => structuredClone(v);

function allTracker(): ProcessAttrTrackerState {
  return { policy: "all", values: [] };
}

/** Validates one channel attribute set after defaults are applied; an error reply or null. */
function checkAttributes(a: ChannelAttributes): Reply | null {
  const pow2 = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
  if (!pow2(a.subbufSizeBytes) || a.subbufSizeBytes < 4096) return fail("INVALID");
  if (!pow2(a.numSubbuf)) return fail("INVALID");
  for (const v of [a.switchTimerUs, a.readTimerUs, a.monitorTimerUs, a.tracefileSizeBytes, a.tracefileCount]) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff * 1000) return fail("INVALID");
  }
  if (!Number.isInteger(a.blockingTimeoutUs) || a.blockingTimeoutUs < -1) return fail("INVALID");
  if (a.overwrite && a.blockingTimeoutUs !== 0) return fail("INVALID");
  if (a.output !== "mmap") return fail("INVALID");
  return null;
}

/**
 * LTTng's recording-session semantics over plain state.
 *
 * @example
 * const m = new SessionModel({ home: "/home/me" });
 * m.apply({ op: "create-session", name: "s", output: { kind: "default" }, snapshot: false,
 *   liveTimerUs: 0, traceFormat: "ctf-1.8", shmPath: null }, { uid: 0, gid: 0, pid: 1 });
 */
export class SessionModel {
  readonly home: string;
  private readonly now: () => number;
  private readonly sessionsByName = new Map<string, SessionState>();
  private nextId = 1;
  private readonly listeners = new Set<SessionChangeListener>();

  constructor(options: SessionModelOptions) {
    this.home = options.home;
    this.now = options.now ?? Date.now;
  }

  /** Calls `listener` after every change; returns the function that unsubscribes it. */
  onChange(listener: SessionChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A copy of every session, in creation order. */
  sessions(): SessionState[] {
    return [...this.sessionsByName.values()].map(clone);
  }

  /** A copy of one session, or undefined. */
  session(name: string): SessionState | undefined {
    const s = this.sessionsByName.get(name);
    return s === undefined ? undefined : clone(s);
  }

  private emit(kind: SessionChange["kind"], session: SessionState, op: ControlRequest["op"]): void {
    const snapshot = clone(session);
    for (const l of this.listeners) l({ kind, session: snapshot, op });
  }

  /** Applies one request; never throws for bad input (an error reply instead). */
  apply(req: ControlRequest, caller: Caller): Reply {
    const problem = requestProblem(req);
    if (problem !== null) return fail("INVALID", `Malformed request: ${problem}`);
    switch (req.op) {
      case "version":
        return ok<"version">({ version: "2.13.9" });
      case "create-session":
        return this.create(req);
      case "destroy-session":
        return this.withSession(req.session, (s) => {
          this.sessionsByName.delete(s.name);
          this.emit("destroyed", s, req.op);
          return ok<"destroy-session">({ session: clone(s) });
        });
      case "start":
        return this.withSession(req.session, (s) => {
          if (s.active) return fail("TRACE_ALREADY_STARTED");
          if (!s.domains.some((d) => d.channels.length > 0)) return fail("NO_CHANNEL");
          s.active = true;
          s.everStarted = true;
          return this.changed(s, req.op);
        });
      case "stop":
        return this.withSession(req.session, (s) => {
          if (!s.active) return fail("TRACE_ALREADY_STOPPED");
          s.active = false;
          return this.changed(s, req.op);
        });
      case "enable-channel":
        return this.withSession(req.session, (s) => this.enableChannel(s, req));
      case "disable-channel":
        return this.withSession(req.session, (s) => {
          const ch = this.domain(s, req.domain)?.channels.find((c) => c.name === req.name);
          if (ch === undefined) return fail("UST_CHAN_NOT_FOUND");
          ch.enabled = false;
          return this.changed(s, req.op);
        });
      case "enable-event":
        return this.withSession(req.session, (s) => this.enableEvent(s, req));
      case "disable-event":
        return this.withSession(req.session, (s) => this.disableEvent(s, req));
      case "add-context":
        return this.withSession(req.session, (s) => this.addContext(s, req));
      case "track":
      case "untrack":
        return this.withSession(req.session, (s) => this.track(s, req));
      case "list-sessions":
        // lttng-sessiond lists the newest session first.
        return ok<"list-sessions">({ sessions: this.sessions().reverse() });
      case "get-session":
        return this.withSession(req.session, (s) => ok<"get-session">({ session: clone(s) }));
      case "snapshot-add-output":
        return this.withSession(req.session, (s) => this.addSnapshotOutput(s, req));
      case "snapshot-del-output":
        return this.withSession(req.session, (s) => {
          if (!s.snapshot) return fail("NOT_SNAPSHOT_SESSION");
          const i = s.snapshotOutputs.findIndex((o) => String(o.id) === req.idOrName || o.name === req.idOrName);
          if (i < 0) return fail("INVALID");
          const [removed] = s.snapshotOutputs.splice(i, 1);
          this.emit("changed", s, req.op);
          return ok<"snapshot-del-output">({ output: removed! });
        });
      case "snapshot-list-output":
        return this.withSession(req.session, (s) => {
          if (!s.snapshot) return fail("NOT_SNAPSHOT_SESSION");
          return ok<"snapshot-list-output">({ outputs: clone(s.snapshotOutputs) });
        });
      case "save":
        return this.save(req, caller);
      case "load":
        return this.load(req);
      case "hello":
      case "list-tracepoints":
      case "snapshot-record":
      case "data-pending":
      case "regenerate-metadata":
        // The daemon answers these (connections and data); a model alone has neither.
        return fail("TTNG_NEEDS_DAEMON", `Operation ${req.op} needs ttng-sessiond`);
    }
  }

  /**
   * Validates `snapshot-record` as lttng-sessiond does before recording; on
   * success returns the directory the snapshot goes to
   * (`OUTPUT/NAME-YYYYmmdd-HHMMSS-N`, N = the session's snapshot count).
   */
  checkSnapshotRecord(
    req: Extract<ControlRequest, { op: "snapshot-record" }>,
    recordIndex: number,
  ): { ok: true; path: string; maxSizeBytes: number } | { ok: false; code: string; message: string } {
    const s = this.sessionsByName.get(req.session);
    if (s === undefined) return fail("SESS_NOT_FOUND") as { ok: false; code: string; message: string };
    if (!s.snapshot) return fail("NOT_SNAPSHOT_SESSION") as { ok: false; code: string; message: string };
    if (!s.everStarted) return fail("START_SESSION_ONCE") as { ok: false; code: string; message: string };
    let base: string;
    let name: string;
    let maxSizeBytes = req.maxSizeBytes;
    if (req.output !== undefined) {
      base = urlToPath(req.output.ctrlUrl);
      name = req.name ?? "snapshot";
    } else {
      const out = s.snapshotOutputs[0];
      if (out === undefined) return fail("NO_CONSUMER") as { ok: false; code: string; message: string };
      base = urlToPath(out.ctrlUrl);
      name = req.name ?? out.name;
      if (maxSizeBytes === 0) maxSizeBytes = out.maxSizeBytes;
    }
    return { ok: true, path: `${base}/${name}-${dateTimeSuffix(this.now())}-${recordIndex}`, maxSizeBytes };
  }

  private withSession(name: string, f: (s: SessionState) => Reply): Reply {
    const s = this.sessionsByName.get(name);
    if (s === undefined) return fail("SESS_NOT_FOUND");
    return f(s);
  }

  private changed(s: SessionState, op: ControlRequest["op"]): Reply {
    this.emit("changed", s, op);
    return ok<"start">({ session: clone(s) });
  }

  private domain(s: SessionState, type: DomainType): DomainState | undefined {
    return s.domains.find((d) => d.type === type);
  }

  private domainFor(s: SessionState, type: DomainType, bufferType?: DomainState["bufferType"]): DomainState {
    let d = this.domain(s, type);
    if (d === undefined) {
      d = {
        type,
        bufferType: bufferType ?? "per-uid",
        channels: [],
        trackers: { vpid: allTracker(), vuid: allTracker(), vgid: allTracker() },
      };
      s.domains.push(d);
    }
    return d;
  }

  private create(req: Extract<ControlRequest, { op: "create-session" }>): Reply {
    const createdAtMs = this.now();
    const date = dateTimeSuffix(createdAtMs);
    const auto = req.name === undefined;
    const name = req.name ?? `auto-${date}`;
    if (!auto) {
      const problem = sessionNameProblem(name);
      if (problem !== null) return fail("INVALID", problem);
    }
    if (this.sessionsByName.has(name)) return fail("EXIST_SESS");
    const defaultPath = `${this.home}/ttng-traces/${auto ? name : `${name}-${date}`}`;
    let output: SessionState["output"];
    switch (req.output.kind) {
      case "default":
        output = { kind: "local", path: defaultPath };
        break;
      case "local":
        if (!req.output.path.startsWith("/")) return fail("INVALID", "Output path must be absolute");
        output = { kind: "local", path: req.output.path };
        break;
      case "network":
        output = { kind: "network", ctrlUrl: req.output.ctrlUrl, dataUrl: req.output.dataUrl };
        break;
      case "none":
        output = { kind: "none" };
        break;
    }
    const snapshotOutputs: SnapshotOutputState[] = [];
    if (req.snapshot && output.kind !== "none") {
      // A snapshot session's output is its first snapshot output, not a trace output.
      const url = output.kind === "local" ? output.path : output.ctrlUrl;
      const dataUrl = output.kind === "local" ? output.path : output.dataUrl;
      snapshotOutputs.push({ id: 1, name: "snapshot-1", ctrlUrl: url, dataUrl, maxSizeBytes: 0 });
      output = { kind: "none" };
    }
    const s: SessionState = {
      name,
      id: this.nextId++,
      createdAtMs,
      output,
      snapshot: req.snapshot,
      liveTimerUs: req.liveTimerUs,
      active: false,
      everStarted: false,
      traceFormat: req.traceFormat,
      // lttng puts each session's shared memory in its own NAME-DATE directory under the given path.
      shmPath: req.shmPath === null ? null : `${req.shmPath}/${name}-${date}`,
      domains: [],
      snapshotOutputs,
    };
    this.sessionsByName.set(name, s);
    this.nextSnapshotOutputId.set(name, snapshotOutputs.length + 1);
    this.emit("created", s, req.op);
    return ok<"create-session">({ session: clone(s) });
  }

  private readonly nextSnapshotOutputId = new Map<string, number>();

  private newChannel(s: SessionState, d: DomainState, name: string, attrs: Partial<ChannelAttributes>): ChannelState {
    const base = defaultChannelAttributes(d.bufferType === "per-pid", s.snapshot);
    const attributes: ChannelAttributes = { ...base };
    for (const [k, v] of Object.entries(attrs))
      if (v !== undefined) (attributes as unknown as Record<string, unknown>)[k] = v;
    return { name, enabled: true, attributes, events: [], contexts: [] };
  }

  private enableChannel(s: SessionState, req: Extract<ControlRequest, { op: "enable-channel" }>): Reply {
    if (!channelNameValid(req.name)) return fail("INVALID_CHANNEL_NAME");
    if (req.bufferType === "global" && req.domain !== "kernel") return fail("BUFFER_NOT_SUPPORTED");
    const existingDomain = this.domain(s, req.domain);
    if (existingDomain !== undefined && req.bufferType !== undefined && existingDomain.bufferType !== req.bufferType) {
      return fail("BUFFER_TYPE_MISMATCH");
    }
    const existing = existingDomain?.channels.find((c) => c.name === req.name);
    if (existing !== undefined) {
      if (existing.enabled) return fail(req.domain === "kernel" ? "KERN_CHAN_EXIST" : "UST_CHAN_EXIST");
      existing.enabled = true;
      return this.changed(s, req.op);
    }
    if (s.everStarted) return fail("TRACE_ALREADY_STARTED");
    // lttng-sessiond creates the domain's session before validating the channel: it stays listed.
    const d = this.domainFor(s, req.domain, req.bufferType);
    if (s.snapshot && req.attributes.overwrite === false) return fail("INVALID");
    if (req.attributes.output === "splice" && req.domain !== "kernel") return fail("NOT_SUPPORTED");
    const ch = this.newChannel(s, d, req.name, req.attributes);
    const bad = checkAttributes(ch.attributes);
    if (bad !== null) return bad;
    d.channels.push(ch);
    return this.changed(s, req.op);
  }

  /** The channel an event/context request names, creating `channel0` (or the named one) as LTTng does. */
  private channelFor(
    s: SessionState,
    domain: DomainType,
    channel: string | undefined,
  ): { ch: ChannelState; created: boolean } | Reply {
    const d = this.domain(s, domain);
    const name = channel ?? DEFAULT_CHANNEL_NAME;
    const found = d?.channels.find((c) => c.name === name);
    if (found !== undefined) return { ch: found, created: false };

    if (!channelNameValid(name)) return fail("INVALID_CHANNEL_NAME");
    if (s.everStarted) return fail("TRACE_ALREADY_STARTED");
    // A channel created on demand uses the default (per-user) buffers.
    if (d !== undefined && d.bufferType !== "per-uid") return fail("BUFFER_TYPE_MISMATCH");
    const dom = this.domainFor(s, domain);
    const ch = this.newChannel(s, dom, name, {});
    dom.channels.push(ch);
    return { ch, created: true };
  }

  private enableEvent(s: SessionState, req: Extract<ControlRequest, { op: "enable-event" }>): Reply {
    const rule = req.rule;
    if (req.channel === undefined && hasNonDefaultChannel(this.domain(s, req.domain))) return fail("NEED_CHANNEL_NAME");
    if (rule.name === "" || rule.name.length >= 256) return fail("INVALID");
    if (rule.exclusions.length > 0 && !isStarGlobPattern(rule.name)) return fail("INVALID");
    if (rule.filter !== null) {
      try {
        parseFilterExpression(rule.filter);
      } catch {
        return fail("FILTER_INVAL");
      }
    }
    if ((rule.logLevelType === "all") !== (rule.logLevel === -1)) return fail("INVALID");
    // Check before creating channel0 so a refused rule leaves no channel behind.
    const d = this.domain(s, req.domain);
    const target = d?.channels.find((c) => c.name === (req.channel ?? DEFAULT_CHANNEL_NAME));
    if (target !== undefined) {
      const same = target.events.find((e) => sameRule(e, rule));
      if (same !== undefined) {
        if (same.enabled) return fail(req.domain === "kernel" ? "KERN_EVENT_EXIST" : "UST_EVENT_ENABLED");
        same.enabled = true;
        return this.changed(s, req.op);
      }
    }
    const r = this.channelFor(s, req.domain, req.channel);
    if ("ok" in r) return r;
    r.ch.events.push({ ...clone(rule), enabled: true });
    return this.changed(s, req.op);
  }

  private disableEvent(s: SessionState, req: Extract<ControlRequest, { op: "disable-event" }>): Reply {
    const d = this.domain(s, req.domain);
    if (req.channel === undefined && hasNonDefaultChannel(d)) return fail("NEED_CHANNEL_NAME");
    const name = req.channel ?? DEFAULT_CHANNEL_NAME;
    const ch = d?.channels.find((c) => c.name === name);
    if (ch === undefined) return fail("UST_CHAN_NOT_FOUND");
    if (req.name === null) {
      for (const e of ch.events) e.enabled = false;
      return this.changed(s, req.op);
    }
    const matching = ch.events.filter((e) => e.name === req.name);
    if (matching.length === 0) return fail(req.domain === "kernel" ? "NO_EVENT" : "UST_EVENT_NOT_FOUND");
    for (const e of matching) e.enabled = false;
    return this.changed(s, req.op);
  }

  private addContext(s: SessionState, req: Extract<ControlRequest, { op: "add-context" }>): Reply {
    if (req.domain === "ust" && !isUstContextType(req.type)) return fail("UST_CONTEXT_INVAL");
    let channels: ChannelState[];
    if (req.channel === undefined) {
      const d = this.domain(s, req.domain);
      if (d === undefined || d.channels.length === 0) {
        const r = this.channelFor(s, req.domain, undefined);
        if ("ok" in r) return r;
        channels = [r.ch];
      } else channels = d.channels;
    } else {
      const found = this.domain(s, req.domain)?.channels.find((c) => c.name === req.channel);
      // A named channel must exist (only the default one is created on demand).
      if (found === undefined) return fail("UST_CHAN_NOT_FOUND");
      channels = [found];
    }
    if (s.everStarted) return fail("TRACE_ALREADY_STARTED");
    if (channels.some((c) => c.contexts.some((x) => x.type === req.type))) {
      return fail(req.domain === "kernel" ? "KERN_CONTEXT_FAIL" : "UST_CONTEXT_EXIST");
    }
    for (const c of channels) c.contexts.push({ type: req.type });
    return this.changed(s, req.op);
  }

  private track(s: SessionState, req: Extract<ControlRequest, { op: "track" | "untrack" }>): Reply {
    const t = this.domainFor(s, req.domain).trackers[req.attr];
    if (req.values === null) {
      t.policy = req.op === "track" ? "all" : "include-set";
      t.values = [];
      return this.changed(s, req.op);
    }
    for (const v of req.values) {
      if (typeof v === "number" && (!Number.isInteger(v) || v < 0)) return fail("INVALID");
      if (typeof v === "string" && v === "") return fail("INVALID");
    }
    if (req.op === "track") {
      if (t.policy === "all") {
        t.policy = "include-set";
        t.values = [];
      }
      for (const v of req.values) {
        if (t.values.includes(v)) return fail("PROCESS_ATTR_EXISTS");
        t.values.push(v);
      }
    } else {
      // Like track, untracking a value first turns an "all" tracker into an (empty) inclusion set.
      if (t.policy === "all") {
        t.policy = "include-set";
        t.values = [];
        this.emit("changed", s, req.op);
      }
      for (const v of req.values) {
        const i = t.values.indexOf(v);
        if (i < 0) return fail("PROCESS_ATTR_MISSING");
        t.values.splice(i, 1);
      }
    }
    return this.changed(s, req.op);
  }

  private addSnapshotOutput(s: SessionState, req: Extract<ControlRequest, { op: "snapshot-add-output" }>): Reply {
    if (!s.snapshot) return fail("NOT_SNAPSHOT_SESSION");
    // LTTng 2.13 keeps one snapshot output per session.
    if (s.snapshotOutputs.length > 0) return fail("SNAPSHOT_OUTPUT_EXIST");
    if (!Number.isInteger(req.maxSizeBytes) || req.maxSizeBytes < 0) return fail("MAX_SIZE_INVALID");
    const id = this.nextSnapshotOutputId.get(s.name) ?? 1;
    this.nextSnapshotOutputId.set(s.name, id + 1);
    const out: SnapshotOutputState = {
      id,
      name: req.name ?? `snapshot-${id}`,
      ctrlUrl: req.ctrlUrl,
      dataUrl: req.dataUrl,
      maxSizeBytes: req.maxSizeBytes,
    };
    s.snapshotOutputs.push(out);
    this.emit("changed", s, req.op);
    return ok<"snapshot-add-output">({ output: clone(out) });
  }

  private save(req: Extract<ControlRequest, { op: "save" }>, _caller: Caller): Reply {
    const targets = req.session === null ? [...this.sessionsByName.values()] : [this.sessionsByName.get(req.session)];
    if (targets.some((t) => t === undefined)) return fail("SESS_NOT_FOUND");
    const dir = req.outputDir ?? `${this.home}/.ttng/sessions`;
    const paths: string[] = [];
    for (const s of targets as SessionState[]) {
      const r = saveSession(s, dir, req.force);
      if (!r.ok) return fail(r.code, r.message);
      paths.push(r.path);
    }
    return ok<"save">({ paths });
  }

  private load(req: Extract<ControlRequest, { op: "load" }>): Reply {
    const r = loadSessions(req.inputPath ?? `${this.home}/.ttng/sessions`, req.session);
    if (!r.ok) return fail(r.code, r.message);
    let states = r.sessions;
    if (req.overrideName !== undefined) {
      if (states.length !== 1) return fail("INVALID");
      states = [{ ...states[0]!, name: req.overrideName }];
    }
    for (const st of states) {
      if (this.sessionsByName.has(st.name)) {
        if (!req.force) return fail("EXIST_SESS");
      }
    }
    const loaded: string[] = [];
    for (const st of states) {
      const old = this.sessionsByName.get(st.name);
      if (old !== undefined) {
        this.sessionsByName.delete(st.name);
        this.emit("destroyed", old, req.op);
      }
      const s: SessionState = { ...st, id: this.nextId++, createdAtMs: this.now(), active: false, everStarted: false };
      // lttng's loader re-creates every channel enabled (the saved `enabled` of a channel is not applied).
      for (const d of s.domains) for (const c of d.channels) c.enabled = true;
      if (req.overrideUrl !== undefined) {
        // lttng's loader stores an overriding file:// URL's path with a trailing slash.
        const bare = urlToPath(req.overrideUrl);
        const path = bare.endsWith("/") ? bare : `${bare}/`;
        if (s.snapshot)
          s.snapshotOutputs = [{ id: 1, name: "snapshot-1", ctrlUrl: path, dataUrl: path, maxSizeBytes: 0 }];
        else s.output = { kind: "local", path };
      }
      this.sessionsByName.set(s.name, s);
      this.nextSnapshotOutputId.set(s.name, Math.max(0, ...s.snapshotOutputs.map((o) => o.id)) + 1);
      this.emit("created", s, req.op);
      loaded.push(s.name);
      if (st.active) {
        // A session saved while started is started again after loading (LTTng's `<started>true`).
        if (s.domains.some((d) => d.channels.length > 0)) {
          s.active = true;
          s.everStarted = true;
          this.emit("changed", s, "start");
        }
      }
    }
    return ok<"load">({ sessions: loaded });
  }
}

/**
 * lttng-sessiond's `has_non_default_channel`: once a channel other than
 * channel0 exists, event commands must name their channel.
 */
function hasNonDefaultChannel(d: DomainState | undefined): boolean {
  return d?.channels.some((c) => c.name !== DEFAULT_CHANNEL_NAME) ?? false;
}

/** Two rules are the same rule when LTTng would refuse the second as already enabled. */
function sameRule(a: Omit<EventRuleState, "enabled">, b: Omit<EventRuleState, "enabled">): boolean {
  return (
    a.name === b.name &&
    a.type === b.type &&
    a.logLevelType === b.logLevelType &&
    a.logLevel === b.logLevel &&
    a.filter === b.filter &&
    a.exclusions.length === b.exclusions.length &&
    a.exclusions.every((x, i) => x === b.exclusions[i])
  );
}

/** `file:///a/b` or `/a/b` -> `/a/b`; other URLs unchanged. */
export function urlToPath(url: string): string {
  return url.startsWith("file://") ? url.slice("file://".length) : url;
}
