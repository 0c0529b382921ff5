/**
 * `ttng list-plugins` and `ttng help PLUGIN|TYPE.PLUGIN.CLS`: babeltrace2's
 * layout (cmd_list_plugins(), cmd_help(), print_plugin_info() in
 * src/cli/babeltrace2.c). ttng's plugins are built in, so each says
 * `Built-in` where babeltrace2 prints the shared object's `Path`, as
 * babeltrace2 itself does for a plugin without a path. Colors as babeltrace2's.
 */
import { TtngError } from "@ttng/base";
import { type ComponentClass, type ComponentType, type Plugin, type Registry, vArray, vString } from "@ttng/graph";
import { UsageError } from "./convert.js";
import { type Colors, NO_COLORS, formatClass, formatValue, parseClassSpec, stringUntil } from "./query.js";

const TYPES: Array<[ComponentType, string]> = [
  ["source", "Source"],
  ["filter", "Filter"],
  ["sink", "Sink"],
];

function classesOf(p: Plugin, type: ComponentType): ComponentClass[] {
  return p.componentClasses.filter((c) => c.type === type);
}

/** print_plugin_info(): name, Path (or Built-in), Version, Description, Author, License. */
export function formatPluginInfo(p: Plugin, c: Colors = NO_COLORS): string {
  const path = (p as Plugin & { path?: string }).path;
  const key = (k: string) => `  ${c.bold}${k}${c.reset}: `;
  let s = `${c.bold}${c.fgBrightBlue}${p.name}${c.reset}:\n`;
  s += path !== undefined ? `${key("Path")}${path}\n` : "  Built-in\n";
  if (p.version) s += `${key("Version")}${p.version}\n`;
  s += `${key("Description")}${p.description || "(None)"}\n`;
  s += `${key("Author")}${p.author || "(Unknown)"}\n`;
  s += `${key("License")}${p.license || "(Unknown)"}\n`;
  return s;
}

/** `ttng list-plugins`. */
export function listPlugins(args: string[], registry: Registry, paths: string[], c: Colors = NO_COLORS): string {
  for (const a of args) {
    if (a === "-h" || a === "--help")
      return "Usage: ttng [GENERAL OPTIONS] list-plugins [OPTIONS]\n\nOptions:\n\n  -h, --help                        Show this help and quit\n";
    if (a.startsWith("-")) throw new UsageError(`Unknown option: \`${a}\``);
    throw new UsageError(`Extraneous command-line argument specified to \`list-plugins\` command: \`${a}\`.`);
  }
  let s = "From the following plugin paths:\n\n";
  s += formatValue(vArray(paths.map(vString)), 2, c);
  s += "\n";
  const plugins = registry.plugins;
  if (plugins.length === 0) return `${s}No plugins found.\n`;
  const count = plugins.reduce((n, p) => n + p.componentClasses.length, 0);
  s += `Found ${c.bold}${count}${c.reset} component classes in ${c.bold}${plugins.length}${c.reset} plugins.\n`;
  for (const p of plugins) {
    s += `\n${formatPluginInfo(p, c)}`;
    for (const [type, label] of TYPES) {
      const ccs = classesOf(p, type);
      if (ccs.length === 0) {
        s += `  ${c.bold}${label} component classes${c.reset}: (none)\n`;
        continue;
      }
      s += `  ${c.bold}${label} component classes${c.reset}:\n`;
      for (const cc of ccs) s += `    ${formatClass(cc, c)}${cc.description ? `: ${cc.description}` : ""}\n`;
    }
  }
  return s;
}

/** `ttng help PLUGIN` / `ttng help TYPE.PLUGIN.CLS`. */
export function help(args: string[], registry: Registry, c: Colors = NO_COLORS): string {
  const nonOpts: string[] = [];
  for (const a of args) {
    if (a === "-h" || a === "--help")
      return "Usage: ttng [GENERAL OPTIONS] help [OPTIONS] PLUGIN\n       ttng [GENERAL OPTIONS] help [OPTIONS] TYPE.PLUGIN.CLS\n\nOptions:\n\n  -h, --help  Show this help and quit\n";
    if (a.startsWith("-")) throw new UsageError(`Unknown option: \`${a}\``);
    nonOpts.push(a);
  }
  if (nonOpts.length === 0) throw new UsageError("Missing plugin name or component class descriptor.");
  if (nonOpts.length > 1)
    throw new UsageError(`Extraneous command-line argument specified to \`help\` command: \`${nonOpts[1]}\`.`);
  const arg = nonOpts[0]!;
  // As babeltrace2: an argument without an unescaped `.` is a plugin name.
  const first = stringUntil(arg, ".\\", ".");
  let pluginName = first.text;
  let spec: ReturnType<typeof parseClassSpec> | undefined;
  if (first.end < arg.length) {
    try {
      spec = parseClassSpec(arg, false);
    } catch (e) {
      throw new TtngError("ERR_USAGE", `Could not parse argument as a component class name: arg=${arg}`, {
        actor: "ttng CLI",
        cause: e,
      });
    }
    pluginName = spec.plugin;
  }
  const plugin = registry.plugins.find((p) => p.name === pluginName);
  if (!plugin)
    throw new TtngError("ERR_GRAPH", `Cannot find plugin: plugin-name="${pluginName}"`, { actor: "ttng CLI" });
  let s = formatPluginInfo(plugin, c);
  for (const [type, label] of TYPES)
    s += `  ${c.bold}${label} component classes${c.reset}: ${classesOf(plugin, type).length}\n`;
  if (!spec) return s;
  const cc = registry.find(spec.type, spec.plugin, spec.cls);
  if (!cc) {
    throw new TtngError(
      "ERR_GRAPH",
      `Cannot find component class: plugin-name="${spec.plugin}", comp-cls-name="${spec.cls}", comp-cls-type=${spec.type}`,
      { actor: "ttng CLI" },
    );
  }
  s += `\n${formatClass(cc, c)}\n  ${c.bold}Description${c.reset}: ${cc.description || "(None)"}\n`;
  if (cc.help) s += `\n${cc.help}\n`;
  return s;
}
