export {
  SessionModel,
  type SessionChange,
  type SessionChangeListener,
  type SessionModelOptions,
  fail,
  urlToPath,
} from "./session-model.js";
export {
  DEFAULT_CHANNEL_NAME,
  defaultChannelAttributes,
  isUstContextType,
  UST_CONTEXT_TYPES,
  UST_PERF_COUNTERS,
} from "./defaults.js";
export { dateTimeSuffix, sessionNameProblem, channelNameValid } from "./names.js";
export { sessionsFromXml, sessionToXml } from "./session-xml.js";
export { requestProblem } from "./request-shape.js";
