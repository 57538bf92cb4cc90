/** StoreService.GetIndexStats: a chunk's index reports (src/index/reports.ts) -> proto. */

import type { MessageInitShape } from "@bufbuild/protobuf";
import type { IndexTypeStats, StatField } from "../../index/index-type.ts";
import { chunkIndexStats, indexSizeReport } from "../../index/reports.ts";
import type { GetIndexStatsResponseSchema, IndexStatFieldSchema, IndexTypeStatsSchema } from "../gen/gastrolog/v1/store_pb.ts";
import { toChunkInfoPb, toIndexSectionPb } from "../convert/chunk.ts";
import { i64 } from "../convert/int64.ts";
import type { ChunkMeta } from "../../storage/types.ts";
import type { HostStore } from "../host.ts";

type Response = MessageInitShape<typeof GetIndexStatsResponseSchema>;

/** Top terms listed when the request asks for 0. */
export const DEFAULT_TOP_N = 5;

function fieldPb(f: StatField): MessageInitShape<typeof IndexStatFieldSchema> {
  switch (f.kind) {
    case "count":
      return { label: f.label, value: { case: "count", value: i64(f.count) } };
    case "text":
      return { label: f.label, value: { case: "text", value: f.text } };
    case "ratio":
      return { label: f.label, value: { case: "ratio", value: { part: i64(f.part), whole: i64(f.whole), of: f.of } } };
    case "terms":
      return { label: f.label, value: { case: "terms", value: { terms: f.terms.map((t) => ({ term: t.term, count: i64(t.count) })) } } };
  }
}

function statsPb(s: IndexTypeStats): MessageInitShape<typeof IndexTypeStatsSchema> {
  return { name: s.name, section: s.section, title: s.title, summary: s.summary, fields: s.fields.map(fieldPb), warnings: s.warnings };
}

/** Stats of a found chunk (StoreService looked it up); metadata only when not sealed. */
export async function getIndexStats(found: { store: HostStore; meta: ChunkMeta }, topN: number): Promise<Response> {
  const { store: s, meta } = found;
  if (meta.state !== "sealed") return { chunk: toChunkInfoPb(meta), sealed: false };
  const reader = s.source.store.open(meta.id);
  try {
    const { stats, errors } = await chunkIndexStats(reader, meta.records, topN === 0 ? DEFAULT_TOP_N : topN);
    return { chunk: toChunkInfoPb(meta), sealed: true, sections: (await indexSizeReport(reader)).map(toIndexSectionPb), stats: stats.map(statsPb), errors };
  } finally {
    reader.close();
  }
}
