// The @ttng/tracer half of tests/tracer-lttng-equivalence.test.mjs: tracef,
// tracelog and the ttng_eq provider of equivalence-tp.h declared with @ttng/tracer (same event
// and field names, types, byte orders, bases and log levels), and the values
// of equivalence-app.c emitted in the same order from the main thread, in a
// per-PID session with the channel and contexts the test gives LTTng.
//
// usage: node equivalence-app.mjs OUTPUT_DIR SUBBUF_SIZE NUM_SUBBUF [REPEAT]
// (the rows are emitted REPEAT times, default 1, as equivalence-app.c does)
// prints the session.stop() result as JSON on the last line.
import { pathToFileURL } from "node:url";

const tracerUrl = pathToFileURL(new URL("../../packages/tracer/dist/bundle/index.js", import.meta.url).pathname).href;
const {
  provider,
  u8,
  u16,
  u32,
  u64,
  s8,
  s16,
  s32,
  s64,
  f32,
  f64,
  string,
  array,
  sequence,
  textArray,
  textSequence,
  enumeration,
  hex,
  network,
  nowrite,
  startSession,
  tracef,
  tracelog,
} = await import(tracerUrl);

const [output, subbufSize, numSubbuf, repeat = "1"] = process.argv.slice(2);

const eq = provider("ttng_eq");
const ints = eq.event("ints", {
  logLevel: "INFO",
  fields: [u8("u8"), s8("s8"), u16("u16"), s16("s16"), u32("u32"), s32("s32"), u64("u64"), s64("s64")],
});
const bases = eq.event("bases", {
  logLevel: "WARNING",
  fields: [
    hex(u32("hex32")),
    hex(s16("hex16")),
    network(u32("net32")),
    hex(network(u16("nethex16"))),
    hex(u64("hex64")),
    nowrite(u32("hidden")),
  ],
});
const floats = eq.event("floats", { logLevel: "DEBUG", fields: [f32("f32"), f64("f64")] });
const strings = eq.event("strings", { fields: [string("first"), string("second")] });
const arrays = eq.event("arrays", {
  logLevel: "NOTICE",
  fields: [
    array("arr", s32, 3),
    array("harr", hex(u8("")), 4),
    sequence("seq", u16, { lengthType: "u32" }),
    textArray("atext", 4),
    textSequence("stext", { lengthType: "u32" }),
  ],
});
const STATE = { IDLE: 0, BUSY: [1, 5], DONE: 6, FAILED: [100, 199] };
const COLOR = { RED: 0, GREEN: 1, BLUE: 2 };
const enums = eq.event("enums", {
  logLevel: "ERR",
  fields: [enumeration("state", STATE, { type: "s32" }), enumeration("color", COLOR, { type: "u8" })],
});
const small = eq.event("small", { logLevel: "DEBUG_LINE", fields: [u32("n")] });

// The tables of equivalence-app.c, row for row.
const U8 = [0, 1, 127, 128, 255];
const S8 = [0, -1, 127, -128, 5];
const U16 = [0, 1, 32767, 32768, 65535];
const S16 = [0, -1, 32767, -32768, 1234];
const U32 = [0, 1, 2147483647, 2147483648, 4294967295];
const S32 = [0, -1, 2147483647, -2147483648, 123456];
const U64 = [0n, 1n, 9007199254740993n, 9223372036854775808n, 18446744073709551615n];
const S64 = [0n, -1n, 9223372036854775807n, -9223372036854775808n, -9007199254740993n];
const HEX32 = [0, 0xdeadbeef, 0xffffffff, 1, 0x80000000];
const HEX16 = [0, -1, -32768, 0x7fff, -2];
const NET32 = [0, 1, 0x12345678, 0xffffffff, 256];
const NETHEX16 = [0, 0xbeef, 1, 0xffff, 0x100];
const HEX64 = [0n, 0xdeadbeefcafebaben, 0xffffffffffffffffn, 1n, 0x8000000000000000n];
const F32 = [0, -1.5, 3.4028234663852886e38, 1 / 3, 1e-40];
const F64 = [0, 1e300, 1 / 3, -2.5e-308, -0];
const STR1 = ["", "hello", "café ☕", "tab\there", 'quote"s\\ and a longer string of ascii characters to copy'];
const STR2 = ["x", "", "naïve", "/index", "ctl\u0001\u007f"];
// babeltrace2 2.0.4 prints an empty string as the last non-empty one its
// decoder saw, which over many packets depends on where packets begin:
// repeated rows use "-" instead (as equivalence-app.c does).
if (Number(repeat) > 1) STR1[0] = STR2[1] = "-";
const TEXT = ["abcdef", "wxyz12", "ABCDEF", "012345", "qrstuv"];
const SEQ = [1, 2, 3, 4, 5];
const STATES = [0, 3, 6, 150, 42];
const COLORS = [0, 1, 2, 2, 7];

const session = await startSession({
  output,
  channels: [{ name: "c", subbufSize: Number(subbufSize), numSubbuf: Number(numSubbuf), mode: "discard" }],
  events: [
    { name: "ttng_eq:*", channel: "c" },
    { name: "lttng_ust_tracef:*", channel: "c" },
    { name: "lttng_ust_tracelog:*", channel: "c" },
  ],
  contexts: ["vpid", "vtid", "procname"],
});
for (let k = 0; k < Number(repeat) * 5; k++) {
  const i = k % 5;
  ints(U8[i], S8[i], U16[i], S16[i], U32[i], S32[i], U64[i], S64[i]);
  bases(HEX32[i], HEX16[i], NET32[i], NETHEX16[i], HEX64[i], i);
  floats(F32[i], F64[i]);
  strings(STR1[i], STR2[i]);
  arrays([i, -i, i * i * 1000 - 7], [i, 0xff, 0x10 * i, 0], SEQ.slice(0, i), TEXT[i], TEXT[i].slice(0, i + 1));
  enums(STATES[i], COLORS[i]);
  small(Math.imul(i, 1000003) >>> 0);
  tracef("row %d: %s", i, TEXT[i]);
  // tracelog records its call site (file, func): in one packet only, where the test can account for it.
  if (Number(repeat) === 1) tracelog("WARNING", "row %d of %d", i, 5);
}
const result = await session.stop();
console.log(JSON.stringify(result));
