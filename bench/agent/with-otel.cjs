// `node --require` preload for the "otel" run: OpenTelemetry's http auto-instrumentation with a
// batch span processor exporting to an exporter that drops the spans (the cheapest possible
// export), as its getting-started guide sets it up. On the bench's "stop" message it flushes
// and reports how many spans were exported.
const { NodeTracerProvider } = require("@opentelemetry/sdk-trace-node");
const { BatchSpanProcessor } = require("@opentelemetry/sdk-trace-base");
const { registerInstrumentations } = require("@opentelemetry/instrumentation");
const { HttpInstrumentation } = require("@opentelemetry/instrumentation-http");

let exported = 0;
const noopExporter = {
  export(spans, done) {
    exported += spans.length;
    done({ code: 0 });
  },
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};
const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(noopExporter)] });
provider.register();
registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });

process.on("message", async (m) => {
  if (m !== "stop") return;
  await provider.forceFlush();
  process.send({ recorded: exported, discarded: 0, errors: [] });
  process.exit(0);
});
