/**
 * The built-in plugins, as babeltrace2 describes its own. Each component class's module loads
 * only when a registry asks for it: `ttng convert -o dummy` does not compile the pretty printer,
 * the CTF writer or the filter language (start-up time).
 */
import type { ComponentClass, ComponentType } from "@ttng/graph";
import { Registry } from "@ttng/graph";

interface BuiltinClass {
  type: ComponentType;
  name: string;
  load(): Promise<ComponentClass | undefined>;
}

const text = () => import("@ttng/plugin-text");

const BUILTIN: Array<{ name: string; description: string; classes: BuiltinClass[] }> = [
  {
    name: "ctf",
    description: "CTF input and output",
    classes: [
      { type: "source", name: "fs", load: async () => (await import("@ttng/plugin-ctf/fs-source")).ctfFsSourceClass },
      { type: "sink", name: "fs", load: async () => (await import("@ttng/plugin-ctf/fs-sink")).ctfFsSinkClass },
    ],
  },
  {
    name: "text",
    description: "Plain text input and output",
    classes: [
      { type: "source", name: "dmesg", load: async () => (await text()).dmesgSourceClass },
      { type: "sink", name: "pretty", load: async () => (await text()).prettySinkClass },
      {
        type: "sink",
        name: "details",
        load: async () => ((await text()) as Record<string, unknown>).detailsSinkClass as ComponentClass | undefined,
      },
      // ttng's own (not in babeltrace2): after babeltrace2's classes.
      { type: "sink", name: "json", load: async () => (await text()).jsonSinkClass },
    ],
  },
  {
    name: "utils",
    description: "Graph utilities",
    classes: [
      { type: "filter", name: "muxer", load: async () => (await import("@ttng/plugin-utils/muxer")).muxerClass },
      { type: "filter", name: "trimmer", load: async () => (await import("@ttng/plugin-utils/trimmer")).trimmerClass },
      { type: "sink", name: "dummy", load: async () => (await import("@ttng/plugin-utils/sinks")).dummySinkClass },
      { type: "sink", name: "counter", load: async () => (await import("@ttng/plugin-utils/sinks")).counterSinkClass },
      // filterClass is ttng's own (babeltrace2 2.0 has no event filter).
      { type: "filter", name: "filter", load: async () => (await import("@ttng/plugin-utils/filter")).filterClass },
    ],
  },
];

/**
 * A registry of the built-in plugins. With `need`, only the component classes it accepts are
 * loaded (and registered): a caller that knows its graph passes it to skip loading the others.
 */
export async function builtinRegistry(
  need?: (type: ComponentType, plugin: string, name: string) => boolean,
): Promise<Registry> {
  const r = new Registry();
  const plugins = await Promise.all(
    BUILTIN.map(async (p) => {
      const loaded = await Promise.all(
        p.classes.map((c) => (need === undefined || need(c.type, p.name, c.name) ? c.load() : undefined)),
      );
      return { p, classes: loaded.filter((c): c is ComponentClass => c !== undefined) };
    }),
  );
  for (const { p, classes } of plugins) {
    r.add({
      name: p.name,
      description: p.description,
      author: "ttng",
      license: "MIT",
      version: "0.1.0",
      componentClasses: classes,
    });
  }
  return r;
}
