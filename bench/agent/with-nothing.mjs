// `node --import` preload for the bench's diagnostic "import" run: loads nothing, only answers
// the bench's "stop" message, so the run shows what `--import` itself costs the server.
process.on("message", (m) => {
  if (m !== "stop") return;
  process.send({ recorded: 0, discarded: 0, errors: [] });
  process.exit(0);
});
