/**
 * `--run-args` / `--run-args-0`: the `run` command arguments equivalent to
 * a `convert` command line, formatted as babeltrace2 formats them
 * (component order, parameter text, shell quoting, connection escapes).
 */
import type { Value } from "@ttng/graph";

/** A component of the convert graph, in babeltrace2's order, with its `--params` texts. */
export interface PlannedComponent {
  name: string;
  spec: string;
  params: string[];
}

/** babeltrace2's bt_common_shell_quote(): quote unless every character is safe. */
export function shellQuote(s: string): string {
  if (s === "") return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

/** A string value as babeltrace2 writes it in params text: `"..."` with `\\` and `"` escaped. */
export function paramString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Params text of a value. */
export function paramValue(v: Value): string {
  switch (v.type) {
    case "null":
      return "null";
    case "bool":
      return v.value ? "yes" : "no";
    case "sint":
      return v.value.toString();
    case "uint":
      return `+${v.value}`;
    case "real":
      return String(v.value);
    case "string":
      return paramString(v.value);
    case "array":
      return `[${v.items.map(paramValue).join(", ")}]`;
    case "map":
      return `{${[...v.entries].map(([k, x]) => `${k}=${paramValue(x)}`).join(", ")}}`;
  }
}

/** Escapes `.`, `:` and `\\` in a component name for `--connect`. */
function connectName(name: string): string {
  return name.replace(/[\\.:]/g, (c) => `\\${c}`);
}

/** The argument list of the equivalent `run` command. */
export function runArgs(components: PlannedComponent[], connections: Array<[string, string]>): string[] {
  const out: string[] = [];
  for (const c of components) {
    out.push("--component", `${c.name}:${c.spec}`);
    for (const p of c.params) out.push("--params", p);
  }
  for (const [up, down] of connections) out.push("--connect", `${connectName(up)}:${connectName(down)}`);
  return out;
}
