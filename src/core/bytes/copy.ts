/**
 * Byte copies on hot paths. `dst.set(src.subarray(a, b), at)` allocates a view per call (~35 ns
 * on Bun here), which dominates copies of keys, tokens and short fields; a plain loop is faster
 * up to ~64 bytes, a native set beyond.
 */

/** Copies below this length run as a loop (measured crossover on Bun 1.4: 64-128 bytes). */
const LOOP_MAX = 64;

/** Copies `src[start, end)` to `dst` at `at`; returns the end offset in `dst`. */
export function copyBytes(dst: Uint8Array, at: number, src: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n <= LOOP_MAX) {
    for (let i = start; i < end; i++) dst[at++] = src[i]!;
    return at;
  }
  dst.set(src.subarray(start, end), at);
  return at + n;
}
