/** StoreService.GetIndexStats: a chunk's index term statistics (src/index/index-stats.ts) -> proto. */

import type { MessageInitShape } from "@bufbuild/protobuf";
import { errorMessage } from "../../core/errors.ts";
import { indexStats, openStatSections, type FrequencyStats, type TermCount } from "../../index/index-stats.ts";
import { INDEX_SECTIONS, indexSizeReport } from "../../index/size-report.ts";
import type { GetIndexStatsResponseSchema, TermFrequencyStatsSchema } from "../gen/gastrolog/v1/store_pb.ts";
import { toChunkInfoPb, toIndexSectionPb } from "../convert/chunk.ts";
import { i64 } from "../convert/int64.ts";
import type { EngineHost } from "../host.ts";
import { requireChunk } from "./stores.ts";

type Response = MessageInitShape<typeof GetIndexStatsResponseSchema>;

/** Top terms listed when the request asks for 0. */
export const DEFAULT_TOP_N = 5;

const counts = (xs: readonly TermCount[]) => xs.map((x) => ({ term: x.term, count: i64(x.count) }));

function frequencyPb(f: FrequencyStats): MessageInitShape<typeof TermFrequencyStatsSchema> {
  return { terms: i64(f.terms), positions: i64(f.positions), avg: f.avg, p50: i64(f.p50), p95: i64(f.p95), max: i64(f.max), top: counts(f.top) };
}

/** Stats of chunk `id` (in `store`, or any store when ""); metadata only when not sealed. */
export function getIndexStats(host: EngineHost, id: string, store: string, topN: number): Response {
  const { store: s, meta } = requireChunk(host, id, store);
  if (meta.state !== "sealed") return { chunk: toChunkInfoPb(meta), sealed: false };
  const reader = s.source.store.open(meta.id);
  try {
    const errors: string[] = [];
    const sections = openStatSections((name) => reader.section(name), INDEX_SECTIONS, errors);
    const out: Response = { chunk: toChunkInfoPb(meta), sealed: true, sections: indexSizeReport(reader).map(toIndexSectionPb), errors };
    try {
      const st = indexStats(sections, meta.records, topN === 0 ? DEFAULT_TOP_N : topN);
      if (st.tokens) out.tokens = frequencyPb(st.tokens);
      if (st.attrs) {
        const a = st.attrs;
        out.attrs = { keys: i64(a.keys), values: i64(a.values), pairs: i64(a.pairs), positions: i64(a.positions), recordsWithAttrs: i64(a.recordsWithAttrs), topKeys: counts(a.topKeys) };
      }
      if (st.kv) {
        const k = st.kv;
        out.kv = { keys: i64(k.keys), values: i64(k.values), pairs: i64(k.pairs), positions: i64(k.positions), status: k.status, overflowedKeys: i64(k.overflowedKeys), overflowed: k.overflowed, topKeys: counts(k.topKeys) };
      }
    } catch (err) {
      errors.push(errorMessage(err));
    }
    return out;
  } finally {
    reader.close();
  }
}
