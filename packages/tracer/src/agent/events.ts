/**
 * The agent's providers and event classes: what it records from Node's diagnostics channels and
 * `console`. Field names follow LTTng's conventions (snake_case, `_ns` durations, `request_id`
 * linking the events of one request). Durations are from the start event's channel message to
 * the end event's, measured with `performance.now()`.
 */
import { s32, string, u16, u32, u64 } from "../fields.js";
import { provider } from "../registry.js";

const http = provider("node_http");
export const serverRequestStart = http.event("server_request_start", {
  logLevel: "INFO",
  fields: [u64("request_id"), string("method"), string("url")],
});
export const serverResponseFinish = http.event("server_response_finish", {
  logLevel: "INFO",
  fields: [u64("request_id"), string("method"), string("url"), u16("status_code"), u64("duration_ns")],
});
export const clientRequestStart = http.event("client_request_start", {
  logLevel: "INFO",
  fields: [u64("request_id"), string("method"), string("host"), string("path")],
});
export const clientResponseFinish = http.event("client_response_finish", {
  logLevel: "INFO",
  fields: [u64("request_id"), string("method"), string("host"), string("path"), u16("status_code"), u64("duration_ns")],
});

const fetch = provider("node_fetch");
export const fetchRequestCreate = fetch.event("request_create", {
  logLevel: "INFO",
  fields: [u64("request_id"), string("method"), string("origin"), string("path")],
});
export const fetchResponseHeaders = fetch.event("response_headers", {
  logLevel: "INFO",
  fields: [u64("request_id"), u16("status_code"), u64("duration_ns")],
});
export const fetchRequestFinish = fetch.event("request_finish", {
  logLevel: "INFO",
  fields: [
    u64("request_id"),
    string("method"),
    string("origin"),
    string("path"),
    u16("status_code"),
    u64("duration_ns"),
  ],
});
export const fetchRequestError = fetch.event("request_error", {
  logLevel: "ERR",
  fields: [u64("request_id"), string("method"), string("origin"), string("path"), string("error"), u64("duration_ns")],
});

const net = provider("node_net");
export const netClientConnect = net.event("client_connect", {
  logLevel: "INFO",
  fields: [
    string("remote_address"),
    u16("remote_port"),
    string("local_address"),
    u16("local_port"),
    u64("duration_ns"),
  ],
});
export const netServerConnection = net.event("server_connection", {
  logLevel: "INFO",
  fields: [string("remote_address"), u16("remote_port"), string("local_address"), u16("local_port")],
});
export const netServerListen = net.event("server_listen", {
  logLevel: "INFO",
  fields: [string("address"), u16("port")],
});
export const netServerListenError = net.event("server_listen_error", {
  logLevel: "ERR",
  fields: [string("error")],
});

const child = provider("node_child_process");
export const childSpawn = child.event("spawn", {
  logLevel: "INFO",
  fields: [s32("pid"), string("file"), string("args")],
});
export const childExit = child.event("exit", {
  logLevel: "INFO",
  fields: [s32("pid"), s32("exit_code"), string("signal"), u64("duration_ns")],
});

const worker = provider("node_worker");
export const workerStart = worker.event("start", {
  logLevel: "INFO",
  fields: [u32("thread_id")],
});
export const workerExit = worker.event("exit", {
  logLevel: "INFO",
  fields: [u32("thread_id"), s32("exit_code"), u64("duration_ns")],
});
