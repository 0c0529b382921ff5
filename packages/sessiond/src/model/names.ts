/**
 * Session names and the `-YYYYmmdd-HHMMSS` suffixes LTTng derives from the
 * creation time (local time, as lttng-sessiond's `time_to_datetime_str`).
 */

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** `YYYYmmdd-HHMMSS` in local time. */
export function dateTimeSuffix(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/** Why a session name is refused (LTTng's messages), or null. */
export function sessionNameProblem(name: string): string | null {
  if (name === "") return "Invalid session name";
  if (name.includes("/")) return "Invalid character found in session name";
  if (name === "auto") return "auto is a reserved keyword for default session(s)";
  if (name.length >= 255) return "Session name too long";
  return null;
}

/** LTTng's rule: channel names may not start with '.' nor contain '/'. */
export function channelNameValid(name: string): boolean {
  return name !== "" && !name.startsWith(".") && !name.includes("/") && name.length < 256;
}
