/**
 * The domain options shared by the channel, event, context and tracker
 * commands. ttng traces user space (`-u`); the kernel and agent domains are
 * recognised so the messages match lttng's, and refused as not built.
 */
import type { DomainType } from "@ttng/protocol";
import { has, type OptionSpec, type ParsedArgs } from "./args.js";
import type { CommandContext } from "./context.js";

export const DOMAIN_OPTIONS: OptionSpec[] = [
  { long: "userspace", short: "u" },
  { long: "kernel", short: "k" },
  { long: "jul", short: "j" },
  { long: "log4j", short: "l" },
  { long: "python", short: "p" },
  // ttng's Node agent domain (issue 6), an agent domain like -j/-l/-p; no short option.
  { long: "node" },
];

/** The single domain asked for; null after printing lttng's complaint. */
export function domainOf(ctx: CommandContext, p: ParsedArgs, allowed: readonly string[]): DomainType | null {
  const given = DOMAIN_OPTIONS.filter((o) => allowed.includes(o.long) && has(p, o.long)).map((o) => o.long);
  if (given.length === 0) {
    // lttng's message, which does not know ttng's --node.
    const names = allowed
      .filter((a) => a !== "node")
      .map((a) => `--${a}`)
      .join("/");
    ctx.err(`Please specify a domain (${names}).`);
    return null;
  }
  if (given.length > 1) {
    ctx.err("Only one domain must be specified");
    return null;
  }
  const d = given[0]!;
  if (d === "node") return "node";
  if (d !== "userspace") {
    ctx.err(`The ${d} domain is not built in ttng (user space, -u, only)`);
    return null;
  }
  return "ust";
}
