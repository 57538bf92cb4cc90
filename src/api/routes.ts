/**
 * The API in one place: registerServices() puts every service (and reflection) on a
 * ConnectRouter; routerOptions() holds the limits, strict JSON (unknown fields are an error,
 * not silently ignored), the error interceptor and the decode probe gate; and
 * createInProcessTransport() serves the same routes without a network, for the REPL's
 * embedded mode and tests.
 */

import type { DescService } from "@bufbuild/protobuf";
import { createRouterTransport, type ConnectRouter, type ConnectRouterOptions, type Transport } from "@connectrpc/connect";
import { ConfigService } from "./gen/gastrolog/v1/config_pb.ts";
import { IngestService } from "./gen/gastrolog/v1/ingest_pb.ts";
import { LifecycleService } from "./gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "./gen/gastrolog/v1/query_pb.ts";
import { StoreService } from "./gen/gastrolog/v1/store_pb.ts";
import { decodeProbeGate, wrapUnaryHandlers } from "./decode-errors.ts";
import { errorInterceptor } from "./errors.ts";
import type { EngineHost } from "./host.ts";
import { registerReflection } from "./reflection.ts";
import { configService } from "./services/config.ts";
import { ingestService } from "./services/ingest.ts";
import { lifecycleService } from "./services/lifecycle.ts";
import { queryService } from "./services/query.ts";
import { storeService } from "./services/store.ts";

/** Largest request message accepted: 16 MiB (a 1 MiB record limit leaves room for batches). */
export const READ_MAX_BYTES = 16 << 20;

/** The GastroLog services, in the order reflection lists them. */
export const API_SERVICES: readonly DescService[] = [QueryService, StoreService, ConfigService, LifecycleService, IngestService];

/** Registers every GastroLog service, backed by `host`, plus gRPC reflection. */
export function registerServices(router: ConnectRouter, host: EngineHost): void {
  router.service(QueryService, queryService(host));
  router.service(StoreService, storeService(host));
  router.service(ConfigService, configService(host));
  router.service(LifecycleService, lifecycleService(host));
  router.service(IngestService, ingestService(host));
  registerReflection(router, API_SERVICES);
  wrapUnaryHandlers(router.handlers);
}

/** Router options shared by the server and the in-process transport. */
export function routerOptions(shutdownSignal?: AbortSignal): Partial<ConnectRouterOptions> {
  return {
    interceptors: [errorInterceptor],
    requestGate: decodeProbeGate,
    jsonOptions: { ignoreUnknownFields: false },
    readMaxBytes: READ_MAX_BYTES,
    shutdownSignal,
  };
}

/**
 * A Transport that calls the services of `host` in-process (no sockets), for
 * `createClient(QueryService, createInProcessTransport(host))`. Requests and responses are
 * still serialized, so it behaves exactly like the network API.
 */
export function createInProcessTransport(host: EngineHost): Transport {
  return createRouterTransport((router) => registerServices(router, host), { router: routerOptions() });
}
