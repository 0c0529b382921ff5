// Writing CTF 2 (`sink.ctf.fs` with `ctf-version=2`, `ttng convert -o ctf --ctf-version=2`).
// babeltrace2 2.0.4, the oracle installed here, cannot read CTF 2, so ttng's CTF 2 reader
// (checked against Babeltrace's CTF 2 corpus and field cases by ctf2-conformance and
// field-cases) is the only reader of what this writes. Checked:
// - every `1/succeed` and `2/succeed` corpus trace written as CTF 2 reads back (pretty, all
//   names and fields) as the original reads, and (details, MIP 1) as the CTF 1.8 copy reads;
// - every Babeltrace CTF 2 pass field case (BLOBs, bit maps, booleans, optionals, LEB128, UTF-16/32
//   strings, variants...) survives source.ctf.fs -> sink.ctf.fs (CTF 2) -> source.ctf.fs;
// - generated kitchen-sink and random CTF 1.8 traces (tests/lib/ctf-gen.mjs);
// - the metadata is an RFC 7464 JSON text sequence whose preamble UUID is the packets' UUID;
// - parameter errors.
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { silentLogger, TtngError } from "../packages/base/dist/index.js";
import { Graph, MessageKind, vArray, vBool, vMap, vString } from "../packages/graph/dist/index.js";
import { ctfFsSinkClass, ctfFsSourceClass } from "../packages/plugin-ctf/dist/index.js";
import { corpus, hasCorpus, skipReason, ttng } from "./helpers.mjs";
import { createRng, kitchenSink, randomEvents, randomTraceDescription, writeTrace } from "./lib/ctf-gen.mjs";
import { caseParts, ctf2CaseMetadata, plainValue } from "./lib/field-case-traces.mjs";
import { parseNormand } from "./lib/normand.mjs";

const skipCorpus = hasCorpus ? false : skipReason("../shared/conformance");
const tmp = mkdtempSync(join(tmpdir(), "ttng-ctf2-write-"));
after(() => {
  if (!process.env.TTNG_KEEP) rmSync(tmp, { recursive: true, force: true });
});

/** What legitimately differs between an original and its copy: the trace name (from its directory), UUIDs/UIDs, stream paths. */
function neutral(text) {
  return text
    .replace(/trace = [^,\n]*,/g, "trace = T,")
    .replace(/in trace "[^"]*" \((?:UU?ID: [0-9a-f-]{36}|no UU?ID)\)/g, "in trace T")
    .replace(/within stream "(?:[^"]*\/)?([^"/]*)"/g, 'within stream "$1"');
}

/** Discarded-items warnings only: the reader's own warnings about the original's metadata are not the writer's business. */
function discardWarnings(stderr) {
  return neutral(
    stderr
      .split("\n")
      .filter((l) => l.startsWith("WARNING:"))
      .join("\n"),
  );
}

/** Details text with UUID/UID lines and MIP 1 user attributes (LTTng log levels as CTF 2 attributes) left out. */
function neutralDetails(text) {
  const out = [];
  let skipIndent = -1;
  for (const line of text.split("\n")) {
    const indent = line.length - line.trimStart().length;
    if (skipIndent >= 0 && indent > skipIndent) continue;
    skipIndent = -1;
    if (/^\s*User attributes:/.test(line)) {
      skipIndent = indent;
      continue;
    }
    if (/^\s*(UUID|UID): /.test(line)) continue;
    // The trace's namespace and UID/UUID: CTF 1.8 has no namespace, and every copy gets a new UUID.
    out.push(line.replace(/^(\s*)Trace \(.*\):$/, "$1Trace:"));
  }
  return out.join("\n");
}

function metadataOf(dir) {
  const found = [];
  const walk = (d) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n === "metadata") found.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}

/**
 * `2/succeed` traces whose details (MIP 1) are checked too (each costs three more runs). Only
 * traces whose copy is one trace: several traces are printed in an order their random UUIDs
 * decide, so multi-domains and session-rotation would compare in a random order.
 */
