/**
 * The JavaScript plugin API, version 1: what a plugin module exports and how
 * ttng checks it before registering its component classes. The contract is
 * described for plugin authors in docs/plugins.md; this module is its code.
 * Loading files and packages is not here (the CLI does it, with `node:*`).
 */
import { TtngError } from "@ttng/base";
import type { ComponentClass, ComponentType } from "./component.js";
import type { Plugin } from "./registry.js";

/**
 * The plugin API major version this ttng provides. A plugin states the major it was
 * written against; any other major is refused. Additions that keep old plugins working
 * raise `PLUGIN_API_MINOR` only.
 */
export const PLUGIN_API_VERSION = 1;
/** Backward-compatible additions since the major (informational: plugins never need to check it). */
export const PLUGIN_API_MINOR = 0;

/** A component class as a plugin declares it: `plugin` is filled in from the plugin's name. */
export type PluginComponentClass = Omit<ComponentClass, "plugin"> & { plugin?: string };

/** What a plugin module default-exports (or what its default-exported function returns). */
export interface PluginDescriptor {
  /** The plugin API major version the plugin was written against (`PLUGIN_API_VERSION`). */
  apiVersion: number;
  /** Plugin name, the `PLUGIN` of `TYPE.PLUGIN.CLS`: non-empty, without `.`, `:` or `\`. */
  name: string;
  description?: string;
  author?: string;
  license?: string;
  /** The plugin's own version (free text, shown by `list-plugins`). */
  version?: string;
  componentClasses: PluginComponentClass[];
}

/**
 * Declares a plugin. It only checks the descriptor early (the loader checks it again) and
 * returns it, so a plugin module can `export default definePlugin({...})`.
 *
 * @example
 * import { definePlugin, PLUGIN_API_VERSION } from "@ttng/graph";
 * export default definePlugin({
 *   apiVersion: PLUGIN_API_VERSION,
 *   name: "hello",
 *   componentClasses: [{ type: "sink", name: "nothing", description: "Discard", create: () => mySink() }],
 * });
 */
export function definePlugin(descriptor: PluginDescriptor): PluginDescriptor {
  checkPluginDescriptor(descriptor);
  return descriptor;
}

const TYPES: readonly ComponentType[] = ["source", "filter", "sink"];

function bad(message: string): TtngError {
  return new TtngError("ERR_PLUGIN", message, { actor: "plugin loader" });
}

function optionalString(o: Record<string, unknown>, key: string, what: string): string {
  const v = o[key];
  if (v === undefined) return "";
  if (typeof v !== "string") throw bad(`Invalid plugin descriptor: ${what}\`${key}\` must be a string`);
  return v;
}

/**
 * Checks a value a plugin module exported and turns it into a registry `Plugin`.
 * Throws `ERR_PLUGIN` with the first problem: a missing or unknown API version
 * comes first, so a plugin for another major is refused for that reason and no other.
 */
export function checkPluginDescriptor(value: unknown): Plugin {
  if (typeof value !== "object" || value === null)
    throw bad("Invalid plugin descriptor: the default export is not an object");
  const o = value as Record<string, unknown>;
  const api = o.apiVersion;
  if (api === undefined) throw bad("Invalid plugin descriptor: missing `apiVersion`");
  if (typeof api !== "number" || !Number.isInteger(api) || api < 1)
    throw bad(`Invalid plugin descriptor: \`apiVersion\` must be a positive integer: ${String(api)}`);
  if (api !== PLUGIN_API_VERSION)
    throw bad(`Unsupported plugin API version: plugin-api-version=${api}, supported-api-version=${PLUGIN_API_VERSION}`);
  const name = o.name;
  if (typeof name !== "string" || name === "" || /[.:\\]/.test(name))
    throw bad("Invalid plugin descriptor: `name` must be a non-empty string without `.`, `:` or `\\`");
  const description = optionalString(o, "description", "");
  const author = optionalString(o, "author", "");
  const license = optionalString(o, "license", "");
  const version = optionalString(o, "version", "");
  const list = o.componentClasses;
  if (!Array.isArray(list)) throw bad("Invalid plugin descriptor: `componentClasses` must be an array");
  const classes: ComponentClass[] = [];
  const seen = new Set<string>();
  list.forEach((raw: unknown, i) => {
    const where = `component class #${i}: `;
    if (typeof raw !== "object" || raw === null) throw bad(`Invalid plugin descriptor: ${where}not an object`);
    const c = raw as Record<string, unknown>;
    if (typeof c.type !== "string" || !TYPES.includes(c.type as ComponentType))
      throw bad(`Invalid plugin descriptor: ${where}\`type\` must be "source", "filter" or "sink"`);
    if (typeof c.name !== "string" || c.name === "")
      throw bad(`Invalid plugin descriptor: ${where}\`name\` must be a non-empty string`);
    if (c.plugin !== undefined && c.plugin !== name)
      throw bad(`Invalid plugin descriptor: ${where}\`plugin\` is "${String(c.plugin)}", not the plugin's name`);
    if (typeof c.create !== "function") throw bad(`Invalid plugin descriptor: ${where}\`create\` must be a function`);
    if (c.query !== undefined && typeof c.query !== "function")
      throw bad(`Invalid plugin descriptor: ${where}\`query\` must be a function`);
    optionalString(c, "description", where);
    optionalString(c, "help", where);
    if (c.readsEventFields !== undefined && typeof c.readsEventFields !== "boolean")
      throw bad(`Invalid plugin descriptor: ${where}\`readsEventFields\` must be a boolean`);
    const key = `${c.type}.${c.name}`;
    if (seen.has(key)) throw bad(`Invalid plugin descriptor: duplicate component class: ${c.type}.${name}.${c.name}`);
    seen.add(key);
    // A copy: the registry's classes do not change if the module mutates its own objects later.
    const cc = { ...(c as unknown as ComponentClass), plugin: name };
    if (cc.description === undefined) cc.description = "";
    classes.push(cc);
  });
  return { name, description, author, license, version, componentClasses: classes };
}
