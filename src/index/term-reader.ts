/**
 * Reads a version-2 term section (format.ts) by range: the head is decoded once and cached;
 * a lookup binary-searches the first-term table, reads and decodes one dictionary block
 * (cached too), binary-searches its restarts and scans at most 16 terms, and for an external
 * list reads that list. Prefix lookups walk consecutive blocks. Every read is awaited (the
 * section may come from a remote tier), CRC-checked and counted in the caller's ReadStats; a
 * block that fails to decode throws LogError("corrupt") — it never answers "absent" for a term
 * it could not check.
 */

import { crc32 } from "../core/bytes/checksum.ts";
import { LogError } from "../core/errors.ts";
import { compareBytes, decodeHeaderLength, decodeStored, HEADER_SIZE } from "./format.ts";
import { blockAt, compareFirst, decodeHead, type HeadIndex, type SectionHead } from "./head.ts";
import { decodePostings } from "./postings.ts";
import { readCounted, type SectionContext, type TermSection } from "./section-context.ts";
import { BlockScanner, LIST_INLINE, LIST_SINGLE, type ListRef } from "./term-block.ts";
import type { MaybePromise } from "../storage/types.ts";
import type { TermEntry, TermIndex } from "./types.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Decodes and caches the head of `ctx`'s section from `probe`, its first bytes (a second read
 * fetches the rest of a head longer than the probe).
 */
export async function loadHead(ctx: SectionContext, probe: Uint8Array): Promise<SectionHead> {
  const need = HEADER_SIZE + decodeHeaderLength(probe);
  if (need > ctx.source.length) throw new LogError("corrupt", `term index section: head of ${need} bytes overruns the ${ctx.source.length}-byte section`);
  let b = probe;
  if (need > probe.length) {
    b = new Uint8Array(need);
    b.set(probe);
    b.set(await readCounted(ctx, probe.length, need - probe.length), probe.length);
  }
  const head = decodeHead(b, ctx.source.length);
  ctx.cache.set(`${ctx.key}head`, head, need * 2);
  return head;
}

/** An opened version-2 section. */
export class BlockTermSection implements TermSection {
  readonly status;
  readonly indexes;

  constructor(
    private readonly ctx: SectionContext,
    private readonly head: SectionHead,
  ) {
    this.status = head.status;
    this.indexes = head.indexes.map((e) => ({ name: e.name, termCount: e.termCount, bytes: e.bytes }));
  }

  index(name: string): TermIndex | undefined {
    const e = this.head.indexes.find((x) => x.name === name);
    return e === undefined ? undefined : new BlockTermIndex(this.ctx, this.head, e);
  }

  /** Block body bytes plus list bytes: what the dictionary holds decoded (reports). */
  get decodedBytes(): number {
    let n = 0;
    for (const e of this.head.indexes) {
      for (let k = 0; k < e.blockCount; k++) {
        const b = blockAt(e, k, this.head.dataLength);
        n += b.rawLen + b.listsLen;
      }
    }
    return n;
  }
}

class BlockTermIndex implements TermIndex {
  readonly termCount: number;
  readonly bytes: number;

  constructor(
    private readonly ctx: SectionContext,
    private readonly head: SectionHead,
    private readonly e: HeadIndex,
  ) {
    this.termCount = e.termCount;
    this.bytes = e.bytes;
  }

  /** Answers at once when the block is cached (the usual warm lookup), else after reading it. */
  get(term: string): MaybePromise<Uint32Array | undefined> {
    const q = encoder.encode(term);
    const b = this.blockFor(q);
    if (b < 0) return undefined;
    const body = this.body(b);
    return body instanceof Promise ? body.then((read) => this.find(b, read, q)) : this.find(b, body, q);
  }

  /** The list of term q in block b (decoded `body`), or undefined when the block lacks it. */
  private find(b: number, body: Uint8Array, q: Uint8Array): MaybePromise<Uint32Array | undefined> {
    const sc = this.scanner(b, body);
    sc.seek(q);
    while (sc.next()) {
      const c = compareBytes(sc.term, 0, sc.termLength, q);
      if (c === 0) return this.list(b, sc, body);
      if (c > 0) return undefined;
    }
    return undefined;
  }

  async *prefix(prefix: string): AsyncGenerator<TermEntry> {
    const q = encoder.encode(prefix);
    for (let b = Math.max(0, this.blockFor(q)); b < this.e.blockCount; b++) {
      const body = this.body(b);
      const sc = this.scanner(b, body instanceof Promise ? await body : body);
      sc.seek(q);
      while (sc.next()) {
        // Compares the term's first |q| bytes: < 0 before the range (a shorter equal term
        // included), 0 inside it, > 0 past it.
        const c = compareBytes(sc.term, 0, Math.min(sc.termLength, q.length), q);
        if (c < 0) continue;
        if (c > 0) return;
        yield this.entry(b, sc);
      }
    }
  }

