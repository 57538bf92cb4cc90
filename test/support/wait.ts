/**
 * Waiting on a condition with a time bound (never a fixed sleep as synchronisation): polls an
 * async predicate until it holds, and fails naming what was awaited and what was last seen.
 */

/** Resolves once `pred()` returns true; rejects after `ms` with `what` and the last `seen()`. */
export async function waitUntil(pred: () => Promise<boolean> | boolean, what: string, ms = 15_000, seen: () => unknown = () => undefined): Promise<void> {
  const deadline = performance.now() + ms;
  let delay = 10;
  for (;;) {
    if (await pred()) return;
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; last seen: ${JSON.stringify(seen())}`);
    await Bun.sleep(delay);
    delay = Math.min(delay * 2, 200);
  }
}
