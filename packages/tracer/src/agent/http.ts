/**
 * node_http:* from Node's `http.server.request.start` / `http.server.response.finish` and
 * `http.client.request.start` / `http.client.response.finish` channels. A start is remembered
 * (id, time) on the socket (a server request, unless pipelined behind another) or on the
 * object the finish message carries, in private fields the app cannot see (marks.ts, which says
 * why not a WeakMap), so an abandoned request leaves nothing behind. A finish whose start was
 * not seen (the event was enabled mid-request) is not recorded. Each handler reads the clock
 * once and stamps its event with that reading (eventClock, clock.ts), so a duration is the
 * difference of the two events' timestamps. Node 20 publishes no client error channel, and
 * listening for `error` on the app's requests would change what an unhandled error does, so
 * failed client requests only show as a start without a finish.
 */
import { performance } from "node:perf_hooks";
import { eventClock } from "../clock.js";
import { subscribeWhileEnabled } from "./channels.js";
import { enterRequest } from "./contexts.js";
import { clientRequestStart, clientResponseFinish, serverRequestStart, serverResponseFinish } from "./events.js";
import { durationNs, nextRequestId } from "./ids.js";
import {
  clearMark,
  clearSocketMark,
  markedId,
  markedStartMs,
  markSocketStart,
  markStart,
  socketMarkedId,
  socketMarkedStartMs,
  socketMarkHolds,
} from "./marks.js";

interface ServerMessage {
  request: { method?: string; url?: string };
  response: { statusCode?: number };
  socket?: unknown;
}
interface ClientMessage {
  request: { method?: string; host?: string; path?: string };
  response?: { statusCode?: number };
}

export function installHttp(): void {
  subscribeWhileEnabled("node_http:server", [serverRequestStart, serverResponseFinish], {
    "http.server.request.start": (m) => {
      const { request, response, socket } = m as ServerMessage;
      const id = nextRequestId();
      const now = performance.now();
      if (typeof socket !== "object" || socket === null || !markSocketStart(socket, response, id, now))
        markStart(response, id, now);
      enterRequest(id);
      if (serverRequestStart.enabled) {
        eventClock.at = now;
        try {
          serverRequestStart(id, request.method ?? "", request.url ?? "");
        } finally {
          eventClock.at = -1;
        }
      }
    },
    "http.server.response.finish": (m) => {
      const { request, response, socket } = m as ServerMessage;
      let id: number;
      let startMs: number;
      if (typeof socket === "object" && socket !== null && socketMarkHolds(socket, response)) {
        id = socketMarkedId(socket);
        startMs = socketMarkedStartMs(socket);
        clearSocketMark(socket);
      } else {
        id = markedId(response);
        if (id === 0) return;
        startMs = markedStartMs(response);
        clearMark(response);
      }
      if (serverResponseFinish.enabled) {
        const now = performance.now();
        eventClock.at = now;
        try {
          serverResponseFinish(
            id,
            request.method ?? "",
            request.url ?? "",
            response.statusCode ?? 0,
            durationNs(startMs, now),
          );
        } finally {
          eventClock.at = -1;
        }
      }
    },
  });
  subscribeWhileEnabled("node_http:client", [clientRequestStart, clientResponseFinish], {
    "http.client.request.start": (m) => {
      const { request } = m as ClientMessage;
      const id = nextRequestId();
      const now = performance.now();
      markStart(request, id, now);
      if (clientRequestStart.enabled) {
        eventClock.at = now;
        try {
          clientRequestStart(id, request.method ?? "", request.host ?? "", request.path ?? "");
        } finally {
          eventClock.at = -1;
        }
      }
    },
    "http.client.response.finish": (m) => {
      const { request, response } = m as ClientMessage;
      const id = markedId(request);
      if (id === 0) return;
      clearMark(request);
      if (clientResponseFinish.enabled) {
        const now = performance.now();
        eventClock.at = now;
        try {
          clientResponseFinish(
            id,
            request.method ?? "",
            request.host ?? "",
            request.path ?? "",
            response?.statusCode ?? 0,
            durationNs(markedStartMs(request), now),
          );
        } finally {
          eventClock.at = -1;
        }
      }
    },
  });
}
