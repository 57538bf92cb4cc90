/**
 * The build-side core shared by every term-index builder: an open-addressing hash table from
 * term bytes to a dense term id (no JS string per occurrence), per-record de-duplicated
 * occurrences, and the final sort + posting encoding. Memory stays bounded: occurrences are
 * collected in an id array (RUN_OCCURRENCES entries, more with many distinct terms), then
 * spilled as one run (positions grouped by term, delta varints, ~1-2 bytes each instead of
 * 8); build() merges the runs term by term. It knows nothing about where terms come from,
 * caps or budgets.
 */

import { copyBytes } from "../core/bytes/copy.ts";
import { ByteWriter } from "../core/bytes/growable.ts";
import { encodePostings } from "./postings.ts";
import { sortIdsByBytes } from "./term-sort.ts";
import type { TermIndexInput } from "./term-writer.ts";

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const INITIAL_TERMS = 1024;
/**
 * Occurrences collected before they are spilled as a run (4 bytes each while collected, plus
 * as much again for the spill's scratch and up to 8 bytes per record holding them). 1 << 16
 * rather than 1 << 19: a 30 MB seal's 19 tables held 52.8 MiB live after their adds with the
 * larger runs, 31.8 MiB with these (mostly the attribute tables, one occurrence per record in
 * each), for the same seal CPU. 1 << 14 rather than 1 << 16: the split seal helper's 24 tables
 * (1M-line import, 32 MiB chunks) held 40-43 MiB after their adds, 28-32 MiB with these; most
 * tables have few distinct terms, so this scratch was most of their memory.
 */
export const RUN_OCCURRENCES = 1 << 14;
/** Room for the record that crosses RUN_OCCURRENCES (the spill waits for its end) without a regrowth. */
const OCC_HEADROOM = RUN_OCCURRENCES >> 2;
/**
 * ...and at least this many per distinct term: a run's offsets table costs 4 bytes per term
 * so far, kept at most half of what its occurrences cost while collected (plus as much again
 * for the spill's scratch). Memory is thus O(distinct terms + compressed occurrences) whatever
 * the chunk size. 2 rather than 8: 1M-line import, 7 interleaved runs, minor faults -3% and
 * peak RSS 250-280 MiB against 249-291, same CPU (fewer occurrences held uncompressed).
 */
const RUN_OCCURRENCES_PER_TERM = 2;
/**
 * Dropping at least this many bytes of tables before another build (collectDropped) collects the
 * heap at once, so that build reuses their memory. HTTP NDJSON records with a per-record `seq`
 * (64 MiB chunk, 392k records): "values" and "pairs" hold ~40 MiB each while adding; with the
 * attribute indexes built one after the other, the inline seal peaked at 248-282 MiB RSS, 186-188
 * with a collection after endAdds and one after "values" is released (~15-25 ms each; one more
 * after "pairs", the last large table, lowered nothing). A small table is not worth a full
 * collection (the bench corpus's 32 MiB chunk drops none this large).
 */
const COLLECT_ON_RELEASE_BYTES = 16 << 20;

/** Spilled occurrences: for term ids below offsets.length - 1, positions as delta varints. */
interface Run {
  bytes: Uint8Array;
  /** offsets[id] .. offsets[id + 1] is term id's slice of `bytes`. */
  offsets: Uint32Array;
}

/** A copy of `a` with `cap` slots. */
function resize<T extends Uint32Array | Int32Array>(a: T, cap: number): T {
  const next = new (a.constructor as new (n: number) => T)(cap);
  next.set(a);
  return next;
}

/** Distinct terms of one index under construction, with their per-record occurrences. */
const textDecoder = new TextDecoder();

