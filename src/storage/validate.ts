/**
 * Input checks every store runs before touching a batch, so a bad record rejects the whole
 * append and nothing is half-written. Timestamps must be non-negative integer microseconds
 * (the sealed format stores them as integers).
 */

import { LogError } from "../core/errors.ts";
import type { RecordInput } from "../core/record.ts";

/** Throws LogError("invalid_argument") naming the first bad record. */
export function checkBatch(store: string, batch: readonly RecordInput[]): void {
  for (let i = 0; i < batch.length; i++) {
    const r = batch[i]!;
    if (!isTs(r.ingestTs) || !isTs(r.sourceTs)) {
      throw new LogError(
        "invalid_argument",
        `append to store ${store}: record ${i} has ingestTs ${r.ingestTs} / sourceTs ${r.sourceTs}; both must be non-negative integer epoch microseconds`,
      );
    }
    if (!(r.raw instanceof Uint8Array)) {
      throw new LogError("invalid_argument", `append to store ${store}: record ${i} raw is not a Uint8Array`);
    }
  }
}

function isTs(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}
