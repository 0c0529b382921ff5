/**
 * How a daemon's error reply becomes lttng's exit status and text: commands
 * that return the error code exit with its value (`lttng start` of a missing
 * session exits 23, SESS_NOT_FOUND), others with CMD_ERROR (1).
 */
import { lttngErrorMessage, lttngErrorValue } from "@ttng/protocol";
import type { ControlReply } from "@ttng/protocol";

export function replyMessage(r: ControlReply): string {
  if (r.ok) return "Success";
  // LTTng codes carry LTTng's sentence; ttng-only codes (TTNG_*) carry their own.
  return r.code.startsWith("TTNG_") ? r.message : lttngErrorMessage(r.code);
}

export function replyValue(r: ControlReply): number {
  return r.ok ? 0 : lttngErrorValue(r.code);
}
