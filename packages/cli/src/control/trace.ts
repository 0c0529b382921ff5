/**
 * `ttng trace [OPTIONS] -- COMMAND [ARGS...]`: the one-command job. Creates a recording session
 * in the session daemon (started if needed), enables events (all by default), starts, runs the
 * command with the tracer preloaded (`--import` of `@ttng/tracer/register` through NODE_OPTIONS,
 * so every Node process it starts registers and records from its first event), stops (which
 * returns once the apps flushed), destroys the session, and prints where the trace is with a
 * short summary read back from it: events per name and discarded events. The command's exit
 * status is ttng's (1 for ttng's own errors, before the command ran).
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { TtngError } from "@ttng/base";
import type { ControlReply, ControlRequest } from "@ttng/protocol";
import { parseConvertArgs, runConvert } from "../convert.js";
import { builtinRegistry } from "../plugins.js";
import { type ControlClient, connectControl } from "./client.js";

export const TRACE_USAGE = `Usage: ttng trace [OPTIONS] -- COMMAND [ARGS...]

Traces COMMAND (Node.js programs instrumented with @ttng/tracer) in a new
recording session: create, enable events, start, run, stop, destroy, then
print where the trace is and how many events of each name it holds.

Options:
  -s, --session=NAME     Session name (default: auto-YYYYmmdd-HHMMSS)
  -o, --output=DIR       Trace output directory (default: $TTNG_HOME/ttng-traces/NAME-DATE)
  -e, --event=NAMES      Event name patterns, comma-separated, repeatable (default: *)
  -f, --filter=EXPR      Filter expression for the enabled events
  -t, --context=TYPE     Add a context (vpid, vtid, procname, pthread_id), repeatable
      --buffers-pid      One set of buffers per process (default: per user)
  -q, --quiet            Do not print the summary
  -h, --help             Show this help
`;

export interface TraceOptions {
  session?: string;
  output?: string;
  events: string[];
  filter?: string;
  contexts: string[];
  buffersPid: boolean;
  quiet: boolean;
  command: string[];
}

function usage(message: string): TtngError {
  return new TtngError("ERR_USAGE", message, { actor: "ttng trace" });
}

export function parseTraceArgs(args: string[]): TraceOptions | "help" {
  const o: TraceOptions = { events: [], contexts: [], buffersPid: false, quiet: false, command: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      o.command = args.slice(i + 1);
      break;
    }
    const eq = a.indexOf("=");
    const key = a.startsWith("--") && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (a.startsWith("--") && eq > 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) throw usage(`Option ${a} needs a value`);
      return v;
    };
    switch (key) {
      case "-h":
      case "--help":
        return "help";
      case "-s":
      case "--session":
        o.session = value();
        break;
      case "-o":
      case "--output":
        o.output = resolve(value());
        break;
      case "-e":
      case "--event":
        o.events.push(
          ...value()
            .split(",")
            .filter((n) => n !== ""),
        );
        break;
      case "-f":
      case "--filter":
        o.filter = value();
        break;
      case "-t":
      case "--context":
        o.contexts.push(value());
        break;
      case "--buffers-pid":
        o.buffersPid = true;
        break;
      case "-q":
      case "--quiet":
        o.quiet = true;
        break;
      default:
        if (a.startsWith("-")) throw usage(`Unknown option ${a}`);
        // `ttng trace node app.js` without `--`: the command starts at the first non-option.
        o.command = args.slice(i);
        i = args.length;
    }
  }
  if (o.command.length === 0) throw usage("Missing command: ttng trace [OPTIONS] -- COMMAND [ARGS...]");
  if (o.events.length === 0) o.events.push("*");
  return o;
}

/** `--import=<file URL of @ttng/tracer/register>` added to NODE_OPTIONS. */
export function preloadEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const url = pathToFileURL(createRequire(import.meta.url).resolve("@ttng/tracer/register")).href;
  const flag = `--import=${url}`;
  const prev = env.NODE_OPTIONS ?? "";
  return { ...env, NODE_OPTIONS: prev.includes(flag) ? prev : `${prev} ${flag}`.trim() };
}

async function must<Op extends ControlRequest["op"]>(
  client: ControlClient,
  req: Extract<ControlRequest, { op: Op }>,
): Promise<Extract<ControlReply<Op>, { ok: true }>["result"]> {
  const r = await client.request(req);
  if (!r.ok) throw new TtngError("ERR_CONTROL", `${req.op}: ${r.message}`, { actor: "ttng trace" });
  return r.result;
}

