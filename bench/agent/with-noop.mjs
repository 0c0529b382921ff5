// `node --import` preload for the bench's diagnostic "noop" run: empty subscribers on the two
// channels the agent uses for node_http server events, so the run shows what Node's own channel
// messages cost (the objects it builds and publishes only when a channel has subscribers).
import dc from "node:diagnostics_channel";

dc.subscribe("http.server.request.start", () => {});
dc.subscribe("http.server.response.finish", () => {});
process.on("message", (m) => {
  if (m !== "stop") return;
  process.send({ recorded: 0, discarded: 0, errors: [] });
  process.exit(0);
});
