/**
 * The agent's promise to the traced app: nothing it does on the app's behalf may throw into the
 * app or change what the app sees. Every handler runs inside `guarded`, which swallows and counts
 * (a diagnostics_channel subscriber that throws would otherwise become an uncaught exception on
 * the next tick). The counters are what `agentStats()` reports; the first error of each source is
 * kept as text for diagnosis, never logged from here (library code does not print).
 */

export interface AgentStats {
  /** Errors swallowed by the agent's handlers (a bad request object, a throwing getter, ...). */
  errors: number;
  /** First message of each source that failed, `source: message`. */
  firstErrors: string[];
  /** Diagnostics channels the agent is subscribed to right now (and `console` while it is wrapped). */
  subscriptions: string[];
}

const firstBySource = new Map<string, string>();
export const counters = { errors: 0 };
export const active = new Set<string>();

export function swallow(source: string, e: unknown): void {
  counters.errors++;
  if (!firstBySource.has(source)) {
    let text: string;
    try {
      text = e instanceof Error ? e.message : String(e);
    } catch {
      text = "(unprintable)";
    }
    firstBySource.set(source, `${source}: ${text}`);
  }
}

export function agentStats(): AgentStats {
  return { errors: counters.errors, firstErrors: [...firstBySource.values()], subscriptions: [...active].sort() };
}
