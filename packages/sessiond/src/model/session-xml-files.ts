/**
 * Where session files live and how they are read and written: `NAME.lttng`
 * in a directory (LTTng's extension, so files move between lttng and ttng);
 * loading a directory reads every `*.lttng` in it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SessionState } from "@ttng/protocol";
import { sessionsFromXml, sessionToXml } from "./session-xml.js";

type Result<T> = ({ ok: true } & T) | { ok: false; code: string; message?: string };

export function saveSession(s: SessionState, dir: string, force: boolean): Result<{ path: string }> {
  const path = join(dir, `${s.name}.lttng`);
  try {
    mkdirSync(dir, { recursive: true });
    if (!force && existsSync(path)) return { ok: false, code: "SAVE_FILE_EXIST" };
    writeFileSync(path, sessionToXml(s));
  } catch {
    return { ok: false, code: "SAVE_IO_FAIL" };
  }
  return { ok: true, path };
}

/** Sessions from a file or every `*.lttng` of a directory; only `name` when given. */
export function loadSessions(path: string, name: string | null): Result<{ sessions: SessionState[] }> {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => f.endsWith(".lttng"))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch {
    return { ok: false, code: "LOAD_SESSION_NOENT" };
  }
  const sessions: SessionState[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, "utf8");
    } catch {
      return { ok: false, code: "LOAD_IO_FAIL" };
    }
    try {
      sessions.push(...sessionsFromXml(text));
    } catch (e) {
      return {
        ok: false,
        code: "LOAD_INVALID_CONFIG",
        message: `Invalid session configuration: ${(e as Error).message}`,
      };
    }
  }
  const chosen = name === null ? sessions : sessions.filter((s) => s.name === name);
  if (chosen.length === 0) return { ok: false, code: "LOAD_SESSION_NOENT" };
  return { ok: true, sessions: chosen };
}
