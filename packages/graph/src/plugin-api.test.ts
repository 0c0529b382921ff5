import assert from "node:assert/strict";
import { test } from "node:test";
import { TtngError } from "@ttng/base";
import { checkPluginDescriptor, definePlugin, PLUGIN_API_VERSION } from "./plugin-api.js";

const sink = { type: "sink" as const, name: "s", description: "d", create: () => ({}) as never };

function code(f: () => unknown, re: RegExp): void {
  assert.throws(f, (e: unknown) => e instanceof TtngError && e.code === "ERR_PLUGIN" && re.test(e.message));
}

test("checkPluginDescriptor() fills the plugin name in and defaults optional strings", () => {
  const p = checkPluginDescriptor({ apiVersion: PLUGIN_API_VERSION, name: "p", componentClasses: [sink] });
  assert.equal(p.name, "p");
  assert.equal(p.author, "");
  assert.equal(p.componentClasses[0]!.plugin, "p");
  // A copy: the registry's class is not the module's object.
  assert.notEqual(p.componentClasses[0], sink);
});

test("checkPluginDescriptor() refuses another API major before anything else", () => {
  code(() => checkPluginDescriptor({ apiVersion: 2 }), /plugin-api-version=2, supported-api-version=1/);
  code(() => checkPluginDescriptor({ name: "p", componentClasses: [] }), /missing `apiVersion`/);
  code(() => checkPluginDescriptor({ apiVersion: 1.5 }), /positive integer/);
  code(() => checkPluginDescriptor(null), /not an object/);
});

test("checkPluginDescriptor() refuses bad names, classes and duplicates", () => {
  const base = { apiVersion: 1, name: "p" };
  code(() => checkPluginDescriptor({ ...base, name: "a.b", componentClasses: [] }), /`name`/);
  code(() => checkPluginDescriptor({ ...base }), /`componentClasses` must be an array/);
  code(() => checkPluginDescriptor({ ...base, componentClasses: [{ ...sink, type: "sonk" }] }), /`type`/);
  code(() => checkPluginDescriptor({ ...base, componentClasses: [{ ...sink, create: 1 }] }), /`create`/);
  code(() => checkPluginDescriptor({ ...base, componentClasses: [{ ...sink, plugin: "q" }] }), /`plugin`/);
  code(() => checkPluginDescriptor({ ...base, componentClasses: [{ ...sink, help: 3 }] }), /#0: `help`/);
  code(
    () => checkPluginDescriptor({ ...base, componentClasses: [sink, sink] }),
    /duplicate component class: sink\.p\.s/,
  );
  // Same name, different types: allowed, as babeltrace2's.
  assert.equal(
    checkPluginDescriptor({ ...base, componentClasses: [sink, { ...sink, type: "source" }] }).componentClasses.length,
    2,
  );
  code(() => definePlugin({ ...base, componentClasses: [{ ...sink, name: "" }] }), /#0: `name`/);
});