const DETAILS_CHECKED = new Set(["2packets", "barectf-event-before-packet", "fl-bm"]);
const DETAILS = ["-m", "1", "-c", "sink.text.details", "-p", "with-trace-name=no,with-stream-name=no"];

const cases = [];
if (!skipCorpus) {
  for (const v of ["1", "2"]) {
    const d = join(corpus, "ctf-traces", v, "succeed");
    for (const name of readdirSync(d).sort())
      if (statSync(join(d, name)).isDirectory()) cases.push({ v, name, path: join(d, name) });
  }
}
if (skipCorpus) test("CTF 2 round trips of the corpus", { skip: skipCorpus }, () => {});

for (const c of cases) {
  test(`${c.v}/succeed/${c.name} written as CTF 2 reads back as the original`, () => {
    const out = join(tmp, "corpus", `${c.v}-${c.name}`);
    const got = ttng(["convert", c.path, "-o", "ctf", "--ctf-version=2", "-w", out]);
    const orig = ttng(["view", "-n", "all", "-f", "all", c.path]);
    assert.equal(got.status, orig.status, got.stderr);
    const mds = metadataOf(out);
    if (mds.length === 0) {
      // Nothing to write (no event record before the reader stops): as for CTF 1.8.
      assert.equal(orig.stdout, "");
      return;
    }
    for (const md of mds) assert.equal(readFileSync(md)[0], 0x1e, `${md} is CTF 2 metadata`);
    const back = ttng(["view", "-n", "all", "-f", "all", out]);
    assert.equal(back.status, orig.status, back.stderr);
    assert.equal(neutral(back.stdout), neutral(orig.stdout));
    assert.equal(discardWarnings(back.stderr), discardWarnings(orig.stderr));
    if (c.v === "2" && DETAILS_CHECKED.has(c.name)) {
      // MIP 1 details: the CTF 2 copy and the CTF 1.8 copy (same writer, same data streams) read the same.
      const out18 = join(tmp, "corpus18", c.name);
      assert.equal(ttng(["convert", c.path, "-o", "ctf", "-w", out18]).status, 0);
      const d2 = ttng(["view", out, ...DETAILS]);
      const d18 = ttng(["view", out18, ...DETAILS]);
      assert.equal(d2.status, 0, d2.stderr);
      const trace2 = d2.stdout.match(/Trace \((Namespace `[^`]*`)?/)?.[1];
      const traceOrig = ttng(["view", c.path, ...DETAILS]).stdout.match(/Trace \((Namespace `[^`]*`)?/)?.[1];
      assert.equal(trace2, traceOrig, "the CTF 2 copy keeps the trace namespace");
      // CTF 1.8 has no bit array: the CTF 1.8 copy has an integer where the CTF 2 copy keeps the bit map.
      const bitArrays = (t) => t.replace(/: Bit array\n/g, ": Unsigned integer (8-bit, Base 16)\n");
      if (c.name === "fl-bm") assert.match(d2.stdout, /lol: Bit array/);
      assert.equal(bitArrays(neutralDetails(d2.stdout)), neutralDetails(d18.stdout));
    }
  });
}

function roundTrip(trace, label) {
  const out = join(tmp, "gen", label);
  const got = ttng(["convert", trace, "-o", "ctf", "--ctf-version=2", "-w", out]);
  assert.equal(got.status, 0, got.stderr);
  const v1 = ttng(["view", "-n", "all", "-f", "all", trace]);
  const v2 = ttng(["view", "-n", "all", "-f", "all", out]);
  assert.equal(v2.status, v1.status, v2.stderr);
  assert.equal(neutral(v2.stdout), neutral(v1.stdout));
  assert.equal(discardWarnings(v2.stderr), discardWarnings(v1.stderr));
  return out;
}

test("kitchen-sink traces (every CTF 1.8 field kind, both byte orders) written as CTF 2 read back the same", () => {
  for (const byteOrder of ["le", "be"]) {
    const trace = join(tmp, `ks-${byteOrder}`);
    const { description, events } = kitchenSink({ byteOrder });
    writeTrace(trace, description, events);
    roundTrip(trace, `ks-${byteOrder}`);
  }
});

function randomRoundTrip(seed) {
  const rng = createRng(seed * 104729);
  const description = randomTraceDescription(rng);
  const events = randomEvents(rng, description, 60, {
    discardChance: 0.05,
    seqGapChance: 0.03,
    packetBreakChance: 0.1,
  });
  const trace = join(tmp, `rnd-${seed}`);
  writeTrace(trace, description, events);
  try {
    roundTrip(trace, `rnd-${seed}`);
  } catch (e) {
    e.message = `seed ${seed * 104729}: ${e.message}`;
    throw e;
  }
}

test("random traces with discarded events, lost packets and packet breaks written as CTF 2 read back the same", () => {
  for (let seed = 1; seed <= 3; seed++) randomRoundTrip(seed);
});

// Seed 4 has uint64 enumeration mappings beyond 2^53: the writer prints them exactly and the
// reader keeps JSON integers beyond 2^53 exact (bigints), so the labels survive the round trip.
test("random trace with 64-bit enumeration mappings beyond 2^53 written as CTF 2", () => {
  randomRoundTrip(4);
});

test("the metadata is a JSON text sequence: preamble (UUID of the packets), trace class, clock, stream and event classes", () => {
  const trace = join(tmp, "ks-meta");
  const { description, events } = kitchenSink({ byteOrder: "le" });
  writeTrace(trace, description, events);
  const out = roundTrip(trace, "ks-meta");
  const [md] = metadataOf(out);
  const text = readFileSync(md, "utf8");
  assert.ok(text.startsWith("\x1e"));
  const frags = text
    .split("\x1e")
    .slice(1)
    .map((f) => JSON.parse(f));
  assert.deepEqual(
    frags.slice(0, 3).map((f) => f.type),
    ["preamble", "trace-class", "clock-class"],
  );
  assert.equal(frags[0].version, 2);
  assert.ok(frags.some((f) => f.type === "data-stream-class"));
  assert.ok(frags.some((f) => f.type === "event-record-class" && f.name === "demo:ints"));
  assert.equal(frags[1].environment.hostname, "demohost");
  assert.equal(frags[2].origin, "unix-epoch");
  // Roles, not names: the packet header's UUID BLOB holds the preamble's bytes.
  const header = frags[1]["packet-header-field-class"]["member-classes"];
  assert.deepEqual(
    header.map((m) => m["field-class"].roles),
    [["packet-magic-number"], ["metadata-stream-uuid"], ["data-stream-class-id"], ["data-stream-id"]],
  );
  const dir = join(md, "..");
  const stream = readdirSync(dir).find((n) => n !== "metadata" && n !== "index");
  const bytes = readFileSync(join(dir, stream));
  assert.deepEqual([...bytes.subarray(4, 20)], frags[0].uuid);
});

test("ctf-version accepts 1, 1.8, 2 and 2.0 and refuses anything else with a typed error", () => {
  const trace = join(corpus, "ctf-traces/1/succeed/smalltrace");
  if (!hasCorpus) return;
  for (const [v, first] of [
    ["1", 0x2f],
    ["1.8", 0x2f],
    ["2", 0x1e],
    ["2.0", 0x1e],
  ]) {
    const out = join(tmp, `ver-${v.replaceAll('"', "")}`);
    const r = ttng(["convert", trace, "-o", "ctf", `--ctf-version=${v}`, "-w", out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(metadataOf(out)[0])[0], first, `ctf-version=${v}`);
  }
  const bad = ttng(["convert", trace, "-o", "ctf", "--ctf-version=3", "-w", join(tmp, "ver-3")]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /Invalid `ctf-version` parameter/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});

// Babeltrace's CTF 2 pass field cases, through the writer and back, in process.
const casesDir = join(corpus, "field-cases");
const fieldCases = existsSync(casesDir)
  ? readdirSync(casesDir)
      .filter((f) => f.startsWith("ctf-2-pass-") && f.endsWith(".mp"))
      .sort()
  : [];

class Collect {
  kind = "sink";
  events = [];
  inputPorts() {
    return ["in"];
  }
  graphIsConfigured(upstream) {
    this.it = upstream.get("in");
  }
  consume() {
    const batch = [];
    const st = this.it.next(batch);
    for (const m of batch) if (m.kind === MessageKind.Event) this.events.push(m);
    return st;
  }
}
const collectClass = { type: "sink", plugin: "test", name: "collect", description: "", create: () => new Collect() };

async function runGraph(dir, sinkClass, sinkParams) {
  const graph = new Graph({ logger: silentLogger, stderr: () => {}, stdout: () => {}, mipVersion: 1 });
  graph.addComponent(ctfFsSourceClass, "src", vMap({ inputs: vArray([vString(dir)]) }));
  const sink = graph.addComponent(sinkClass, "sink", sinkParams);
  for (const p of graph.outputPorts("src")) graph.connect("src", p, "sink", "in");
  await graph.run();
  return sink;
}

/** The case's `root` value; `dropTags`: without the selector members the writer adds before options (`__NAME_tag`). */
function rootOf(ev, dropTags = false) {
  const m = ev.eventClass.payload.members.find((x) => x.name === "root");
  assert.ok(m, "a `root` member");
  const v = plainValue(m.fc, ev.payload[m.slot]);
  const drop = (x) => {
    if (Array.isArray(x)) return x.map(drop);
    if (x === null || typeof x !== "object") return x;
    return Object.fromEntries(
      Object.entries(x)
        .filter(([k]) => !/^__.*_tag(_\d+)?$/.test(k))
        .map(([k, y]) => [k, drop(y)]),
    );
  };
  return dropTags ? drop(v) : v;
}

test(
  `Babeltrace's ${fieldCases.length} CTF 2 pass field cases survive a CTF 2 write and read back`,
  { skip: fieldCases.length === 0 ? skipReason("../shared/conformance") : false },
  async () => {
    const refused = [];
    const differ = [];
    for (const file of fieldCases) {
      const [fcText, dataText] = caseParts(join(casesDir, file));
      const dir = join(tmp, "fc", file);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "metadata"), ctf2CaseMetadata(fcText));
      writeFileSync(join(dir, "data"), parseNormand(`!le\n${dataText}`));
      const orig = (await runGraph(dir, collectClass, vMap())).events;
      assert.equal(orig.length, 1, file);
      const out = join(tmp, "fc-out", file);
      try {
        await runGraph(
          dir,
          ctfFsSinkClass,
          vMap({
            path: vString(out),
            "ctf-version": vString("2"),
            quiet: vBool(true),
            "assume-single-trace": vBool(true),
          }),
        );
      } catch (e) {
        for (let x = e; x; x = x.cause)
          assert.ok(x instanceof TtngError, `${file}: not a typed error: ${x?.stack ?? x}`);
        refused.push(`${file}: ${e.cause?.message ?? e.message}`);
        continue;
      }
      assert.equal(readFileSync(join(out, "metadata"))[0], 0x1e);
      const back = (await runGraph(out, collectClass, vMap())).events;
      assert.equal(back.length, 1, file);
      try {
        assert.deepEqual(rootOf(back[0], true), rootOf(orig[0]), file);
      } catch (e) {
        differ.push(`${file}: ${e.message.split("\n").slice(1, 30).join("\n")}`);
      }
    }
    assert.deepEqual(differ, []);
    // Not built yet (docs/ctf2.md): the writer's IR translation still has CTF 1.8's limit for
    // options/variants whose selector it would have to add outside a structure; those cases (9 of
    // 327) are refused with a typed error naming the reason, and every other case (BLOBs and
    // unnamed variant options included) must round-trip.
    const KNOWN_REFUSALS = /must be a structure member in CTF 1\.8/;
    assert.deepEqual(
      refused.filter((r) => !KNOWN_REFUSALS.test(r)),
      [],
    );
    assert.ok(refused.length <= 9, `${refused.length} cases refused:\n${refused.join("\n")}`);
    assert.ok(fieldCases.length - refused.length >= 318, `${fieldCases.length - refused.length} cases round-trip`);
  },
);

/** The field classes of type `type` anywhere in CTF 2 metadata text. */
function fieldClassesOfType(metadata, type) {
  const found = [];
  const walk = (x) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x !== null && typeof x === "object") {
      if (x.type === type) found.push(x);
      Object.values(x).forEach(walk);
    }
  };
  for (const frag of metadata.split("\x1e").filter((t) => t.trim() !== "")) walk(JSON.parse(frag));
  return found;
}

