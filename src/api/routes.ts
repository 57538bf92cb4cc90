/**
 * The API in one place: registerServices() puts every GastroLog service on a ConnectRouter
 * (with routerOptions() from router-options.ts; reflection.ts adds gRPC reflection for the
 * server's listeners). in-process-transport.ts serves the same services without a network,
 * each loaded on first use, for the REPL's embedded mode and tests.
 */

import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { ConfigService } from "./gen/gastrolog/v1/config_pb.ts";
import { IngestService } from "./gen/gastrolog/v1/ingest_pb.ts";
import { LifecycleService } from "./gen/gastrolog/v1/lifecycle_pb.ts";
import { QueryService } from "./gen/gastrolog/v1/query_pb.ts";
import { StoreService } from "./gen/gastrolog/v1/store_pb.ts";
import { wrapUnaryHandlers } from "./decode-errors.ts";
import { TokenService } from "./gen/gastrolog/v1/token_pb.ts";
import type { EngineHost } from "./host.ts";
import { configService } from "./services/config.ts";
import { ingestService } from "./services/ingest.ts";
import { lifecycleService } from "./services/lifecycle.ts";
import { queryService } from "./services/query.ts";
import { storeService } from "./services/store.ts";
import { tokenService } from "./services/token.ts";

/** The GastroLog services, in the order reflection lists them. */
export const API_SERVICES: readonly DescService[] = [QueryService, StoreService, ConfigService, LifecycleService, IngestService, TokenService];

/** Registers every GastroLog service, backed by `host`. */
export function registerServices(router: ConnectRouter, host: EngineHost): void {
  router.service(QueryService, queryService(host));
  router.service(StoreService, storeService(host));
  router.service(ConfigService, configService(host));
  router.service(LifecycleService, lifecycleService(host));
  router.service(IngestService, ingestService(host));
  router.service(TokenService, tokenService(host));
  wrapUnaryHandlers(router.handlers);
}
