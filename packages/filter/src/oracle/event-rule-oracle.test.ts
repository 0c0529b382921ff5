/**
 * Event-name patterns, exclusions and log levels checked against the
 * installed `lttng enable-event -u` (2.13) on a private session daemon:
 * same verdict, and every error/warning line ttng produces is the one lttng printed.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { FilterSyntaxError } from "../errors.js";
import { parseLogLevel, splitEventNames, splitExclusions, validateExclusions } from "../event-rule.js";
import { privateLttng, shq, skipUnlessOracle } from "./lttng-harness.test.js";

const CASES: Array<{ name: string; exclude?: string; loglevel?: string; only?: boolean }> = [
  { name: "foo*", exclude: "fo*" },
  { name: "foo*", exclude: "bar" },
  { name: "foo*", exclude: "foobar" },
  { name: "foo*", exclude: "foo" },
  { name: "foo*", exclude: "foo*" },
  { name: "foo*", exclude: "foob*" },
  { name: "foo*", exclude: "*" },
  { name: "foo*", exclude: "f*o" },
  { name: "foo*", exclude: "bar,baz" },
  { name: "foo*", exclude: "foox,fo*" },
  { name: "foo*", exclude: "a\\,b" },
  { name: "f\\*oo*", exclude: "f\\*x" },
  { name: "f\\*oo*", exclude: "fx" },
  { name: "*", exclude: "a" },
  { name: "*", exclude: "*" },
  { name: "a*b", exclude: "ab" },
  { name: "a*b*", exclude: "zzz" },
  { name: "foo", exclude: "bar" },
  { name: "foo\\*", exclude: "bar" },
  { name: "x*", loglevel: "WARNING" },
  { name: "x*", loglevel: "TRACE_WARNING" },
  { name: "x*", loglevel: "warning" },
  { name: "x*", loglevel: "DEBUG_LINE" },
  { name: "x*", loglevel: "LINE" },
  { name: "x*", loglevel: "TRACE_LINE" },
  { name: "x*", loglevel: "4" },
  { name: "x*", loglevel: "NOPE" },
  { name: "x*", loglevel: "TRACE_DEBUG", only: true },
  { name: "x*", loglevel: "EMERG", only: true },
  { name: "x*", loglevel: "", only: true },
];

const skip = skipUnlessOracle();
const oracle = skip.skip === undefined ? privateLttng() : undefined;
after(() => oracle?.cleanup());

function ours(c: (typeof CASES)[number]): { ok: boolean; lines: string[] } {
  const lines: string[] = [];
  try {
    for (const name of splitEventNames(c.name)) {
      if (c.exclude !== undefined) lines.push(...validateExclusions(name, splitExclusions(c.exclude)));
      if (c.loglevel !== undefined) parseLogLevel(c.loglevel);
    }
    return { ok: true, lines };
  } catch (e) {
    if (!(e instanceof FilterSyntaxError)) throw e;
    return { ok: false, lines: [...lines, ...e.diagnostics] };
  }
}

test("validateExclusions() and parseLogLevel() agree with lttng enable-event -u", skip, () => {
  const body = CASES.map((c, n) => {
    const args = [`lttng enable-event -u -s s -c c${n}`, shq(c.name)];
    if (c.exclude !== undefined) args.push("-x", shq(c.exclude));
    if (c.loglevel !== undefined) args.push(c.only ? "--loglevel-only" : "--loglevel", shq(c.loglevel));
    return `run ${n + 1} ${args.join(" ")}`;
  });
  const { results } = oracle!.run(["run 0 lttng create s --snapshot", ...body].join("\n"));
  const mismatches: string[] = [];
  CASES.forEach((c, n) => {
    const r = results.get(n + 1)!;
    const theirLines = r.stderr.split("\n").filter((l) => l.startsWith("Error: ") || l.startsWith("Warning: "));
    const got = ours(c);
    const want = { ok: r.status === 0, lines: theirLines };
    if (got.ok !== want.ok || got.lines.some((l) => !want.lines.includes(l)) || (!got.ok && got.lines.length === 0)) {
      mismatches.push(`${JSON.stringify(c)}: lttng ${JSON.stringify(want)} ttng ${JSON.stringify(got)}`);
    }
  });
  assert.deepEqual(mismatches, []);
});
