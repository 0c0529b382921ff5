/**
 * The per-invocation helper of a control command: LTTng's output
 * conventions (`Error: ` / `Warning: ` on stderr, messages on stdout), the
 * current session (`$TTNG_HOME/.ttngrc`, LTTng's `.lttngrc`), and one
 * daemon connection opened on first use.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ControlReply, ControlRequest } from "@ttng/protocol";
import { type ControlConnection, type ControlIO, ttngHome } from "./io.js";

/** lttng's `enum cmd_error_code`. */
export const CMD_SUCCESS = 0;
export const CMD_ERROR = 1;
export const CMD_UNDEFINED = 2;
export const CMD_FATAL = 3;
export const CMD_WARNING = 4;
export const CMD_UNSUPPORTED = 5;

export class CommandContext {
  private connection: ControlConnection | undefined;
  readonly home: string;

  constructor(
    readonly io: ControlIO,
    readonly command: string,
  ) {
    this.home = ttngHome(io.env);
  }

  msg(line: string): void {
    this.io.stdout(`${line}\n`);
  }

  /** Text without a newline (lttng's `_MSG`). */
  raw(text: string): void {
    this.io.stdout(text);
  }

  err(line: string): void {
    this.io.stderr(`Error: ${line}\n`);
  }

  warn(line: string): void {
    this.io.stderr(`Warning: ${line}\n`);
  }

  async request(req: ControlRequest, autoStart = false): Promise<ControlReply> {
    if (this.connection === undefined) this.connection = await this.io.connect({ autoStart });
    return this.connection.request(req);
  }

  close(): void {
    this.connection?.close();
    this.connection = undefined;
  }

  get rcPath(): string {
    return join(this.home, ".ttngrc");
  }

  /** The current session from `.ttngrc`, or null (quietly). */
  currentSessionQuiet(): string | null {
    try {
      const text = readFileSync(this.rcPath, "utf8");
      for (const line of text.split("\n")) if (line.startsWith("session=")) return line.slice(8).trim();
    } catch {
      // No file: no current session.
    }
    return null;
  }

  /** The current session, or null after printing lttng's complaint. */
  currentSession(): string | null {
    const s = this.currentSessionQuiet();
    if (s !== null) return s;
    if (existsSync(this.rcPath)) this.err("Missing session=NAME in config file.");
    else {
      this.err(`Can't find valid ttng config ${this.home}/.ttngrc`);
      this.msg("Did you create a session? (ttng create <my_session>)");
    }
    return null;
  }

  setCurrentSession(name: string): void {
    writeFileSync(this.rcPath, `session=${name}\n`);
  }

  clearCurrentSession(): void {
    rmSync(this.rcPath, { force: true });
  }
}
