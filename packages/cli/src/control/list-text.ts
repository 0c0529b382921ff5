/**
 * The text of `ttng list` and `ttng status`, line for line what `lttng list`
 * 2.13 prints for the same state (list.c), with the two deliberate
 * differences documented in docs/control-commands.md: channels and
 * recording event rules appear in creation order (lttng walks hash tables).
 */
import { LOG_LEVEL_NAMES } from "@ttng/filter";
import type { ChannelState, DomainState, EventRuleState, SessionState, TracepointListing } from "@ttng/protocol";

const I4 = "    ";
const I6 = "      ";
const I8 = "        ";

/** `TRACE_WARNING`-style name of a UST log level. */
export function logLevelName(level: number): string {
  const n = LOG_LEVEL_NAMES[level];
  return n === undefined ? "<<UNKNOWN>>" : `TRACE_${n}`;
}

function state(s: SessionState): string {
  return `${s.active ? "active" : "inactive"}${s.snapshot ? " snapshot" : ""}`;
}

/** The `path` lttng shows for a session (empty when there is none). */
export function sessionPath(s: SessionState): string {
  if (s.output.kind === "local") return s.output.path;
  if (s.output.kind === "network") return s.output.ctrlUrl;
  return "";
}

/** `ttng list`: every session, newest first as the daemon lists them. */
export function sessionsText(sessions: readonly SessionState[]): string {
  if (sessions.length === 0) return "Currently no available recording session\n";
  let out = "Available recording sessions:\n";
  sessions.forEach((s, i) => {
    out += `  ${i + 1}) ${s.name} [${state(s)}]\n`;
    const path = sessionPath(s);
    if (path !== "") out += `${I4}Trace output: ${path}\n`;
    if (s.liveTimerUs !== 0) out += `${I4}Live timer interval: ${s.liveTimerUs} us\n`;
    out += "\n";
  });
  out += "\nUse ttng list <session_name> for more details\n";
  return out;
}

function timer(name: string, spaces: number, us: number): string {
  return `${I6}${name}:${" ".repeat(spaces)}${us === 0 ? "inactive" : `${us} us`}\n`;
}

function enabled(e: boolean): string {
  return e ? " [enabled]" : " [disabled]";
}

/** One recording event rule (or tracepoint) line, as list.c's print_events. */
export function eventLine(
  e: Pick<EventRuleState, "name" | "enabled" | "logLevelType" | "logLevel" | "filter" | "exclusions">,
  showEnabled = true,
): string {
  const en = showEnabled ? enabled(e.enabled) : "";
  const excl = e.exclusions.length > 0 ? ` [exclusions: ${e.exclusions.join(",")}]` : "";
  const filter = e.filter !== null ? ` [filter: '${e.filter}']` : "";
  if (e.logLevel !== -1) {
    const op = e.logLevelType === "range" ? " <=" : e.logLevelType === "single" ? " ==" : ":";
    return `${I6}${e.name} (loglevel${op} ${logLevelName(e.logLevel)} (${e.logLevel})) (type: tracepoint)${en}${excl}${filter}\n`;
  }
  return `${I6}${e.name} (type: tracepoint)${en}${excl}${filter}\n`;
}

function channelText(c: ChannelState, snapshot: boolean): string {
  const a = c.attributes;
  let out = `- ${c.name}:${enabled(c.enabled)}\n\n`;
  out += `${I4}Attributes:\n`;
  out += `${I6}Event-loss mode:  ${a.overwrite ? "overwrite" : "discard"}\n`;
  out += `${I6}Sub-buffer size:  ${a.subbufSizeBytes} bytes\n`;
  out += `${I6}Sub-buffer count: ${a.numSubbuf}\n`;
  out += timer("Switch timer", 5, a.switchTimerUs);
  out += timer("Read timer", 7, a.readTimerUs);
  out += timer("Monitor timer", 4, a.monitorTimerUs);
  if (!a.overwrite) {
    out += `${I6}Blocking timeout: ${a.blockingTimeoutUs === -1 ? "infinite" : `${a.blockingTimeoutUs} us`}\n`;
  }
  out += `${I6}Trace file count: ${a.tracefileCount === 0 ? 1 : a.tracefileCount} per stream\n`;
  out += `${I6}Trace file size:  ${a.tracefileSizeBytes === 0 ? "unlimited" : `${a.tracefileSizeBytes} bytes`}\n`;
  out += `${I6}Output mode:      ${a.output}\n`;
  out += `\n${I4}Statistics:\n`;
  if (snapshot) out += `${I6}None\n`;
  else if (!a.overwrite) out += `${I6}Discarded events: ${c.discardedEvents ?? 0}\n`;
  else out += `${I6}Lost packets:     ${c.lostPackets ?? 0}\n`;
  out += `\n${I4}Recording event rules:\n`;
  if (c.events.length === 0) return `${out}${I6}None\n\n`;
  for (const e of c.events) out += eventLine(e);
  return `${out}\n`;
}

