// A closed-loop HTTP/1.1 load generator on loopback: C keep-alive connections, each sending
// its next `GET /` as soon as the previous response is complete, for D ms. Raw sockets and a
// minimal response parser (status line, content-length, body) so that the generator, which
// shares the machine's cores with the server, spends as little CPU as possible.
// Usage: node load.mjs PORT CONNECTIONS DURATION_MS  ->  one JSON line
//   {requests, errors, rps, meanUs, p50Us, p99Us, loadCpuUsPerReq}  (the generator's own CPU)
// Forked with no arguments, it stays up and runs one load per IPC message {port, connections,
// ms}, replying with the same figures: the generator is then warm (JIT-compiled) for every
// run, which short runs need.
import { connect } from "node:net";
import { performance } from "node:perf_hooks";

const REQUEST = Buffer.from("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
let latencies = new Float64Array(1 << 20);
let count = 0;
let errors = 0;
let running = true;
let port = 0;

function record(us) {
  if (count === latencies.length) {
    const bigger = new Float64Array(latencies.length * 2);
    bigger.set(latencies);
    latencies = bigger;
  }
  latencies[count++] = us;
}

function client() {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.setNoDelay(true);
    let pending = "";
    let sentAt = 0;
    const send = () => {
      if (!running) {
        socket.end();
        return;
      }
      sentAt = performance.now();
      socket.write(REQUEST);
    };
    socket.on("connect", send);
    socket.on("data", (chunk) => {
      pending += chunk.toString("latin1");
      for (;;) {
        const headEnd = pending.indexOf("\r\n\r\n");
        if (headEnd < 0) return;
        const m = /\r\ncontent-length: *(\d+)/i.exec(pending.slice(0, headEnd));
        let total = headEnd + 4 + (m ? Number(m[1]) : 0);
        if (m === null) {
          // Chunked: the body ends with the last chunk (the server sends no trailers).
          const end = pending.indexOf("\r\n0\r\n\r\n", headEnd);
          if (end < 0) return;
          total = end + 7;
        }
        if (pending.length < total) return;
        if (!pending.startsWith("HTTP/1.1 200")) errors++;
        pending = pending.slice(total);
        record((performance.now() - sentAt) * 1000);
        send();
      }
    });
    socket.on("error", () => {
      errors++;
    });
    socket.on("close", resolve);
  });
}

async function run(connections, durationMs) {
  count = 0;
  errors = 0;
  running = true;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const clients = Array.from({ length: connections }, client);
  setTimeout(() => {
    running = false;
  }, durationMs);
  await Promise.all(clients);
  const elapsedS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const sorted = latencies.subarray(0, count).sort();
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sorted[i];
  const at = (q) => (count === 0 ? 0 : sorted[Math.min(count - 1, Math.floor(q * count))]);
  return {
    requests: count,
    errors,
    rps: count / elapsedS,
    meanUs: count ? sum / count : 0,
    p50Us: at(0.5),
    p99Us: at(0.99),
    loadCpuUsPerReq: count ? (cpu.user + cpu.system) / count : 0,
  };
}

if (process.argv.length > 2) {
  const [p, connections, durationMs] = process.argv.slice(2).map(Number);
  port = p;
  process.stdout.write(`${JSON.stringify(await run(connections, durationMs))}\n`);
} else if (process.send !== undefined) {
  process.on("message", async (m) => {
    port = m.port;
    process.send(await run(m.connections, m.ms));
  });
}
