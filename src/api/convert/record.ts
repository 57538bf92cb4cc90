/** Records, references and hits: domain <-> proto. Raw bytes pass through without copying. */

import { create } from "@bufbuild/protobuf";
import type { LogRecord, RecordInput, RecordRef } from "../../core/record.ts";
import type { SearchHit } from "../../query/engine/types.ts";
import { HitSchema, RecordRefSchema, RecordSchema, TimeRangeSchema, type Hit, type RecordRef as RefPb, type TimeRange as TimeRangePb } from "../gen/gastrolog/v1/common_pb.ts";
import type { RecordInput as RecordInputPb } from "../gen/gastrolog/v1/ingest_pb.ts";
import type { TimeRange } from "../../storage/types.ts";
import { fromI64, i64 } from "./int64.ts";

export function toRefPb(store: string, ref: RecordRef): RefPb {
  return create(RecordRefSchema, { store, chunk: ref.chunk, pos: ref.pos });
}

export function toHitPb(h: SearchHit): Hit {
  const r: LogRecord = h.record;
  return create(HitSchema, {
    ref: { store: h.store, chunk: h.ref.chunk, pos: h.ref.pos },
    record: create(RecordSchema, { raw: r.raw, attrs: { ...r.attrs }, sourceTsUs: i64(r.sourceTs), ingestTsUs: i64(r.ingestTs), writeTsUs: i64(r.writeTs) }),
    context: h.context,
  });
}

export function toTimeRangePb(t: TimeRange): TimeRangePb {
  return create(TimeRangeSchema, { minUs: i64(t.min), maxUs: i64(t.max) });
}

/** A record to append; ingestTs 0 takes `now`. */
export function fromRecordInputPb(r: RecordInputPb, now: number): RecordInput {
  const ingestTs = fromI64(r.ingestTsUs, "ingest_ts_us");
  return { raw: r.raw, attrs: r.attrs, sourceTs: fromI64(r.sourceTsUs, "source_ts_us"), ingestTs: ingestTs === 0 ? now : ingestTs };
}
