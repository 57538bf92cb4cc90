/**
 * Paces full garbage collections by resident memory growth. JavaScriptCore lets a heap grow to
 * several times its live size before it collects, and garbage typed arrays (read buffers,
 * decoded batches, index build temporaries) keep their memory until then: an import measured
 * 270-290 MiB peak RSS for ~130 MiB live. A loop that allocates steadily calls `tick()` once
 * per unit of work; every CHECK_EVERY ticks it reads the process RSS and collects this thread's
 * heap when RSS grew more than `growthBytes` since the last collection. The cost is bounded: one
 * full collection per `growthBytes` of growth, none while memory stays flat.
 */

/** Ticks between RSS reads (each read is a small syscall). */
const CHECK_EVERY = 4;
/**
 * Default growth allowed between collections. Compiled binary, 1.2M-line import, 2 runs each:
 * no pacing 267-287 MiB peak RSS (~4.3 CPU-s), 24 MiB 214-220 (~4.3), 8 MiB 196-204 (~4.4),
 * 0 (collect whenever RSS grew) 188-190 (~4.7).
 */
export const DEFAULT_GC_GROWTH_BYTES = 8 << 20;

export class GcPacer {
  private ticks = 0;
  private base = -1;

  constructor(private readonly growthBytes = DEFAULT_GC_GROWTH_BYTES) {}

  /** Counts one unit of work; collects when RSS grew past the allowance. */
  tick(): void {
    if (++this.ticks % CHECK_EVERY === 0) this.check();
  }

  /**
   * Collects now: after a step that dropped large tables (a finished index section), whose
   * memory the next step would otherwise stack on. Such a heap holds few objects (typed arrays
   * mostly), so a full collection costs little. Split seal helper, 1M-line import, interleaved
   * runs: peak RSS 218-219 MiB against 252-273 with `check()` every fourth section, same CPU.
   */
  collect(): void {
    Bun.gc(true);
    this.base = process.memoryUsage.rss();
  }

  /** Reads RSS now (after a large step); collects when it grew past the allowance. */
  check(): void {
    const rss = process.memoryUsage.rss();
    if (this.base < 0 || rss < this.base) this.base = rss;
    else if (rss - this.base > this.growthBytes) {
      Bun.gc(true);
      this.base = process.memoryUsage.rss();
    }
  }
}
