export { parseConvertArgs, runConvert, UsageError } from "./convert.js";
export { formatErrorChain } from "./errors.js";
export { builtinRegistry } from "./plugins.js";
