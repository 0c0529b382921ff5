export { isControlCommand, runControlCommand } from "./dispatch.js";
export { type ControlConnection, type ControlIO, noDaemonConnection } from "./io.js";
export { manualPage, manualCommands } from "./manual.js";
export { ModelConnection, modelConnector } from "./model-client.js";
export type { ViewHooks } from "./view.js";
