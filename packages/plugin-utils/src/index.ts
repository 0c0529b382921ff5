export { compareMessages, muxerClass } from "./muxer.js";
export { counterSinkClass, dummySinkClass } from "./sinks.js";
export { snapshotAt, trimmerClass } from "./trimmer.js";
export { bindEventClass, filterClass } from "./filter.js";
