#!/usr/bin/env node
// The client of examples/http-server.mjs: requests each path given on the command line (in
// order, one at a time) and prints one JSON line per request with what it measured itself:
// {"path":"/slow?ms=50","status":200,"durationMs":51.2}. Usage:
//   node examples/http-client.mjs PORT /hello /slow?ms=50 /status/404 ...
import { request } from "node:http";

const [port, ...paths] = process.argv.slice(2);
if (port === undefined) {
  process.stderr.write("usage: http-client.mjs PORT PATH...\n");
  process.exit(2);
}

function get(path) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: "127.0.0.1", port: Number(port), path, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve({ path, status: res.statusCode, durationMs: performance.now() - t0 }));
    });
    req.on("error", reject);
    req.end();
  });
}

for (const path of paths) process.stdout.write(`${JSON.stringify(await get(path))}\n`);
