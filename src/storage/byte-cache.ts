/**
 * One byte-budgeted LRU for everything decoded from sealed chunks that later queries reuse:
 * data blocks (segment readers) and index heads and dictionary blocks (index readers). The
 * composition root makes one per process and hands it to every store and index opener, so the
 * whole process stays within one budget however many stores it serves. Owners namespace their
 * keys (a segment path, a store/chunk prefix); an evicted value stays valid for whoever holds it.
 * Data blocks come in through offer(), which caches a value only on its second use: a scan that
 * decodes each block once streams through without filling the budget (and the process memory)
 * with blocks nobody reads again, or pushing out what repeated queries reuse; scans decoding
 * into a reused buffer keep blocks only while the budget has free room (admitsFreely).
 */

/** Default process budget: 64 MiB (about 64 one-MiB data blocks, or many small index blocks). */
export const DEFAULT_CACHE_BYTES = 64 << 20;

/** Bookkeeping charged per entry on top of its payload (key, map slot, wrapper objects). */
export const ENTRY_OVERHEAD_BYTES = 128;

/** Keys offer() remembers (without values) to recognise a second use: a few KiB of strings. */
export const SEEN_KEYS = 4096;

interface Entry {
  value: unknown;
  bytes: number;
}

export class ByteCache {
  private readonly entries = new Map<string, Entry>();
  private used = 0;
  /** Keys offered once and not cached yet, oldest first (no values held). */
  private readonly seen = new Set<string>();

  constructor(readonly maxBytes = DEFAULT_CACHE_BYTES) {}

  /**
   * The value stored under `key` (and marks it most recently used). Callers own their key
   * namespace, so the value has the type they stored there.
   */
  get<T>(key: string): T | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value as T;
  }

  /** Stores `value`, costing `bytes` (+ overhead), then evicts least recently used entries. */
  set(key: string, value: unknown, bytes: number): void {
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.used -= old.bytes;
      this.entries.delete(key);
    }
    const cost = bytes + ENTRY_OVERHEAD_BYTES;
    this.entries.set(key, { value, bytes: cost });
    this.used += cost;
    for (const [k, e] of this.entries) {
      if (this.used <= this.maxBytes || this.entries.size === 1) break;
      this.entries.delete(k);
      this.used -= e.bytes;
    }
  }

  /**
   * Caches `value` like set() when `key` was offered before (among the last SEEN_KEYS offers),
   * otherwise only remembers the key: what is used once is not kept.
   */
  offer(key: string, value: unknown, bytes: number): void {
    if (this.seen.delete(key)) return this.set(key, value, bytes);
    this.remember(key);
  }

  /**
   * True when offer(key, value, bytes) would now cache the value without evicting anything (its
   * second use, and room left). A scan that decodes into a reused buffer asks this first: it
   * pays for a fresh copy only to fill free room, so a store larger than the budget streams
   * through without churning the cache, and a small one is still kept from its second scan on.
   */
  admitsFreely(key: string, bytes: number): boolean {
    return this.seen.has(key) && this.used + bytes + ENTRY_OVERHEAD_BYTES <= this.maxBytes;
  }

  /** Notes a use of `key` without caching anything (offer's first use; SEEN_KEYS most recent kept). */
  remember(key: string): void {
    this.seen.delete(key);
    this.seen.add(key);
    if (this.seen.size > SEEN_KEYS) this.seen.delete(this.seen.values().next().value!);
  }

  /** Drops every entry whose key starts with `prefix` (a deleted or corrupt segment). */
  evictPrefix(prefix: string): void {
    for (const k of this.seen) if (k.startsWith(prefix)) this.seen.delete(k);
    for (const [k, e] of this.entries) {
      if (!k.startsWith(prefix)) continue;
      this.entries.delete(k);
      this.used -= e.bytes;
    }
  }

  /** Bytes charged for the entries held. */
  get bytes(): number {
    return this.used;
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }
}
