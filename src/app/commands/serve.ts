/**
 * `gastrolog serve`: runs the engine as a long-lived service (see app/server/server.ts) until
 * SIGTERM/SIGINT or a Shutdown RPC, then shuts down gracefully and returns 0; a second signal
 * returns 1 at once (main exits, recovery on the next start repairs anything unfinished).
 * Under systemd (Type=notify) it sends READY=1 once /readyz would say ready, STOPPING=1 on drain.
 * Implementation: serve-run.ts.
 */

import { LOG_LEVELS } from "../../observability/logger.ts";
import { lazyRun, type Command } from "../cli/command.ts";
import { DATA_FLAG } from "../cli/common-flags.ts";
import { DEFAULT_LISTEN } from "../server/defaults.ts";

export const serveCommand: Command = {
  name: "serve",
  summary: "Run the server: the Connect/gRPC API on a Unix socket and HTTP.",
  usage: "[--config FILE] [--data DIR] [--socket PATH] [--listen HOST:PORT] [--receiver TYPE=URL]... [--demo] [FLAGS]",
  details:
    "Serves gRPC, Connect and gRPC-Web over HTTP/1.1 and h2c on --listen and on the Unix socket\n" +
    "(mode 0600). GET /healthz answers while the process runs; GET /readyz is 200 once the\n" +
    "stores are open and every receiver tried to bind once (a failed bind is logged, shown in\n" +
    "status and retried with backoff), 503 while starting or draining. SIGTERM/SIGINT drain and\n" +
    "exit 0; a second signal exits at once. The configuration is versioned in\n" +
    "<data>/config.sqlite and changed live with `gastrolog config` (docs/config.md); the data\n" +
    "directory is locked while the server runs. Flags given here win over the config's server\n" +
    "settings. --receiver adds a receiver for this run only (not stored in the config), e.g.\n" +
    "  --receiver syslog=udp://127.0.0.1:5514 --receiver syslog=tcp://127.0.0.1:5514\n" +
    "  --receiver relp=tcp://127.0.0.1:2514 --receiver gelf=udp://127.0.0.1:12201\n" +
    "  --receiver http=http://127.0.0.1:3100 --receiver fluent=tcp://127.0.0.1:24224\n" +
    "  --receiver beats=tcp://127.0.0.1:5044 --receiver otlp=http://127.0.0.1:4318\n" +
    "  --receiver otlp=grpc://127.0.0.1:4317   (port 0 = any)\n" +
    "  --receiver 'kafka=kafka://k1:9092,k2:9092/logs?group=gastrolog&start=earliest'\n" +
    "and local sources (query parameters are options):\n" +
    "  --receiver 'tail=file:///var/log/app/*.log?start=beginning'\n" +
    "  --receiver docker=unix:///var/run/docker.sock  --receiver 'docker=file:///var/lib/docker/containers'\n" +
    "  --receiver 'kubernetes=file:///var/log/pods'  --receiver journald=journalctl  --receiver 'journald=file:///var/log/journal'\n" +
    "Security (docs/security.md): tokens are demanded on the HTTP listener with --auth, and by\n" +
    "default when it is not loopback-only; serving beyond loopback without them needs\n" +
    "--insecure-no-auth. --tls-cert/--tls-key serve HTTPS, --tls-client-ca adds mTLS.\n" +
    "GET /metrics serves Prometheus metrics (server.metrics: open, token or off).",
  flags: [
    { name: "config", short: "c", kind: "string", value: "FILE", description: "Config file (JSON or TOML, docs/config.md): applied at start when it differs, then re-applied whenever it changes." },
    DATA_FLAG,
    { name: "socket", kind: "string", value: "PATH", description: "Unix socket for gRPC (the CLI and REPL); 'off' disables.", default: "config server.socket, else <data>/gastrolog.sock" },
    { name: "listen", short: "l", kind: "string", value: "HOST:PORT", description: "HTTP listener (port 0 picks a free port); 'off' disables.", default: `config server.listen, else ${DEFAULT_LISTEN}` },
    { name: "auth", kind: "boolean", description: "Demand API tokens on the HTTP listener (server.auth: true; create them with 'gastrolog token create')." },
    { name: "insecure-no-auth", kind: "boolean", description: "Serve the API beyond loopback without tokens (refused otherwise)." },
    { name: "tls-cert", kind: "string", value: "FILE", description: "PEM certificate (chain) of the HTTP listener: serve HTTPS; reloaded when the file changes.", default: "config server.tls.cert" },
    { name: "tls-key", kind: "string", value: "FILE", description: "PEM private key of --tls-cert.", default: "config server.tls.key" },
    { name: "tls-client-ca", kind: "string", value: "FILE", description: "CA bundle for client certificates (mTLS; implies --tls-client-auth require).", default: "config server.tls.ca" },
    { name: "tls-client-auth", kind: "string", value: "require|request|none", description: "require: refuse clients without a certificate signed by the CA; request: verify one when given.", default: "config server.tls.clientAuth (none)" },
    { name: "metrics-listen", kind: "string", value: "HOST:PORT", description: "Also serve GET /metrics (Prometheus) on a listener of its own; 'off' disables.", default: "config server.metricsListen (none; /metrics is on --listen)" },
    { name: "receiver", kind: "list", value: "TYPE=URL", description: "Run a receiver (syslog, relp, gelf, http, fluent, beats, otlp on udp://, tcp://, tls://, http://, https://, grpc://, grpcs://; kafka on kafka://BROKERS/TOPICS; tail, docker, kubernetes, journald on file://, unix:// or journalctl; several URLs joined by commas); not stored in the config." },
    { name: "demo", kind: "boolean", description: "Add the chatterbox demo receiver (its records are routed like any receiver's)." },
    { name: "log-level", kind: "string", value: "LEVEL", description: `One of ${LOG_LEVELS.join(", ")}.`, default: "config server.logLevel (info)" },
    { name: "log-format", kind: "string", value: "text|json", description: "Log line format on stderr.", default: "text" },
    { name: "shutdown-timeout", kind: "string", value: "DURATION", description: "How long a graceful shutdown waits for requests in flight.", default: "config server.shutdownTimeout (30s)" },
  ],
  run: lazyRun(() => import("./serve-run.ts")),
};
