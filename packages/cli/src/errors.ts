/** Prints an error and its cause chain the way babeltrace2's CLI does (`ERROR:` then `CAUSED BY`). */
import { causeChain } from "@ttng/base";

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
  return out;
}