test("static and dynamic BLOBs are written as CTF 2 BLOBs (media type, length field) and refused for CTF 1.8", async () => {
  const dir = join(tmp, "blob-in");
  mkdirSync(dir, { recursive: true });
  const fc = {
    type: "structure",
    "member-classes": [
      { name: "magic", "field-class": { type: "static-length-blob", length: 3, "media-type": "text/plain" } },
      {
        name: "odd",
        "field-class": { type: "fixed-length-unsigned-integer", length: 3, "byte-order": "little-endian" },
      },
      { name: "len", "field-class": "u8" },
      { name: "data", "field-class": { type: "dynamic-length-blob", "length-field-location": { path: ["len"] } } },
      { name: "empty_len", "field-class": "u8" },
      {
        name: "empty",
        "field-class": {
          type: "dynamic-length-blob",
          "length-field-location": { path: ["empty_len"] },
          "media-type": "image/png",
        },
      },
    ],
  };
  writeFileSync(join(dir, "metadata"), ctf2CaseMetadata(JSON.stringify(fc)));
  // `odd` (5, in bits 0-2 of byte 3) leaves the next field at bit 3: `len` and the BLOBs are padded to a byte.
  writeFileSync(join(dir, "data"), parseNormand("!le\n61 62 63  05  $5  de ad be ef 42  $0"));
  const orig = (await runGraph(dir, collectClass, vMap())).events;
  assert.equal(orig.length, 1);
  const out = join(tmp, "blob-out");
  await runGraph(
    dir,
    ctfFsSinkClass,
    vMap({ path: vString(out), "ctf-version": vString("2"), quiet: vBool(true), "assume-single-trace": vBool(true) }),
  );
  const metadata = readFileSync(join(out, "metadata"), "utf8");
  const statics = fieldClassesOfType(metadata, "static-length-blob").filter((x) => !x.roles);
  assert.deepEqual(statics, [{ type: "static-length-blob", length: 3, "media-type": "text/plain" }]);
  const dyns = fieldClassesOfType(metadata, "dynamic-length-blob");
  assert.equal(dyns.length, 2);
  assert.deepEqual(dyns[0]["length-field-location"], { path: ["len"] });
  assert.equal(dyns[0]["media-type"], undefined); // application/octet-stream, the default
  assert.deepEqual(dyns[1]["length-field-location"], { path: ["empty_len"] });
  assert.equal(dyns[1]["media-type"], "image/png");
  const back = (await runGraph(out, collectClass, vMap())).events;
  assert.equal(back.length, 1);
  const root = rootOf(back[0], true);
  assert.deepEqual(root, rootOf(orig[0]));
  assert.deepEqual(root.magic, { blob: [0x61, 0x62, 0x63] });
  assert.deepEqual(root.data, { blob: [0xde, 0xad, 0xbe, 0xef, 0x42] });
  assert.deepEqual(root.empty, { blob: [] });
  const blobs = back[0].eventClass.payload.members
    .find((m) => m.name === "root")
    .fc.members.filter((m) => m.fc.kind === "blob");
  assert.deepEqual(
    blobs.map((m) => [m.name, m.fc.mediaType, m.fc.length]),
    [
      ["magic", "text/plain", 3],
      ["data", "application/octet-stream", undefined],
      ["empty", "image/png", undefined],
    ],
  );
  // CTF 1.8 has no BLOB: a typed error, as before.
  await assert.rejects(
    runGraph(dir, ctfFsSinkClass, vMap({ path: vString(join(tmp, "blob-out-1")), quiet: vBool(true) })),
    (e) => {
      let x = e;
      while (x.cause) x = x.cause;
      assert.ok(e instanceof TtngError && x instanceof TtngError);
      assert.equal(x.code, "ERR_UNSUPPORTED");
      assert.match(x.message, /a BLOB cannot be written as CTF 1\.8/);
      return true;
    },
  );
});

