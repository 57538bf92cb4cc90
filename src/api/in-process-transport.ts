/**
 * The in-process transport of embedded mode and tests: each service gets its own router,
 * made on the service's first call, so a run loads (and builds the protobuf descriptors of)
 * only the services it calls — `repl --embedded -c stats` never loads ConfigService, and start-up
 * pays for one service instead of six. Requests and responses are still
 * serialized through the same handlers, interceptors and limits as the network API.
 */

import { Code, ConnectError, createRouterTransport, type ConnectRouter, type Transport } from "@connectrpc/connect";
import { wrapUnaryHandlers } from "./decode-errors.ts";
import type { EngineHost } from "./host.ts";
import { inProcessRouterOptions } from "./router-options.ts";

type Register = (router: ConnectRouter, host: EngineHost) => void;

/** Per service type name: loads its descriptor and implementation, and registers it. */
const SERVICES: Record<string, () => Promise<Register>> = {
  "gastrolog.v1.QueryService": async () => {
    const [{ QueryService }, { queryService }] = await Promise.all([import("./gen/gastrolog/v1/query_pb.ts"), import("./services/query.ts")]);
    return (r, h) => r.service(QueryService, queryService(h));
  },
  "gastrolog.v1.StoreService": async () => {
    const [{ StoreService }, { storeService }] = await Promise.all([import("./gen/gastrolog/v1/store_pb.ts"), import("./services/store.ts")]);
    return (r, h) => r.service(StoreService, storeService(h));
  },
  "gastrolog.v1.ConfigService": async () => {
    const [{ ConfigService }, { configService }] = await Promise.all([import("./gen/gastrolog/v1/config_pb.ts"), import("./services/config.ts")]);
    return (r, h) => r.service(ConfigService, configService(h));
  },
  "gastrolog.v1.LifecycleService": async () => {
    const [{ LifecycleService }, { lifecycleService }] = await Promise.all([import("./gen/gastrolog/v1/lifecycle_pb.ts"), import("./services/lifecycle.ts")]);
    return (r, h) => r.service(LifecycleService, lifecycleService(h));
  },
  "gastrolog.v1.IngestService": async () => {
    const [{ IngestService }, { ingestService }] = await Promise.all([import("./gen/gastrolog/v1/ingest_pb.ts"), import("./services/ingest.ts")]);
    return (r, h) => r.service(IngestService, ingestService(h));
  },
  "gastrolog.v1.TokenService": async () => {
    const [{ TokenService }, { tokenService }] = await Promise.all([import("./gen/gastrolog/v1/token_pb.ts"), import("./services/token.ts")]);
    return (r, h) => r.service(TokenService, tokenService(h));
  },
};

/** A Transport answering every GastroLog service from `host` in this process, loading each on first use. */
export function createInProcessTransport(host: EngineHost): Transport {
  const transports = new Map<string, Promise<Transport>>();
  const serviceTransport = (typeName: string): Promise<Transport> => {
    let t = transports.get(typeName);
    if (t === undefined) {
      const load = SERVICES[typeName];
      if (load === undefined) return Promise.reject(new ConnectError(`unknown service ${typeName}`, Code.Unimplemented));
      t = load().then((register) =>
        createRouterTransport(
          (router) => {
            register(router, host);
            wrapUnaryHandlers(router.handlers);
          },
          { router: inProcessRouterOptions() },
        ),
      );
      transports.set(typeName, t);
    }
    return t;
  };
  return {
    async unary(method, signal, timeoutMs, header, input, contextValues) {
      return (await serviceTransport(method.parent.typeName)).unary(method, signal, timeoutMs, header, input, contextValues);
    },
    async stream(method, signal, timeoutMs, header, input, contextValues) {
      return (await serviceTransport(method.parent.typeName)).stream(method, signal, timeoutMs, header, input, contextValues);
    },
  };
}
