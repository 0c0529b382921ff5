/**
 * `$app.*` context callbacks the agent provides to sessions:
 *
 * - `request_id`: the id of the HTTP server request whose handling the current code belongs to,
 *   followed across async hops (callbacks, promises, timers) by an AsyncLocalStorage the agent
 *   enters when a request starts; 0 outside a request. Node 20's AsyncLocalStorage costs an async
 *   hook on every async resource once it is entered, so the agent enters it only after a session
 *   first asked for this context (the first event recorded with it): requests already running
 *   then have no id.
 * - contexts read from an AsyncLocalStorage store the app owns and names: `storeContexts(als,
 *   ["user"])` reads `als.getStore()?.user` when an event is recorded.
 * - `caller` (console.ts): where the `console` call was made.
 *
 * A callback never throws into the tracer: a throwing getter gives "".
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { swallow } from "./guard.js";

export type AppContextValue = string | number;
export type AppContextFn = () => AppContextValue;

const requestStore = new AsyncLocalStorage<number>();
let requestIdWanted = false;

/** Called by the HTTP server handler when a request starts. */
export function enterRequest(id: number): void {
  if (requestIdWanted) requestStore.enterWith(id);
}

/** The `$app.request_id` callback. */
export function currentRequestId(): number {
  requestIdWanted = true;
  return requestStore.getStore() ?? 0;
}

function toValue(v: unknown): AppContextValue {
  if (typeof v === "string" || typeof v === "number") return v;
  if (v === undefined || v === null) return "";
  return String(v);
}

/**
 * `$app.<key>` callbacks reading the app's own AsyncLocalStorage store.
 *
 * @example
 * const als = new AsyncLocalStorage();
 * registerAppContexts(storeContexts(als, ["user", "tenant"]));   // $app.user, $app.tenant
 */
export function storeContexts(store: { getStore(): unknown }, keys: readonly string[]): Record<string, AppContextFn> {
  const out: Record<string, AppContextFn> = {};
  for (const key of keys) {
    out[key] = () => {
      try {
        const s = store.getStore();
        return s === undefined || s === null ? "" : toValue((s as Record<string, unknown>)[key]);
      } catch (e) {
        swallow(`$app.${key}`, e);
        return "";
      }
    };
  }
  return out;
}

const registered: Record<string, AppContextFn> = { request_id: currentRequestId };

/** Makes `$app.<name>` contexts available to the sessions that record this app. */
export function registerAppContexts(contexts: Readonly<Record<string, AppContextFn>>): void {
  Object.assign(registered, contexts);
}

/** Every registered `$app.*` callback (what a session's `appContexts` gets). */
export function agentAppContexts(): Record<string, AppContextFn> {
  return { ...registered };
}
