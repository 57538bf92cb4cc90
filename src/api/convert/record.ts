/** Records and references: domain <-> proto (hits: hit.ts). Raw bytes pass through without copying. */

import { create } from "@bufbuild/protobuf";
import type { RecordInput, RecordRef } from "../../core/record.ts";
import { RecordRefSchema, TimeRangeSchema, type RecordRef as RefPb, type TimeRange as TimeRangePb } from "../gen/gastrolog/v1/common_pb.ts";
import type { RecordInput as RecordInputPb } from "../gen/gastrolog/v1/ingest_pb.ts";
import type { TimeRange } from "../../storage/types.ts";
import { fromI64, i64 } from "./int64.ts";

export function toRefPb(store: string, ref: RecordRef): RefPb {
  return create(RecordRefSchema, { store, chunk: ref.chunk, pos: ref.pos });
}

export function toTimeRangePb(t: TimeRange): TimeRangePb {
  return create(TimeRangeSchema, { minUs: i64(t.min), maxUs: i64(t.max) });
}

/** A record to append; ingestTs 0 takes `now`. */
export function fromRecordInputPb(r: RecordInputPb, now: number): RecordInput {
  const ingestTs = fromI64(r.ingestTsUs, "ingest_ts_us");
  return { raw: r.raw, attrs: r.attrs, sourceTs: fromI64(r.sourceTsUs, "source_ts_us"), ingestTs: ingestTs === 0 ? now : ingestTs };
}
