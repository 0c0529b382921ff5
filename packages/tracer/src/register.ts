/**
 * `node --import @ttng/tracer/register app.js` (what `ttng trace` preloads): loads the tracer
 * before the app, which registers with the session daemon and waits, bounded, for its state
 * (auto-register.ts), so the app's first events are recorded; and installs the Node agent
 * (docs/agent.md), which subscribes to nothing until a session enables its events, so an
 * unmodified app's HTTP, fetch, net, child process, worker and console events can be traced.
 */
import { installAgent } from "./agent/install.js";
import "./auto-register.js";
import { isInternalThread } from "./internal-thread.js";

if (!isInternalThread()) installAgent();
