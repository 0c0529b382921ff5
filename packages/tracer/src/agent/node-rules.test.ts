import assert from "node:assert/strict";
import { test } from "node:test";
import { TtngError } from "@ttng/base";
import { nodeEventRule, nodeEventRuleFromState } from "./node-rules.js";

test("nodeEventRule() selects the console events of one logger with a filter", () => {
  assert.deepEqual(nodeEventRule({ logger: "console" }), {
    name: "node_console:*",
    filter: 'logger_name == "console"',
  });
  assert.deepEqual(nodeEventRule({ logger: "*" }), { name: "node_console:*" });
});

test("nodeEventRule() keeps --loglevel / --loglevel-only as the rule's log level and ANDs a filter", () => {
  assert.deepEqual(nodeEventRule({ logger: "app.*", logLevel: "warning", logLevelOnly: true, filter: 'msg == "x*"' }), {
    name: "node_console:*",
    filter: 'logger_name == "app.*" && (msg == "x*")',
    logLevel: "WARNING",
    logLevelOnly: true,
  });
  assert.deepEqual(nodeEventRule({ logger: "*", logLevel: "TRACE_ERR" }), { name: "node_console:*", logLevel: "ERR" });
  assert.deepEqual(nodeEventRule({ logger: "*", logLevel: 6, channel: "ch" }), {
    name: "node_console:*",
    channel: "ch",
    logLevel: "INFO",
  });
});

test("nodeEventRule() rejects what cannot be expressed with ERR_USAGE", () => {
  for (const bad of [
    { logger: "" },
    { logger: 'a"b' },
    { logger: "x", logLevel: "LOUD" },
    { logger: "x", logLevel: 15 },
    { logger: "x", logLevelOnly: true },
  ]) {
    assert.throws(
      () => nodeEventRule(bad),
      (e: unknown) => e instanceof TtngError && e.code === "ERR_USAGE",
      JSON.stringify(bad),
    );
  }
});

test("nodeEventRuleFromState() reads the daemon's rule state (name = logger)", () => {
  assert.deepEqual(nodeEventRuleFromState({ name: "*", logLevelType: "all", logLevel: -1, filter: null }), {
    name: "node_console:*",
  });
  assert.deepEqual(nodeEventRuleFromState({ name: "console", logLevelType: "single", logLevel: 4, filter: null }), {
    name: "node_console:*",
    filter: 'logger_name == "console"',
    logLevel: "WARNING",
    logLevelOnly: true,
  });
  assert.deepEqual(nodeEventRuleFromState({ name: "c", logLevelType: "range", logLevel: 3, filter: 'msg == "a"' }), {
    name: "node_console:*",
    filter: 'logger_name == "c" && (msg == "a")',
    logLevel: "ERR",
  });
});
