/**
 * node_http:* from Node's `http.server.request.start` / `http.server.response.finish` and
 * `http.client.request.start` / `http.client.response.finish` channels. A start message is
 * remembered (id, time) in a WeakMap keyed by the object the finish message carries, so nothing
 * is added to the app's objects and an abandoned request leaves nothing behind. A finish whose
 * start was not seen (the event was enabled mid-request) is not recorded. Node 20 publishes no
 * client error channel, and listening for `error` on the app's requests would change what an
 * unhandled error does, so failed client requests only show as a start without a finish.
 */
import { performance } from "node:perf_hooks";
import { subscribeWhileEnabled } from "./channels.js";
import { enterRequest } from "./contexts.js";
import { clientRequestStart, clientResponseFinish, serverRequestStart, serverResponseFinish } from "./events.js";
import { durationNs, nextRequestId } from "./ids.js";

interface Started {
  id: number;
  tMs: number;
}

interface ServerMessage {
  request: { method?: string; url?: string };
  response: { statusCode?: number };
}
interface ClientMessage {
  request: { method?: string; host?: string; path?: string };
  response?: { statusCode?: number };
}

const server = new WeakMap<object, Started>();
const client = new WeakMap<object, Started>();

export function installHttp(): void {
  subscribeWhileEnabled("node_http:server", [serverRequestStart, serverResponseFinish], {
    "http.server.request.start": (m) => {
      const { request, response } = m as ServerMessage;
      const id = nextRequestId();
      server.set(response, { id, tMs: performance.now() });
      enterRequest(id);
      if (serverRequestStart.enabled) serverRequestStart(id, request.method ?? "", request.url ?? "");
    },
    "http.server.response.finish": (m) => {
      const { request, response } = m as ServerMessage;
      const s = server.get(response);
      if (s === undefined) return;
      server.delete(response);
      if (serverResponseFinish.enabled)
        serverResponseFinish(
          s.id,
          request.method ?? "",
          request.url ?? "",
          response.statusCode ?? 0,
          durationNs(s.tMs, performance.now()),
        );
    },
  });
  subscribeWhileEnabled("node_http:client", [clientRequestStart, clientResponseFinish], {
    "http.client.request.start": (m) => {
      const { request } = m as ClientMessage;
      const id = nextRequestId();
      client.set(request, { id, tMs: performance.now() });
      if (clientRequestStart.enabled)
        clientRequestStart(id, request.method ?? "", request.host ?? "", request.path ?? "");
    },
    "http.client.response.finish": (m) => {
      const { request, response } = m as ClientMessage;
      const s = client.get(request);
      if (s === undefined) return;
      client.delete(request);
      if (clientResponseFinish.enabled)
        clientResponseFinish(
          s.id,
          request.method ?? "",
          request.host ?? "",
          request.path ?? "",
          response?.statusCode ?? 0,
          durationNs(s.tMs, performance.now()),
        );
    },
  });
}
