// Runs `ttng` control-command sequences and normalizes control-command text
// for comparison with lttng 2.13's. Used by the control oracle tests.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { connectControl, NoDaemonError } from "../../packages/cli/dist/control/client.js";
import { modelConnector, noDaemonConnection, runControlCommand } from "../../packages/cli/dist/control/index.js";
import { root } from "../helpers.mjs";

/** The ttng-sessiond entry the socket client starts (the built one of this checkout). */
export const sessiondEntry = join(root, "packages/sessiond/dist/main.js");

/**
 * Runs each argv with the control commands in-process, against a session
 * model (no daemon): the command text and exit statuses, with LTTng's
 * semantics from @ttng/sessiond's SessionModel.
 */
export async function runTtngModel(home, steps, { daemon = true } = {}) {
  const connect = daemon ? modelConnector(home).connect : async () => noDaemonConnection();
  const env = { HOME: home, TTNG_HOME: home, PWD: home };
  const results = [];
  for (const argv of steps) {
    let stdout = "";
    let stderr = "";
    const io = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, connect };
    const [cmd, ...rest] = argv;
    const status = await runControlCommand(cmd, rest, io, {
      viewTraces: async () => {
        throw new Error("view not used here");
      },
    });
    results.push({ status, stdout, stderr });
  }
  return results;
}

/**
 * Runs each argv with the control commands in-process, talking to a real
 * ttng-sessiond through the real socket client (`create` starts the daemon
 * as `ttng create` does). Returns the results and the daemon's pid (to stop).
 */
export async function runTtngDaemon(home, steps, { startFirst = true } = {}) {
  const env = { HOME: home, TTNG_HOME: home, PWD: home, TTNG_SESSIOND_PATH: sessiondEntry, PATH: process.env.PATH };
  const connect = async ({ autoStart }) => {
    try {
      const c = await connectControl({ env, autoStart, onSpawn: () => {} });
      return { request: (req) => c.request(req), close: () => c.close() };
    } catch (e) {
      if (e instanceof NoDaemonError) return noDaemonConnection();
      throw e;
    }
  };
  // Like the private lttng-sessiond of the oracle, the daemon runs before the first command.
  if (startFirst) (await connect({ autoStart: true })).close();
  const results = [];
  for (const argv of steps) {
    let stdout = "";
    let stderr = "";
    const io = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, connect };
    const [cmd, ...rest] = argv;
    const status = await runControlCommand(cmd, rest, io, {
      viewTraces: async () => {
        throw new Error("view not used here");
      },
    });
    results.push({ status, stdout, stderr });
  }
  const pidFile = join(home, ".ttng", "ttng-sessiond.pid");
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").trim()) : null;
  return { results, pid };
}

/** Stops a daemon this test started (by its pid) and waits for it to exit. */
export async function stopDaemon(pid) {
  if (pid === null) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sorts the runs of lines of `lines` that satisfy `inRun` (lttng lists some sets in hash-table order). */
function sortRuns(lines, inRun) {
  const out = [];
  let run = [];
  const flush = () => {
    out.push(...run.sort());
    run = [];
  };
  for (const l of lines) {
    if (inRun(l)) run.push(l);
    else {
      flush();
      out.push(l);
    }
  }
  flush();
  return out;
}

/** Channel blocks of a `list SESSION` text, sorted by name (lttng: hash-table order). */
function sortChannels(text) {
  const start = text.indexOf("Channels:\n-------------\n");
  if (start < 0) return text;
  const head = text.slice(0, start + "Channels:\n-------------\n".length);
  const body = text.slice(head.length);
  const blocks = body.split(/(?=^- \S+: \[)/m);
  return head + blocks.sort().join("");
}

/**
 * Makes lttng's and ttng's texts comparable: the homes, dates, tool names
 * where the text names the tool, the dots of waiting, and the order of sets
 * lttng prints in hash-table order.
 */
export function normalize(text, home) {
  let t = text.split(home).join("<HOME>");
  t = t.replace(/\d{8}-\d{6}/g, "<DATE>");
  t = t.replace(/lttng list <session_name>/g, "ttng list <session_name>");
  t = t.replace(/lttng create <my_session>/g, "ttng create <my_session>");
  t = t.replace(/valid lttng config/g, "valid ttng config");
  t = t.replace(/\.lttngrc/g, ".ttngrc");
  t = t.replace(/<HOME>\/lttng-traces/g, "<HOME>/ttng-traces");
  t = t.replace(/^Destroying session \S+\.*\n?/gm, "");
  t = t.replace(/^Waiting for data availability\.*\n/gm, "Waiting for data availability\n");
  t = sortChannels(t);
  // Tracker inclusion sets too are listed in hash-table order.
  t = t.replace(
    /^( {2}Virtual (?:process|user|group) IDs: +)(.+, .+)$/gm,
    (_, head, list) => head + list.split(", ").sort().join(", "),
  );
  return sortRuns(t.split("\n"), (l) => / \(type: tracepoint\)/.test(l) && l.startsWith("      ")).join("\n");
}

export function dir(home, ...parts) {
  return join(home, ...parts);
}
