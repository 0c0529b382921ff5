/**
 * User-space context types LTTng knows but ttng's tracer cannot record in a Node.js process
 * (`ip`, the `perf:thread:*` counters): the daemon refuses `add-context -u` of them, as
 * lttng-sessiond refuses a context its tracer lacks, instead of letting the apps drop them.
 * The session model (LTTng's semantics) accepts them, so sessions saved by `lttng` still load.
 */
import { APP_RECORDED_CONTEXTS, type ControlReply, type ControlRequest, type SessionState } from "@ttng/protocol";
import { isUstContextType } from "../model/defaults.js";

/**
 * The daemon's answer when `req` adds a context the tracer cannot record to an existing session
 * and channel; null to let the model answer (its errors come first, as lttng-sessiond's do).
 */
export function refuseUnrecordedContext(
  req: Extract<ControlRequest, { op: "add-context" }>,
  session: SessionState | undefined,
): ControlReply | null {
  if (req.domain !== "ust" || !isUstContextType(req.type) || req.type.startsWith("$app.")) return null;
  if (APP_RECORDED_CONTEXTS.includes(req.type)) return null;
  if (session === undefined || session.everStarted) return null;
  const d = session.domains.find((x) => x.type === "ust");
  if (req.channel !== undefined && d?.channels.some((c) => c.name === req.channel) !== true) return null;
  return {
    ok: false,
    code: "TTNG_NOT_BUILT",
    message: `Context ${req.type} is not built yet in ttng-sessiond (ttng's tracer cannot read it in a Node.js process)`,
  };
}
