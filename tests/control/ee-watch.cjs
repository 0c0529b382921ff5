// Preload (--require) for tests/control-consumer.test.mjs: records the class of every
// EventEmitter the process's main thread makes, with the time it was made (ms since the epoch),
// and writes them to TTNG_TEST_EE_LOG (JSON) when the process exits.
const EventEmitter = require("node:events");
const { writeFileSync } = require("node:fs");
const { performance } = require("node:perf_hooks");
const { isMainThread } = require("node:worker_threads");

if (isMainThread) {
  const made = [];
  const init = EventEmitter.init;
  EventEmitter.init = function (opts) {
    made.push({ name: this?.constructor?.name ?? "?", atMs: performance.timeOrigin + performance.now() });
    return init.call(this, opts);
  };
  process.on("exit", () => writeFileSync(process.env.TTNG_TEST_EE_LOG, JSON.stringify(made)));
}
