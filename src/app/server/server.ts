/**
 * `gastrolog serve` composed: the data-dir lock is taken and held for the process lifetime
 * (CLI writes on --data are refused; the CLI talks to this server instead), the config store
 * `<data>/config.sqlite` opens (with --config FILE applied first when it differs, then
 * watched), listeners (TCP HTTP/1.1 + h2c, Unix socket, the optional metrics listener) come up
 * and answer /healthz at once and /readyz with 503 while the stores open; then the Connect
 * routes go live. /metrics serves the server's Prometheus metrics (plain-endpoints.ts). Every
 * RPC passes the auth interceptor (api/auth.ts): tokens from <data>/config.sqlite, the policy
 * from auth-setup.ts, connection facts (listener, client certificate, socket uid) from
 * api-listeners.ts.
 *
 * Shutdown order (shutdown(), SIGTERM/SIGINT): draining (readyz 503, Follow streams end with
 * UNAVAILABLE, API appends refused) -> stop accepting connections, GOAWAY to HTTP/2 clients ->
 * wait for RPCs in flight until the deadline, then cancel the rest with UNAVAILABLE -> stop
 * receivers (listeners and their connections close; RELP/HTTP clients get no ack for what is
 * not yet durable) -> drain the ingest pipeline (everything queued, so everything acked, is
 * durable) and let appends settle -> flush + fsync active chunks, finish seals -> close stores
 * -> close the config store, remove server.json, release the data-dir lock.
 */

import { mkdirSync } from "node:fs";
import { Code, ConnectError } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { authInterceptor, connectionKey } from "../../api/auth.ts";
import type { LocalHost } from "../../api/local-host.ts";
import { peerValues } from "../../api/peer.ts";
import { queryObserver } from "../../api/query-observer.ts";
import { registerServicesWithReflection } from "../../api/reflection.ts";
import { routerOptions } from "../../api/router-options.ts";
import { applyFileIfChanged, watchConfigFile } from "../../config/file.ts";
import { shutdownTimeoutMs } from "../../config/runtime.ts";
import type { ReceiverEntry, ServerConfig } from "../../config/schema.ts";
import { configDbPath, openSqliteConfigStore, type SqliteConfigStore } from "../../config/sqlite-store.ts";
import { errorMessage, LogError } from "../../core/errors.ts";
import type { Logger } from "../../observability/logger.ts";
import { Metrics } from "../../observability/metrics.ts";
import { registerSources } from "../../observability/metrics-sources.ts";
import { Authenticator, bearerToken } from "../../security/authenticate.ts";
import { TokenStore } from "../../security/token-store.ts";
import { acquireLock, type DirLock } from "../../storage/file/lock.ts";
import { configStoreOptions } from "./receiver-config.ts";
import { connectionOf, openApiListeners, type ApiListeners } from "./api-listeners.ts";
import { apiTls, authPolicy, type AuthFlags } from "./auth-setup.ts";
import { defaultSocketPath } from "./defaults.ts";
import { openEngine, type Engine } from "./engine.ts";
import type { RequestHandler } from "./frontend.ts";
import { hostSources } from "./observe.ts";
import { plainEndpoints } from "./plain-endpoints.ts";
import { RequestTracker } from "./requests.ts";
import { removeServerInfo, writeServerInfo } from "./server-info.ts";
import { warmQueryPath } from "./query-warmup.ts";
import { warmConnectionPath } from "./connection-warmup.ts";
import { searchSource } from "../search-source.ts";

/** Time before ready spent opening the newest chunks' segments and token heads (engine.openNewest). */
const PRE_READY_WARM_MS = 25;
/** Longest the background index warm-up waits for requests in flight before each chunk (a follow stays open). */
const WARMUP_IDLE_WAIT_MS = 250;

export interface ServeOptions extends AuthFlags {
  dataDir: string;
  /** Declarative config file applied at start (when it differs) and watched. */
  configFile?: string;
  /** Unix socket path, "off" = none; undefined = the config's server.socket (or the default). */
  socket?: string;
  /** TCP HOST:PORT, "off" = none; undefined = the config's server.listen. */
  listen?: string;
  /** A listener for /metrics only (HOST:PORT, "off" = none); undefined = server.metricsListen. */
  metricsListen?: string;
  demo: boolean;
  /** Receivers from `--receiver` flags: run beside the config's, never stored in it. */
  receivers?: readonly ReceiverEntry[];
  /** undefined = the config's server.shutdownTimeout. */
  shutdownTimeoutMs?: number;
  logger: Logger;
  /** Told the server settings of each applied config version (e.g. to follow logLevel). */
  onServerSettings?: (s: ServerConfig) => void;
  /** Told once when a shutdown starts, whoever asked (signal, Shutdown RPC, a caller). */
  onShuttingDown?: (reason: string) => void;
  /** Config watch poll period (default 500 ms; the file watch uses 1 s). */
  pollMs?: number;
  retentionIntervalMs?: number;
}

