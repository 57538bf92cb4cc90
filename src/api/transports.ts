/**
 * Client transports to a running server, for the composition root (the REPL gets a Transport
 * injected; it never imports this) and tests: gRPC over the Unix socket (HTTP/2 prior
 * knowledge), and Connect / gRPC / gRPC-Web over HTTP or HTTPS. Credentials, when given, go
 * with every call: a token as `Authorization: Bearer`, and for HTTPS a CA to trust and a
 * client certificate (mTLS).
 */

import net from "node:net";
import type { Interceptor, Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { READ_MAX_BYTES } from "./limits.ts";

export type Protocol = "grpc" | "connect" | "grpcweb";

/** What a client presents: a token, and PEM texts for HTTPS (CA to trust, client cert and key). */
export interface ClientCredentials {
  token?: string;
  ca?: string;
  cert?: string;
  key?: string;
}

function bearer(token: string): Interceptor {
  return (next) => (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
}

function common(creds: ClientCredentials) {
  return { readMaxBytes: READ_MAX_BYTES, interceptors: creds.token ? [bearer(creds.token)] : [] };
}

/** gRPC over the server's Unix socket at `path`. */
export function socketTransport(path: string, creds: ClientCredentials = {}): Transport {
  return createGrpcTransport({
    baseUrl: "http://localhost",
    nodeOptions: { createConnection: () => net.connect(path) },
    ...common(creds),
  });
}

/**
 * `protocol` over HTTP(S) to `baseUrl` (e.g. http://127.0.0.1:4564). gRPC always uses HTTP/2
 * (h2c, or h2 over TLS); Connect and gRPC-Web use HTTP/1.1 unless `http2` is set.
 */
export function httpTransport(baseUrl: string, protocol: Protocol, http2 = false, creds: ClientCredentials = {}): Transport {
  const httpVersion = protocol === "grpc" || http2 ? "2" : "1.1";
  const tls = { ca: creds.ca, cert: creds.cert, key: creds.key };
  const nodeOptions = baseUrl.startsWith("https:") && (creds.ca || creds.cert) ? tls : undefined;
  const o = { baseUrl, ...common(creds), ...(nodeOptions ? { nodeOptions } : {}) };
  if (protocol === "grpc") return createGrpcTransport(o);
  if (protocol === "grpcweb") return createGrpcWebTransport({ ...o, httpVersion });
  return createConnectTransport({ ...o, httpVersion });
}
