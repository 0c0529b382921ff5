/**
 * Recording sessions to and from LTTng's session configuration XML (the
 * format of `lttng save` / `lttng load`, lttng-tools' session.xsd), so
 * session files move both ways between lttng and ttng. Element order and
 * spelling follow what lttng-sessiond 2.13 writes.
 */
import type {
  ChannelState,
  DomainState,
  DomainType,
  EventRuleState,
  ProcessAttrTrackerState,
  SessionState,
} from "@ttng/protocol";
import { defaultChannelAttributes, UST_PERF_COUNTERS } from "./defaults.js";
import { perfContextFromName, perfCounterAttr } from "./perf-counters.js";
import { child, childText, children, parseXml, type XmlElement, XmlSyntaxError, XmlWriter } from "./xml.js";

const DOMAIN_XML: Record<DomainType, string> = {
  ust: "UST",
  kernel: "KERNEL",
  jul: "JUL",
  log4j: "LOG4J",
  python: "PYTHON",
  node: "NODE",
};

/** The agent domains LTTng always writes, empty, after the user-space one. */
const AGENT_DOMAINS: DomainType[] = ["jul", "log4j", "python"];

function contextToXml(w: XmlWriter, type: string): void {
  w.open("context");
  const perf = perfCounterAttr(type);
  if (type.startsWith("$app.")) {
    const [provider, name] = splitApp(type);
    w.open("app").element("provider_name", provider).element("ctx_name", name).close("app");
  } else if (perf !== undefined) {
    w.open("perf").element("type", perf.type).element("config", perf.config).element("name", perf.name).close("perf");
  } else w.element("type", type.toUpperCase());
  w.close("context");
}

function splitApp(type: string): [string, string] {
  const body = type.slice("$app.".length);
  const colon = body.indexOf(":");
  return [body.slice(0, colon), body.slice(colon + 1)];
}

function trackerToXml(w: XmlWriter, attr: "vpid" | "vuid" | "vgid", t: ProcessAttrTrackerState): void {
  if (t.policy === "all") return;
  w.open(`${attr}_process_attr_tracker`);
  if (t.values.length === 0) w.empty("process_attr_values");
  else {
    w.open("process_attr_values");
    for (const v of t.values) {
      w.open(attr);
      if (typeof v === "number") w.element("id", v);
      else w.element("name", v);
      w.close(attr);
    }
    w.close("process_attr_values");
  }
  w.close(`${attr}_process_attr_tracker`);
}

function channelToXml(w: XmlWriter, c: ChannelState): void {
  const a = c.attributes;
  w.open("channel")
    .element("name", c.name)
    .element("enabled", c.enabled)
    .element("overwrite_mode", a.overwrite ? "OVERWRITE" : "DISCARD")
    .element("subbuffer_size", a.subbufSizeBytes)
    .element("subbuffer_count", a.numSubbuf)
    .element("switch_timer_interval", a.switchTimerUs)
    .element("read_timer_interval", a.readTimerUs)
    .element("output_type", a.output === "mmap" ? "MMAP" : "SPLICE")
    .element("blocking_timeout", a.blockingTimeoutUs)
    .element("monitor_timer_interval", a.monitorTimerUs)
    .element("tracefile_size", a.tracefileSizeBytes)
    .element("tracefile_count", a.tracefileCount)
    .element("live_timer_interval", a.liveTimerUs);
  if (c.events.length === 0) w.empty("events");
  else {
    w.open("events");
    for (const e of c.events) {
      w.open("event")
        .element("name", e.name)
        .element("enabled", e.enabled)
        .element("type", e.type === "tracepoint" ? "TRACEPOINT" : e.type.toUpperCase())
        .element("loglevel_type", e.logLevelType.toUpperCase());
      if (e.logLevelType !== "all") w.element("loglevel", e.logLevel);
      if (e.filter !== null) w.element("filter", e.filter);
      if (e.exclusions.length > 0) {
        w.open("exclusions");
        for (const x of e.exclusions) w.element("exclusion", x);
        w.close("exclusions");
      }
      w.close("event");
    }
    w.close("events");
  }
  if (c.contexts.length === 0) w.empty("contexts");
  else {
    w.open("contexts");
    for (const x of c.contexts) contextToXml(w, x.type);
    w.close("contexts");
  }
  w.close("channel");
}

