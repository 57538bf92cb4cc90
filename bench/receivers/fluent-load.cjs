// Fluent Forward load from npm fluent-logger (the real client), PackedForward mode with
// requireAckResponse: node fluent-load.cjs PORT COUNT BATCH. Emits BATCH events, waits until
// every one of them was acknowledged (the server's {"ack": chunk}), then the next batch.
// Prints {"sent":N,"seconds":S}, S from the first emit to the last ack.
const logger = require("fluent-logger");
const [port, count, batch] = process.argv.slice(2).map(Number);
const sender = logger.createFluentSender("bench", {
  host: "127.0.0.1",
  port,
  timeout: 30,
  reconnectInterval: 600000,
  eventMode: "PackedForward",
  requireAckResponse: true,
  ackResponseTimeout: 60000,
  flushInterval: 1,
  sendQueueSizeLimit: 64 * 1024 * 1024,
});
sender.on("error", (e) => {
  console.error("fluent-logger error:", e.message);
  process.exit(1);
});
let i = 0;
const t0 = performance.now();
function next() {
  if (i >= count) {
    console.log(JSON.stringify({ sent: count, seconds: (performance.now() - t0) / 1000 }));
    sender.end();
    process.exit(0);
  }
  const end = Math.min(count, i + batch);
  let pending = end - i;
  for (; i < end; i++) {
    sender.emit("access", { message: `GET /api/v1/items/${i % 977} 200 1534 0.012`, level: "info", host: "web-01", seq: i }, (err) => {
      if (err) {
        console.error("emit failed:", err.message);
        process.exit(1);
      }
      if (--pending === 0) next();
    });
  }
}
next();
