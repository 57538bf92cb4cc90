/**
 * In-process transports serving QueryService alone, without loading (or building the
 * descriptors of) the services a query never calls: over the Connect protocol (tests, tools),
 * or over gRPC with chosen outer interceptors — the protocol and interceptor chain a server's
 * socket clients go through, which a server's query-path warm-up runs so the first real Search
 * finds that code warm. Everything else uses routes.ts.
 */

import { createConnectRouter, createRouterTransport, type Interceptor, type Transport } from "@connectrpc/connect";
import { createUniversalHandlerClient } from "@connectrpc/connect/protocol";
import { createTransport as createGrpcTransport } from "@connectrpc/connect/protocol-grpc";
import { wrapUnaryHandlers } from "./decode-errors.ts";
import { QueryService } from "./gen/gastrolog/v1/query_pb.ts";
import type { EngineHost } from "./host.ts";
import { inProcessRouterOptions, routerOptions } from "./router-options.ts";
import { queryService } from "./services/query.ts";

/** A Transport for `createClient(QueryService, ...)` answered by `host` in this process. */
export function createQueryTransport(host: EngineHost): Transport {
  return createRouterTransport(
    (router) => {
      router.service(QueryService, queryService(host));
      wrapUnaryHandlers(router.handlers);
    },
    { router: inProcessRouterOptions() },
  );
}

/**
 * As createQueryTransport, over the gRPC protocol (binary, uncompressed) with `outer`
 * interceptors before the error mapping, as a server's router has them.
 */
export function createGrpcQueryTransport(host: EngineHost, outer: readonly Interceptor[]): Transport {
  const router = createConnectRouter({ ...routerOptions(undefined, outer), connect: false, grpcWeb: false, grpc: true });
  router.service(QueryService, queryService(host));
  wrapUnaryHandlers(router.handlers);
  const unlimited = Number.MAX_SAFE_INTEGER;
  return createGrpcTransport({
    httpClient: createUniversalHandlerClient(router.handlers),
    baseUrl: "https://in-memory",
    useBinaryFormat: true,
    interceptors: [],
    acceptCompression: [],
    sendCompression: null,
    compressMinBytes: unlimited,
    readMaxBytes: unlimited,
    writeMaxBytes: unlimited,
  });
}
