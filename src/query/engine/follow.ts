/**
 * Follow (live tail): yields records appended after the call that match the query, across
 * rotations and seals (an old chunk is drained to its end before the next one), until the
 * signal aborts. Uses the same compiled filter as search, so follow and query agree.
 */

import { LogError } from "../../core/errors.ts";
import { BatchMatcher } from "./batch-matcher.ts";
import type { TimeBounds } from "./chunk-planner.ts";
import { recordAt } from "../../storage/record-batch.ts";
import { compileFilter, matchesFilter } from "./compile.ts";
import { orderedChunks, type SearchSource } from "./source.ts";
import type { SearchHit, SearchRequest } from "./types.ts";

export async function* follow(src: SearchSource, req: Pick<SearchRequest, "expr" | "start" | "end">, signal: AbortSignal): AsyncGenerator<SearchHit> {
  const filter = compileFilter(req.expr);
  const bounds: TimeBounds = { start: req.start, end: req.end };
  /** Next position to examine per chunk; chunks that appear later start at 0. */
  const next = new Map<string, number>();
  for (const c of orderedChunks(src, false)) next.set(c.id, c.records);
  const floor = [...next.keys()].pop() ?? "";

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
        if (meta.id < floor) continue;
        let reader;
        try {
          reader = src.store.open(meta.id);
        } catch (err) {
          if (err instanceof LogError && err.code === "not_found") continue;
          throw err;
        }
        try {
          const from = next.get(meta.id) ?? 0;
          const to = reader.count();
          if (to <= from) continue;
          for (const batch of reader.batches(from, to)) {
            const m = new BatchMatcher(batch);
            for (let i = 0; i < batch.count; i++) {
              const t = batch.sourceTs[i] !== 0 ? batch.sourceTs[i]! : batch.ingestTs[i]!;
              if (bounds.start !== undefined && t < bounds.start) continue;
              if (bounds.end !== undefined && t >= bounds.end) continue;
              if (!matchesFilter(filter, m, i)) continue;
              yield { store: src.name, ref: { chunk: meta.id, pos: batch.first + i }, record: recordAt(batch, i), context: false };
              if (signal.aborted) return;
            }
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
