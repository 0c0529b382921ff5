/**
 * Runtime test of event-name patterns, exclusions and log levels: a C
 * application (built here with liblttng-ust-dev) with three providers and
 * tracepoints at several log levels fires each tracepoint once while one
 * recording session per case is active, each session with its own
 * `lttng enable-event -u` rules; babeltrace2 reads back which events were
 * recorded; `compileEventRule()` must select exactly those.
 *
 * Not used here on purpose: `lttng list` and `lttng status` on a session whose
 * rules have exclusions (Debian's lttng-sessiond 2.13.9 crashes on them).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { compileEventRule, LOG_LEVEL_NAMES, parseLogLevel, splitEventNames, splitExclusions } from "../event-rule.js";
import { privateLttng, shq, skipUnlessOracle } from "./lttng-harness.test.js";

/** Every tracepoint the application fires once, with its declared log level (undefined: none declared). */
const EVENTS: ReadonlyArray<readonly [string, number | undefined]> = [
  ["prov:a", 0],
  ["prov:ab", 4],
  ["prov:abc", 6],
  ["prov:a_sys", 7],
  ["prov:a_proc", 9],
  ["prov:b", undefined],
  ["prov:ba", 14],
  ["prov_x:a", 13],
  ["other:a", 2],
  ["other:prov", 5],
];
const PROVIDERS = [...new Set(EVENTS.map(([name]) => name.split(":")[0]!))];

interface Rule {
  /** The positional NAME[,NAME]… argument; ignored with `all`. */
  names?: string;
  /** `-a` instead of names. */
  all?: boolean;
  exclude?: string;
  loglevel?: string;
  only?: boolean;
}

/** One recording session each; a session's rules are all enabled in its one channel. */
const CASES: Rule[][] = [
  [{ names: "prov:*" }],
  [{ names: "prov:a*" }],
  [{ names: "*" }],
  [{ all: true }],
  [{ names: "prov:a" }],
  [{ names: "prov*" }],
  [{ names: "*:a" }],
  [{ names: "*a*" }],
  [{ names: "p*v:*b*" }],
  [{ names: "prov:a*,other:*" }],
  [{ names: "prov:a*", exclude: "prov:ab" }],
  [{ names: "prov:*", exclude: "prov:a*,prov:b" }],
  [{ names: "*", exclude: "*b*" }],
  [{ names: "*", exclude: "prov*,lttng_ust_statedump:*" }],
  [{ names: "prov:*b*", exclude: "prov:ba" }],
  [{ names: "prov:a*", exclude: "prov:abc", loglevel: "INFO" }],
  [{ names: "prov:*", exclude: "nothing:here" }],
  [{ names: "prov:*", loglevel: "WARNING" }],
  [{ names: "prov:*", loglevel: "TRACE_WARNING", only: true }],
  [{ names: "prov:a*", loglevel: "PROGRAM" }],
  [{ names: "*", loglevel: "DEBUG_LINE" }],
  [{ names: "*", loglevel: "TRACE_DEBUG_LINE", only: true }],
  [{ names: "*", loglevel: "EMERG" }],
  [{ names: "*", loglevel: "debug", only: true }],
  [{ names: "*", loglevel: "DEBUG" }],
  [{ all: true, loglevel: "NOTICE" }],
  [{ names: "prov:a" }, { names: "other:*", loglevel: "CRIT", only: true }],
  [{ names: "prov:*", exclude: "prov:b*" }, { names: "prov:b" }],
  [
    { names: "prov:a*", loglevel: "WARNING" },
    { names: "prov:a*", exclude: "prov:ab*", loglevel: "DEBUG_PROCESS", only: true },
  ],
];

function header(provider: string): string {
  const events = EVENTS.filter(([name]) => name.startsWith(`${provider}:`));
  const body = events.map(([name, level]) => {
    const event = name.slice(provider.length + 1);
    const decl = `LTTNG_UST_TRACEPOINT_EVENT(${provider}, ${event}, LTTNG_UST_TP_ARGS(int, x), LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(int, x, x)))`;
    return level === undefined
      ? decl
      : `${decl}\nLTTNG_UST_TRACEPOINT_LOGLEVEL(${provider}, ${event}, LTTNG_UST_TRACEPOINT_LOGLEVEL_${LOG_LEVEL_NAMES[level]})`;
  });
  const guard = `TP_${provider.toUpperCase()}_H`;
  return `#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER ${provider}
#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./tp_${provider}.h"
#if !defined(${guard}) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define ${guard}
#include <lttng/tracepoint.h>
${body.join("\n")}
#endif
#include <lttng/tracepoint-event.h>
`;
}

