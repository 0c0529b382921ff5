export * from "./ir.js";
export * from "./message.js";
export * from "./component.js";
export * from "./graph.js";
export * from "./registry.js";
export * from "./value.js";
export * from "./params.js";
export * from "./plugin-api.js";