  /** Index of the last block whose first term is <= q, or -1 when q precedes them all. */
  private blockFor(q: Uint8Array): number {
    let lo = 0;
    let hi = this.e.blockCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareFirst(this.e, mid, q) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** A scanner over block b, whose decoded body is `body`. */
  private scanner(b: number, body: Uint8Array): BlockScanner {
    const block = blockAt(this.e, b, this.head.dataLength);
    const sc = new BlockScanner();
    sc.reset(body, block.terms, block.offset + block.listsLen);
    return sc;
  }

  /** Block b's decoded body: from the cache at once, or read (CRC-checked, decompressed). */
  private body(b: number): MaybePromise<Uint8Array> {
    const key = this.blockKey(b);
    return this.ctx.cache.get<Uint8Array>(key) ?? this.readBody(b, key);
  }

  private blockKey(b: number): string {
    return `${this.ctx.key}${this.e.name}/${b}`;
  }

  private async readBody(b: number, key: string): Promise<Uint8Array> {
    const block = blockAt(this.e, b, this.head.dataLength);
    const stored = await readCounted(this.ctx, this.head.dataStart + block.offset + block.listsLen, block.storedLen);
    if (crc32(stored) !== block.crc) throw this.corrupt(`block ${b} checksum mismatch`);
    const body = decodeStored(stored, block.codec, block.rawLen, `index "${this.e.name}" block ${b}`);
    this.ctx.cache.set(key, body, body.length);
    return body;
  }

  private entry(b: number, sc: BlockScanner): TermEntry {
    const ref: ListRef = { listKind: sc.listKind, listStart: sc.listStart, listEnd: sc.listEnd, listOffset: sc.listOffset, listLength: sc.listLength, listCrc: sc.listCrc };
    return { term: decoder.decode(sc.term.subarray(0, sc.termLength)), count: sc.count, positions: () => this.list(b, ref) };
  }

  /** The posting list `sc` refers to (block b's current entry; `body` when at hand). */
  private list(b: number, sc: ListRef, body?: Uint8Array): MaybePromise<Uint32Array> {
    if (sc.listKind === LIST_SINGLE) return Uint32Array.of(sc.listStart);
    if (sc.listKind !== LIST_INLINE) return this.externalList(b, sc);
    const { listStart, listEnd } = sc;
    const held = body ?? this.body(b);
    return held instanceof Promise ? held.then((read) => this.decodeList(read, listStart, listEnd)) : this.decodeList(held, listStart, listEnd);
  }

  /**
   * A list stored before its block: read, CRC-checked, decompressed and decoded, then offered to
   * the cache (kept from its second use: the long lists of common terms that repeated queries
   * intersect, e.g. a comparison's failing values, are not read and decoded again each time).
   */
  private externalList(b: number, sc: ListRef): MaybePromise<Uint32Array> {
    const key = `${this.ctx.key}${this.e.name}@${sc.listOffset}`;
    return this.ctx.cache.get<Uint32Array>(key) ?? this.readExternalList(b, sc, key);
  }

  private async readExternalList(b: number, sc: ListRef, key: string): Promise<Uint32Array> {
    const crc = sc.listCrc; // `sc` may be a scanner that moves on while the read is awaited
    const stored = await readCounted(this.ctx, this.head.dataStart + sc.listOffset, sc.listLength);
    if (crc32(stored) !== crc) throw this.corrupt(`block ${b}: posting list checksum mismatch`);
    if (stored.length === 0) throw this.corrupt(`block ${b}: empty external list`);
    const raw = decodeStored(stored.subarray(1), stored[0]!, -1, `index "${this.e.name}" block ${b} list`);
    const list = this.decodeList(raw, 0, raw.length);
    this.ctx.cache.offer(key, list, list.byteLength);
    return list;
  }

  private decodeList(buf: Uint8Array, start: number, end: number): Uint32Array {
    const cur = { pos: start };
    const p = decodePostings(buf, cur, end);
    if (cur.pos !== end) throw this.corrupt(`posting list ends at ${cur.pos}, slot ends at ${end}`);
    return p;
  }

  private corrupt(detail: string): LogError {
    return new LogError("corrupt", `term index "${this.e.name}": ${detail}`);
  }
}
