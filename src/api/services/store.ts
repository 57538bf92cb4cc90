/**
 * StoreService: stores, chunk metadata, index reports, totals, and sealing on demand — over the
 * stores the caller may read (sealing needs config:write on the store).
 */

import type { ServiceImpl } from "@connectrpc/connect";
import { LogError } from "../../core/errors.ts";
import { indexSizeReport } from "../../index/reports.ts";
import { StoreService } from "../gen/gastrolog/v1/store_pb.ts";
import { i64 } from "../convert/int64.ts";
import { toChunkInfoPb, toIndexSectionPb, toStoreSummaryPb } from "../convert/chunk.ts";
import type { EngineHost } from "../host.ts";
import { attributeKeys, MAX_KEYS } from "../../index/attr-keys.ts";
import { getIndexStats } from "./index-stats.ts";
import { permittedStores, requireChunk, requireStore, storesOf } from "./stores.ts";

export function storeService(host: EngineHost): ServiceImpl<typeof StoreService> {
  return {
    async listStores(_req, ctx) {
      return { stores: permittedStores(host, ctx).map(toStoreSummaryPb) };
    },

    async listChunks(req, ctx) {
      return { chunks: storesOf(host, ctx, req.store).flatMap((s) => s.source.store.chunks().map(toChunkInfoPb)) };
    },

    async getChunk(req, ctx) {
      return { chunk: toChunkInfoPb(requireChunk(host, ctx, req.chunk, req.store).meta) };
    },

    async getIndexReport(req, ctx) {
      const { store, meta } = requireChunk(host, ctx, req.chunk, req.store);
      if (meta.state !== "sealed") {
        throw new LogError("invalid_argument", `chunk '${meta.id}' is ${meta.state}; only sealed chunks have indexes (seal it with StoreService.SealActive)`);
      }
      const reader = store.source.store.open(meta.id);
      try {
        return { chunk: toChunkInfoPb(meta), sections: (await indexSizeReport(reader)).map(toIndexSectionPb) };
      } finally {
        reader.close();
      }
    },

    async getIndexStats(req, ctx) {
      return getIndexStats(requireChunk(host, ctx, req.chunk, req.store), req.topN);
    },

    async listAttributeKeys(req, ctx) {
      const r = await attributeKeys(requireStore(host, ctx, req.store).source.store, req.limit === 0 ? MAX_KEYS : Math.min(req.limit, MAX_KEYS));
      return { keys: r.keys, chunksRead: r.chunks, truncated: r.truncated };
    },

    async getStats(_req, ctx) {
      let chunks = 0, sealed = 0, active = 0, records = 0, raw = 0, stored = 0, index = 0;
      const stores = permittedStores(host, ctx);
      for (const s of stores) {
        for (const m of s.source.store.chunks()) {
          chunks++;
          if (m.state === "sealed") sealed++;
          else if (m.state === "active") active++;
          records += m.records;
          raw += m.rawBytes;
          stored += m.storedBytes;
          index += m.indexBytes;
        }
      }
      return {
        stores: stores.length,
        chunks,
        sealedChunks: sealed,
        activeChunks: active,
        records: i64(records),
        rawBytes: i64(raw),
        storedBytes: i64(stored),
        indexBytes: i64(index),
        receivers: host.receivers().length,
        unrouted: i64(host.routing()?.unrouted ?? 0),
      };
    },

    async sealActive(req, ctx) {
      return { chunk: (await requireStore(host, ctx, req.store, "config:write").source.store.seal()) ?? "" };
    },
  };
}
