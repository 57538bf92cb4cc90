/**
 * IngestService: Append acknowledges only after the host's (durable) appends resolved. With a
 * store it appends there; without one every record is routed by its attributes (fan-out to
 * several stores, unrouted records counted). The caller needs ingest on every store reached.
 */

import type { ServiceImpl } from "@connectrpc/connect";
import { enforceLimits, noViolations } from "../../core/limits.ts";
import { nowMicros } from "../../core/time.ts";
import { IngestService } from "../gen/gastrolog/v1/ingest_pb.ts";
import { fromRecordInputPb, toRefPb } from "../convert/record.ts";
import type { EngineHost } from "../host.ts";
import { may } from "../../security/access.ts";
import { ALL } from "../../security/scopes.ts";
import { principalOf } from "./access.ts";
import { requireStore } from "./stores.ts";

export function ingestService(host: EngineHost): ServiceImpl<typeof IngestService> {
  return {
    async append(req, ctx) {
      const now = nowMicros();
      const v = noViolations();
      let truncated = 0;
      const batch = req.records.map((r) => {
        const input = fromRecordInputPb(r, now);
        const kept = enforceLimits(input, v);
        if (kept !== input) truncated++;
        return kept;
      });
      if (req.store !== "") {
        const store = requireStore(host, ctx, req.store, "ingest").name;
        const refs = batch.length === 0 ? [] : await host.append(store, batch);
        return { refs: refs.map((r) => toRefPb(store, r)), truncated };
      }
      if (batch.length === 0) return { truncated };
      const p = principalOf(ctx);
      const routed = await host.appendRouted(batch, may(p, "ingest", ALL) ? undefined : (store) => may(p, "ingest", store));
      return {
        refs: routed.copies.flatMap((c) => c.map((x) => toRefPb(x.store, x.ref))),
        copies: routed.copies.map((c) => c.length),
        unrouted: routed.unrouted,
        truncated,
      };
    },
  };
}
