/** `gastrolog serve` at work (the command and its flags: serve.ts). */

import { errorMessage } from "../../core/errors.ts";
import { durationError, parseDuration } from "../../core/duration.ts";
import { createLogger, isLogLevel, LOG_LEVELS, type LogLevel } from "../../observability/logger.ts";
import { stringFlag } from "../cli/args.ts";
import { UsageError, type Command } from "../cli/command.ts";
import { startupDone } from "../cli/jit.ts";
import { defaultDataDir } from "../paths.ts";
import type { ReceiverEntry } from "../../config/schema.ts";
import { receiverFlagConfigs } from "../server/receiver-config.ts";
import { sdNotify } from "../server/sd-notify.ts";
import { startServer, type RunningServer } from "../server/server.ts";
import { CLIENT_AUTH } from "../../config/schema.ts";

function isClientAuth(s: string): s is (typeof CLIENT_AUTH)[number] {
  return (CLIENT_AUTH as readonly string[]).includes(s);
}

export const run: Command["run"] = async (args, io) => {
  const flagLevel = stringFlag(args, "log-level");
  if (flagLevel !== undefined && !isLogLevel(flagLevel)) throw new UsageError(`flag --log-level must be one of ${LOG_LEVELS.join(", ")} (got '${flagLevel}')`);
  const format = stringFlag(args, "log-format", "text")!;
  if (format !== "text" && format !== "json") throw new UsageError(`flag --log-format must be text or json (got '${format}')`);
  const timeoutFlag = stringFlag(args, "shutdown-timeout");
  const timeout = timeoutFlag === undefined ? undefined : parseDuration(timeoutFlag);
  if (timeoutFlag !== undefined && timeout === undefined) throw new UsageError(durationError("flag --shutdown-timeout", timeoutFlag));
  let receivers: ReceiverEntry[];
  try {
    receivers = receiverFlagConfigs((args.flags.receiver as string[] | undefined) ?? []);
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  const dataDir = stringFlag(args, "data") ?? defaultDataDir(io.env);
  if (args.flags.auth === true && args.flags["insecure-no-auth"] === true) throw new UsageError("--auth and --insecure-no-auth contradict each other");
  const clientAuth = stringFlag(args, "tls-client-auth");
  if (clientAuth !== undefined && !isClientAuth(clientAuth)) throw new UsageError(`flag --tls-client-auth must be require, request or none (got '${clientAuth}')`);
  const tls = { cert: stringFlag(args, "tls-cert"), key: stringFlag(args, "tls-key"), ca: stringFlag(args, "tls-client-ca"), clientAuth };
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
      metricsListen: stringFlag(args, "metrics-listen"),
      auth: args.flags.auth === true ? true : undefined,
      insecureNoAuth: args.flags["insecure-no-auth"] === true,
      tls: Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== undefined)),
      demo: args.flags.demo === true,
      receivers,
      shutdownTimeoutMs: timeout === undefined ? undefined : timeout / 1000,
      logger,
      onServerSettings: (s) => {
        if (flagLevel === undefined) level = s.logLevel;
      },
      onShuttingDown: () => notify("STOPPING=1"),
    });
  } catch (err) {
    log.error(`cannot start: ${errorMessage(err)}`);
    return 1;
  }
  notify(`READY=1\nMAINPID=${process.pid}`);
  startupDone();
  if (pending) void stop(pending);
  void server.stopped.then(() => exit(0));
  return exited;
};
