// A CommonJS app (require, no ESM) for the agent's CJS test: an HTTP server that logs each
// request with console.log. Prints "listening on PORT" when ready.
const http = require("node:http");

const server = http.createServer((req, res) => {
  console.log("cjs %s %s", req.method, req.url);
  res.writeHead(req.url === "/missing" ? 404 : 200);
  res.end("cjs\n");
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`listening on ${server.address().port}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
