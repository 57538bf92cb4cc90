/**
 * Test helpers for retention: a store filled with one sealed chunk per clock hour, and the
 * manual clock that places them. Shared by the runner's unit tests and test/store-policies.
 */

import type { ChunkStore } from "../types.ts";

const enc = new TextEncoder();
/** One hour in microseconds. */
export const H = 3_600_000_000;

/** Appends `chunks` chunks of `per` records each, sealing after each, at clock hours 0,1,2... */
export async function fill(store: ChunkStore, chunks: number, per: number, setHour: (h: number) => void): Promise<void> {
  for (let c = 0; c < chunks; c++) {
    setHour(c);
    const batch = Array.from({ length: per }, (_, i) => ({ raw: enc.encode(`chunk ${c} record ${i} level=info`), attrs: { c: String(c) }, sourceTs: 0, ingestTs: c * H + i + 1 }));
    await store.append(batch);
    await store.seal();
  }
}

export function manualClock(): { now: () => number; setHour: (h: number) => void } {
  let t = 0;
  return { now: () => t, setHour: (h) => (t = 10 * H + h * H) };
}
