/**
 * node_fetch:* from undici's channels (Node's `fetch`): `undici:request:create` (the request is
 * queued), `undici:request:headers` (response headers arrived), `undici:request:trailers` (the
 * body was read to its end) and `undici:request:error`. undici's request objects are its own,
 * not the app's, but they are still only read, and remembered in a WeakMap.
 */
import { performance } from "node:perf_hooks";
import { subscribeWhileEnabled } from "./channels.js";
import { fetchRequestCreate, fetchRequestError, fetchRequestFinish, fetchResponseHeaders } from "./events.js";
import { durationNs, nextRequestId } from "./ids.js";

interface Started {
  id: number;
  tMs: number;
  status: number;
}
interface UndiciRequest {
  method?: string;
  origin?: string;
  path?: string;
}
interface UndiciMessage {
  request: UndiciRequest;
  response?: { statusCode?: number };
  error?: unknown;
}

const started = new WeakMap<object, Started>();

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

export function installFetch(): void {
  subscribeWhileEnabled(
    "node_fetch",
    [fetchRequestCreate, fetchResponseHeaders, fetchRequestFinish, fetchRequestError],
    {
      "undici:request:create": (m) => {
        const { request } = m as UndiciMessage;
        const id = nextRequestId();
        started.set(request, { id, tMs: performance.now(), status: 0 });
        if (fetchRequestCreate.enabled)
          fetchRequestCreate(id, request.method ?? "", String(request.origin ?? ""), request.path ?? "");
      },
      "undici:request:headers": (m) => {
        const { request, response } = m as UndiciMessage;
        const s = started.get(request);
        if (s === undefined) return;
        s.status = response?.statusCode ?? 0;
        if (fetchResponseHeaders.enabled) fetchResponseHeaders(s.id, s.status, durationNs(s.tMs, performance.now()));
      },
      "undici:request:trailers": (m) => {
        const { request } = m as UndiciMessage;
        const s = started.get(request);
        if (s === undefined) return;
        started.delete(request);
        if (fetchRequestFinish.enabled)
          fetchRequestFinish(
            s.id,
            request.method ?? "",
            String(request.origin ?? ""),
            request.path ?? "",
            s.status,
            durationNs(s.tMs, performance.now()),
          );
      },
      "undici:request:error": (m) => {
        const { request, error } = m as UndiciMessage;
        const s = started.get(request);
        if (s === undefined) return;
        started.delete(request);
        if (fetchRequestError.enabled)
          fetchRequestError(
            s.id,
            request.method ?? "",
            String(request.origin ?? ""),
            request.path ?? "",
            errorText(error),
            durationNs(s.tMs, performance.now()),
          );
      },
    },
  );
}
