// The benchmarked app: a hello-world HTTP server, CommonJS so that OpenTelemetry's
// require-time patching of `http` applies without an ESM loader hook (the ttng agent needs
// neither). Reports its port to the bench over the fork IPC channel, and its CPU time (all
// threads: the ttng consumer and OpenTelemetry's exporter included) when asked.
const http = require("node:http");

const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain", "content-length": 6 });
  res.end("hello\n");
});
server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
process.on("message", (m) => {
  if (m === "cpu") process.send({ cpu: process.cpuUsage() });
});
