/**
 * What @ttng/tracer/register loads before the daemon link starts: installs the Node agent (it
 * subscribes to nothing until a session enables its events) and offers its `$app.*` callbacks
 * to the link, so a daemon session that adds `$app.node:request_id` (or `caller`, or the app's
 * own `storeContexts` names) records them. Imported for its effect only, before
 * auto-register.js, because the link applies the daemon's first state during that import.
 */
import { offerAppContexts } from "../daemon-link.js";
import { isInternalThread } from "../internal-thread.js";

// Not in the tracer's own threads (NODE_OPTIONS' --import runs there too): see internal-thread.ts.
// Imported only here, because importing the agent declares its events in this thread.
if (!isInternalThread()) {
  // One import of the agent's entry: in the bundle (tools/bundle-tracer.mjs) that is one file.
  const { agentAppContexts, installAgent } = await import("./index.js");
  installAgent();
  offerAppContexts(agentAppContexts);
}
