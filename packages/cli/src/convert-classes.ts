/**
 * Which built-in component classes a `view`/`convert` command line needs (the implicit graph of
 * `planConvert`), so that the CLI loads only those: start-up time. Explicit components (`-c`)
 * can name any class, so they need all of them.
 */
import type { ComponentType } from "@ttng/graph";
import type { ConvertOptions } from "./convert.js";

export function convertNeeds(o: ConvertOptions): (type: ComponentType, plugin: string, name: string) => boolean {
  if (o.components.length > 0) return () => true;
  const need = new Set(["source.ctf.fs", "filter.utils.muxer"]);
  // The implicit sink (planConvert): -o picks it; none (or a pretty option) means sink.text.pretty.
  const f = o.outputFormat;
  if (f === "dummy") need.add("sink.utils.dummy");
  else if (f === "ctf") need.add("sink.ctf.fs");
  else if (f === "json") need.add("sink.text.json");
  else if (f !== "ctf-metadata") need.add("sink.text.pretty");
  if (o.trimmer !== undefined || o.streamIntersection) need.add("filter.utils.trimmer");
  if (o.filter !== undefined) need.add("filter.utils.filter");
  return (type, plugin, name) => need.has(`${type}.${plugin}.${name}`);
}
