/**
 * Loads JavaScript plugins (docs/plugins.md) into a registry that already
 * holds the built-in plugins, as babeltrace2 loads its plugin paths: the
 * `TTNG_PLUGIN_PATH` entries, then the `--plugin-path` entries, then the
 * project's `node_modules` (babeltrace2's "system" path, which
 * `--omit-system-plugin-path` leaves out). A plugin that cannot be loaded is
 * a warning and the others still load; the first plugin of a name wins
 * (built-in plugins come first). Nothing here runs unless a command needs
 * the registry, and nothing is imported unless a plugin file is found.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { register } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as baseApi from "@ttng/base";
import { TtngError } from "@ttng/base";
import * as graphApi from "@ttng/graph";
import { checkPluginDescriptor, type Registry } from "@ttng/graph";
import { formatErrorChain } from "./errors.js";

export interface PluginPathOptions {
  /** `--plugin-path` values, in command-line order (each colon-separated). */
  cliPaths: string[];
  /** `--omit-system-plugin-path`: do not look in the project's `node_modules`. */
  omitSystem: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const PLUGIN_FILE = /^ttng-plugin-.+\.m?js$/;
const PLUGIN_PACKAGE = /^(@[^/]+\/)?ttng-plugin-/;

function splitPaths(text: string | undefined): string[] {
  return (text ?? "").split(":").filter((x) => x !== "");
}

