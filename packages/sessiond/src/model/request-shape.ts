/**
 * Checks that a request decoded from the socket has the shape its `op`
 * needs before the model touches it: requests come from any local process,
 * and a malformed one must get an INVALID reply, never crash the daemon.
 * The checks are structural (types of fields), not LTTng's rules.
 */

type Check =
  | "string"
  | "number"
  | "boolean"
  | "string?"
  | "number?"
  | "object"
  | "object?"
  | "array"
  | "nullable-string";

const SHAPES: Record<string, Record<string, Check>> = {
  hello: { major: "number", minor: "number", caller: "object" },
  version: {},
  "create-session": {
    name: "string?",
    output: "object",
    snapshot: "boolean",
    liveTimerUs: "number",
    traceFormat: "string",
    shmPath: "nullable-string",
  },
  "destroy-session": { session: "string", noWait: "boolean" },
  start: { session: "string" },
  stop: { session: "string", noWait: "boolean" },
  "enable-channel": {
    session: "string",
    domain: "string",
    name: "string",
    attributes: "object",
    bufferType: "string?",
  },
  "disable-channel": { session: "string", domain: "string", name: "string" },
  "enable-event": { session: "string", domain: "string", channel: "string?", rule: "object" },
  "disable-event": { session: "string", domain: "string", channel: "string?", name: "nullable-string" },
  "add-context": { session: "string", domain: "string", channel: "string?", type: "string" },
  track: { session: "string", domain: "string", attr: "string" },
  untrack: { session: "string", domain: "string", attr: "string" },
  "list-sessions": {},
  "get-session": { session: "string" },
  "list-tracepoints": { domain: "string", fields: "boolean" },
  "snapshot-add-output": {
    session: "string",
    name: "string?",
    ctrlUrl: "string",
    dataUrl: "string",
    maxSizeBytes: "number",
  },
  "snapshot-del-output": { session: "string", idOrName: "string" },
  "snapshot-list-output": { session: "string" },
  "snapshot-record": { session: "string", name: "string?", output: "object?", maxSizeBytes: "number" },
  save: { session: "nullable-string", outputDir: "string?", force: "boolean" },
  load: {
    session: "nullable-string",
    inputPath: "string?",
    force: "boolean",
    overrideUrl: "string?",
    overrideName: "string?",
  },
  "regenerate-metadata": { session: "string" },
  "data-pending": { session: "string" },
};

const RULE: Record<string, Check> = {
  name: "string",
  type: "string",
  logLevelType: "string",
  logLevel: "number",
  filter: "nullable-string",
  exclusions: "array",
};

function fits(v: unknown, c: Check): boolean {
  switch (c) {
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "boolean":
      return typeof v === "boolean";
    case "string?":
      return v === undefined || typeof v === "string";
    case "number?":
      return v === undefined || (typeof v === "number" && Number.isFinite(v));
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "object?":
      return v === undefined || (typeof v === "object" && v !== null && !Array.isArray(v));
    case "array":
      return Array.isArray(v);
    case "nullable-string":
      return v === null || typeof v === "string";
  }
}

function check(obj: Record<string, unknown>, shape: Record<string, Check>, where: string): string | null {
  for (const [k, c] of Object.entries(shape)) {
    if (!fits(obj[k], c)) return `${where}: field '${k}' must be ${c.replace("?", " (optional)")}`;
  }
  return null;
}

/** Why `req` is not a well-formed control request, or null. */
export function requestProblem(req: unknown): string | null {
  if (typeof req !== "object" || req === null || Array.isArray(req)) return "Request is not an object";
  const r = req as Record<string, unknown>;
  if (typeof r.op !== "string" || !Object.hasOwn(SHAPES, r.op)) return `Unknown operation ${String(r.op)}`;
  const p = check(r, SHAPES[r.op]!, r.op);
  if (p !== null) return p;
  if (r.op === "enable-event") {
    const rule = r.rule as Record<string, unknown>;
    const q = check(rule, RULE, "enable-event rule");
    if (q !== null) return q;
    if (!(rule.exclusions as unknown[]).every((x) => typeof x === "string"))
      return "enable-event rule: exclusions must be strings";
  }
  if ((r.op === "track" || r.op === "untrack") && r.values !== null) {
    if (!Array.isArray(r.values) || !r.values.every((v) => typeof v === "string" || typeof v === "number")) {
      return `${r.op}: field 'values' must be null or an array of numbers and strings`;
    }
  }
  if (r.op === "enable-channel") {
    for (const [k, v] of Object.entries(r.attributes as Record<string, unknown>)) {
      if (k === "overwrite" ? typeof v !== "boolean" : k === "output" ? typeof v !== "string" : typeof v !== "number") {
        return `enable-channel: attribute '${k}' has the wrong type`;
      }
    }
  }
  if (r.op === "create-session") {
    const o = r.output as Record<string, unknown>;
    const ok =
      o.kind === "default" ||
      o.kind === "none" ||
      (o.kind === "local" && typeof o.path === "string") ||
      (o.kind === "network" && typeof o.ctrlUrl === "string" && typeof o.dataUrl === "string");
    if (!ok) return "create-session: bad output";
  }
  return null;
}
