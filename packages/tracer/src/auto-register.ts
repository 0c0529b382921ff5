/**
 * Registration with session daemons when the tracer is imported (LTTng-UST does it in its
 * library constructor): in the main thread, when a daemon's app socket exists, start the link
 * and hold the import until the daemon's state is applied or `TTNG_UST_REGISTER_TIMEOUT` ms
 * passed (default 3000; 0: do not wait; -1: wait forever), so events at start-up are recorded
 * when the session already exists. Without a daemon, nothing starts but a cheap unref'd check
 * every second for one to appear (then the link starts, without waiting). `TTNG_UST_REGISTER=0`
 * turns registration off.
 */
import { existsSync } from "node:fs";
import { isMainThread } from "node:worker_threads";
import { type DaemonLink, defaultAppSockets, startDaemonLink } from "./daemon-link.js";

let link: DaemonLink | null = null;

/** Whether this process is registered with a session daemon and records for one of its sessions. */
export function registration(): { linked: boolean; recording: boolean } {
  return { linked: link !== null, recording: link?.recording === true };
}

function timeoutMs(): number {
  const v = Number(process.env.TTNG_UST_REGISTER_TIMEOUT ?? "3000");
  return Number.isFinite(v) ? v : 3000;
}

let started: Promise<void> | null = null;

/**
 * Registers this process once (later calls return the first call's promise). The entry modules
 * call it at their top level (index.ts, register.ts) rather than this module, so that a bundle
 * that puts this module first still runs register's agent preload before it.
 */
export function autoRegister(): Promise<void> {
  started ??= register();
  return started;
}

async function register(): Promise<void> {
  if (!isMainThread || process.env.TTNG_UST_REGISTER === "0") return;
  const paths = defaultAppSockets();
  if (paths.some((p) => existsSync(p))) {
    link = startDaemonLink({ paths });
    const t = timeoutMs();
    if (t !== 0) await link.ready(t);
    return;
  }
  const timer = setInterval(() => {
    if (!paths.some((p) => existsSync(p))) return;
    clearInterval(timer);
    link = startDaemonLink({ paths });
  }, 1000);
  timer.unref();
}
