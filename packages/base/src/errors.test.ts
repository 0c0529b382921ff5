import assert from "node:assert/strict";
import { test } from "node:test";
import { TtngError, causeChain } from "./errors.js";

test("causeChain() lists the outermost error first with actors", () => {
  const inner = new TtngError("ERR_DECODE", "inner", { actor: "source.ctf.fs" });
  const outer = new TtngError("ERR_GRAPH", "outer", { cause: inner, actor: "graph" });
  assert.deepEqual(causeChain(outer), [
    { actor: "graph", message: "outer" },
    { actor: "source.ctf.fs", message: "inner" },
  ]);
});
