/**
 * The server's listeners: HTTP (plain, or TLS with ALPN h2/http1.1 and optional mTLS; the
 * certificate files are reloaded when they change), the Unix socket (mode 0600; the peer uid
 * is read with SO_PEERCRED) and an optional /metrics-only listener. Every accepted connection
 * is tagged with what authentication needs to know about it (which listener, the verified
 * client certificate's subjects, the peer uid) before HTTP parsing starts; connectionOf(req)
 * reads the tag back (it survives node:http2's socket proxy). Refused TLS clients are reported.
 */

import { mkdirSync, unlinkSync, unwatchFile, watchFile } from "node:fs";
import net from "node:net";
import { dirname } from "node:path";
import tls from "node:tls";
import type { Credentials } from "../../security/authenticate.ts";
import { peerUid } from "../../security/peer-cred.ts";
import { guardNodeTls, loadTls, type Rejection, type TlsFiles } from "../../security/tls.ts";
import { errorMessage } from "../../core/errors.ts";
import type { Logger } from "../../observability/logger.ts";
import { Frontend, type RequestHandler } from "./frontend.ts";
import { listenTcp, listenUnix } from "./listen.ts";

/** What the server knows about a connection before a request arrives. */
export type ConnectionFacts = Omit<Credentials, "bearer">;

const CONNECTION = Symbol("gastrolog.connection");

/** The facts of the connection `req` arrived on (undefined for untagged sockets). */
export function connectionOf(req: { socket?: unknown }): ConnectionFacts | undefined {
  return (req.socket as { [CONNECTION]?: ConnectionFacts } | undefined)?.[CONNECTION];
}

function tag(sock: net.Socket, facts: ConnectionFacts): void {
  (sock as net.Socket & { [CONNECTION]?: ConnectionFacts })[CONNECTION] = facts;
}

/** How often certificate files are checked for changes. */
const TLS_WATCH_MS = 1000;

export interface ApiListenerOptions {
  /** HOST:PORT of the HTTP listener (undefined: none). */
  http?: string;
  tls?: TlsFiles;
  /** Unix socket path (undefined: none). */
  socket?: string;
  /** HOST:PORT of the metrics-only listener (undefined: none). */
  metrics?: string;
  handler: RequestHandler;
  metricsHandler: RequestHandler;
  /** A client refused during or after the TLS handshake (logged and counted by the caller). */
  onTlsReject(r: Rejection): void;
  log: Logger;
}

export interface ApiListeners {
  /** Bound addresses ("host:port", the socket path). */
  readonly http?: string;
  readonly socket?: string;
  readonly metrics?: string;
  /** Stops accepting connections and removes the socket file. */
  close(): void;
  /** GOAWAY to HTTP/2 clients, idle HTTP/1.1 connections closed. */
  drain(): void;
  destroyAll(): void;
}

/** Binds every listener asked for; on a failure closes what was bound and rethrows. */
export async function openApiListeners(o: ApiListenerOptions): Promise<ApiListeners> {
  const api = new Frontend(o.handler);
  const frontends = [api];
  const servers: net.Server[] = [];
  const out: { http?: string; socket?: string; metrics?: string } = {};
  let stopWatch = () => {};
  const close = () => {
    stopWatch();
    for (const s of servers) s.close();
    if (out.socket) {
      try {
        unlinkSync(out.socket);
      } catch {
        // already gone
      }
    }
  };
  try {
    if (o.metrics) {
      const f = new Frontend(o.metricsHandler);
      frontends.push(f);
      const s = net.createServer(f.accept);
      servers.push(s);
      out.metrics = await listenTcp(s, o.metrics);
    }
    if (o.http) {
      const s = o.tls ? tlsServer(o.tls, api, o) : net.createServer((sock) => (tag(sock, { listener: "http" }), api.accept(sock)));
      servers.push(s);
      out.http = await listenTcp(s, o.http);
      if (o.tls) stopWatch = watchTls(o.tls, s as tls.Server, o.log);
    }
    if (o.socket) {
      mkdirSync(dirname(o.socket), { recursive: true });
      const s = net.createServer((sock) => (tag(sock, { listener: "unix", uid: peerUid(sock) }), api.accept(sock)));
      servers.push(s);
      await listenUnix(s, o.socket);
      out.socket = o.socket;
    }
  } catch (err) {
    close();
    throw err;
  }
  return {
    ...out,
    close,
    drain: () => frontends.forEach((f) => f.drain()),
    destroyAll: () => frontends.forEach((f) => f.destroyAll()),
  };
}

/** A TLS server handing accepted (and, under mTLS, verified) connections to `api`. */
function tlsServer(files: TlsFiles, api: Frontend, o: ApiListenerOptions): tls.Server {
  const m = loadTls(files, true);
  let judge: ReturnType<typeof guardNodeTls>;
  const server = tls.createServer({ cert: m.cert, key: m.key, ca: m.ca, requestCert: m.requestCert, rejectUnauthorized: m.rejectUnauthorized, ALPNProtocols: ["h2", "http/1.1"] }, (sock) => {
    const subjects = judge(sock);
    if (subjects === false) return;
    tag(sock, { listener: "http", certSubjects: subjects });
    api.accept(sock);
  });
  judge = guardNodeTls(server, files.clientAuth, o.onTlsReject);
  return server;
}

/**
 * Reloads the certificate, key and CA into `server` when one of the files changes (once the
 * files stopped changing for a moment, so a cert and key written one after the other load
 * together).
 */
function watchTls(files: TlsFiles, server: tls.Server, log: Logger): () => void {
  const paths = [files.cert, files.key, ...(files.ca ? [files.ca] : [])];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reload = () => {
    timer = undefined;
    try {
      const m = loadTls(files, true);
      server.setSecureContext({ cert: m.cert, key: m.key, ca: m.ca });
      log.info("TLS certificate reloaded", { cert: files.cert });
    } catch (err) {
      log.error(`TLS certificate not reloaded (the previous one stays in use): ${errorMessage(err)}`, { cert: files.cert });
    }
  };
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, TLS_WATCH_MS / 2);
    timer.unref?.();
  };
  for (const p of paths) watchFile(p, { interval: TLS_WATCH_MS }, (cur, prev) => cur.mtimeMs !== prev.mtimeMs && changed());
  return () => {
    clearTimeout(timer);
    paths.forEach((p) => unwatchFile(p));
  };
}
