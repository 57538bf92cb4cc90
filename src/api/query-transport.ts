/**
 * An in-process transport serving QueryService alone, for `gastrolog query` without a server:
 * the same service code, interceptors and limits as a server, without loading (or building the
 * descriptors of) the services a query never calls. Everything else uses routes.ts.
 */

import { createRouterTransport, type Transport } from "@connectrpc/connect";
import { wrapUnaryHandlers } from "./decode-errors.ts";
import { QueryService } from "./gen/gastrolog/v1/query_pb.ts";
import type { EngineHost } from "./host.ts";
import { inProcessRouterOptions } from "./router-options.ts";
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
