// Drives winston-loki (protobuf+snappy or JSON) and pino-loki (JSON) against http://127.0.0.1:PORT:
// `bun loki-send.cjs winston-proto|winston-json|pino PORT`. Exits once the client has flushed.
const [kind, port] = [process.argv[2], process.argv[3]];
const host = `http://127.0.0.1:${port}`;
if (kind.startsWith("winston")) {
  const winston = require("winston");
  const LokiTransport = require("winston-loki");
  const t = new LokiTransport({
    host,
    labels: { app: "peer-test", env: "ci" },
    json: kind === "winston-json",
    batching: false,
    headers: { "X-Scope-OrgID": "tenant1" },
    onConnectionError: (e) => {
      console.error("connection error", e.message);
      process.exit(1);
    },
  });
  const logger = winston.createLogger({ transports: [t] });
  logger.info("hello from winston-loki", { labels: { module: "a" }, user: "bob" });
  logger.error('second line with "quotes" and ünïcode');
  setTimeout(() => process.exit(0), 400);
} else {
  const pino = require("pino");
  const transport = pino.transport({ target: "pino-loki", options: { host, labels: { app: "peer-test" }, batching: false, headers: { "X-Scope-OrgID": "tenant1" } } });
  const logger = pino(transport);
  logger.info({ user: "bob" }, "hello from pino-loki");
  logger.warn("second pino line");
  transport.on("close", () => process.exit(0));
  setTimeout(() => transport.end(), 300);
}