const TRACKER_LABELS = [
  ["vpid", "Virtual process IDs:"],
  ["vuid", "Virtual user IDs:"],
  ["vgid", "Virtual group IDs:"],
] as const;

function trackersText(d: DomainState): string {
  let out = "Tracked process attributes\n";
  for (const [attr, label] of TRACKER_LABELS) {
    const t = d.trackers[attr];
    out += `  ${label.padEnd(22)}`;
    if (t.policy === "all") out += "all\n";
    else if (t.values.length === 0) out += "none\n";
    else out += `${t.values.map((v) => (typeof v === "number" ? String(v) : `\`${v}\``)).join(", ")}\n`;
  }
  return `${out}\n`;
}

const DOMAIN_TITLES: Record<string, string> = {
  kernel: "Linux kernel",
  ust: "User space",
  jul: "java.util.logging (JUL)",
  log4j: "log4j",
  python: "Python logging",
  node: "Node.js",
};

/**
 * `ttng list SESSION` / `ttng status`: the header, then each domain with its
 * trackers and channels. `domain` restricts to one domain (`-u`), `channel`
 * to one channel (`-c`); `channelFound` is false when that channel is not
 * there (lttng prints what precedes, then an error).
 */
export function sessionText(
  s: SessionState,
  opts: { domain?: string; channel?: string } = {},
): { text: string; channelFound: boolean } {
  let out = `Recording session ${s.name}: [${state(s)}]\n`;
  const path = sessionPath(s);
  if (path !== "") out += `${I4}Trace output: ${path}\n\n`;
  const domains = opts.domain === undefined ? s.domains : s.domains.filter((d) => d.type === opts.domain);
  const order = ["kernel", "ust", "jul", "log4j", "python", "node"];
  const sorted = [...domains].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  for (const d of sorted) {
    if (opts.domain === undefined) {
      out += `=== Domain: ${DOMAIN_TITLES[d.type] ?? "Unimplemented"} ===\n\n`;
      if (d.type === "ust") out += `Buffering scheme: ${d.bufferType === "per-pid" ? "per-process" : "per-user"}\n\n`;
    }
    if (d.type === "node") {
      out += agentEventsText(d);
      continue;
    }
    out += trackersText(d);
    const channels = opts.channel === undefined ? d.channels : d.channels.filter((c) => c.name === opts.channel);
    if (d.channels.length > 0) out += "Channels:\n-------------\n";
    for (const c of channels) out += channelText(c, s.snapshot);
    if (opts.channel !== undefined && channels.length === 0) return { text: out, channelFound: false };
  }
  return { text: out, channelFound: true };
}

/**
 * The rules of an agent domain (`--node`), as list.c's list_session_agent_events prints
 * `-j/-l/-p` rules: by logger name, no trackers or channels.
 */
function agentEventsText(d: DomainState): string {
  let out = "Events (Logger name):\n---------------------\n";
  const rules = d.channels.flatMap((c) => c.events);
  if (rules.length === 0) return `${out}${I6}None\n\n`;
  for (const e of rules) {
    const filter = e.filter !== null ? ` [filter: '${e.filter}']` : "";
    const level =
      e.logLevelType === "all"
        ? ""
        : ` (loglevel${e.logLevelType === "range" ? " <=" : " =="} ${logLevelName(e.logLevel)})`;
    out += `${I4}- ${e.name}${enabled(e.enabled)}${level}${filter}\n`;
  }
  return `${out}\n`;
}

/** The agent's logger for `list --node`: an app with `node_console:*` events has `console`. */
export function nodeLoggersText(apps: readonly TracepointListing[]): string {
  let out = "node events (Logger name):\n-------------------------\n";
  let count = 0;
  for (const app of apps) {
    if (!app.events.some((e) => e.name.startsWith("node_console:"))) continue;
    count++;
    out += `\nPID: ${app.pid} - Name: ${app.procname}\n${I6}- console\n`;
  }
  if (count === 0) out += "None\n";
  return `${out}\n`;
}

/** `ttng list -u [-f]`: the tracepoints of running registered applications. */
export function tracepointsText(apps: readonly TracepointListing[], fields: boolean): string {
  let out = "UST events:\n-------------\n";
  let count = 0;
  for (const app of apps) {
    // With fields, lttng lists fields: an event without any does not appear.
    const events = fields ? app.events.filter((e) => (e.fields ?? []).some((f) => f.name !== "")) : app.events;
    if (events.length === 0) continue;
    out += `\nPID: ${app.pid} - Name: ${app.procname}\n`;
    for (const e of events) {
      count++;
      out += `${I6}${e.name} (loglevel: ${logLevelName(e.logLevel)} (${e.logLevel})) (type: tracepoint)\n`;
      if (fields) {
        for (const f of e.fields ?? []) {
          if (f.name === "") continue;
          out += `${I8}field: ${f.name} (${f.type})${f.nowrite ? " [no write]" : ""}\n`;
        }
      }
    }
  }
  if (count === 0) out = "UST events:\n-------------\nNone\n";
  return `${out}\n`;
}
