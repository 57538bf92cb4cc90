/**
 * The one way tests wait for a condition: poll it, bounded by wall time (never by a count of
 * event-loop turns: fsyncs and child processes on a busy CI machine take unpredictably many).
 * Not a sleep: it returns as soon as the condition holds.
 */

export interface UntilOptions {
  /** Named in the timeout error: "timed out after 10000 ms waiting for <what>". */
  what?: string;
  /** Upper bound in milliseconds; default 10 000. */
  timeoutMs?: number;
  /** Extra detail for the timeout error (e.g. what the screen showed instead). */
  detail?: () => string;
  /**
   * Pause between polls. Default: the first 100 polls only yield one event-loop turn (so
   * in-process conditions are seen at once), later ones pause 1 ms. Give it for probes that
   * are costly themselves (an RPC, a child process).
   */
  pollMs?: number;
}

/** A probe's "not yet": false, undefined or null. Anything else is the awaited value. */
type NotYet = false | undefined | null;

/**
 * Polls `probe` until it returns something other than false/undefined/null and returns that
 * value (so a probe can hand back what it found, e.g. the text that satisfied it). Throws
 * after `timeoutMs`.
 */
export async function until<T>(probe: () => T | NotYet | Promise<T | NotYet>, opts: UntilOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const deadline = performance.now() + timeoutMs;
  for (let turn = 0; ; turn++) {
    const v = await probe();
    if (v !== false && v !== undefined && v !== null) return v;
    if (performance.now() > deadline) {
      const detail = opts.detail ? `; ${opts.detail()}` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.what ?? "a condition"}${detail}`);
    }
    if (opts.pollMs === undefined && turn < 100) await new Promise((r) => setImmediate(r));
    else await Bun.sleep(opts.pollMs ?? 1);
  }
}
