/**
 * Request ids: one counter per thread for every id the agent hands out (HTTP server and client
 * requests, fetch requests), so an id names one request in a trace whatever its provider. Plain
 * numbers: 2^53 requests before they lose precision.
 */
let next = 0;

export function nextRequestId(): number {
  return ++next;
}

/** Nanoseconds between two `performance.now()` readings, as an integer. */
export function durationNs(fromMs: number, toMs: number): number {
  const d = Math.round((toMs - fromMs) * 1e6);
  return d > 0 ? d : 0;
}
