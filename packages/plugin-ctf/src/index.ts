export { CtfStreamIterator, type PacketEntry, type PacketSource } from "./msg-iter.js";
export { translateTraceClass } from "./translate.js";
export { ctfFsSourceClass, isCtfTraceDir, metadataUuid, openMetadata } from "./node/fs-source.js";
export { ctfFsSinkClass } from "./node/fs-sink.js";
