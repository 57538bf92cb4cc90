/** LifecycleService: health, readiness, version, status and graceful shutdown on request. */

import type { ServiceImpl } from "@connectrpc/connect";
import { nowMicros } from "../../core/time.ts";
import { LifecycleService } from "../gen/gastrolog/v1/lifecycle_pb.ts";
import { i64 } from "../convert/int64.ts";
import { indexPending, sealRetryFields } from "../convert/chunk.ts";
import { toIngestQueuePb, toReceiverStatusPb } from "../convert/receiver.ts";
import type { EngineHost } from "../host.ts";

export function lifecycleService(host: EngineHost): ServiceImpl<typeof LifecycleService> {
  return {
    async health() {
      return { status: "SERVING" };
    },

    async ready() {
      const phase = host.phase();
      return { ready: phase === "ready", phase };
    },

    async version() {
      return host.version();
    },

    async status() {
      const now = nowMicros();
      const routing = host.routing();
      const queue = host.ingestQueue();
      return {
        phase: host.phase(),
        startedAtUs: i64(host.startedAt),
        uptimeUs: i64(now - host.startedAt),
        version: host.version(),
        stores: host.stores().map((s) => {
          const metas = s.source.store.chunks();
          return {
            name: s.name,
            activeChunk: metas.find((m) => m.state === "active")?.id ?? "",
            chunks: metas.length,
            records: i64(metas.reduce((n, m) => n + m.records, 0)),
            pendingIndexChunks: metas.filter(indexPending).length,
            ...sealRetryFields(s.source.store),
          };
        }),
        receivers: host.receivers().map(toReceiverStatusPb),
        routing: routing && { routed: i64(routing.routed), unrouted: i64(routing.unrouted), perStore: Object.fromEntries(Object.entries(routing.perStore).map(([k, n]) => [k, i64(n)])) },
        configVersion: i64(host.config?.store.current().version ?? 0),
        appliedConfigVersion: i64(host.config?.appliedVersion() ?? 0),
        ...(queue ? { ingestQueue: toIngestQueuePb(queue) } : {}),
        telemetry: host.telemetry().map((t) => ({ kind: t.kind, count: i64(t.count), lastMessage: t.lastMessage, lastAtUs: i64(t.lastAt), context: { ...t.context } })),
      };
    },

    async shutdown(req) {
      return { accepted: host.requestShutdown(req.reason || "Shutdown RPC") };
    },
  };
}