test("a variant's unnamed options stay unnamed in CTF 2 output and are refused for CTF 1.8", async () => {
  const dir = join(tmp, "unnamed-in");
  mkdirSync(dir, { recursive: true });
  const fc = {
    type: "structure",
    "member-classes": [
      { name: "sel", "field-class": "u8" },
      {
        name: "v",
        "field-class": {
          type: "variant",
          "selector-field-location": { path: ["sel"] },
          options: [
            { "selector-field-ranges": [[0, 0]], "field-class": "u8" },
            { name: "named", "selector-field-ranges": [[1, 1]], "field-class": "u16" },
            { "selector-field-ranges": [[2, 5]], "field-class": "u32" },
          ],
        },
      },
    ],
  };
  writeFileSync(join(dir, "metadata"), ctf2CaseMetadata(JSON.stringify(fc)));
  writeFileSync(join(dir, "data"), parseNormand("!le\n$3  78 56 34 12"));
  const orig = (await runGraph(dir, collectClass, vMap())).events;
  const out = join(tmp, "unnamed-out");
  await runGraph(
    dir,
    ctfFsSinkClass,
    vMap({ path: vString(out), "ctf-version": vString("2"), quiet: vBool(true), "assume-single-trace": vBool(true) }),
  );
  const variants = fieldClassesOfType(readFileSync(join(out, "metadata"), "utf8"), "variant");
  assert.equal(variants.length, 1);
  assert.deepEqual(
    variants[0].options.map((o) => o.name),
    [undefined, "named", undefined],
  );
  const back = (await runGraph(out, collectClass, vMap())).events;
  const root = rootOf(back[0], true);
  assert.deepEqual(root, rootOf(orig[0]));
  assert.deepEqual(root.v, { option: "", value: { int: 0x12345678n, base: 10, signed: false } });
  await assert.rejects(
    runGraph(dir, ctfFsSinkClass, vMap({ path: vString(join(tmp, "unnamed-out-1")), quiet: vBool(true) })),
    (e) => {
      let x = e;
      while (x.cause) x = x.cause;
      assert.ok(e instanceof TtngError && x instanceof TtngError);
      assert.equal(x.code, "ERR_UNSUPPORTED");
      return true;
    },
  );
});

test("--ctf-version sets the implicit CTF sink's parameter; -p keeps babeltrace2's meaning", () => {
  const trace = join(corpus, "ctf-traces/1/succeed/2packets");
  const args = ttng(["convert", trace, "-o", "ctf", "--ctf-version=2", "-w", "/tmp/x", "--run-args"]);
  assert.equal(args.status, 0, args.stderr);
  assert.match(args.stdout, /sink\.ctf\.fs --params 'path="\/tmp\/x"' --params 'ctf-version="2"'/);
  // babeltrace2 gives a -p after -o ctf to the preceding input, and so does ttng.
  const p = ttng(["convert", trace, "-o", "ctf", "-p", "x=1", "-w", "/tmp/x", "--run-args"]);
  assert.equal(p.status, 0, p.stderr);
  assert.doesNotMatch(p.stdout, /ctf-version/);
  assert.match(p.stdout, /source\.ctf\.fs.*x=1/s);
  const bad = ttng(["convert", trace, "--ctf-version=2"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--ctf-version specified without --output-format=ctf/);
});
