/** `ttng version`: ttng's version and the LTTng command line it follows. */
export const TTNG_VERSION = "0.1.0";

export const VERSION_TEXT = `ttng version ${TTNG_VERSION} - LTTng 2.13 control commands and Babeltrace 2 for Node.js

ttng records Node.js applications with @ttng/tracer into CTF traces, controls
them with LTTng's command line, and reads traces as Babeltrace 2 does.

ttng is free software under the MIT license
`;
