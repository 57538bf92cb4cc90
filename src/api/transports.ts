/**
 * Client transports to a running server, for the composition root (the REPL gets a Transport
 * injected; it never imports this) and tests: gRPC over the Unix socket (HTTP/2 prior
 * knowledge), and Connect / gRPC / gRPC-Web over HTTP.
 */

import net from "node:net";
import type { Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { READ_MAX_BYTES } from "./limits.ts";

export type Protocol = "grpc" | "connect" | "grpcweb";

/** gRPC over the server's Unix socket at `path`. */
export function socketTransport(path: string): Transport {
  return createGrpcTransport({
    baseUrl: "http://localhost",
    nodeOptions: { createConnection: () => net.connect(path) },
    readMaxBytes: READ_MAX_BYTES,
  });
}

/**
 * `protocol` over HTTP to `baseUrl` (e.g. http://127.0.0.1:4564). gRPC always uses HTTP/2
 * (h2c); Connect and gRPC-Web use HTTP/1.1 unless `http2` is set.
 */
export function httpTransport(baseUrl: string, protocol: Protocol, http2 = false): Transport {
  const httpVersion = protocol === "grpc" || http2 ? "2" : "1.1";
  if (protocol === "grpc") return createGrpcTransport({ baseUrl, readMaxBytes: READ_MAX_BYTES });
  if (protocol === "grpcweb") return createGrpcWebTransport({ baseUrl, httpVersion, readMaxBytes: READ_MAX_BYTES });
  return createConnectTransport({ baseUrl, httpVersion, readMaxBytes: READ_MAX_BYTES });
}