function domainToXml(w: XmlWriter, type: DomainType, d: DomainState | undefined, bufferType: string): void {
  w.open("domain").element("type", DOMAIN_XML[type]).element("buffer_type", bufferType);
  if (d === undefined || d.channels.length === 0) w.empty("channels");
  else {
    w.open("channels");
    for (const c of d.channels) channelToXml(w, c);
    w.close("channels");
  }
  if (d !== undefined && type === "ust") {
    const { vpid, vuid, vgid } = d.trackers;
    if (vpid.policy === "all" && vuid.policy === "all" && vgid.policy === "all") w.empty("process_attr_trackers");
    else {
      w.open("process_attr_trackers");
      trackerToXml(w, "vpid", vpid);
      trackerToXml(w, "vuid", vuid);
      trackerToXml(w, "vgid", vgid);
      w.close("process_attr_trackers");
    }
  }
  w.close("domain");
}

function destinationToXml(w: XmlWriter, url: { path: string } | { ctrlUrl: string; dataUrl: string }): void {
  w.open("destination");
  if ("path" in url) w.element("path", url.path);
  else w.open("net_output").element("control_uri", url.ctrlUrl).element("data_uri", url.dataUrl).close("net_output");
  w.close("destination");
}

function isNetUrl(url: string): boolean {
  return /^(net6?|tcp6?):\/\//.test(url);
}

