export * from "./control.js";
export * from "./frame.js";
export * from "./session.js";
export * from "./lttng-errors.js";
export * from "./app.js";
export * from "./metadata-packets.js";
export * from "./node-agent-rules.js";
