/**
 * Search hits as proto Hit messages, built as plain message objects (no protobuf runtime, no
 * descriptors), so the query path run in this process (`gastrolog query` without a server)
 * prints the same Hit values a server sends. Raw bytes pass through without copying.
 */

import type { LogRecord } from "../../core/record.ts";
import type { SearchHit } from "../../query/engine/types.ts";
import type { Hit } from "../gen/gastrolog/v1/common_pb.ts";
import { i64 } from "./int64.ts";

export function toHitPb(h: SearchHit): Hit {
  const r: LogRecord = h.record;
  return {
    $typeName: "gastrolog.v1.Hit",
    ref: { $typeName: "gastrolog.v1.RecordRef", store: h.store, chunk: h.ref.chunk, pos: h.ref.pos },
    record: { $typeName: "gastrolog.v1.Record", raw: r.raw, attrs: { ...r.attrs }, sourceTsUs: i64(r.sourceTs), ingestTsUs: i64(r.ingestTs), writeTsUs: i64(r.writeTs) },
    context: h.context,
  };
}
