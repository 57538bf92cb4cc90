// Sends log records with the OpenTelemetry JS SDK's own OTLP exporters (the real clients):
//   bun otlp-send.cjs http-json|http-proto|grpc URL COUNT [gzip] [ca=PEM] [cert=PEM] [key=PEM] [batch=N] [timeout=MS]
// Record i: body "event i" (i%3==0), a structured body (i%3==1), or "event i" inside a span
// context (i%3==2: trace and span ids); attributes i, kind, ratio, ok, tags; a fixed timestamp.
// Prints "results <codes>" (one ExportResultCode per export call, 0 = SUCCESS) and "sent N";
// exits 1 when an export failed.
const { readFileSync } = require("node:fs");
const { LoggerProvider, BatchLogRecordProcessor } = require("@opentelemetry/sdk-logs");
const { resourceFromAttributes } = require("@opentelemetry/resources");
const { SeverityNumber } = require("@opentelemetry/api-logs");
const { ROOT_CONTEXT, trace } = require("@opentelemetry/api");

const [kind, url, count, ...flags] = process.argv.slice(2);
const flag = (name) => flags.find((f) => f.startsWith(`${name}=`))?.slice(name.length + 1);
const pem = (name) => (flag(name) ? readFileSync(flag(name)) : undefined);
const compression = flags.includes("gzip") ? "gzip" : "none";
const timeoutMillis = Number(flag("timeout") ?? 10000);
let inner;
if (kind === "grpc") {
  const { OTLPLogExporter } = require("@opentelemetry/exporter-logs-otlp-grpc");
  const grpc = require("@grpc/grpc-js");
  const credentials = url.startsWith("https:") ? grpc.credentials.createSsl(pem("ca"), pem("key") ?? null, pem("cert") ?? null) : grpc.credentials.createInsecure();
  inner = new OTLPLogExporter({ url, compression, credentials, timeoutMillis });
} else {
  const { OTLPLogExporter } = require(kind === "http-json" ? "@opentelemetry/exporter-logs-otlp-http" : "@opentelemetry/exporter-logs-otlp-proto");
  const httpAgentOptions = url.startsWith("https:") ? { ca: pem("ca"), cert: pem("cert"), key: pem("key") } : undefined;
  inner = new OTLPLogExporter({ url, compression, timeoutMillis, headers: { "x-test": "1" }, ...(httpAgentOptions ? { httpAgentOptions } : {}) });
}
const results = [];
const exporter = {
  export(records, done) {
    inner.export(records, (r) => {
      results.push(r.code);
      if (r.error) console.error("export error:", r.error.message);
      done(r);
    });
  },
  shutdown: () => inner.shutdown(),
  forceFlush: () => inner.forceFlush(),
};
const batch = Number(flag("batch") ?? 512);
const provider = new LoggerProvider({
  resource: resourceFromAttributes({ "service.name": "otlp-test", "host.name": "vm" }),
  processors: [new BatchLogRecordProcessor({ exporter, maxExportBatchSize: batch, maxQueueSize: Math.max(2048, Number(count)), scheduledDelayMillis: 20 })],
});
const logger = provider.getLogger("otlp-send", "1.2.3");
const n = Number(count);
for (let i = 0; i < n; i++) {
  const attributes = { i, kind: "k", ratio: 0.5, ok: i % 2 === 0, tags: ["a", String(i)] };
  const rec = { severityNumber: SeverityNumber.INFO, severityText: "INFO", timestamp: 1795726040000 + i, attributes };
  if (i % 3 === 0) logger.emit({ ...rec, body: `event ${i}` });
  else if (i % 3 === 1) logger.emit({ ...rec, severityNumber: SeverityNumber.ERROR, severityText: "ERROR", body: { structured: "body", n: i } });
  else {
    const ctx = trace.setSpanContext(ROOT_CONTEXT, { traceId: "5b8efff798038103d269b633813fc60c", spanId: "eee19b7ec3c1b174", traceFlags: 1 });
    logger.emit({ ...rec, body: `event ${i}`, context: ctx });
  }
}
provider
  .forceFlush()
  .then(() => provider.shutdown())
  .then(() => {
    console.log(`results ${results.join(",")}`);
    console.log(`sent ${n}`);
    process.exit(results.every((c) => c === 0) ? 0 : 1);
  })
  .catch((e) => {
    console.error("flush failed", e);
    process.exit(1);
  });