/** Events per name and discarded events, read back from the trace with the JSON sink. */
async function summarize(path: string): Promise<{ counts: Map<string, number>; discarded: number; error?: string }> {
  const counts = new Map<string, number>();
  let discarded = 0;
  let buf = "";
  let err = "";
  const eat = (line: string) => {
    if (line === "") return;
    const m = JSON.parse(line) as { type: string; name?: string; count?: number | null };
    if (m.type === "event" && m.name !== undefined) counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
    else if (m.type === "discarded-events") discarded += m.count ?? 0;
  };
  const decoder = new TextDecoder();
  const take = (t: string) => {
    buf += t;
    const lines = buf.split("\n");
    buf = lines.pop()!;
    for (const l of lines) eat(l);
  };
  const status = await runConvert(parseConvertArgs(["-o", "json", path], 1), await builtinRegistry(), {
    stdout: take,
    stdoutBytes: (b) => take(decoder.decode(b, { stream: true })),
    stderr: (t) => {
      err += t;
    },
  });
  eat(buf);
  return status === 0 ? { counts, discarded } : { counts, discarded, error: err.trim() };
}

export interface TraceIo {
  stdout: (t: string) => void;
  stderr: (t: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** Runs `ttng trace`; returns the command's exit status. */
export async function runTrace(args: string[], io: TraceIo): Promise<number> {
  const o = parseTraceArgs(args);
  if (o === "help") {
    io.stdout(TRACE_USAGE);
    return 0;
  }
  const env = io.env ?? process.env;
  const client = await connectControl({
    env,
    autoStart: true,
    onSpawn: () => io.stdout("Spawning a session daemon\n"),
  });
  let session: string | null = null;
  try {
    const created = await must(client, {
      op: "create-session",
      ...(o.session === undefined ? {} : { name: o.session }),
      output: o.output === undefined ? { kind: "default" } : { kind: "local", path: o.output },
      snapshot: false,
      liveTimerUs: 0,
      traceFormat: "ctf-1.8",
      shmPath: null,
    });
    session = created.session.name;
    const output = created.session.output;
    if (o.buffersPid)
      await must(client, {
        op: "enable-channel",
        session,
        domain: "ust",
        name: "channel0",
        attributes: {},
        bufferType: "per-pid",
      });
    for (const name of o.events)
      await must(client, {
        op: "enable-event",
        session,
        domain: "ust",
        rule: {
          name,
          type: "tracepoint",
          logLevelType: "all",
          logLevel: -1,
          filter: o.filter ?? null,
          exclusions: [],
        },
      });
    for (const type of o.contexts) await must(client, { op: "add-context", session, domain: "ust", type });
    await must(client, { op: "start", session });
    // The command gets the terminal's signals; ttng waits for it, then stops the session.
    const ignore = () => {};
    process.on("SIGINT", ignore);
    process.on("SIGTERM", ignore);
    let status: number;
    try {
      status = await new Promise<number>((resolveStatus, reject) => {
        const child = spawn(o.command[0]!, o.command.slice(1), { stdio: "inherit", env: preloadEnv(env) });
        child.once("error", (e) =>
          reject(new TtngError("ERR_USAGE", `Cannot run ${o.command[0]}: ${e.message}`, { actor: "ttng trace" })),
        );
        child.once("exit", (code, signal) => resolveStatus(code ?? (signal === null ? 1 : 128 + 2)));
      });
    } finally {
      process.off("SIGINT", ignore);
      process.off("SIGTERM", ignore);
    }
    await must(client, { op: "stop", session, noWait: false });
    await must(client, { op: "destroy-session", session, noWait: false });
    session = null;
    if (output.kind === "local" && !o.quiet) {
      io.stdout(`Trace written to ${output.path}\n`);
      const s = await summarize(output.path);
      if (s.error !== undefined && s.counts.size === 0) io.stdout(`  (no events: ${s.error.split("\n")[0]})\n`);
      const names = [...s.counts.keys()].sort();
      const width = Math.max(0, ...[...s.counts.values()].map((n) => String(n).length));
      for (const n of names) io.stdout(`  ${String(s.counts.get(n)).padStart(width)} ${n}\n`);
      const total = [...s.counts.values()].reduce((a, b) => a + b, 0);
      io.stdout(`  ${total} event${total === 1 ? "" : "s"}, ${s.discarded} discarded\n`);
      io.stdout(`View it with: ttng view ${output.path}\n`);
    }
    return status;
  } finally {
    if (session !== null) await client.request({ op: "destroy-session", session, noWait: true }).catch(() => {});
    client.close();
  }
}
