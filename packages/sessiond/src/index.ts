/** ttng-sessiond: the session model (LTTng's semantics) and the daemon around it. */
export * from "./model/index.js";
