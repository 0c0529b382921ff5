/** Prints an error and its cause chain the way babeltrace2's CLI does (`ERROR:` then `CAUSED BY`). */
import { causeChain, TtngError } from "@ttng/base";

function wrap(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

export function formatErrorChain(error: unknown, debug: boolean): string {
  const chain = causeChain(error);
  let out = "";
  chain.forEach((c, i) => {
    const actor = c.actor ?? "ttng";
    out += `${i === 0 ? "ERROR:    " : "CAUSED BY "}[${actor}]\n${wrap(c.message)}\n`;
  });
  if (debug && error instanceof Error && error.stack) out += `${error.stack}\n`;
  // A JavaScript error among the causes (a plugin's, say) is where its author needs to look.
  if (debug) {
    for (let c = error instanceof Error ? error.cause : undefined; c instanceof Error; c = c.cause)
      if (!(c instanceof TtngError) && c.stack) out += `CAUSED BY ${c.stack}\n`;
  }
  return out;
}
