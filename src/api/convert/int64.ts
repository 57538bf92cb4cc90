/**
 * int64/uint64 at the API border: the wire carries bigint (protobuf-es), the engine plain
 * numbers (epoch µs, counts). Converting here keeps bigint off every hot path.
 */

import { LogError } from "../../core/errors.ts";

/** A number as int64. */
export function i64(n: number): bigint {
  return BigInt(Math.trunc(n));
}

/** An int64 from a request as a number; rejects values beyond 2^53 with the field's name. */
export function fromI64(b: bigint, field: string): number {
  if (b > BigInt(Number.MAX_SAFE_INTEGER) || b < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new LogError("invalid_argument", `${field} = ${b} is out of range (|value| must be < 2^53)`);
  }
  return Number(b);
}