/** One session as a complete `<sessions>` document. */
export function sessionToXml(s: SessionState): string {
  const w = new XmlWriter();
  w.open("sessions").open("session").element("name", s.name);
  const ust = s.domains.find((d) => d.type === "ust");
  const bufferType = (ust?.bufferType ?? "per-uid") === "per-pid" ? "PER_PID" : "PER_UID";
  w.open("domains");
  domainToXml(w, "ust", ust, bufferType);
  for (const t of AGENT_DOMAINS)
    domainToXml(
      w,
      t,
      s.domains.find((d) => d.type === t),
      bufferType,
    );
  w.close("domains");
  w.element("started", s.active);
  if (s.snapshot || s.liveTimerUs > 0) {
    w.open("attributes");
    if (s.snapshot) w.element("snapshot_mode", true);
    if (s.liveTimerUs > 0) w.element("live_timer_interval", s.liveTimerUs);
    w.close("attributes");
  }
  if (s.snapshot) {
    if (s.snapshotOutputs.length > 0) {
      w.open("output").open("snapshot_outputs");
      for (const o of s.snapshotOutputs) {
        w.open("output").element("name", o.name).element("max_size", o.maxSizeBytes);
        w.open("consumer_output").element("enabled", true);
        destinationToXml(
          w,
          isNetUrl(o.ctrlUrl)
            ? { ctrlUrl: o.ctrlUrl, dataUrl: o.dataUrl }
            : { path: o.ctrlUrl.replace(/^file:\/\//, "") },
        );
        w.close("consumer_output").close("output");
      }
      w.close("snapshot_outputs").close("output");
    }
  } else if (s.output.kind !== "none") {
    w.open("output").open("consumer_output").element("enabled", true);
    destinationToXml(w, s.output.kind === "local" ? { path: s.output.path } : s.output);
    w.close("consumer_output").close("output");
  }
  w.close("session").close("sessions");
  return w.text();
}

function bool(el: XmlElement, name: string, dflt: boolean): boolean {
  const t = childText(el, name);
  if (t === undefined) return dflt;
  if (t === "true" || t === "1") return true;
  if (t === "false" || t === "0") return false;
  throw new XmlSyntaxError(`Bad boolean <${name}>${t}</${name}>`);
}

function int(el: XmlElement, name: string, dflt: number): number {
  const t = childText(el, name);
  if (t === undefined) return dflt;
  if (!/^-?\d+$/.test(t)) throw new XmlSyntaxError(`Bad integer <${name}>${t}</${name}>`);
  return Number(t);
}

function parseDestination(el: XmlElement | undefined): { path: string } | { ctrlUrl: string; dataUrl: string } | null {
  const dest = el === undefined ? undefined : child(el, "destination");
  if (dest === undefined) return null;
  const path = childText(dest, "path");
  if (path !== undefined) return path === "" ? null : { path };
  const net = child(dest, "net_output");
  if (net !== undefined) {
    return { ctrlUrl: childText(net, "control_uri") ?? "", dataUrl: childText(net, "data_uri") ?? "" };
  }
  return null;
}

function requiredName(el: XmlElement, what: string): string {
  const name = childText(el, "name");
  if (name === undefined || name === "") throw new XmlSyntaxError(`<${what}> without a name`);
  return name;
}

function parseContext(el: XmlElement): string {
  const app = child(el, "app");
  if (app !== undefined) return `$app.${childText(app, "provider_name") ?? ""}:${childText(app, "ctx_name") ?? ""}`;
  const perf = child(el, "perf");
  if (perf !== undefined) {
    const name = childText(perf, "name") ?? "";
    const type = perfContextFromName(name, UST_PERF_COUNTERS);
    if (type === undefined) throw new XmlSyntaxError(`Unknown perf counter context ${name}`);
    return type;
  }
  const t = childText(el, "type");
  if (t === undefined) throw new XmlSyntaxError("<context> without a type");
  return t.toLowerCase();
}

function parseEvent(el: XmlElement): EventRuleState {
  const logLevelType = (childText(el, "loglevel_type") ?? "ALL").toLowerCase();
  if (logLevelType !== "all" && logLevelType !== "range" && logLevelType !== "single") {
    throw new XmlSyntaxError(`Bad loglevel_type ${logLevelType}`);
  }
  const type = (childText(el, "type") ?? "TRACEPOINT").toLowerCase();
  if (type !== "tracepoint") throw new XmlSyntaxError(`Event type ${type.toUpperCase()} is not a user-space type`);
  const filter = child(el, "filter");
  return {
    name: requiredName(el, "event"),
    type: "tracepoint",
    enabled: bool(el, "enabled", true),
    logLevelType,
    logLevel: logLevelType === "all" ? -1 : int(el, "loglevel", -1),
    filter: filter === undefined ? null : filter.text,
    exclusions: children(child(el, "exclusions"), "exclusion").map((x) => x.text),
  };
}

function parseTracker(domain: XmlElement, attr: "vpid" | "vuid" | "vgid"): ProcessAttrTrackerState {
  const t = child(
    child(domain, "process_attr_trackers") ?? { name: "", children: [], text: "" },
    `${attr}_process_attr_tracker`,
  );
  if (t === undefined) return { policy: "all", values: [] };
  const values = children(child(t, "process_attr_values"), attr).map((v) => {
    const id = childText(v, "id");
    return id !== undefined ? Number(id) : (childText(v, "name") ?? "");
  });
  return { policy: "include-set", values };
}

/**
 * Parses a session file; the sessions come back inactive-or-`active: started`
 * with ids to be assigned by the caller.
 *
 * @throws {XmlSyntaxError} for malformed XML or content LTTng would refuse
 */
export function sessionsFromXml(text: string): SessionState[] {
  const root = parseXml(text);
  if (root.name !== "sessions") throw new XmlSyntaxError(`Root element is <${root.name}>, not <sessions>`);
  return children(root, "session").map((se) => {
    const name = childText(se, "name");
    if (name === undefined || name === "") throw new XmlSyntaxError("<session> without a name");
    const attrs = child(se, "attributes");
    const snapshot = attrs !== undefined && bool(attrs, "snapshot_mode", false);
    const liveTimerUs = attrs === undefined ? 0 : int(attrs, "live_timer_interval", 0);
    const domains: DomainState[] = [];
    for (const de of children(child(se, "domains"), "domain")) {
      const typeText = childText(de, "type");
      const type = (Object.keys(DOMAIN_XML) as DomainType[]).find((k) => DOMAIN_XML[k] === typeText);
      if (type === undefined) throw new XmlSyntaxError(`Unknown domain type ${typeText}`);
      const channels = children(child(de, "channels"), "channel");
      const hasTrackers = child(de, "process_attr_trackers") !== undefined;
      if (channels.length === 0 && !hasTrackers) continue;
      const bt = childText(de, "buffer_type") ?? "PER_UID";
      const bufferType = bt === "PER_PID" ? "per-pid" : bt === "GLOBAL" ? "global" : "per-uid";
      const dflt = defaultChannelAttributes(bufferType === "per-pid", snapshot);
      domains.push({
        type,
        bufferType,
        channels: channels.map((ce) => ({
          name: requiredName(ce, "channel"),
          enabled: bool(ce, "enabled", true),
          attributes: {
            overwrite: (childText(ce, "overwrite_mode") ?? (dflt.overwrite ? "OVERWRITE" : "DISCARD")) === "OVERWRITE",
            subbufSizeBytes: int(ce, "subbuffer_size", dflt.subbufSizeBytes),
            numSubbuf: int(ce, "subbuffer_count", dflt.numSubbuf),
            switchTimerUs: int(ce, "switch_timer_interval", 0),
            readTimerUs: int(ce, "read_timer_interval", 0),
            monitorTimerUs: int(ce, "monitor_timer_interval", dflt.monitorTimerUs),
            liveTimerUs: int(ce, "live_timer_interval", 0),
            blockingTimeoutUs: int(ce, "blocking_timeout", 0),
            tracefileSizeBytes: int(ce, "tracefile_size", 0),
            tracefileCount: int(ce, "tracefile_count", 0),
            output: (childText(ce, "output_type") ?? "MMAP") === "SPLICE" ? "splice" : "mmap",
          },
          events: children(child(ce, "events"), "event").map(parseEvent),
          contexts: children(child(ce, "contexts"), "context").map((x) => ({ type: parseContext(x) })),
        })),
        trackers: { vpid: parseTracker(de, "vpid"), vuid: parseTracker(de, "vuid"), vgid: parseTracker(de, "vgid") },
      });
    }
    let output: SessionState["output"] = { kind: "none" };
    const snapshotOutputs: SessionState["snapshotOutputs"] = [];
    const out = child(se, "output");
    if (out !== undefined) {
      const dest = parseDestination(child(out, "consumer_output"));
      if (dest !== null) output = "path" in dest ? { kind: "local", path: dest.path } : { kind: "network", ...dest };
      children(child(out, "snapshot_outputs"), "output").forEach((oe, i) => {
        const d = parseDestination(child(oe, "consumer_output"));
        if (d === null) return;
        const ctrlUrl = "path" in d ? d.path : d.ctrlUrl;
        const dataUrl = "path" in d ? d.path : d.dataUrl;
        snapshotOutputs.push({
          id: i + 1,
          name: childText(oe, "name") ?? `snapshot-${i + 1}`,
          ctrlUrl,
          dataUrl,
          maxSizeBytes: int(oe, "max_size", 0),
        });
      });
    }
    if (snapshot) output = { kind: "none" };
    return {
      name,
      id: 0,
      createdAtMs: 0,
      output,
      snapshot,
      liveTimerUs,
      active: bool(se, "started", false),
      everStarted: false,
      traceFormat: "ctf-1.8",
      shmPath: childText(se, "shared_memory_path") ?? null,
      domains,
      snapshotOutputs,
    };
  });
}