export class TermTable {
  /** Number of distinct terms; ids are 0..size-1 in order of first appearance. */
  size = 0;
  /** Records (not occurrences) holding each term. */
  counts = new Uint32Array(INITIAL_TERMS);
  private arena = new Uint8Array(1 << 14);
  /** starts[id] .. starts[id+1] is the term's bytes in the arena. */
  private starts = new Uint32Array(INITIAL_TERMS + 1);
  private lastRecord = new Int32Array(INITIAL_TERMS);
  /**
   * Per term, the first and the last run holding occurrences of it (at 2*id and 2*id+1; -1
   * before any): build() reads only those runs' offsets. Most terms are rare and sit in one
   * run, so a merge over many runs would otherwise read every later run's offsets per term,
   * each a cache miss.
   */
  private runSpan = new Int32Array(2 * INITIAL_TERMS);
  /**
   * Open-addressing slots, two words each: id + 1 (0 = empty) and the term's hash, side by side
   * so a probe compares hashes in the cache line it loaded (the tables of a seal outgrow the
   * caches; a separate hash array cost one more miss per probe). A power-of-two number of
   * slots, at most half full.
   */
  private slots = new Int32Array(INITIAL_TERMS * 4);
  private occ = new Uint32Array(RUN_OCCURRENCES + OCC_HEADROOM);
  private occLength = 0;
  private readonly runs: Run[] = [];
  /** Scratch of spill(), kept from run to run. */
  private grouped = new Uint32Array(0);
  private runWriter = new ByteWriter(1 << 16);
  /** Records with at least one occurrence: their position and first occurrence index. */
  private recPos = new Uint32Array(1024);
  private recFirst = new Uint32Array(1024);
  private recs = 0;
  private ordinal = -1;
  private pushedOrdinal = -1;
  private position = 0;
  /** Where the last find() that missed stopped (internMissed), valid while `slots` and `size` are unchanged. */
  private missHash = 0;
  private missSlot = 0;
  private missSlots: Int32Array | undefined;
  private missBuf: Uint8Array | undefined;
  private missStart = 0;
  private missEnd = 0;
  private missSize = 0;

  /** Starts a record: later `add` calls attach to position `pos` (ascending across calls). */
  startRecord(pos: number): void {
    if (this.occLength >= RUN_OCCURRENCES && this.occLength >= this.size * RUN_OCCURRENCES_PER_TERM) this.spill();
    this.ordinal++;
    this.position = pos;
  }

