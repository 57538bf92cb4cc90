/**
 * A proto Query -> engine SearchRequest: parses the text (control arguments included) and lets
 * explicitly set fields win. Throws ParseError (INVALID_ARGUMENT) for bad text.
 */

import { nowMicros } from "../../core/time.ts";
import { parseQueryArgs } from "../../query/lang/controls.ts";
import type { SearchRequest } from "../../query/engine/types.ts";
import type { Query } from "../gen/gastrolog/v1/query_pb.ts";
import { fromI64 } from "./int64.ts";

/** The store a query names ("default" when empty). */
export function queryStore(q: Query | undefined): string {
  return q?.store || "default";
}

export function toSearchRequest(q: Query | undefined, now = nowMicros()): SearchRequest {
  const clock = q && q.nowUs !== 0n ? fromI64(q.nowUs, "query.now_us") : now;
  const args = parseQueryArgs(q?.text ?? "", clock);
  const req: SearchRequest = {
    expr: args.expr,
    start: q?.startUs !== undefined ? fromI64(q.startUs, "query.start_us") : args.start,
    end: q?.endUs !== undefined ? fromI64(q.endUs, "query.end_us") : args.end,
    limit: q && q.limit > 0 ? q.limit : args.limit,
    reverse: args.reverse || (q?.reverse ?? false),
    contextBefore: q?.contextBefore ?? 0,
    contextAfter: q?.contextAfter ?? 0,
    stages: args.stages,
  };
  if (args.timeout !== undefined) req.timeout = args.timeout;
  if (args.force) req.force = true;
  if (q?.resumeToken) req.resume = q.resumeToken;
  return req;
}
