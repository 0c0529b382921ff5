/**
 * Option parsing for the control commands, with popt's rules as `lttng`
 * uses them: `--name=value` or `--name value`, `-x value` or `-xvalue`,
 * short flags bundled (`-ua`), `--` ends options, anything else is a
 * positional argument. An unknown option is a usage error, reported as
 * lttng reports it.
 */
import { TtngError } from "@ttng/base";

export interface OptionSpec {
  long: string;
  short?: string;
  /** Takes a value. */
  value?: boolean;
  /** `--live[=N]`: value only with `=`. */
  optionalValue?: boolean;
  /** popt's optional argument: `--vpid=1`, `--vpid 1`, or no value when the next word is an option. */
  optionalNext?: boolean;
}

export interface ParsedArgs {
  /** Every occurrence of each option, by long name, in order (`""` for flags). */
  options: Map<string, string[]>;
  positionals: string[];
  /** Every option occurrence in command-line order (for options whose last one wins across names). */
  order: Array<{ long: string; value: string }>;
}

export class UnknownOptionError extends TtngError {
  constructor(readonly option: string) {
    super("ERR_USAGE", `Unknown option ${option}`, { actor: "ttng" });
    this.name = "UnknownOptionError";
  }
}

export class MissingValueError extends TtngError {
  constructor(readonly option: string) {
    super("ERR_USAGE", `Option ${option} needs a value`, { actor: "ttng" });
    this.name = "MissingValueError";
  }
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const options = new Map<string, string[]>();
  const positionals: string[] = [];
  const order: Array<{ long: string; value: string }> = [];
  const add = (s: OptionSpec, v: string) => {
    order.push({ long: s.long, value: v });
    const list = options.get(s.long) ?? [];
    list.push(v);
    options.set(s.long, list);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const s = specs.find((x) => x.long === name);
      if (s === undefined) throw new UnknownOptionError(a);
      if (s.value) {
        if (eq >= 0) add(s, a.slice(eq + 1));
        else {
          const v = argv[i + 1];
          if (v === undefined) throw new MissingValueError(a);
          add(s, v);
          i++;
        }
      } else if (s.optionalNext) {
        if (eq >= 0) add(s, a.slice(eq + 1));
        else {
          const v = argv[i + 1];
          if (v !== undefined && !v.startsWith("-")) {
            add(s, v);
            i++;
          } else add(s, "");
        }
      } else if (s.optionalValue) add(s, eq < 0 ? "" : a.slice(eq + 1));
      else {
        if (eq >= 0) throw new UnknownOptionError(a);
        add(s, "");
      }
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const s = specs.find((x) => x.short === a[j]);
        if (s === undefined) throw new UnknownOptionError(`-${a[j]}`);
        if (s.value) {
          const rest = a.slice(j + 1);
          if (rest !== "") add(s, rest.startsWith("=") ? rest.slice(1) : rest);
          else {
            const v = argv[i + 1];
            if (v === undefined) throw new MissingValueError(`-${a[j]}`);
            add(s, v);
            i++;
          }
          break;
        }
        add(s, "");
      }
      continue;
    }
    positionals.push(a);
  }
  return { options, positionals, order };
}

export function has(p: ParsedArgs, long: string): boolean {
  return p.options.has(long);
}

/** The last value given for an option (popt keeps the last), or undefined. */
export function last(p: ParsedArgs, long: string): string | undefined {
  const v = p.options.get(long);
  return v === undefined ? undefined : v[v.length - 1];
}

export function all(p: ParsedArgs, long: string): string[] {
  return p.options.get(long) ?? [];
}
