/** StoreService: stores, chunk metadata, index reports, totals, and sealing on demand. */

import type { ServiceImpl } from "@connectrpc/connect";
import { LogError } from "../../core/errors.ts";
import { indexSizeReport } from "../../index/reports.ts";
import { StoreService } from "../gen/gastrolog/v1/store_pb.ts";
import { i64 } from "../convert/int64.ts";
import { toChunkInfoPb, toIndexSectionPb, toStoreSummaryPb } from "../convert/chunk.ts";
import type { EngineHost } from "../host.ts";
import { attributeKeys, MAX_KEYS } from "../../index/attr-keys.ts";
import { getIndexStats } from "./index-stats.ts";
import { requireChunk, requireStore, storesOf } from "./stores.ts";

export function storeService(host: EngineHost): ServiceImpl<typeof StoreService> {
  return {
    async listStores() {
      return { stores: host.stores().map(toStoreSummaryPb) };
    },

    async listChunks(req) {
      return { chunks: storesOf(host, req.store).flatMap((s) => s.source.store.chunks().map(toChunkInfoPb)) };
    },

    async getChunk(req) {
      return { chunk: toChunkInfoPb(requireChunk(host, req.chunk, req.store).meta) };
    },

    async getIndexReport(req) {
      const { store, meta } = requireChunk(host, req.chunk, req.store);
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

    async getIndexStats(req) {
      return getIndexStats(host, req.chunk, req.store, req.topN);
    },

    async listAttributeKeys(req) {
      const r = await attributeKeys(requireStore(host, req.store).source.store, req.limit === 0 ? MAX_KEYS : Math.min(req.limit, MAX_KEYS));
      return { keys: r.keys, chunksRead: r.chunks, truncated: r.truncated };
    },

    async getStats() {
      let chunks = 0, sealed = 0, active = 0, records = 0, raw = 0, stored = 0, index = 0;
      for (const s of host.stores()) {
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
        stores: host.stores().length,
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

    async sealActive(req) {
      return { chunk: (await requireStore(host, req.store).source.store.seal()) ?? "" };
    },
  };
}
