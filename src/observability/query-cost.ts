/**
 * What one query cost, collected without threading a parameter through the engine: the API
 * runs each query handler inside an AsyncLocalStorage context holding a QueryCost, and the
 * storage layer charges every block it decompresses to the current context (if any). Work
 * outside a metered query (seals, imports, retention) charges nothing. The context is made on
 * the first metered query: a process that meters none (a CLI query) never loads async_hooks
 * nor pays for async context tracking.
 */

import type { AsyncLocalStorage } from "node:async_hooks";

/** Decompression done on behalf of one query. */
export interface QueryCost {
  blocks: number;
  bytes: number;
}

let current: AsyncLocalStorage<QueryCost> | undefined;

/** Runs `fn` (and everything it awaits) with `cost` as the query being charged. */
export function withQueryCost<T>(cost: QueryCost, fn: () => T): T {
  current ??= new (require("node:async_hooks") as typeof import("node:async_hooks")).AsyncLocalStorage<QueryCost>();
  return current.run(cost, fn);
}

/** Charges one decompressed block of `bytes` to the query running now, if any. */
export function chargeDecompressedBlock(bytes: number): void {
  const c = current?.getStore();
  if (c === undefined) return;
  c.blocks++;
  c.bytes += bytes;
}

/**
 * An async iterator whose every step runs inside `cost`'s context, for server streams whose
 * generator body is resumed by the transport (outside the interceptor's own call).
 */
export async function* meteredStream<T>(cost: QueryCost, it: AsyncIterable<T>): AsyncGenerator<T> {
  const inner = it[Symbol.asyncIterator]();
  try {
    for (;;) {
      const r = await withQueryCost(cost, () => inner.next());
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await inner.return?.();
  }
}