export interface RunningServer {
  readonly host: LocalHost;
  /** Bound "host:port" of the HTTP listener, when there is one. */
  readonly http?: string;
  /** Bound "host:port" of the metrics listener, when there is one. */
  readonly metrics?: string;
  readonly socket?: string;
  /** True when the HTTP listener demands tokens. */
  readonly auth: boolean;
  /** True when the HTTP listener speaks TLS. */
  readonly tls: boolean;
  /** Graceful shutdown (see the header); idempotent, resolves when the stores are closed. */
  shutdown(reason: string): Promise<void>;
  /** Resolves when a shutdown requested through the API (LifecycleService.Shutdown) finished. */
  readonly stopped: Promise<void>;
}

function text(res: Parameters<RequestHandler>[1], status: number, body: string): void {
  res.statusCode = status;
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.end(body);
}

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const log = o.logger.child("server");
  const cancel = new AbortController();
  const tracker = new RequestTracker();
  let engine: Engine | undefined;
  let rpc: ReturnType<typeof connectNodeAdapter> | undefined;
  let metrics: Metrics | undefined;
  let authenticator: Authenticator | undefined;
  let tokens: TokenStore | undefined;
  let metricsAccess: "open" | "token" | "off" = "off";
  /** /metrics with server.metrics "token": any valid token. */
  const authorizeMetrics = async (req: Parameters<RequestHandler>[0]): Promise<string | undefined> => {
    const bearer = bearerToken(req.headers.authorization);
    if (bearer === undefined) return "/metrics needs a token: Authorization: Bearer <token>";
    const t = tokens?.verify(bearer) ?? "unknown";
    return t === "unknown" ? "unknown or revoked token" : t === "expired" ? "expired token" : undefined;
  };
  const endpoints = {
    phase: () => engine?.host.phase() ?? "starting",
    get metrics() {
      return metrics;
    },
    get metricsAccess() {
      return metricsAccess;
    },
    authorize: authorizeMetrics,
  };
  const plain = plainEndpoints(endpoints);
  const metricsOnly = plainEndpoints(endpoints, true);
  const handler: RequestHandler = (req, res) => {
    if (plain(req, res)) return;
    if (!rpc) return text(res, 503, "starting\n");
    tracker.begin();
    res.once("close", tracker.end);
    rpc(req as never, res as never);
  };
  let listeners: ApiListeners | undefined;
  let shutting: Promise<void> | undefined;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  let lock: DirLock | undefined;
  let cfg: SqliteConfigStore | undefined;
  let stopFileWatch: (() => void) | undefined;
  const releaseAll = () => {
    stopFileWatch?.();
    tokens?.close();
    cfg?.close();
    if (lock) removeServerInfo(o.dataDir);
    lock?.release();
  };

  let timeoutMs = 0;
  let tlsOn = false;
  try {
    mkdirSync(o.dataDir, { recursive: true });
    lock = acquireLock(o.dataDir);
    cfg = openSqliteConfigStore(configDbPath(o.dataDir), { ...configStoreOptions(), pollMs: o.pollMs, onListenerError: (err) => log.error(`config listener failed: ${errorMessage(err)}`) });
    tokens = TokenStore.open(configDbPath(o.dataDir));
    const store = cfg;
    if (o.configFile !== undefined) {
      const r = applyFileIfChanged(store, o.configFile, { author: `file:${o.configFile}` });
      log.info(r.changed ? "config file applied" : "config file unchanged", { file: o.configFile, version: r.version.version });
    }
    const settings = store.current().config.server;
    o.onServerSettings?.(settings);
    timeoutMs = o.shutdownTimeoutMs ?? shutdownTimeoutMs(store.current().config);
    const listen = o.listen ?? (settings.listen || "off");
    const socket = o.socket ?? (settings.socket || defaultSocketPath(o.dataDir));
    const policy = authPolicy(settings, o, listen);
    authenticator = new Authenticator(tokens, policy);
    const tls = listen === "off" ? undefined : apiTls(settings, o);
    tlsOn = tls !== undefined;
    metricsAccess = settings.metrics;
    if (metricsAccess !== "off") metrics = new Metrics();
    const metricsListen = o.metricsListen ?? (settings.metricsListen || "off");
    if (metricsListen !== "off" && !metrics) throw new LogError("invalid_argument", `a metrics listener (${metricsListen}) needs server.metrics "open" or "token", not "off"`);
    listeners = await openApiListeners({
      http: listen === "off" ? undefined : listen,
      tls,
      socket: socket === "off" ? undefined : socket,
      metrics: metricsListen === "off" ? undefined : metricsListen,
      handler,
      metricsHandler: (req, res) => void (metricsOnly(req, res) || text(res, 404, "this listener serves GET /metrics only\n")),
      onTlsReject: (r) => {
        metrics?.tlsRejected.inc({ listener: "api", reason: r.reason });
        log.warn(`TLS client refused: ${r.message}`, { remote: r.remote, reason: r.reason });
      },
      log,
    });
    writeServerInfo(o.dataDir, { socket: listeners.socket ?? "", http: listeners.http ?? "", tls: tlsOn });
    log.info("listening", { http: listeners.http, socket: listeners.socket, metrics: listeners.metrics, tls: tlsOn, auth: policy.http, socket_auth: policy.socket });
    engine = await openEngine({
      dataDir: o.dataDir,
      config: store,
      logger: o.logger,
      demo: o.demo,
      fixedReceivers: o.receivers,
      retentionIntervalMs: o.retentionIntervalMs,
      whenIdle: () => tracker.idle(WARMUP_IDLE_WAIT_MS),
      onShutdownRequest: (reason) => void shutdown(reason).then(resolveStopped),
      onApplied: () => o.onServerSettings?.(store.current().config.server),
      metrics,
      tokens,
    });
    if (metrics) registerSources(metrics, hostSources(engine.host));
    if (o.configFile !== undefined) {
      const file = o.configFile;
      stopFileWatch = watchConfigFile(store, file, {
        author: `file:${file}`,
        onApplied: (v) => log.info("config file changed on disk, applied", { file, version: v.version }),
        onError: (err) => log.error(`config file ${file} not applied (the running config stays): ${errorMessage(err)}`, { file }),
      });
    }
  } catch (err) {
    listeners?.close();
    listeners?.destroyAll();
    releaseAll();
    throw err;
  }
  const host = engine.host;
  const interceptors = [authInterceptor(authenticator, metrics), queryObserver({ metrics, telemetry: engine.telemetry })];
  rpc = connectNodeAdapter({
    routes: (router) => registerServicesWithReflection(router, host),
    ...routerOptions(cancel.signal, interceptors),
    contextValues: (req) => peerValues(req.socket).set(connectionKey, connectionOf(req)),
  });
  // Before ready, so a Search right after it does not meet them cold: the query path's code
  // (one in-process Search of a private one-record store, ~10-15 ms) and, within a budget that
  // keeps time-to-ready short, the newest chunks' segments and token heads; the rest of the
  // warm-up runs in the background after ready.
  const warmed = await warmQueryPath({ version: host.version(), source: searchSource });
  if (warmed.error === undefined) log.debug(`query path warmed up in ${Math.round(warmed.millis)} ms`);
  else log.warn(`query path warm-up failed: ${warmed.error}`);
  await engine.openNewest(PRE_READY_WARM_MS);
  engine.start();
  log.info("ready", { startup_ms: Math.round(performance.now()), stores: host.stores().length, receivers: host.receivers().length, demo: o.demo });
  const open = listeners;
  // Nor its connection the first run of the server's HTTP/2, adapter and auth code.
  if (open.socket !== undefined && admitsOwnUid(authenticator)) {
    void warmConnectionPath(open.socket).then((r) => (r.error === undefined ? log.debug(`connection path warmed up in ${Math.round(r.millis)} ms`) : log.warn(`connection path warm-up failed: ${r.error}`)));
  }

  function shutdown(reason: string): Promise<void> {
    shutting ??= (async () => {
      o.onShuttingDown?.(reason);
      const t0 = performance.now();
      log.info("shutting down", { reason, timeout_ms: timeoutMs });
      host.beginDrain();
      open.close();
      open.drain();
      stopFileWatch?.();
      if (!(await tracker.idle(timeoutMs))) {
        log.warn("cancelling requests still running at the shutdown deadline", { requests: tracker.count });
        cancel.abort(new ConnectError("server is shutting down", Code.Unavailable));
        await tracker.idle(1000);
      }
      open.destroyAll();
      await engine!.close();
      releaseAll();
      log.info("stopped", { shutdown_ms: Math.round(performance.now() - t0) });
    })();
    return shutting;
  }

  return { host, http: open.http, socket: open.socket, metrics: open.metrics, auth: authenticator.policy.http, tls: tlsOn, shutdown, stopped };
}

/** True when the Unix socket admits this process's own uid without a token (the connection warm-up's call). */
function admitsOwnUid(auth: Authenticator): boolean {
  try {
    auth.authenticate({ listener: "unix", uid: process.getuid?.() });
    return true;
  } catch {
    return false;
  }
}
