/**
 * Where a ttng-sessiond lives: its run directory and the files in it, as LTTng lays out
 * lttng-sessiond's (`client-lttng-sessiond`, `lttng-ust-sock-8`, `lttng-sessiond.pid`/`.lck`).
 * A user's daemon lives in `$TTNG_HOME/.ttng/` (`TTNG_HOME` defaults to `$HOME`); root's in
 * `/var/run/ttng/`, usable by members of the `tracing` group. One deviation: root with
 * `TTNG_HOME` set explicitly gets a per-home daemon, so that tests and several root shells can
 * run isolated daemons (LTTng needs a private mount namespace for that).
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { APP_SOCKET_NAME, CONTROL_SOCKET_NAME } from "@ttng/protocol";

export interface RunPaths {
  /** `$TTNG_HOME` (where `ttng-traces/` and `.ttngrc` go). */
  home: string;
  runDir: string;
  controlSocket: string;
  appSocket: string;
  pidFile: string;
  lockFile: string;
  /** True for root's shared daemon under /var/run/ttng. */
  global: boolean;
}

export const GLOBAL_RUN_DIR = "/var/run/ttng";
export const TRACING_GROUP = "tracing";

export function ttngHome(env: NodeJS.ProcessEnv = process.env): string {
  const h = env.TTNG_HOME;
  if (h !== undefined && h !== "") return h;
  return env.HOME !== undefined && env.HOME !== "" ? env.HOME : homedir();
}

function inRunDir(home: string, runDir: string, global: boolean): RunPaths {
  return {
    home,
    runDir,
    controlSocket: join(runDir, CONTROL_SOCKET_NAME),
    appSocket: join(runDir, APP_SOCKET_NAME),
    pidFile: join(runDir, "ttng-sessiond.pid"),
    lockFile: join(runDir, "ttng-sessiond.lck"),
    global,
  };
}

/** The daemon this process would run (or talk to, as its own user). */
export function runPaths(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? -1): RunPaths {
  const home = ttngHome(env);
  if (uid === 0 && (env.TTNG_HOME === undefined || env.TTNG_HOME === "")) return inRunDir(home, GLOBAL_RUN_DIR, true);
  return inRunDir(home, join(home, ".ttng"), false);
}

/** Root's shared daemon (clients in the `tracing` group try it first, as LTTng's do). */
export function globalRunPaths(env: NodeJS.ProcessEnv = process.env): RunPaths {
  return inRunDir(ttngHome(env), GLOBAL_RUN_DIR, true);
}
