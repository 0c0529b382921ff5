#!/usr/bin/env node
/**
 * `ttng-sessiond`: the session daemon's command line (LTTng's lttng-sessiond options that make
 * sense here): `-d/--daemonize` (detach; the parent returns once the daemon listens, as
 * lttng-sessiond's does), `-b/--background` (detach without closing... same here), `-v`
 * (log to stderr), `-h/--help`, `-V/--version`, `--group=NAME` (root: the group allowed on the
 * control socket, default `tracing`). SIGTERM and SIGINT shut it down cleanly (sockets, pid and
 * lock files removed); the apps notice and wait for the next daemon.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { startDaemon } from "./daemon/daemon.js";
import { runPaths, TRACING_GROUP } from "./daemon/paths.js";
import { SessionModel } from "./model/index.js";

const USAGE = `Usage: ttng-sessiond [OPTIONS]

Starts the ttng session daemon of this user (its files in $TTNG_HOME/.ttng/,
TTNG_HOME defaulting to $HOME; root's in /var/run/ttng/).

Options:
  -d, --daemonize     Run in the background; return once the daemon answers
  -b, --background    Same as --daemonize
      --group=NAME    Root daemon: group allowed to use it (default: tracing)
  -v, --verbose       Log to stderr
  -V, --version       Print the version
  -h, --help          Show this help
`;

function groupId(name: string): number | undefined {
  try {
    const line = readFileSync("/etc/group", "utf8")
      .split("\n")
      .find((l) => l.startsWith(`${name}:`));
    return line === undefined ? undefined : Number(line.split(":")[2]);
  } catch {
    return undefined;
  }
}

async function main(argv: string[]): Promise<number> {
  let daemonize = false;
  let verbose = false;
  let group = TRACING_GROUP;
  for (const a of argv) {
    if (a === "-d" || a === "--daemonize" || a === "-b" || a === "--background") daemonize = true;
    else if (a === "-v" || a === "--verbose") verbose = true;
    else if (a.startsWith("--group=")) group = a.slice(8);
    else if (a === "-h" || a === "--help") {
      process.stdout.write(USAGE);
      return 0;
    } else if (a === "-V" || a === "--version") {
      process.stdout.write("ttng-sessiond 0.1.0 (LTTng 2.13 semantics)\n");
      return 0;
    } else {
      process.stderr.write(`Error: Unknown option ${a}\n${USAGE}`);
      return 2;
    }
  }
  if (daemonize && process.env.TTNG_SESSIOND_DETACHED !== "1") {
    // The child runs detached in its own session; it tells us through IPC when it listens.
    const child = spawn(process.execPath, [process.argv[1]!, ...(verbose ? ["-v"] : [])], {
      detached: true,
      stdio: ["ignore", "ignore", verbose ? "inherit" : "ignore", "ipc"],
      env: { ...process.env, TTNG_SESSIOND_DETACHED: "1" },
    });
    return await new Promise<number>((resolve) => {
      const t = setTimeout(() => {
        process.stderr.write("Error: ttng-sessiond did not become ready in 10 s\n");
        resolve(1);
      }, 10000);
      child.once("message", (m: { ready?: boolean; error?: string }) => {
        clearTimeout(t);
        if (m.ready === true) resolve(0);
        else {
          process.stderr.write(`Error: ${m.error ?? "ttng-sessiond failed"}\n`);
          resolve(1);
        }
        child.disconnect();
        child.unref();
      });
      child.once("exit", (code) => {
        clearTimeout(t);
        process.stderr.write(`Error: ttng-sessiond exited (status ${code})\n`);
        resolve(1);
      });
    });
  }
  const log = verbose ? (m: string) => process.stderr.write(`ttng-sessiond: ${m}\n`) : () => {};
  const paths = runPaths();
  const gid = paths.global ? groupId(group) : undefined;
  let daemon: Awaited<ReturnType<typeof startDaemon>>;
  try {
    daemon = await startDaemon({
      paths,
      model: new SessionModel({ home: paths.home }),
      ...(gid === undefined ? {} : { group: gid }),
      log,
    });
  } catch (e) {
    const message = (e as Error).message;
    if (process.send !== undefined) process.send({ error: message });
    else process.stderr.write(`Error: ${message}\n`);
    return 1;
  }
  log(`listening on ${paths.controlSocket} and ${paths.appSocket} (pid ${process.pid})`);
  const stop = () => {
    void daemon.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("SIGHUP", () => {});
  if (process.send !== undefined) {
    process.send({ ready: true });
    process.disconnect?.();
  }
  // Keep running: the servers hold the event loop.
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`Error: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
