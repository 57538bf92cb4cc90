/**
 * Live tail over several stores: runs follow() on each and yields hits as they arrive (arrival
 * order across stores; each store's hits stay in its order). Ends when the signal aborts or a
 * store's follow fails (that error is rethrown after the others stop).
 */

import { follow } from "./follow.ts";
import type { SearchSource } from "./source.ts";
import type { SearchHit, SearchRequest } from "./types.ts";

export async function* followAll(sources: readonly SearchSource[], req: Pick<SearchRequest, "expr" | "start" | "end">, signal: AbortSignal): AsyncGenerator<SearchHit> {
  if (sources.length === 1) return yield* follow(sources[0]!, req, signal);
  const stop = new AbortController();
  const all = AbortSignal.any([signal, stop.signal]);
  const queue: SearchHit[] = [];
  let failure: unknown;
  let wake: (() => void) | undefined;
  const pumps = sources.map(async (src) => {
    try {
      for await (const hit of follow(src, req, all)) {
        queue.push(hit);
        wake?.();
      }
    } catch (err) {
      failure ??= err;
      stop.abort();
      wake?.();
    }
  });
  const onAbort = () => wake?.();
  all.addEventListener("abort", onAbort);
  try {
    while (!all.aborted) {
      if (queue.length > 0) {
        yield queue.shift()!;
        continue;
      }
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
  } finally {
    all.removeEventListener("abort", onAbort);
    stop.abort();
    await Promise.all(pumps);
  }
  if (failure !== undefined) throw failure;
}
