/**
 * Remembers messages that were stored but whose RELP ack never reached the client (the
 * connection died first). A RELP client resends every unacknowledged message after it
 * reconnects, so a later message with the same bytes is counted as a duplicate. The message
 * is still stored (RELP is at-least-once; dropping could lose a genuinely repeated line).
 * Bounded: the oldest entries are forgotten first.
 */

/** Most remembered messages per receiver. */
const MAX_ENTRIES = 100_000;

export class ResendTracker {
  private readonly counts = new Map<bigint | number, number>();

  get size(): number {
    return this.counts.size;
  }

  remember(raw: Uint8Array): void {
    const h = Bun.hash(raw);
    this.counts.set(h, (this.counts.get(h) ?? 0) + 1);
    if (this.counts.size > MAX_ENTRIES) this.counts.delete(this.counts.keys().next().value!);
  }

  /** True (and forgets one copy) when `raw` was remembered. */
  take(raw: Uint8Array): boolean {
    const h = Bun.hash(raw);
    const n = this.counts.get(h);
    if (n === undefined) return false;
    if (n <= 1) this.counts.delete(h);
    else this.counts.set(h, n - 1);
    return true;
  }
}