/** The nearest `node_modules` directory at or above `cwd`, as Node's resolution would find it. */
export function projectNodeModules(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const nm = join(dir, "node_modules");
    if (existsSync(nm)) return nm;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The plugin search paths, in loading order (what `list-plugins` prints). */
export function pluginSearchPaths(o: PluginPathOptions): { paths: string[]; nodeModules: string | undefined } {
  const paths = [...splitPaths(o.env.TTNG_PLUGIN_PATH), ...o.cliPaths.flatMap(splitPaths)];
  const nodeModules = o.omitSystem ? undefined : projectNodeModules(o.cwd);
  if (nodeModules !== undefined) paths.push(nodeModules);
  return { paths, nodeModules };
}

interface PackageJson {
  name?: unknown;
  keywords?: unknown;
  main?: unknown;
  exports?: unknown;
}

function readPackageJson(dir: string): PackageJson | undefined {
  const file = join(dir, "package.json");
  if (!existsSync(file)) return undefined;
  try {
    const v: unknown = JSON.parse(readFileSync(file, "utf8"));
    return typeof v === "object" && v !== null ? (v as PackageJson) : {};
  } catch (e) {
    throw new TtngError("ERR_PLUGIN", `Cannot read package.json: path="${file}"`, {
      actor: "plugin loader",
      cause: e,
    });
  }
}

function isPluginPackage(pkg: PackageJson): boolean {
  return (
    (typeof pkg.name === "string" && PLUGIN_PACKAGE.test(pkg.name)) ||
    (Array.isArray(pkg.keywords) && pkg.keywords.includes("ttng-plugin"))
  );
}

/** The first string target of an `exports` value, for the `import`, `node` or `default` condition. */
function exportTarget(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if ("." in o) return exportTarget(o["."]);
  for (const k of ["import", "node", "default"]) {
    const t = exportTarget(o[k]);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** The file a package directory's entry point is (`exports["."]`, else `main`, else `index.js`). */
function packageEntry(dir: string, pkg: PackageJson): string {
  if (pkg.exports !== undefined) {
    const t = exportTarget(pkg.exports);
    if (t === undefined)
      throw new TtngError("ERR_PLUGIN", `Package has no usable "." export: path="${dir}"`, { actor: "plugin loader" });
    return join(dir, t);
  }
  return join(dir, typeof pkg.main === "string" ? pkg.main : "index.js");
}

/** Where one path entry's plugin modules are: a file, a plugin package, or a directory to scan. */
function pluginFiles(path: string, nodeModules: boolean): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  const pkg = readPackageJson(path);
  if (pkg !== undefined && !nodeModules && isPluginPackage(pkg)) return [path];
  const found: string[] = [];
  const names = readdirSync(path).sort();
  for (const name of names) {
    const p = join(path, name);
    if (nodeModules) {
      // Only `ttng-plugin-*` and `@scope/ttng-plugin-*` packages: never read every package.json.
      if (name.startsWith("@")) {
        if (!statSync(p).isDirectory()) continue;
        for (const sub of readdirSync(p).sort()) if (PLUGIN_PACKAGE.test(`${name}/${sub}`)) found.push(join(p, sub));
      } else if (PLUGIN_PACKAGE.test(name)) found.push(p);
      continue;
    }
    if (PLUGIN_FILE.test(name)) {
      if (statSync(p).isFile()) found.push(p);
      continue;
    }
    if (statSync(p).isDirectory() && existsSync(join(p, "package.json"))) found.push(p);
  }
  return found;
}

/**
 * In the bundled CLI, bin/ttng.js's `import` (a parameter of the bundle's function): in node 20
 * a script compiled with a code cache loses its own `import()`.
 */
declare const __ttngImport: ((specifier: string) => Promise<unknown>) | undefined;

function importPlugin(url: string): Promise<unknown> {
  return typeof __ttngImport === "function" ? __ttngImport(url) : import(url);
}

const HOST_MODULES = Symbol.for("ttng.host-modules");

/**
 * Module hooks (run by node on its hooks thread) that resolve `@ttng/base` and `@ttng/graph`,
 * imported from anywhere, to modules re-exporting the objects in `globalThis[HOST_MODULES]`.
 */
const HOST_MODULE_HOOKS = `
let names = {};
export function initialize(data) { names = data; }
export function resolve(specifier, context, next) {
  return Object.hasOwn(names, specifier) ? { url: "ttng-host:" + specifier, shortCircuit: true } : next(specifier, context);
}
export function load(url, context, next) {
  if (!url.startsWith("ttng-host:")) return next(url, context);
  const specifier = url.slice("ttng-host:".length);
  const lines = names[specifier].map((n) => n === "default" ? "export default m.default;" : "export const " + n + " = m." + n + ";");
  const source = "const m = globalThis[Symbol.for('ttng.host-modules')][" + JSON.stringify(specifier) + "];\\n" + lines.join("\\n");
  return { format: "module", source, shortCircuit: true };
}
`;

let hostModulesShared = false;

/**
 * A plugin must get the CLI's own @ttng/base and @ttng/graph (one `TtngError` class, one
 * registry of kinds), wherever it lies: the bundled CLI holds copies of its own, and a plugin
 * may find another copy, or none, from its own directory. So before the first plugin is
 * imported, hooks send the two specifiers to the CLI's modules, bundled or not.
 */
function shareHostModules(): void {
  if (hostModulesShared) return;
  hostModulesShared = true;
  const host: Record<string, object> = { "@ttng/base": baseApi, "@ttng/graph": graphApi };
  (globalThis as Record<symbol, unknown>)[HOST_MODULES] = host;
  const names = Object.fromEntries(Object.entries(host).map(([k, m]) => [k, Object.keys(m)]));
  register(`data:text/javascript,${encodeURIComponent(HOST_MODULE_HOOKS)}`, { data: names });
}

/** Imports one plugin module (file or package directory) and checks what it exports. */
async function loadOne(path: string, scanned: boolean): Promise<graphApi.Plugin | undefined> {
  let file = path;
  if (statSync(path).isDirectory()) {
    const pkg = readPackageJson(path);
    if (pkg === undefined) return undefined;
    // A scanned directory is a plugin only when its package.json says so.
    if (scanned && !isPluginPackage(pkg)) return undefined;
    file = packageEntry(path, pkg);
  }
  shareHostModules();
  const mod = (await importPlugin(pathToFileURL(file).href)) as { default?: unknown };
  if (!("default" in mod))
    throw new TtngError("ERR_PLUGIN", "Invalid plugin module: no default export", { actor: "plugin loader" });
  let value = mod.default;
  // The factory form: `export default (api) => descriptor` gets the host's @ttng/graph.
  if (typeof value === "function") value = await (value as (api: typeof graphApi) => unknown)(graphApi);
  const plugin = checkPluginDescriptor(value);
  plugin.path = file;
  return plugin;
}

export interface LoadOptions {
  /** Writes a warning block to standard error. */
  warn: (text: string) => void;
  /** `-d`: warnings carry the JavaScript stack of their cause. */
  debug: boolean;
}

function warning(e: TtngError, debug: boolean): string {
  let text = formatErrorChain(e, false).replace(/^ERROR: {4}/, "WARNING:  ");
  const cause = e.cause;
  if (debug && cause instanceof Error && cause.stack) text += `${cause.stack}\n`;
  return text;
}

/**
 * Loads every plugin found on `paths` into `registry`. Never throws for a bad plugin:
 * each problem is one warning, and loading goes on with the next one.
 */
export async function loadPlugins(
  registry: Registry,
  paths: string[],
  nodeModules: string | undefined,
  o: LoadOptions,
): Promise<void> {
  for (const entry of paths) {
    const isNodeModules = entry === nodeModules;
    let files: string[];
    try {
      files = pluginFiles(entry, isNodeModules);
    } catch (e) {
      o.warn(
        warning(
          new TtngError("ERR_PLUGIN", `Cannot read plugin path: path="${entry}"`, { actor: "plugin loader", cause: e }),
          o.debug,
        ),
      );
      continue;
    }
    const scanned = !(files.length === 1 && files[0] === entry);
    for (const f of files) {
      let plugin: graphApi.Plugin | undefined;
      try {
        plugin = await loadOne(f, scanned);
      } catch (e) {
        o.warn(
          warning(
            new TtngError("ERR_PLUGIN", `Cannot load plugin: path="${f}"`, { actor: "plugin loader", cause: e }),
            o.debug,
          ),
        );
        continue;
      }
      if (plugin === undefined) continue;
      const other = registry.plugins.find((p) => p.name === plugin.name);
      // The same file reached twice (TTNG_PLUGIN_PATH and --plugin-path both name it): nothing to say.
      if (other?.path !== undefined && realpathSync(other.path) === realpathSync(plugin.path!)) continue;
      if (other !== undefined) {
        o.warn(
          warning(
            new TtngError(
              "ERR_PLUGIN",
              `Ignoring plugin: a plugin with the same name is already loaded: name="${plugin.name}", path="${plugin.path}", loaded-from="${other.path ?? "built-in"}"`,
              { actor: "plugin loader" },
            ),
            false,
          ),
        );
        continue;
      }
      registry.add(plugin);
    }
  }
}
