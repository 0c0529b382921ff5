/**
 * The JavaScript plugin API, version 1: what a plugin module exports and how
 * ttng checks it before registering its component classes. The contract is
 * described for plugin authors in docs/plugins.md; this module is its code.
 * Loading files and packages is not here (the CLI does it, with `node:*`).
 */
import { TtngError } from "@ttng/base";
import type { Component, ComponentClass, ComponentContext, ComponentType, MessageIterator } from "./component.js";
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
    cc.create = guardedCreate(cc.create, cc.type, `${cc.type}.${name}.${cc.name}`);
    classes.push(cc);
  });
  return { name, description, author, license, version, componentClasses: classes };
}

const METHODS: Record<ComponentType, string[]> = {
  source: ["outputPorts", "createIterator"],
  filter: ["inputPorts", "outputPorts", "createIterator"],
  sink: ["inputPorts", "graphIsConfigured", "consume"],
};

/**
 * A plugin's failure, with the class it came from as the actor. ttng's own typed errors
 * pass through: they already say who failed.
 */
function methodFailed(e: unknown, spec: string, what: string): unknown {
  if (e instanceof TtngError) return e;
  return new TtngError("ERR_PLUGIN", `Component's ${what} method failed`, { actor: spec, cause: e });
}

/** An iterator whose `next()` failures name the plugin class. One try per batch, not per message. */
function guardedIterator(it: unknown, spec: string): MessageIterator {
  if (typeof it !== "object" || it === null || typeof (it as MessageIterator).next !== "function")
    throw new TtngError("ERR_PLUGIN", "createIterator() returned no message iterator (an object with next())", {
      actor: spec,
    });
  const iter = it as MessageIterator;
  const next = iter.next.bind(iter);
  iter.next = (out) => {
    try {
      return next(out);
    } catch (e) {
      throw methodFailed(e, spec, '"next"');
    }
  };
  return iter;
}

/**
 * Checks what a plugin's `create()` returns (its `kind` and methods) so a broken plugin
 * fails with a message naming it rather than a TypeError deep in the graph, and makes
 * the errors of its per-batch methods name it too.
 */
function guardedCreate(create: ComponentClass["create"], type: ComponentType, spec: string): ComponentClass["create"] {
  return (params, ctx: ComponentContext) => {
    const comp = create(params, ctx) as unknown;
    const bad = (why: string) =>
      new TtngError("ERR_PLUGIN", `Invalid component from create(): ${why}`, { actor: spec });
    if (typeof comp !== "object" || comp === null) throw bad("not an object");
    const c = comp as Record<string, unknown>;
    if (c.kind !== type) throw bad(`\`kind\` is ${JSON.stringify(c.kind)}, expecting "${type}"`);
    for (const m of METHODS[type]) if (typeof c[m] !== "function") throw bad(`no \`${m}()\` method`);
    const component = comp as Component;
    if (component.kind === "sink") {
      const consume = component.consume.bind(component);
      component.consume = () => {
        try {
          return consume();
        } catch (e) {
          throw methodFailed(e, spec, '"consume"');
        }
      };
    } else if (component.kind === "source") {
      const createIterator = component.createIterator.bind(component);
      component.createIterator = (port, hints) => guardedIterator(createIterator(port, hints), spec);
    } else {
      const createIterator = component.createIterator.bind(component);
      component.createIterator = (port, upstream) => guardedIterator(createIterator(port, upstream), spec);
    }
    return component;
  };
}
