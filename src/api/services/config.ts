/** ConfigService: the running stores and receivers, read-only until the config store lands. */

import type { ServiceImpl } from "@connectrpc/connect";
import type { DurabilityPolicy } from "../../storage/types.ts";
import { ConfigService } from "../gen/gastrolog/v1/config_pb.ts";
import { i64 } from "../convert/int64.ts";
import type { EngineHost } from "../host.ts";

function durabilityText(d: DurabilityPolicy): string {
  return d.kind === "interval" ? `interval:${d.everyMs}` : d.kind;
}

export function configService(host: EngineHost): ServiceImpl<typeof ConfigService> {
  return {
    async getConfig() {
      return {
        config: {
          stores: host.stores().map((s) => ({
            name: s.name,
            kind: s.settings.kind,
            dir: s.settings.dir,
            rotation: { maxBytes: i64(s.settings.rotation.maxBytes), maxRecords: i64(s.settings.rotation.maxRecords), maxAgeUs: i64(s.settings.rotation.maxAgeMicros) },
            durability: durabilityText(s.settings.durability),
            route: s.settings.route,
            params: {},
          })),
          receivers: host.receivers().map((r) => ({ name: r.name, type: r.type, params: { ...r.params } })),
        },
      };
    },
  };
}
