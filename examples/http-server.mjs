#!/usr/bin/env node
// A small HTTP server that knows nothing about tracing: the Node agent's example and test
// subject. Trace it without changing it:
//   ttng trace -- node examples/http-server.mjs            (or node --import @ttng/tracer/register)
// Routes: /hello, /slow?ms=N (answers after N ms), /status/NNN, /log (one line per console
// method), /fetch (fetches /hello from itself), /proxy (gets /status/202 from itself with
// http.get), /spawn (runs `true`), /worker (runs a worker),
// /throw (the handler throws; the server answers 500). Prints "listening on PORT" when ready.
import { spawn } from "node:child_process";
import { createServer, get } from "node:http";
import { Worker } from "node:worker_threads";

function answer(res, status, body) {
  res.writeHead(status, { "content-type": "text/plain" });
  res.end(`${body}\n`);
}

const routes = {
  "/hello": (_url, res) => answer(res, 200, "hello"),
  "/slow": (url, res) => {
    const ms = Number(url.searchParams.get("ms") ?? 50);
    setTimeout(() => answer(res, 200, `slept ${ms}`), ms);
  },
  "/log": (_url, res) => {
    console.log("log line %d", 1);
    console.info("info line");
    console.debug("debug line");
    console.warn("warn line");
    console.error("error line");
    console.trace("trace line");
    console.assert(1 === 2, "assert line");
    console.count("requests");
    answer(res, 200, "logged");
  },
  "/fetch": async (url, res) => {
    const r = await fetch(`http://${url.host}/hello`);
    answer(res, 200, `fetched ${r.status} ${(await r.text()).trim()}`);
  },
  "/proxy": (url, res) => {
    get(`http://${url.host}/status/202`, (r) => {
      r.resume();
      r.on("end", () => answer(res, 200, `proxied ${r.statusCode}`));
    });
  },
  "/spawn": (_url, res) => {
    spawn("true").on("exit", (code) => answer(res, 200, `child exited ${code}`));
  },
  "/worker": (_url, res) => {
    new Worker("require('node:worker_threads').parentPort.postMessage(6 * 7)", { eval: true }).on("message", (m) =>
      answer(res, 200, `worker said ${m}`),
    );
  },
  "/throw": () => {
    throw new Error("handler failed");
  },
};

const server = createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const status = /^\/status\/(\d{3})$/.exec(url.pathname);
  try {
    if (status) return answer(res, Number(status[1]), `status ${status[1]}`);
    const route = routes[url.pathname];
    if (route === undefined) return answer(res, 404, "not found");
    await route(url, res);
  } catch (e) {
    answer(res, 500, `error: ${e.message}`);
  }
});

server.listen(Number(process.env.PORT ?? process.argv[2] ?? 0), "127.0.0.1", () => {
  process.stdout.write(`listening on ${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
