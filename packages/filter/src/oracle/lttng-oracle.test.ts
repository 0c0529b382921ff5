/**
 * The oracle table: every expression of filter-corpus.ts is given to the
 * installed `lttng enable-event -u --filter` (2.13) against a private
 * session daemon, and @ttng/filter must reach the same verdict and print the
 * same diagnostics. Nothing expected is written down: lttng produces it here.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { FilterSyntaxError, FilterTypeError } from "../errors.js";
import { parseFilterExpression } from "../filter-expression.js";
import { filterCorpus } from "./filter-corpus.js";
import { type CommandResult, privateLttng, shq, skipUnlessOracle } from "./lttng-harness.test.js";

const corpus = filterCorpus();
const skip = skipUnlessOracle();
let results: Map<number, CommandResult> | undefined;
const oracle = skip.skip === undefined ? privateLttng() : undefined;

before(() => {
  if (oracle === undefined) return;
  const lines = ["run 0 lttng create s1 --snapshot"];
  corpus.forEach((expr, i) => {
    lines.push(`run ${i + 1} lttng enable-event -u -s s1 e${i + 1} --filter ${shq(expr)}`);
  });
  results = oracle.run(lines.join("\n")).results;
});

after(() => oracle?.cleanup());

interface Verdict {
  accepted: boolean;
  stderr: string[];
}

function ours(expr: string, index: number): Verdict {
  try {
    parseFilterExpression(expr);
    return { accepted: true, stderr: [] };
  } catch (e) {
    if (!(e instanceof FilterSyntaxError) && !(e instanceof FilterTypeError)) throw e;
    // LTTng prints its diagnostics, then the command's error line.
    const shown = expr.length > 0 ? expr : "";
    const last = `Error: Event e${index}: ${e.lttngError} (channel channel0, session s1, filter '${shown}')`;
    return { accepted: false, stderr: [...e.diagnostics, last] };
  }
}

function theirs(r: CommandResult): Verdict {
  const stderr = r.stderr.endsWith("\n") ? r.stderr.slice(0, -1) : r.stderr;
  return { accepted: r.status === 0, stderr: r.status === 0 ? [] : stderr.split("\n") };
}

test("parseFilterExpression() agrees with lttng enable-event --filter on every corpus expression", skip, () => {
  assert.ok(corpus.length >= 200, `corpus has ${corpus.length} expressions`);
  assert.equal(results?.get(0)?.status, 0, `lttng create failed: ${results?.get(0)?.stderr}`);
  const mismatches: string[] = [];
  let accepted = 0;
  corpus.forEach((expr, i) => {
    const r = results?.get(i + 1);
    assert.ok(r, `no lttng result for expression ${i + 1}`);
    const want = theirs(r);
    const got = ours(expr, i + 1);
    if (want.accepted) accepted++;
    const short = expr.length > 80 ? `${expr.slice(0, 60)}…(${expr.length} chars)` : expr;
    if (want.accepted !== got.accepted || want.stderr.join("\n") !== got.stderr.join("\n")) {
      const clip = (l: string[]) => l.map((s) => (s.length > 200 ? `${s.slice(0, 120)}…` : s));
      mismatches.push(
        `${JSON.stringify(short)}\n  lttng: ${want.accepted ? "accepted" : "rejected"} ${JSON.stringify(clip(want.stderr))}\n  ttng:  ${got.accepted ? "accepted" : "rejected"} ${JSON.stringify(clip(got.stderr))}`,
      );
    }
  });
  assert.ok(accepted > 50 && accepted < corpus.length - 50, `a balanced table (${accepted} accepted)`);
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${corpus.length} differ:\n${mismatches.join("\n")}`);
});
