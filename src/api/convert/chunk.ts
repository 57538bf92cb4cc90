/** Chunk metadata, store summaries and index reports -> proto. */

import { create } from "@bufbuild/protobuf";
import type { IndexSectionSize } from "../../index/reports.ts";
import type { ChunkMeta, ChunkStore } from "../../storage/types.ts";
import { ChunkInfoSchema, IndexSectionSchema, StoreSummarySchema, type ChunkInfo, type IndexSection, type StoreSummary } from "../gen/gastrolog/v1/store_pb.ts";
import type { HostStore } from "../host.ts";
import { i64 } from "./int64.ts";
import { toTimeRangePb } from "./record.ts";

/** The state a listing shows: a chunk waiting for a seal retry is "seal_retry" (its meta says "sealing"). */
export function listedState(m: ChunkMeta): string {
  return m.sealRetry ? "seal_retry" : m.state;
}

export function toChunkInfoPb(m: ChunkMeta): ChunkInfo {
  return create(ChunkInfoSchema, {
    id: m.id,
    store: m.store,
    state: listedState(m),
    records: i64(m.records),
    rawBytes: i64(m.rawBytes),
    storedBytes: i64(m.storedBytes),
    createdAtUs: i64(m.createdAt),
    writeTs: toTimeRangePb(m.writeTs),
    ingestTs: toTimeRangePb(m.ingestTs),
    eventTs: toTimeRangePb(m.eventTs),
    codec: m.codec,
    indexStatus: m.indexStatus,
    indexBytes: i64(m.indexBytes),
    nextSealRetryUs: i64((m.sealRetry?.at ?? 0) * 1000),
    sealFailures: m.sealRetry?.failures ?? 0,
  });
}

/** True for a sealed chunk whose indexes are not (yet) usable in full. */
export function indexPending(m: ChunkMeta): boolean {
  return m.state === "sealed" && (m.indexStatus === "pending" || m.indexStatus === "missing" || m.indexStatus === "failed");
}

/** Status fields of a store's chunks waiting for a seal retry (how many, the earliest due). */
export function sealRetryFields(store: ChunkStore): { sealRetryChunks: number; nextSealRetryUs: bigint } {
  const retries = store.sealRetries?.() ?? [];
  return { sealRetryChunks: retries.length, nextSealRetryUs: i64(retries.length > 0 ? Math.min(...retries.map((r) => r.at)) * 1000 : 0) };
}

export function toStoreSummaryPb(s: HostStore): StoreSummary {
  const metas = s.source.store.chunks();
  let records = 0, raw = 0, stored = 0, index = 0, sealed = 0, pending = 0, min = 0, max = 0;
  let active = "";
  for (const m of metas) {
    records += m.records;
    raw += m.rawBytes;
    stored += m.storedBytes;
    index += m.indexBytes;
    if (m.state === "sealed") sealed++;
    if (m.state === "active") active = m.id;
    if (indexPending(m)) pending++;
    if (m.eventTs.min !== 0 && (min === 0 || m.eventTs.min < min)) min = m.eventTs.min;
    if (m.eventTs.max > max) max = m.eventTs.max;
  }
  return create(StoreSummarySchema, {
    name: s.name,
    kind: s.settings.kind,
    chunks: metas.length,
    sealedChunks: sealed,
    records: i64(records),
    rawBytes: i64(raw),
    storedBytes: i64(stored),
    indexBytes: i64(index),
    activeChunk: active,
    pendingIndexChunks: pending,
    eventTs: { minUs: i64(min), maxUs: i64(max) },
    ...sealRetryFields(s.source.store),
  });
}

export function toIndexSectionPb(s: IndexSectionSize): IndexSection {
  return create(IndexSectionSchema, {
    section: s.section,
    name: s.name,
    bytes: i64(s.bytes),
    status: s.status,
    bodyBytes: i64(s.bodyBytes),
    indexes: s.indexes.map((e) => ({ name: e.name, terms: i64(e.terms), bodyBytes: i64(e.bodyBytes) })),
    error: s.error ?? "",
  });
}
