// Drives the npm gelf-pro client against 127.0.0.1:PORT: `bun gelf-send.cjs udp|tcp PORT`.
// Sends a small message and a ~4000-char incompressible one (chunked over UDP).
const crypto = require("crypto");
const log = require("gelf-pro");
const [adapter, port] = [process.argv[2], Number(process.argv[3])];
const big = crypto.randomBytes(3000).toString("base64");
log.setConfig({
  fields: { facility: "peers", env: "test" },
  adapterName: adapter,
  adapterOptions: { host: "127.0.0.1", port, family: 4, protocol: "udp4" },
});
log.info("gelf-pro small message", { user_id: 42 }, (err) => {
  if (err) throw err;
  log.error("gelf-pro big message", { big }, (err2) => {
    if (err2) throw err2;
    process.exit(0);
  });
});
