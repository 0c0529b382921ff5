/**
 * The process-wide contexts LTTng-UST records besides vpid/vtid/procname/pthread_id: the
 * process's user and group ids (`vuid`, `veuid`, `vsuid`, `vgid`, `vegid`, `vsgid`, as seen in
 * its user namespace, 32-bit) and the inode numbers of its namespaces (`cgroup_ns` ... `uts_ns`,
 * 64-bit), with LTTng-UST's types. Values are read once per thread joining a session (LTTng-UST
 * caches them too, resetting on setuid/unshare wrappers ttng does not have), from
 * `/proc/self/status` and `/proc/self/ns/*`; what cannot be read is 0 (LTTng-UST's "unavailable"
 * namespace inode), never an exception.
 */
import { readFileSync, statSync } from "node:fs";

/** 32-bit unsigned ids, in the order `/proc/self/status` gives them (real, effective, saved). */
export const ID_CONTEXTS = ["vuid", "veuid", "vsuid", "vgid", "vegid", "vsgid"] as const;
/** 64-bit unsigned namespace inode numbers. */
export const NS_CONTEXTS = [
  "cgroup_ns",
  "ipc_ns",
  "mnt_ns",
  "net_ns",
  "pid_ns",
  "time_ns",
  "user_ns",
  "uts_ns",
] as const;
export type ProcessContext = (typeof ID_CONTEXTS)[number] | (typeof NS_CONTEXTS)[number];
/** Every process context, in the order of `processContextValues`. */
export const PROCESS_CONTEXTS: readonly ProcessContext[] = [...ID_CONTEXTS, ...NS_CONTEXTS];

export function isProcessContext(name: string): name is ProcessContext {
  return (PROCESS_CONTEXTS as readonly string[]).includes(name);
}

/** Width of a process context as LTTng-UST 2.13 declares it: ids 32-bit, namespace inodes 64-bit (unsigned). */
export function processContextBits(kind: ProcessContext): 32 | 64 {
  return isNamespaceContext(kind) ? 64 : 32;
}

export function isNamespaceContext(name: string): boolean {
  return (NS_CONTEXTS as readonly string[]).includes(name);
}

function statusIds(line: "Uid" | "Gid"): number[] | null {
  try {
    const m = new RegExp(`^${line}:\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)`, "m").exec(
      readFileSync("/proc/self/status", "utf8"),
    );
    return m === null ? null : [Number(m[1]), Number(m[2]), Number(m[3])];
  } catch {
    return null;
  }
}

function nsInode(name: string): number {
  try {
    // The link's own inode is the namespace's (what `readlink /proc/self/ns/net` shows as net:[N]).
    return statSync(`/proc/self/ns/${name.slice(0, -3)}`).ino;
  } catch {
    return 0;
  }
}

/**
 * The values of PROCESS_CONTEXTS now, in that order.
 *
 * @example
 * const [vuid] = processContextValues(); // process.getuid()
 */
export function processContextValues(): number[] {
  const uids = statusIds("Uid") ?? [process.getuid?.() ?? 0, process.geteuid?.() ?? 0, process.geteuid?.() ?? 0];
  const gids = statusIds("Gid") ?? [process.getgid?.() ?? 0, process.getegid?.() ?? 0, process.getegid?.() ?? 0];
  return [...uids, ...gids, ...NS_CONTEXTS.map(nsInode)];
}
