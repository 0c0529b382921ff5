// CTF 2 traces of Babeltrace's corpus (`ctf-traces/2/`): `TZ=UTC ttng view` must print exactly
// what Babeltrace master (2.2.0-rc1) printed (`pretty/bt-2.2-master/2_*.out`, babeltrace2 2.0.4
// cannot read CTF 2), with the same exit status and WARNING lines; each `2/X` must print what
// ttng prints for the CTF 1.8 `1/X`; `2/fail` traces end with a clear typed error.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { corpus, hasCorpus, skipReason, ttng } from "./helpers.mjs";

function warnings(text) {
  return text
    .split("\n")
    .filter((l) => l.startsWith("WARNING:"))
    .join("\n");
}

const cases = [];
if (hasCorpus) {
  for (const group of ["succeed", "intersection", "fail"]) {
    const gdir = join(corpus, "ctf-traces/2", group);
    if (!existsSync(gdir)) continue;
    for (const t of readdirSync(gdir).sort()) {
      cases.push({
        group,
        name: t,
        trace: join(gdir, t),
        base: join(corpus, "pretty/bt-2.2-master", `2_${group}_${t}`),
      });
    }
  }
}
if (!hasCorpus) test("CTF 2 conformance", { skip: skipReason("../shared/conformance") }, () => {});

for (const c of cases) {
  test(`ttng view 2/${c.group}/${c.name} equals babeltrace2 2.2-master`, () => {
    assert.ok(existsSync(`${c.base}.out`), `expected output ${c.base}.out`);
    const rc = Number(readFileSync(`${c.base}.rc`, "latin1").trim());
    const r = ttng(["view", c.trace]);
    assert.equal(r.status, rc, r.stderr);
    assert.equal(r.stdout, readFileSync(`${c.base}.out`, "latin1"));
    const expErr = readFileSync(`${c.base}.err`, "latin1").replaceAll("@CORPUS@", corpus);
    assert.equal(warnings(r.stderr), warnings(expErr));
    if (rc !== 0) {
      assert.match(r.stderr, /^ERROR: /m);
      assert.match(r.stderr, /^CAUSED BY /m);
      assert.doesNotMatch(r.stderr, /\n\s+at .*\.js:\d+/, "no JS stack without -d");
    }
  });
  const v1 = join(corpus ?? "", "ctf-traces/1", c.group, c.name);
  if (c.group !== "fail" && existsSync(v1)) {
    test(`ttng view 2/${c.group}/${c.name} prints what 1/${c.group}/${c.name} prints`, () => {
      const r2 = ttng(["view", c.trace]);
      const r1 = ttng(["view", v1]);
      assert.equal(r2.status, r1.status);
      assert.equal(r2.stdout, r1.stdout);
    });
  }
}

// The two metadata failures name what is missing, as Babeltrace does.
for (const name of ["meta-no-stream-cls", "meta-no-trace-cls-no-stream-cls"]) {
  test(`2/fail/${name}: the error says the data stream class fragment is missing`, { skip: !hasCorpus }, () => {
    const r = ttng(["view", join(corpus, "ctf-traces/2/fail", name)]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Missing data stream class fragment in metadata stream\./);
  });
}
