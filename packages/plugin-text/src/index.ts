export { prettySinkClass, parsePrettyParams } from "./pretty.js";
export { cyclesDeltaText, escapeString, formatG, formatInt, wallDeltaText } from "./format.js";
export { detailsSinkClass } from "./details.js";
export { jsonSinkClass } from "./json.js";
export { dmesgSourceClass } from "./node/dmesg.js";
export { latin1Bytes } from "./byte-writer.js";
