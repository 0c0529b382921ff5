/**
 * Runs `on` when the first of a group of tracepoints becomes enabled and `off` when the last one
 * is disabled, whichever session enables them. This is how the agent subscribes to a diagnostics
 * channel (or wraps `console`) only while an event that needs it is recorded: with nothing
 * enabled the app runs exactly as if the agent were not loaded.
 */
import { type Tracepoint, watchEnabled } from "../registry.js";
import { swallow } from "./guard.js";

// biome-ignore lint/suspicious/noExplicitAny: tracepoints of any arity
type AnyTracepoint = Tracepoint<any>;

export function whileEnabled(name: string, tps: readonly AnyTracepoint[], on: () => void, off: () => void): void {
  let count = 0;
  const change = (enabled: boolean): void => {
    const before = count;
    count += enabled ? 1 : -1;
    try {
      if (before === 0 && count > 0) on();
      else if (before > 0 && count === 0) off();
    } catch (e) {
      swallow(name, e);
    }
  };
  for (const tp of tps) {
    if (tp.enabled) count++;
    watchEnabled(tp, change);
  }
  if (count > 0) on();
}
