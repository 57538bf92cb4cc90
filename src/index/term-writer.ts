/**
 * Encodes term indexes into one version-2 term section (format.ts): cuts each index's sorted
 * terms into dictionary blocks of about `blockBytes` body bytes with restart points, compresses each block (and
 * each long external list) when that pays, and writes the head with the first-term table. The
 * builders hand it sorted terms with encoded posting lists (term-table.ts); it knows nothing
 * about tokens, attributes or budgets.
 */

import { crc32 } from "../core/bytes/checksum.ts";
import { ByteWriter } from "../core/bytes/growable.ts";
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

/** Encodes `indexes` (1..MAX_INDEXES_PER_SECTION, ASCII names) into one section. */
export function encodeTermSection(status: TermSectionStatus, indexes: readonly TermIndexInput[], options: TermSectionOptions = {}): Uint8Array {
  const target = options.blockBytes ?? DEFAULT_BLOCK_BYTES;
  checkBlockBytes(target);
  // Sized for the uncompressed input (blocks compress to less): no doubling garbage at seal.
  let estimate = 1 << 12;
  for (const x of indexes) estimate += x.terms.length + x.postings.length + 8 * x.count;
  const data = new ByteWriter(estimate);
  const body = new BlockBodyWriter();
  const entries: IndexEntry[] = indexes.map((x) => {
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
    return { name: x.name, termCount: x.count, bytes: data.length - start, blocks };
  });
  const head = encodeHead(status, entries);
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data.finish(), head.length);
  return out;
}

/** Writes the pending block's lists, then the block, to `data`; returns its head entry. */
function flushBlock(body: BlockBodyWriter, data: ByteWriter, first: Uint8Array): BlockEntry {
  const raw = body.finishBody();
  const { stored, codec } = encodeStored(raw);
  const lists = body.lists.finish();
  const entry: BlockEntry = { first, terms: body.terms, offset: data.length, listsLen: lists.length, storedLen: stored.length, rawLen: raw.length, codec, crc: crc32(stored) };
  data.bytes(lists);
  data.bytes(stored);
  body.reset(data.length);
  return entry;
}
