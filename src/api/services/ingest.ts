/** IngestService: Append acknowledges only after the host's (durable) append resolved. */

import type { ServiceImpl } from "@connectrpc/connect";
import { enforceLimits, noViolations } from "../../core/limits.ts";
import { nowMicros } from "../../core/time.ts";
import { IngestService } from "../gen/gastrolog/v1/ingest_pb.ts";
import { fromRecordInputPb, toRefPb } from "../convert/record.ts";
import type { EngineHost } from "../host.ts";
import { requireStore } from "./stores.ts";

export function ingestService(host: EngineHost): ServiceImpl<typeof IngestService> {
  return {
    async append(req) {
      const store = requireStore(host, req.store).name;
      const now = nowMicros();
      const v = noViolations();
      let truncated = 0;
      const batch = req.records.map((r) => {
        const input = fromRecordInputPb(r, now);
        const kept = enforceLimits(input, v);
        if (kept !== input) truncated++;
        return kept;
      });
      const refs = batch.length === 0 ? [] : await host.append(store, batch);
      return { refs: refs.map((r) => toRefPb(store, r)), truncated };
    },
  };
}
