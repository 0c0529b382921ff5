export { prettySinkClass, parsePrettyParams } from "./pretty.js";
export { escapeString, formatG, formatInt } from "./format.js";
export { detailsSinkClass } from "./details.js";
export { jsonSinkClass } from "./json.js";
export { dmesgSourceClass } from "./node/dmesg.js";
