/**
 * A control connection answered by an in-process `SessionModel`: the
 * session semantics without a daemon. Used to run the control commands
 * against the model directly (unit and oracle tests of the command text);
 * `ttng` itself talks to ttng-sessiond. Operations on data have no
 * applications behind them here: `list-tracepoints` lists none,
 * `data-pending` is never pending, `snapshot-record` is refused.
 */
import type { Caller, ControlReply, ControlRequest } from "@ttng/protocol";
import { SessionModel } from "@ttng/sessiond";
import type { ControlConnection } from "./io.js";

export class ModelConnection implements ControlConnection {
  constructor(
    readonly model: SessionModel,
    private readonly caller: Caller = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, pid: process.pid },
  ) {}

  async request(req: ControlRequest): Promise<ControlReply> {
    switch (req.op) {
      case "list-tracepoints":
        return { ok: true, result: { apps: [] } };
      case "data-pending":
        return this.model.session(req.session) === undefined
          ? { ok: false, code: "SESS_NOT_FOUND", message: "Session name not found" }
          : { ok: true, result: { pending: false } };
      case "snapshot-record": {
        // The model validates like the daemon; recording needs the daemon's buffers.
        const check = this.model.checkSnapshotRecord(req, 0);
        if (!check.ok) return check;
        return { ok: false, code: "TTNG_NEEDS_DAEMON", message: "Recording a snapshot needs ttng-sessiond" };
      }
      default:
        return this.model.apply(req, this.caller);
    }
  }

  close(): void {}
}

/** A fresh model-backed connection factory for `ControlIO.connect`. */
export function modelConnector(
  home: string,
  now?: () => number,
): { model: SessionModel; connect: () => Promise<ControlConnection> } {
  const model = new SessionModel({ home, ...(now === undefined ? {} : { now }) });
  const conn = new ModelConnection(model);
  return { model, connect: async () => conn };
}
