/**
 * `gastrolog serve`: runs the engine as a long-lived service (see app/server/server.ts) until
 * SIGTERM/SIGINT or a Shutdown RPC, then shuts down gracefully and returns 0; a second signal
 * returns 1 at once (main exits, recovery on the next start repairs anything unfinished).
 * Under systemd (Type=notify) it sends READY=1 once /readyz would say ready, STOPPING=1 on drain.
 */

import { errorMessage } from "../../core/errors.ts";
import { parseGoDuration } from "../../core/duration.ts";
import { createLogger, isLogLevel, LOG_LEVELS, type LogLevel } from "../../observability/logger.ts";
import { stringFlag } from "../cli/args.ts";
import { UsageError, type Command } from "../cli/command.ts";
import { DATA_FLAG } from "../cli/common-flags.ts";
import { defaultDataDir } from "../paths.ts";
import type { ReceiverConfig } from "../../config/schema.ts";
import { DEFAULT_LISTEN } from "../server/defaults.ts";
import { receiverFlagConfigs } from "../server/receiver-config.ts";
import { sdNotify } from "../server/sd-notify.ts";
import { startServer, type RunningServer } from "../server/server.ts";

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
    "  --receiver beats=tcp://127.0.0.1:5044   (port 0 = any)\n" +
    "and local sources (query parameters are options):\n" +
    "  --receiver 'tail=file:///var/log/app/*.log?start=beginning'\n" +
    "  --receiver docker=unix:///var/run/docker.sock  --receiver 'docker=file:///var/lib/docker/containers'\n" +
    "  --receiver 'kubernetes=file:///var/log/pods'  --receiver journald=journalctl  --receiver 'journald=file:///var/log/journal'",
  flags: [
    { name: "config", short: "c", kind: "string", value: "FILE", description: "Config file (JSON or TOML, docs/config.md): applied at start when it differs, then re-applied whenever it changes." },
    DATA_FLAG,
    { name: "socket", kind: "string", value: "PATH", description: "Unix socket for gRPC (the CLI and REPL); 'off' disables.", default: "config server.socket, else <data>/gastrolog.sock" },
    { name: "listen", short: "l", kind: "string", value: "HOST:PORT", description: "HTTP listener (port 0 picks a free port); 'off' disables.", default: `config server.listen, else ${DEFAULT_LISTEN}` },
    { name: "receiver", kind: "list", value: "TYPE=URL", description: "Run a receiver (syslog, relp, gelf, http, fluent, beats on udp://, tcp://, tls://, http://, https://; tail, docker, kubernetes, journald on file://, unix:// or journalctl; several URLs joined by commas); not stored in the config." },
    { name: "demo", kind: "boolean", description: "Add the chatterbox demo receiver (its records are routed like any receiver's)." },
    { name: "log-level", kind: "string", value: "LEVEL", description: `One of ${LOG_LEVELS.join(", ")}.`, default: "config server.logLevel (info)" },
    { name: "log-format", kind: "string", value: "text|json", description: "Log line format on stderr.", default: "text" },
    { name: "shutdown-timeout", kind: "string", value: "DURATION", description: "How long a graceful shutdown waits for requests in flight.", default: "config server.shutdownTimeout (30s)" },
  ],
  async run(args, io) {
    const flagLevel = stringFlag(args, "log-level");
    if (flagLevel !== undefined && !isLogLevel(flagLevel)) throw new UsageError(`flag --log-level must be one of ${LOG_LEVELS.join(", ")} (got '${flagLevel}')`);
    const format = stringFlag(args, "log-format", "text")!;
    if (format !== "text" && format !== "json") throw new UsageError(`flag --log-format must be text or json (got '${format}')`);
    const timeoutFlag = stringFlag(args, "shutdown-timeout");
    const timeout = timeoutFlag === undefined ? undefined : parseGoDuration(timeoutFlag);
    if (timeoutFlag !== undefined && timeout === undefined) throw new UsageError(`flag --shutdown-timeout needs a duration like 10s or 500ms`);
    let receivers: ReceiverConfig[];
    try {
      receivers = receiverFlagConfigs((args.flags.receiver as string[] | undefined) ?? []);
    } catch (err) {
      throw new UsageError(errorMessage(err));
    }
    const dataDir = stringFlag(args, "data") ?? defaultDataDir(io.env);
    // The level follows the config's server.logLevel (live) unless --log-level pins it.
    let level: LogLevel = (flagLevel as LogLevel | undefined) ?? "info";
    const logger = createLogger({ level: () => level, format, write: io.stderr });
    const log = logger.child("serve");
    // Signals are handled from the start: one that arrives while the stores open shuts the
    // server down right after it came up; a second one exits at once.
    let server: RunningServer | undefined;
    let pending: string | undefined;
    let signals = 0;
    let exit!: (code: number) => void;
    const exited = new Promise<number>((r) => (exit = r));
    const notify = (state: string) => {
      const err = sdNotify(state, io.env);
      if (err) log.warn(`systemd notification ${state} not sent: ${err}`);
    };
    const stop = (reason: string) => {
      notify("STOPPING=1");
      return server!.shutdown(reason).then(
        () => exit(0),
        (err) => {
          log.error(`shutdown failed: ${errorMessage(err)}`);
          exit(1);
        },
      );
    };
    const onSignal = (sig: string) => {
      if (++signals > 1) {
        log.warn(`second ${sig}: exiting without finishing the shutdown`);
        return exit(1);
      }
      if (server) void stop(sig);
      else pending = sig;
    };
    process.on("SIGTERM", () => onSignal("SIGTERM"));
    process.on("SIGINT", () => onSignal("SIGINT"));
    try {
      server = await startServer({
        dataDir,
        configFile: stringFlag(args, "config"),
        socket: stringFlag(args, "socket"),
        listen: stringFlag(args, "listen"),
        demo: args.flags.demo === true,
        receivers,
        shutdownTimeoutMs: timeout === undefined ? undefined : timeout / 1000,
        logger,
        onServerSettings: (s) => {
          if (flagLevel === undefined) level = s.logLevel;
        },
      });
    } catch (err) {
      log.error(`cannot start: ${errorMessage(err)}`);
      return 1;
    }
    notify(`READY=1\nMAINPID=${process.pid}`);
    if (pending) void stop(pending);
    void server.stopped.then(() => exit(0));
    return exited;
  },
};
