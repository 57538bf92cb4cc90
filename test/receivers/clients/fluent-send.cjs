// Sends events with npm fluent-logger (the real client): node fluent-send.cjs MODE PORT COUNT [ack] [evt] [tls] [key=SHAREDKEY]
// MODE: Message | PackedForward | CompressedPackedForward. Waits for every emit callback (with
// ack: the server's {"ack": chunk}), prints "sent N", exits 0; any client error exits 1.
const logger = require("fluent-logger");
const [mode, port, count, ...flags] = process.argv.slice(2);
const key = flags.find((f) => f.startsWith("key="))?.slice(4);
const sender = logger.createFluentSender("app", {
  host: "127.0.0.1",
  port: Number(port),
  timeout: 5.0,
  reconnectInterval: 600000,
  eventMode: mode,
  requireAckResponse: flags.includes("ack"),
  ackResponseTimeout: 10000,
  flushInterval: 20,
  ...(key ? { security: { clientHostname: "fluent-client", sharedKey: key } } : {}),
  ...(flags.includes("tls") ? { tls: true, tlsOptions: { rejectUnauthorized: false } } : {}),
});
sender.on("error", (e) => {
  console.error("client error", e.message);
  process.exit(1);
});
const n = Number(count);
let done = 0;
for (let i = 0; i < n; i++) {
  const record = i % 3 === 0 ? { message: `event ${i}`, i, nested: { a: [1, i] } } : i % 3 === 1 ? { log: `event ${i}`, level: "info" } : { other: `event ${i}`, ok: true };
  const cb = (err) => {
    if (err) {
      console.error("emit failed", err.message);
      process.exit(1);
    }
    if (++done === n) {
      console.log(`sent ${n}`);
      sender.end();
      process.exit(0);
    }
  };
  if (flags.includes("evt")) sender.emit("access", record, new logger.EventTime(1795726040 + i, 123456789), cb);
  else sender.emit("access", record, cb);
}
setTimeout(() => {
  console.error(`timeout: ${done}/${n} callbacks`);
  process.exit(2);
}, 20000);