  /** The id of term `buf[start, end)`, or -1 when unknown (then internMissed can insert it). */
  find(buf: Uint8Array, start: number, end: number): number {
    const h = hashBytes(buf, start, end);
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const v = slots[2 * s]!;
      if (v === 0) {
        this.missHash = h;
        this.missSlot = s;
        this.missSlots = slots;
        this.missBuf = buf;
        this.missStart = start;
        this.missEnd = end;
        this.missSize = this.size;
        return -1;
      }
      if (slots[2 * s + 1] === h && this.equals(v - 1, buf, start, end)) return v - 1;
    }
  }

  /**
   * intern() of the term the last find() missed, given the same buffer and range with its
   * bytes unchanged: inserts it at the slot that find() stopped at, without hashing and
   * probing again (a new key=value pair otherwise costs two lookups). Falls back to intern()
   * when the table changed since or the range differs.
   */
  internMissed(buf: Uint8Array, start: number, end: number): number {
    if (buf !== this.missBuf || start !== this.missStart || end !== this.missEnd || this.slots !== this.missSlots || this.size !== this.missSize) return this.intern(buf, start, end);
    this.missSlots = undefined;
    return this.insert(this.missHash, this.missSlot, buf, start, end);
  }

  /** The id of term `buf[start, end)`, inserting it when new. */
  intern(buf: Uint8Array, start: number, end: number): number {
    const h = hashBytes(buf, start, end);
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    let s = h & mask;
    for (; ; s = (s + 1) & mask) {
      const v = slots[2 * s]!;
      if (v === 0) break;
      if (slots[2 * s + 1] === h && this.equals(v - 1, buf, start, end)) return v - 1;
    }
    return this.insert(h, s, buf, start, end);
  }

  /** Adds term `buf[start, end)` of hash `h` at empty slot `s`; returns its new id. */
  private insert(h: number, s: number, buf: Uint8Array, start: number, end: number): number {
    const id = this.size++;
    this.ensureTerms(this.size, end - start);
    const at = this.starts[id]!;
    copyBytes(this.arena, at, buf, start, end);
    this.starts[id + 1] = at + end - start;
    this.lastRecord[id] = -1;
    this.counts[id] = 0;
    this.runSpan[2 * id] = -1;
    this.slots[2 * s] = id + 1;
    this.slots[2 * s + 1] = h;
    if (this.size * 4 > this.slots.length) this.rehash();
    return id;
  }

  /** Records that the current record holds term `id` (once per record). */
  addId(id: number): void {
    if (this.lastRecord[id] === this.ordinal) return;
    this.lastRecord[id] = this.ordinal;
    this.counts[id]++;
    if (this.pushedOrdinal !== this.ordinal) this.pushRecord();
    if (this.occLength === this.occ.length) this.occ = resize(this.occ, this.occ.length * 2);
    this.occ[this.occLength++] = id;
  }

  /** True when the current record already holds term `id`. */
  inCurrentRecord(id: number): boolean {
    return this.lastRecord[id] === this.ordinal;
  }

  /** intern + addId. */
  add(buf: Uint8Array, start: number, end: number): number {
    const id = this.intern(buf, start, end);
    this.addId(id);
    return id;
  }

  /** Byte length of term `id`. */
  termLength(id: number): number {
    return this.starts[id + 1]! - this.starts[id]!;
  }

  /** Term `id` as text (UTF-8). */
  termText(id: number): string {
    return textDecoder.decode(this.arena.subarray(this.starts[id]!, this.starts[id + 1]!));
  }

  /** Length of the prefix terms `a` and `b` share (what front coding saves). */
  sharedPrefix(a: number, b: number): number {
    const sa = this.starts[a]!;
    const sb = this.starts[b]!;
    const n = Math.min(this.starts[a + 1]! - sa, this.starts[b + 1]! - sb);
    let i = 0;
    while (i < n && this.arena[sa + i] === this.arena[sb + i]) i++;
    return i;
  }

  /**
   * Term ids sorted ascending by their bytes, all of them or those `keep` accepts
   * (term-sort.ts: no JS string per term).
   */
  sortedIds(keep?: (id: number) => boolean): number[] {
    let ids = new Uint32Array(this.size);
    let n = 0;
    for (let i = 0; i < this.size; i++) if (keep === undefined || keep(i)) ids[n++] = i;
    ids = ids.subarray(0, n);
    sortIdsByBytes(ids, { arena: this.arena, starts: this.starts });
    return Array.from(ids);
  }

  /**
   * Spills the last occurrences and drops what only adding terms uses (the hash slots, the
   * per-term last record, the occurrence and spill scratch): before a builder sorts and builds
   * several large tables, each then holds only its terms, counts and runs. No add, find or
   * intern afterwards. Returns the bytes dropped (see collectDropped).
   */
  endAdds(): number {
    this.spill();
    return this.dropAddParts();
  }

  /** Drops what only adding uses (endAdds); returns its bytes. */
  private dropAddParts(): number {
    const dropped = this.slots.byteLength + this.lastRecord.byteLength + this.occ.byteLength + this.grouped.byteLength + this.recPos.byteLength + this.recFirst.byteLength + this.runWriter.capacity;
    this.slots = new Int32Array(0);
    this.lastRecord = new Int32Array(0);
    this.occ = new Uint32Array(0);
    this.grouped = new Uint32Array(0);
    this.recPos = new Uint32Array(0);
    this.recFirst = new Uint32Array(0);
    this.runWriter = new ByteWriter(0);
    return dropped;
  }

  /** Encodes the terms of `ids` (sorted by bytes) with their posting lists. */
  build(name: string, ids: readonly number[]): TermIndexInput {
    this.spill();
    const n = ids.length;
    let termBytes = 0;
    for (const id of ids) termBytes += this.termLength(id);
    const terms = new Uint8Array(termBytes);
    const termEnds = new Uint32Array(n);
    const postingEnds = new Uint32Array(n);
    let runBytes = 0;
    for (const run of this.runs) runBytes += run.bytes.length;
    const w = new ByteWriter(runBytes + 2 * n + 64);
    let positions = new Uint32Array(1024);
    let t = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      termEnds[i] = t = copyBytes(terms, t, this.arena, this.starts[id]!, this.starts[id + 1]!);
      const count = this.counts[id]!;
      if (count > positions.length) positions = new Uint32Array(Math.max(count, positions.length * 2));
      let k = 0;
      const lastRun = this.runSpan[2 * id + 1]!;
      for (let r = this.runSpan[2 * id]!; r >= 0 && r <= lastRun; r++) {
        const run = this.runs[r]!;
        if (id + 1 >= run.offsets.length) continue;
        const end = run.offsets[id + 1]!;
        const b = run.bytes;
        let pos = 0;
        for (let p = run.offsets[id]!; p < end; ) {
          // Inline varint read (our own bytes, written by spill()): the merge's inner loop.
          let v = b[p++]!;
          if (v >= 0x80) {
            v &= 0x7f;
            let mul = 128;
            let c: number;
            do {
              c = b[p++]!;
              v += (c & 0x7f) * mul;
              mul *= 128;
            } while (c >= 0x80);
          }
          positions[k++] = pos += v;
        }
      }
      encodePostings(positions, w, k);
      postingEnds[i] = w.length;
    }
    return { name, count: n, terms, termEnds, postings: w.finish(), postingEnds };
  }

  /**
   * Drops every term and occurrence (the table is empty and unusable afterwards): builders call
   * it once their section is built, so a seal's tables are garbage before the next section
   * builds rather than all held to the end of the seal. Returns the bytes dropped (see
   * collectDropped).
   */
  release(): number {
    const dropped = this.footprint();
    this.dropAddParts();
    this.size = 0;
    this.counts = new Uint32Array(0);
    this.arena = new Uint8Array(0);
    this.starts = new Uint32Array(1);
    this.runSpan = new Int32Array(0);
    this.occLength = 0;
    this.runs.length = 0;
    this.recs = 0;
    return dropped;
  }

  /** Bytes held by the table's arrays and runs. */
  private footprint(): number {
    let bytes = this.counts.byteLength + this.arena.byteLength + this.starts.byteLength + this.lastRecord.byteLength + this.runSpan.byteLength + this.slots.byteLength;
    bytes += this.occ.byteLength + this.grouped.byteLength + this.recPos.byteLength + this.recFirst.byteLength;
    bytes += this.runWriter.capacity;
    for (const run of this.runs) bytes += run.bytes.byteLength + run.offsets.byteLength;
    return bytes;
  }

  /** Moves the collected occurrences into a run, grouped by term id, and empties the id array. */
  private spill(): void {
    if (this.occLength === 0) return;
    const size = this.size;
    const offsets = new Uint32Array(size + 1);
    const start = new Uint32Array(size + 1);
    for (let k = 0; k < this.occLength; k++) start[this.occ[k]! + 1]++;
    for (let i = 0; i < size; i++) start[i + 1] += start[i]!;
    if (this.grouped.length < this.occLength) this.grouped = new Uint32Array(this.occLength);
    const grouped = this.grouped;
    const fill = start.slice(0, size);
    for (let r = 0; r < this.recs; r++) {
      const end = r + 1 < this.recs ? this.recFirst[r + 1]! : this.occLength;
      const pos = this.recPos[r]!;
      for (let k = this.recFirst[r]!; k < end; k++) grouped[fill[this.occ[k]!]!++] = pos;
    }
    const w = this.runWriter;
    w.reset();
    const run = this.runs.length;
    const span = this.runSpan;
    for (let id = 0; id < size; id++) {
      if (start[id + 1]! > start[id]!) {
        if (span[2 * id]! < 0) span[2 * id] = run;
        span[2 * id + 1] = run;
      }
      let prev = 0;
      for (let k = start[id]!; k < start[id + 1]!; k++) {
        w.varint(grouped[k]! - prev);
        prev = grouped[k]!;
      }
      offsets[id + 1] = w.length;
    }
    this.runs.push({ bytes: w.finish().slice(), offsets });
    this.occLength = 0;
    this.recs = 0;
    this.pushedOrdinal = -1;
  }

  private pushRecord(): void {
    if (this.recs === this.recPos.length) {
      this.recPos = resize(this.recPos, this.recs * 2);
      this.recFirst = resize(this.recFirst, this.recs * 2);
    }
    this.pushedOrdinal = this.ordinal;
    this.recPos[this.recs] = this.position;
    this.recFirst[this.recs++] = this.occLength;
  }

  private equals(id: number, buf: Uint8Array, start: number, end: number): boolean {
    const a = this.starts[id]!;
    if (this.starts[id + 1]! - a !== end - start) return false;
    const arena = this.arena;
    for (let i = start, j = a; i < end; i++, j++) if (arena[j] !== buf[i]) return false;
    return true;
  }

  private ensureTerms(size: number, extraBytes: number): void {
    if (size > this.counts.length) {
      const cap = this.counts.length * 2;
      this.counts = resize(this.counts, cap);
      this.lastRecord = resize(this.lastRecord, cap);
      this.runSpan = resize(this.runSpan, 2 * cap);
      this.starts = resize(this.starts, cap + 1);
    }
    const need = this.starts[size - 1]! + extraBytes;
    if (need > this.arena.length) {
      let cap = this.arena.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.arena);
      this.arena = next;
    }
  }

  /** Doubles the slots and places every term again. */
  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >>> 1) - 1;
    for (let o = 0; o < old.length; o += 2) {
      if (old[o] === 0) continue;
      const h = old[o + 1]!;
      let s = h & mask;
      while (slots[2 * s] !== 0) s = (s + 1) & mask;
      slots[2 * s] = old[o]!;
      slots[2 * s + 1] = h;
    }
    this.slots = slots;
  }
}

/**
 * Collects the heap at once when `bytes` (just dropped by endAdds or release) reach
 * COLLECT_ON_RELEASE_BYTES: for a builder whose next build would stack on them, as nothing else
 * frees them before (JavaScriptCore collects late, and the seal writer's GC pacing runs between
 * sections only).
 */
export function collectDropped(bytes: number): void {
  if (bytes >= COLLECT_ON_RELEASE_BYTES) Bun.gc(true);
}

/** FNV-1a over `buf[start, end)`, as the signed 32-bit word a slot stores. */
function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, FNV_PRIME);
  return h | 0;
}
