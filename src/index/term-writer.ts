/**
 * Encodes term indexes into one version-2 term section (format.ts): cuts each index's sorted
 * terms into dictionary blocks of about `blockBytes` body bytes with restart points, compresses each block (and
 * each long external list) when that pays, and writes the head with the first-term table. The
 * builders hand it sorted terms with encoded posting lists (term-table.ts); it knows nothing
 * about tokens, attributes or budgets.
 */

import { crc32 } from "../core/bytes/checksum.ts";
import { LogError } from "../core/errors.ts";
import { postingsCount } from "./postings.ts";
import { checkBlockBytes, DEFAULT_BLOCK_BYTES, encodeStored, MAX_TERM_BYTES, type TermSectionStatus } from "./format.ts";
import { type BlockEntry, encodeHead, type IndexEntry } from "./head.ts";
import { BlockBodyWriter } from "./term-block.ts";

/** One named index ready to encode: `count` terms sorted ascending by bytes. */
export interface TermIndexInput {
  readonly name: string;
  readonly count: number;
  /** Concatenated term bytes; term i is terms[termEnds[i-1] ?? 0, termEnds[i]). */
  readonly terms: Uint8Array;
  readonly termEnds: Uint32Array;
  /** Concatenated encoded posting lists (postings.ts), ends like termEnds. */
  readonly postings: Uint8Array;
  readonly postingEnds: Uint32Array;
}

export interface TermSectionOptions {
  /** Dictionary block body target in bytes (format.ts DEFAULT_BLOCK_BYTES); tests use tiny ones. */
  blockBytes?: number;
}

/**
 * Encodes `indexes` (1..MAX_INDEXES_PER_SECTION, ASCII names) into one section, taking them one
 * at a time: an iterable that builds each index when asked (and drops its table) holds one
 * index's build at a time, not all of them. The encoded blocks are kept as they come (they are
 * compressed, so much smaller than the input) and copied once behind the head.
 */
export function encodeTermSection(status: TermSectionStatus, indexes: Iterable<TermIndexInput>, options: TermSectionOptions = {}): Uint8Array {
  const target = options.blockBytes ?? DEFAULT_BLOCK_BYTES;
  checkBlockBytes(target);
  const data = new BlockParts();
  const body = new BlockBodyWriter();
  const entries: IndexEntry[] = [];
  for (const x of indexes) {
    const start = data.length;
    const blocks: BlockEntry[] = [];
    let first = 0;
    for (let i = 0; i < x.count; i++) {
      const ts = i === 0 ? 0 : x.termEnds[i - 1]!;
      const te = x.termEnds[i]!;
      if (te - ts > MAX_TERM_BYTES) throw new LogError("limit", `index "${x.name}": term of ${te - ts} bytes exceeds ${MAX_TERM_BYTES}`);
      const ls = i === 0 ? 0 : x.postingEnds[i - 1]!;
      body.add(x.terms, ts, te, postingsCount(x.postings, ls, x.postingEnds[i]!), x.postings, ls, x.postingEnds[i]!);
      if (body.body.length >= target || i === x.count - 1) {
        blocks.push(flushBlock(body, data, x.terms.slice(first === 0 ? 0 : x.termEnds[first - 1]!, x.termEnds[first]!)));
        first = i + 1;
      }
    }
    entries.push({ name: x.name, termCount: x.count, bytes: data.length - start, blocks });
  }
  const head = encodeHead(status, entries);
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  data.copyTo(out, head.length);
  return out;
}

/** The data area as a list of byte arrays (each block's lists and stored body), copied out once at the end. */
class BlockParts {
  length = 0;
  private readonly parts: Uint8Array[] = [];

  /** Appends `b`, which the caller no longer changes. */
  push(b: Uint8Array): void {
    if (b.length === 0) return;
    this.parts.push(b);
    this.length += b.length;
  }

  copyTo(out: Uint8Array, at: number): void {
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
  }
}

/** Writes the pending block's lists, then the block, to `data`; returns its head entry. */
function flushBlock(body: BlockBodyWriter, data: BlockParts, first: Uint8Array): BlockEntry {
  const raw = body.finishBody();
  const { stored, codec } = encodeStored(raw);
  const lists = body.lists.finish();
  const entry: BlockEntry = { first, terms: body.terms, offset: data.length, listsLen: lists.length, storedLen: stored.length, rawLen: raw.length, codec, crc: crc32(stored) };
  // Both writers are reused by the next block: copy what is a view of them.
  data.push(lists.slice());
  data.push(stored === raw ? raw.slice() : stored);
  body.reset(data.length);
  return entry;
}
