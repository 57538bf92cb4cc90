/**
 * `gastrolog serve` composed: listeners (TCP HTTP/1.1 + h2c, Unix socket) come up first and
 * answer /healthz at once and /readyz with 503 while the stores open; then the Connect routes
 * (Connect, gRPC, gRPC-Web) go live and the host turns ready.
 *
 * Shutdown order (shutdown(), SIGTERM/SIGINT): draining (readyz 503, Follow streams end with
 * UNAVAILABLE, API appends refused) -> stop accepting connections, GOAWAY to HTTP/2 clients ->
 * wait for RPCs in flight until the deadline, then cancel the rest with UNAVAILABLE -> stop
 * receivers, let appends settle -> flush + fsync active chunks, finish seals -> close stores.
 */

import { mkdirSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import net from "node:net";
import { Code, ConnectError } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { LocalHost } from "../../api/local-host.ts";
import { registerServices, routerOptions } from "../../api/routes.ts";
import type { Logger } from "../../observability/logger.ts";
import type { BootConfig } from "./boot-config.ts";
import { openEngine, type Engine } from "./engine.ts";
import { Frontend, type RequestHandler } from "./frontend.ts";
import { listenTcp, listenUnix } from "./listen.ts";
import { RequestTracker } from "./requests.ts";

export interface ServeOptions {
  dataDir: string;
  config: BootConfig;
  /** Unix socket path; undefined = no socket. */
  socket?: string;
  /** TCP HOST:PORT; undefined = no TCP listener. */
  listen?: string;
  demo: boolean;
  shutdownTimeoutMs: number;
  logger: Logger;
}

export interface RunningServer {
  readonly host: LocalHost;
  /** Bound "host:port" of the HTTP listener, when there is one. */
  readonly http?: string;
  readonly socket?: string;
  /** Graceful shutdown (see the header); idempotent, resolves when the stores are closed. */
  shutdown(reason: string): Promise<void>;
  /** Resolves when a shutdown requested through the API (LifecycleService.Shutdown) finished. */
  readonly stopped: Promise<void>;
}

function text(res: Parameters<RequestHandler>[1], status: number, body: string): void {
  res.statusCode = status;
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.setHeader("cache-control", "no-store");
  res.end(body);
}

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const log = o.logger.child("server");
  const cancel = new AbortController();
  const tracker = new RequestTracker();
  let engine: Engine | undefined;
  let rpc: ReturnType<typeof connectNodeAdapter> | undefined;
  const handler: RequestHandler = (req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "GET" && path === "/healthz") return text(res, 200, "ok\n");
    if (req.method === "GET" && path === "/readyz") {
      const phase = engine?.host.phase() ?? "starting";
      return text(res, phase === "ready" ? 200 : 503, `${phase}\n`);
    }
    if (!rpc) return text(res, 503, "starting\n");
    tracker.begin();
    res.once("close", tracker.end);
    rpc(req as never, res as never);
  };
  const frontend = new Frontend(handler);
  const servers: net.Server[] = [];
  const listeners: { http?: string; socket?: string } = {};
  let shutting: Promise<void> | undefined;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));

  const closeListeners = () => {
    for (const s of servers) s.close();
    if (listeners.socket) {
      try {
        unlinkSync(listeners.socket);
      } catch {
        // already gone
      }
    }
  };

  try {
    mkdirSync(o.dataDir, { recursive: true });
    if (o.listen !== undefined) {
      const s = net.createServer(frontend.accept);
      servers.push(s);
      listeners.http = await listenTcp(s, o.listen);
    }
    if (o.socket !== undefined) {
      mkdirSync(dirname(o.socket), { recursive: true });
      const s = net.createServer(frontend.accept);
      servers.push(s);
      await listenUnix(s, o.socket);
      listeners.socket = o.socket;
    }
    log.info("listening", { http: listeners.http, socket: listeners.socket });
    engine = await openEngine({ dataDir: o.dataDir, config: o.config, logger: o.logger, demo: o.demo, onShutdownRequest: (reason) => void shutdown(reason).then(resolveStopped) });
  } catch (err) {
    closeListeners();
    frontend.destroyAll();
    throw err;
  }
  const host = engine.host;
  rpc = connectNodeAdapter({ routes: (router) => registerServices(router, host), ...routerOptions(cancel.signal) });
  engine.start();
  log.info("ready", { startup_ms: Math.round(performance.now()), stores: host.stores().length, demo: o.demo });

  function shutdown(reason: string): Promise<void> {
    shutting ??= (async () => {
      const t0 = performance.now();
      log.info("shutting down", { reason, timeout_ms: o.shutdownTimeoutMs });
      host.beginDrain();
      closeListeners();
      frontend.drain();
      if (!(await tracker.idle(o.shutdownTimeoutMs))) {
        log.warn("cancelling requests still running at the shutdown deadline", { requests: tracker.count });
        cancel.abort(new ConnectError("server is shutting down", Code.Unavailable));
        await tracker.idle(1000);
      }
      frontend.destroyAll();
      await engine!.close();
      log.info("stopped", { shutdown_ms: Math.round(performance.now() - t0) });
    })();
    return shutting;
  }

  return { host, ...listeners, shutdown, stopped };
}
