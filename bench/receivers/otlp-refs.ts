/**
 * Trivial OTLP reference listeners for the OTLP bench, just enough for the SDK exporters to run
 * at full speed: an HTTP server that reads each POST body and answers 200 with an empty
 * ExportLogsServiceResponse, and an h2c gRPC server that reads each call and answers an empty
 * message with grpc-status 0. Nothing is decoded or stored.
 */

import http2 from "node:http2";
import type net from "node:net";
import type { Sink } from "./forward-refs.ts";

/** OTLP/HTTP: every request body read and discarded, answered at once. */
export function otlpHttpSink(): Sink {
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    maxRequestBodySize: 1 << 30,
    async fetch(req) {
      await req.arrayBuffer();
      return new Response(new Uint8Array(), { headers: { "content-type": req.headers.get("content-type") ?? "application/x-protobuf" } });
    },
  });
  return { port: server.port ?? 0, stop: () => void server.stop(true) };
}

const EMPTY_MESSAGE = new Uint8Array(5);

/** OTLP/gRPC: every call read and discarded, answered with an empty message and status 0. */
export async function otlpGrpcSink(): Promise<Sink> {
  const server = http2.createServer();
  server.on("stream", (stream: http2.ServerHttp2Stream) => {
    stream.on("data", () => {});
    stream.on("end", () => {
      stream.respond({ ":status": 200, "content-type": "application/grpc+proto" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(EMPTY_MESSAGE);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { port: (server.address() as net.AddressInfo).port, stop: () => server.close() };
}
