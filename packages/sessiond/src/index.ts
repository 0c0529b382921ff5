/** ttng-sessiond: the session model (LTTng's semantics) and the daemon around it. */
export * from "./model/index.js";
export type { AppRegistry } from "./daemon/app-registry.js";
export { type Daemon, type DaemonOptions, type SessionModelLike, socketAnswers, startDaemon } from "./daemon/daemon.js";
export { GLOBAL_RUN_DIR, globalRunPaths, type RunPaths, runPaths, TRACING_GROUP, ttngHome } from "./daemon/paths.js";
