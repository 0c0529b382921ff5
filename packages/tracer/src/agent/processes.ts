/**
 * node_child_process:* and node_worker:* from Node 20's `child_process` and `worker_threads`
 * channels, published when a ChildProcess or Worker object is created (before the process is
 * spawned: its pid and command come from the object's `spawn` event). Their ends come from `exit`
 * listeners: `spawn` and `exit` listeners keep nothing alive and change nothing the app's own
 * listeners see (the agent never listens for `error`, which would: an unhandled `error` throws).
 * A command that cannot be spawned has no `spawn` event, so it is not recorded.
 */
import { performance } from "node:perf_hooks";
import { subscribeWhileEnabled } from "./channels.js";
import { childExit, childSpawn, workerExit, workerStart } from "./events.js";
import { swallow } from "./guard.js";
import { durationNs } from "./ids.js";

interface ChildLike {
  pid?: number;
  spawnfile?: string;
  spawnargs?: string[];
  once(event: "exit", f: (code: number | null, signal: string | null) => void): unknown;
  once(event: "spawn", f: () => void): unknown;
}
interface WorkerLike {
  threadId: number;
  once(event: "exit", f: (code: number) => void): unknown;
}

export function installProcesses(): void {
  subscribeWhileEnabled("node_child_process", [childSpawn, childExit], {
    child_process: (m) => {
      const { process: child } = m as { process: ChildLike };
      const t0 = performance.now();
      child.once("spawn", () => {
        try {
          if (childSpawn.enabled) childSpawn(child.pid ?? 0, child.spawnfile ?? "", (child.spawnargs ?? []).join(" "));
        } catch (e) {
          swallow("node_child_process:spawn", e);
        }
      });
      child.once("exit", (code, signal) => {
        try {
          if (childExit.enabled) childExit(child.pid ?? 0, code ?? -1, signal ?? "", durationNs(t0, performance.now()));
        } catch (e) {
          swallow("node_child_process:exit", e);
        }
      });
    },
  });
  subscribeWhileEnabled("node_worker", [workerStart, workerExit], {
    worker_threads: (m) => {
      const { worker } = m as { worker: WorkerLike };
      const t0 = performance.now();
      const id = worker.threadId;
      if (workerStart.enabled) workerStart(id);
      worker.once("exit", (code) => {
        try {
          if (workerExit.enabled) workerExit(id, code, durationNs(t0, performance.now()));
        } catch (e) {
          swallow("node_worker:exit", e);
        }
      });
    },
  });
}
