/**
 * The plugin registry: built-in plugins register their component classes
 * here; the CLI looks classes up by `TYPE.PLUGIN.CLASS`.
 */
import type { ComponentClass, ComponentType } from "./component.js";

export interface Plugin {
  name: string;
  description: string;
  author: string;
  license: string;
  version: string;
  componentClasses: ComponentClass[];
  /** The file a loaded (JavaScript) plugin came from; undefined for built-in plugins. */
  path?: string;
}

export class Registry {
  readonly plugins: Plugin[] = [];
  add(plugin: Plugin): void {
    this.plugins.push(plugin);
  }
  find(type: ComponentType, plugin: string, name: string): ComponentClass | undefined {
    return this.plugins
      .find((p) => p.name === plugin)
      ?.componentClasses.find((c) => c.type === type && c.name === name);
  }
  /** Parses `TYPE.PLUGIN.CLASS` (types `source|src`, `filter|flt`, `sink`). */
  parseSpec(spec: string): { type: ComponentType; plugin: string; name: string } | undefined {
    const m = /^(source|src|filter|flt|sink)\.([^.]+)\.(.+)$/.exec(spec);
    if (!m) return undefined;
    const type = m[1] === "src" ? "source" : m[1] === "flt" ? "filter" : (m[1] as ComponentType);
    return { type, plugin: m[2]!, name: m[3]! };
  }
  all(): ComponentClass[] {
    return this.plugins.flatMap((p) => p.componentClasses);
  }
}
