/**
 * What a control command needs from the outside world: where to print, the
 * environment (for `$TTNG_HOME`), and how to reach a session daemon. The
 * product passes the socket client; tests pass a client backed by an
 * in-process `SessionModel` (dependency injection, not a test switch).
 */
import type { ControlReply, ControlRequest } from "@ttng/protocol";

/** One connection to a session daemon (or something that answers like one). */
export interface ControlConnection {
  request(req: ControlRequest): Promise<ControlReply>;
  close(): void;
}

export interface ControlIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Opens a connection; `autoStart` starts a daemon when none answers (as `lttng create` does). */
  connect(options: { autoStart: boolean }): Promise<ControlConnection>;
}

/** `$TTNG_HOME`, defaulting to `$HOME` (LTTng's `LTTNG_HOME` rule). */
export function ttngHome(env: ControlIO["env"]): string {
  const h = env.TTNG_HOME;
  if (h !== undefined && h !== "") return h;
  return env.HOME ?? "/";
}

/**
 * What commands talk to when no session daemon answers (and none is to be
 * started): every request is refused with LTTng's NO_SESSIOND, so each
 * command prints lttng's own text for that case ("No session daemon is
 * available") and exits as lttng does.
 */
export function noDaemonConnection(): ControlConnection {
  return {
    request: async () => ({ ok: false, code: "NO_SESSIOND", message: "No session daemon is available" }),
    close() {},
  };
}
