/** The built-in plugins, as babeltrace2 describes its own. */
import { Registry } from "@ttng/graph";
import { ctfFsSinkClass, ctfFsSourceClass } from "@ttng/plugin-ctf";
import * as text from "@ttng/plugin-text";
import { counterSinkClass, dummySinkClass, filterClass, muxerClass, trimmerClass } from "@ttng/plugin-utils";

export function builtinRegistry(): Registry {
  const r = new Registry();
  r.add({
    name: "ctf",
    description: "CTF input and output",
    author: "ttng",
    license: "MIT",
    version: "0.1.0",
    componentClasses: [ctfFsSourceClass, ctfFsSinkClass],
  });
  const textClasses = [text.dmesgSourceClass, text.prettySinkClass];
  const details = (text as Record<string, unknown>).detailsSinkClass;
  if (details) textClasses.push(details as typeof text.prettySinkClass);
  // ttng's own (not in babeltrace2): after babeltrace2's classes.
  textClasses.push(text.jsonSinkClass);
  r.add({
    name: "text",
    description: "Plain text input and output",
    author: "ttng",
    license: "MIT",
    version: "0.1.0",
    componentClasses: textClasses,
  });
  r.add({
    name: "utils",
    description: "Graph utilities",
    author: "ttng",
    license: "MIT",
    version: "0.1.0",
    // filterClass is ttng's own (babeltrace2 2.0 has no event filter).
    componentClasses: [muxerClass, trimmerClass, dummySinkClass, counterSinkClass, filterClass],
  });
  return r;
}
