export { isControlCommand, runControlCommand } from "./dispatch.js";
export type { ControlConnection, ControlIO } from "./io.js";
export { manualPage, manualCommands } from "./manual.js";
export { ModelConnection, modelConnector } from "./model-client.js";
export type { ViewHooks } from "./view.js";