function appSource(): string {
  const calls = EVENTS.map(([name], k) => {
    const [provider, event] = name.split(":");
    return `lttng_ust_tracepoint(${provider}, ${event}, ${k});`;
  });
  return `#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
${PROVIDERS.map((p) => `#include "tp_${p}.h"`).join("\n")}
int main(void) {
  ${calls.join("\n  ")}
  return 0;
}
`;
}

/** What one `lttng enable-event` invocation enables, as ttng rules. */
function ttngRules(rule: Rule) {
  const names = rule.all ? ["*"] : splitEventNames(rule.names ?? "");
  const exclusions = rule.exclude === undefined ? [] : splitExclusions(rule.exclude);
  const logLevel =
    rule.loglevel === undefined
      ? undefined
      : { type: rule.only ? ("single" as const) : ("range" as const), level: parseLogLevel(rule.loglevel) };
  return names.map((name) => compileEventRule({ name, exclusions, ...(logLevel ? { logLevel } : {}) }));
}

function enableCommand(session: string, rule: Rule): string {
  const args = ["lttng enable-event -u", `-s ${session}`, "-c c", rule.all ? "-a" : shq(rule.names ?? "")];
  if (rule.exclude !== undefined) args.push("-x", shq(rule.exclude));
  if (rule.loglevel !== undefined) args.push(rule.only ? "--loglevel-only" : "--loglevel", shq(rule.loglevel));
  return args.join(" ");
}

const skip = skipUnlessOracle(["lttng", "lttng-sessiond", "babeltrace2", "gcc"]);
const oracle = skip.skip === undefined ? privateLttng() : undefined;
after(() => oracle?.cleanup());

test(
  "compileEventRule() selects the events LTTng-UST 2.13 records for name patterns, exclusions and log levels",
  skip,
  (t) => {
    const dir = oracle!.dir;
    for (const p of PROVIDERS) writeFileSync(join(dir, `tp_${p}.h`), header(p));
    writeFileSync(join(dir, "ttng-rule-app.c"), appSource());
    const cc = spawnSync(
      "gcc",
      ["-O1", "-I", dir, "-o", join(dir, "ttng-rule-app"), join(dir, "ttng-rule-app.c"), "-llttng-ust", "-ldl"],
      { encoding: "utf8" },
    );
    assert.equal(cc.status, 0, cc.stderr);

    // Result ids are consecutive (the harness stops at the first gap): enable-event runs, the app, babeltrace2 runs.
    let nextId = 0;
    const enableIds = CASES.map((rules) => rules.map(() => nextId++));
    const APP = nextId++;
    const btIds = CASES.map(() => nextId++);
    const lines: string[] = [];
    CASES.forEach((rules, n) => {
      lines.push(`lttng create e${n} --output=${shq(join(dir, "traces", String(n)))} >/dev/null`);
      lines.push(`lttng enable-channel -u -s e${n} --subbuf-size=4096 --num-subbuf=2 c >/dev/null`);
      rules.forEach((rule, k) => {
        lines.push(`run ${enableIds[n]![k]} ${enableCommand(`e${n}`, rule)}`);
      });
      lines.push(`lttng start e${n} >/dev/null`);
    });
    lines.push(`run ${APP} ${shq(join(dir, "ttng-rule-app"))}`);
    CASES.forEach((_, n) => {
      lines.push(`lttng destroy e${n} >/dev/null`);
    });
    CASES.forEach((_, n) => {
      lines.push(`run ${btIds[n]} babeltrace2 ${shq(join(dir, "traces", String(n)))}`);
    });
    const { results } = oracle!.run(lines.join("\n"));
    const app = results.get(APP);
    assert.equal(app?.status, 0, `app failed: ${app?.stderr}`);

    const mismatches: string[] = [];
    const table: string[] = [];
    let statedumpSeen = 0;
    CASES.forEach((rules, n) => {
      const label = rules.map((r) => enableCommand(`e${n}`, r)).join(" ; ");
      for (const id of enableIds[n] ?? []) {
        const r = results.get(id);
        assert.equal(r?.status, 0, `${label}: lttng enable-event failed: ${r?.stderr}`);
      }
      const bt = results.get(btIds[n] ?? -1);
      assert.ok(bt !== undefined && bt.status === 0, `${label}: babeltrace2 failed: ${bt?.stderr}`);
      const recorded = new Set<string>();
      for (const m of bt.stdout.matchAll(/^\[[^\]]*\] \([^)]*\) \S+ ([^\s:]+:[^\s:]+): /gm)) recorded.add(m[1]!);
      const matchers = rules.flatMap(ttngRules);
      const selects = (name: string, level: number | undefined) => matchers.some((m) => m(name, level));

      const want = EVENTS.filter(([name]) => recorded.has(name)).map(([name]) => name);
      const got = EVENTS.filter(([name, level]) => selects(name, level)).map(([name]) => name);
      table.push(`${label} => ${[...recorded].join(" ")}`);
      if (want.join() !== got.join()) mismatches.push(`${label}: lttng recorded [${want}], ttng selects [${got}]`);
      // LTTng-UST's own statedump events (no declared level) fire when enabled: ttng must accept what was recorded.
      for (const name of recorded) {
        if (PROVIDERS.includes(name.split(":")[0]!)) continue;
        statedumpSeen++;
        if (!selects(name, undefined)) mismatches.push(`${label}: lttng recorded ${name}, ttng rejects it`);
      }
      if (selects("lttng_ust_statedump:start", undefined) !== recorded.has("lttng_ust_statedump:start")) {
        mismatches.push(`${label}: lttng_ust_statedump:start recorded=${recorded.has("lttng_ust_statedump:start")}`);
      }
    });
    for (const line of table) t.diagnostic(line);
    assert.ok(statedumpSeen > 0, "no statedump event recorded: the `*` cases did not see LTTng-UST's own events");
    assert.deepEqual(mismatches, []);
  },
);
