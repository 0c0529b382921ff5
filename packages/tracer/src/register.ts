/**
 * `node --import @ttng/tracer/register app.js` (what `ttng trace` preloads): loads the tracer
 * before the app, which registers with the session daemon and waits, bounded, for its state
 * (auto-register.ts), so the app's first events are recorded.
 */
import "./auto-register.js";
