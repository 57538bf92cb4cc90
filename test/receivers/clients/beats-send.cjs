// Sends events with npm lumberjack-client (the only Lumberjack v2 client on npm; it never reads
// acks): node beats-send.cjs PORT COUNT [tls]. The events logged before the connection is up go
// out as one window (zlib-compressed), each later one as a window of its own; the socket is then
// ended and the script exits once it closes, so every byte reached the server. The client leaves
// the acks unread, which would hold back the close: they are drained here.
const Client = require("lumberjack-client");
const [port, count, tls] = process.argv.slice(2);
const n = Number(count);
const c = new Client({ host: "127.0.0.1", port: Number(port), rejectUnauthorized: false }, tls === "tls");
const event = (i) => ({ message: `beat event ${i}`, "@timestamp": new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)).toISOString(), host: { name: "client-host" }, fields: { i } });
const early = Math.ceil(n / 2);
for (let i = 0; i < early; i++) c.log(event(i));
const timer = setInterval(() => {
  if (!c.connected) return;
  clearInterval(timer);
  c.socket.on("data", () => {});
  setTimeout(() => {
    for (let i = early; i < n; i++) c.log(event(i));
    c.socket.on("close", () => process.exit(0));
    c.socket.end();
  }, 50);
}, 5);
setTimeout(() => {
  console.error("timeout");
  process.exit(2);
}, 15000);
