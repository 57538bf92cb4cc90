/**
 * Follow (live tail): yields records appended after the call that match the query, across
 * rotations and seals (an old chunk is drained to its end before the next one), until the
 * signal aborts. New records go through the same filter as search (pipeline/filter.ts), paced
 * the same way, so follow and query agree and a burst of appends does not stall the server.
 */

import { LogError } from "../../core/errors.ts";
import { recordAt } from "../../storage/record-batch.ts";
import type { TimeBounds } from "./chunk-planner.ts";
import { compileFilter, type CompiledFilter } from "./compile.ts";
import { Pacer } from "./pacer.ts";
import { keepRows } from "./pipeline/filter.ts";
import { orderedChunks, type SearchSource } from "./source.ts";
import type { SearchHit, SearchRequest } from "./types.ts";
import { materializes, type PipeStage } from "../lang/pipe-ast.ts";

/**
 * The filters of a follow's `| where` stages. Follow streams records as they arrive: it takes
 * `| where` (before any `| fields`), one `| fields` and `| rename` after it (follow-rows.ts shapes
 * those rows); any other stage is refused with why.
 */
export function followWheres(stages: readonly PipeStage[]): CompiledFilter[] {
  const wheres: CompiledFilter[] = [];
  let fields = false;
  for (const s of stages) {
    if (s.kind === "where" && !fields) wheres.push(compileFilter(s.expr));
    else if (s.kind === "fields" && !fields) fields = true;
    else if (s.kind === "rename" && fields) continue;
    else {
      const why = materializes(s) ? "needs every record before it answers" : s.kind === "rename" ? "needs | fields before it" : s.kind === "where" ? "must come before | fields" : "is not available in follow";
      throw new LogError("invalid_argument", `follow streams records as they arrive: | ${s.kind} ${why} (run it as a query); follow takes | where, then | fields and | rename`);
    }
  }
  return wheres;
}

export async function* follow(src: SearchSource, req: Pick<SearchRequest, "expr" | "start" | "end" | "stages">, signal: AbortSignal): AsyncGenerator<SearchHit> {
  const filter = compileFilter(req.expr);
  const wheres = followWheres(req.stages ?? []);
  const bounds: TimeBounds = { start: req.start, end: req.end };
  const pacer = new Pacer();
  /**
   * Next position to examine per chunk: an unsealed chunk from its current end, a sealed one
   * never (it cannot grow, so it is neither counted nor opened: a text store's old regions
   * stay unread); chunks that appear later start at 0.
   */
  const next = new Map<string, number>();
  const existing = orderedChunks(src, false);
  for (const c of existing) next.set(c.id, c.state === "sealed" || c.state === "corrupt" ? Infinity : c.records);
  const floor = existing.at(-1)?.id ?? "";

  let wake: (() => void) | undefined;
  let dirty = false;
  const unsubscribe = src.store.subscribe(() => {
    dirty = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener("abort", onAbort);
  try {
    while (!signal.aborted) {
      dirty = false;
      for (const meta of orderedChunks(src, false)) {
        if (meta.id < floor || next.get(meta.id) === Infinity) continue;
        let reader;
        try {
          reader = await src.store.open(meta.id);
        } catch (err) {
          if (err instanceof LogError && err.code === "not_found") continue;
          throw err;
        }
        try {
          const from = next.get(meta.id) ?? 0;
          const to = reader.count();
          if (to <= from) continue;
          for await (const batch of reader.batches(from, to)) {
            let rows = await keepRows(filter, bounds, batch, Uint32Array.from({ length: batch.count }, (_, i) => i), pacer);
            for (const w of wheres) rows = await keepRows(w, {}, batch, rows, pacer);
            for (const i of rows) {
              yield { store: src.name, ref: { chunk: meta.id, pos: batch.first + i }, record: recordAt(batch, i), context: false };
              if (signal.aborted) return;
            }
            if (pacer.due()) await pacer.pause();
          }
          next.set(meta.id, to);
        } finally {
          reader.close();
        }
      }
      if (!dirty && !signal.aborted) await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
  } finally {
    unsubscribe();
    signal.removeEventListener("abort", onAbort);
  }
}
