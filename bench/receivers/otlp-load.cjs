// OTLP load from the OpenTelemetry JS SDK (the real client): node otlp-load.cjs KIND URL COUNT
// KIND: http-proto | http-json | grpc. A LoggerProvider with a BatchLogRecordProcessor
// (2048-record exports, queue large enough for COUNT) emits COUNT records — a short body and
// three attributes each — then flushes. Prints {"sent":N,"seconds":S}, S from the first emit
// to the end of the flush (every export answered); exits 1 when an export failed.
const { LoggerProvider, BatchLogRecordProcessor } = require("@opentelemetry/sdk-logs");
const { resourceFromAttributes } = require("@opentelemetry/resources");
const { SeverityNumber } = require("@opentelemetry/api-logs");

const [kind, url, count] = process.argv.slice(2);
const module_ = kind === "grpc" ? "@opentelemetry/exporter-logs-otlp-grpc" : kind === "http-json" ? "@opentelemetry/exporter-logs-otlp-http" : "@opentelemetry/exporter-logs-otlp-proto";
const inner = new (require(module_).OTLPLogExporter)({ url, timeoutMillis: 60000 });
let failed = 0;
const exporter = {
  export: (records, done) =>
    inner.export(records, (r) => {
      if (r.code !== 0) failed++;
      done(r);
    }),
  shutdown: () => inner.shutdown(),
  forceFlush: () => inner.forceFlush(),
};
const n = Number(count);
const provider = new LoggerProvider({
  resource: resourceFromAttributes({ "service.name": "bench", "host.name": "bench-host" }),
  processors: [new BatchLogRecordProcessor({ exporter, maxExportBatchSize: 2048, maxQueueSize: n + 1, scheduledDelayMillis: 5, exportTimeoutMillis: 60000 })],
});
const logger = provider.getLogger("bench", "1.0.0");
const t0 = performance.now();
for (let i = 0; i < n; i++) logger.emit({ severityNumber: SeverityNumber.INFO, severityText: "INFO", body: `GET /api/items/${i} 200 ${i % 997}ms`, attributes: { "http.method": "GET", "http.status_code": 200, i } });
provider
  .forceFlush()
  .then(() => {
    const seconds = (performance.now() - t0) / 1000;
    console.log(JSON.stringify({ sent: n, seconds }));
    process.exit(failed === 0 ? 0 : 1);
  })
  .catch((e) => {
    console.error("flush failed", e);
    process.exit(1);
  });
