/**
 * Subscribes a group of handlers to Node's diagnostics channels while one of the group's events
 * is enabled (when-enabled.ts), each handler guarded (guard.ts). Plain channel names only: Node
 * 20 publishes its tracing channels (`tracing:net.server.listen:asyncEnd`) as plain channels too,
 * so one mechanism covers both.
 */
import dc from "node:diagnostics_channel";
import type { Tracepoint } from "../registry.js";
import { active, swallow } from "./guard.js";
import { whileEnabled } from "./when-enabled.js";

// biome-ignore lint/suspicious/noExplicitAny: tracepoints of any arity
type AnyTracepoint = Tracepoint<any>;
export type Handler = (message: unknown) => void;

export function subscribeWhileEnabled(
  group: string,
  tps: readonly AnyTracepoint[],
  handlers: Readonly<Record<string, Handler>>,
): void {
  const guarded = Object.entries(handlers).map(([channel, h]): [string, Handler] => [
    channel,
    (m) => {
      try {
        h(m);
      } catch (e) {
        swallow(channel, e);
      }
    },
  ]);
  whileEnabled(
    group,
    tps,
    () => {
      for (const [channel, h] of guarded) {
        dc.subscribe(channel, h);
        active.add(channel);
      }
    },
    () => {
      for (const [channel, h] of guarded) {
        dc.unsubscribe(channel, h);
        active.delete(channel);
      }
    },
  );
}
