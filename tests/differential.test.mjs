// Differential test against the installed babeltrace2 2.0.4 on traces this
// test generates (random field-class trees, values, bit-packed layouts, both
// byte orders, several streams): `ttng view --compat=2.0` must print the same
// bytes. Fixed seeds in CI; TTNG_DIFF_SEEDS=N runs more.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createRng, kitchenSink, randomEvents, randomTraceDescription, writeTrace } from "./lib/ctf-gen.mjs";
import { haveTool, run, skipReason, ttng } from "./helpers.mjs";

const seeds = Number(process.env.TTNG_DIFF_SEEDS ?? 25);
const bt = haveTool("babeltrace2");

function compare(dir) {
  const ref = run("babeltrace2", [dir]);
  const got = ttng(["view", "--compat=2.0", dir]);
  assert.equal(got.status, ref.status, got.stderr);
  assert.equal(got.stdout, ref.stdout);
}

test(
  "kitchen-sink traces (both byte orders) print as babeltrace2 prints them",
  { skip: bt ? false : skipReason("babeltrace2") },
  () => {
    for (const byteOrder of ["le", "be"]) {
      const dir = mkdtempSync(join(tmpdir(), "ttng-ks-"));
      try {
        const { description, events } = kitchenSink({ byteOrder });
        writeTrace(dir, description, events);
        compare(dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  },
);

test(
  `${seeds} random traces print as babeltrace2 prints them`,
  { skip: bt ? false : skipReason("babeltrace2") },
  () => {
    for (let seed = 1; seed <= seeds; seed++) {
      const rng = createRng(seed);
      const description = randomTraceDescription(rng);
      const events = randomEvents(rng, description, 40);
      const dir = mkdtempSync(join(tmpdir(), "ttng-rnd-"));
      try {
        writeTrace(dir, description, events);
        try {
          compare(dir);
        } catch (e) {
          e.message = `seed ${seed}: ${e.message}`;
          throw e;
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  },
);
