/**
 * HTTPS for the receivers' fetch-style handlers: node:tls terminates TLS and hands accepted
 * connections to a node:http server. Bun.serve cannot be used here: it offers no hook to see a
 * client certificate or to refuse it after the handshake, so it could neither apply clientAuth
 * "request" nor say why a client was refused; Bun's node:https sockets do not expose the peer
 * certificate either. node:tls applies the shared policy (security/tls.ts guardNodeTls);
 * requests go to the handler as web Requests with a streaming body (the handler enforces its
 * size limit and may stop reading), and its Response is written back.
 */

import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type net from "node:net";
import { Readable } from "node:stream";
import tls from "node:tls";
import { errorMessage } from "../../core/errors.ts";
import { guardNodeTls, type Rejection } from "../../security/tls.ts";
import type { ReceiverTlsConfig } from "./receiver.ts";
import { loadTls } from "./tls.ts";

export interface HttpsListenOptions {
  hostname: string;
  port: number;
  tls: ReceiverTlsConfig;
  fetch(req: Request, remote: string): Promise<Response> | Response;
  onTlsReject(r: Rejection): void;
  onError(err: unknown): void;
}

export interface HttpsListener {
  readonly port: number;
  close(): void;
}

/** Binds an HTTPS listener; rejects when the bind fails. */
export function listenHttps(o: HttpsListenOptions): Promise<HttpsListener> {
  const m = loadTls(o.tls, true);
  const h1 = http.createServer((req, res) => void serve(o, req, res));
  let judge: ReturnType<typeof guardNodeTls> = () => [];
  const server = tls.createServer({ cert: m.cert, key: m.key, ca: m.ca, requestCert: m.requestCert, rejectUnauthorized: m.rejectUnauthorized, ALPNProtocols: ["http/1.1"] }, (sock) => {
    if (judge(sock) !== false) h1.emit("connection", sock);
  });
  judge = guardNodeTls(server, o.tls.clientAuth ?? "none", o.onTlsReject);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.hostname, () => {
      server.off("error", reject);
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () => {
          server.close();
          h1.closeAllConnections();
        },
      });
    });
  });
}

async function serve(o: HttpsListenOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) headers.append(k, x);
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>);
    const request = new Request(`https://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, { method: req.method, headers, body, duplex: "half" } as RequestInit);
    await reply(res, await o.fetch(request, req.socket.remoteAddress ?? ""));
  } catch (err) {
    o.onError(err);
    if (!res.headersSent) await reply(res, new Response(`internal error: ${errorMessage(err)}\n`, { status: 500 }));
  }
}

async function reply(res: ServerResponse, r: Response): Promise<void> {
  const body = Buffer.from(await r.arrayBuffer());
  res.writeHead(r.status, Object.fromEntries(r.headers));
  res.end(body);
}
