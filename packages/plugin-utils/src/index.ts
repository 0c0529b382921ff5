export { compareMessages, muxerClass } from "./muxer.js";
export { counterSinkClass, dummySinkClass } from "./sinks.js";
