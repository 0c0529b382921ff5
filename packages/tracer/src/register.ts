/**
 * `node --import @ttng/tracer/register app.js` (what `ttng trace` preloads): loads the tracer
 * and the Node agent (agent/preload.ts: Node's diagnostics channels and `console` as `node_*`
 * events, subscribed only while a session enables them) before the app, then registers with
 * the session daemon and waits, bounded, for its state (auto-register.ts), so the app's first
 * events are recorded. The order matters: the agent's events and `$app.*` contexts must exist
 * when the daemon's first state is applied, so registration waits for the preload's import.
 */
import "./agent/preload.js";
import { autoRegister } from "./auto-register.js";

await autoRegister();
