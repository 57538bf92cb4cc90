/**
 * Reads version-1 term sections, as segments written before the blocked format (format.ts)
 * hold them: a 12-byte header, a directory of named indexes, then ONE zstd frame with every
 * index's region. Kept so old stores stay searchable; nothing writes this version any more.
 * The first lookup decompresses the whole body (the cost the blocked format removes).
 *
 *   section = header directory zstdFrame(body)                      little-endian
 *   header  : magic "GLTX" (4) | version u8 = 1 | status u8 | count u8 | reserved u8 = 0
 *             | bodyLength u32 (uncompressed)                        = 12 bytes
 *   directory, `count` entries, regions tiling the body in order:
 *             nameLen u8 | name (ASCII) | termCount u32 | regionOffset u32 | regionLength u32
 *   body    = region(index 0) region(index 1) ...
 *   region  : termLength varint × N | postingLength varint × N
 *             | term bytes (sorted ascending, unsigned bytewise, concatenated)
 *             | posting lists (postings.ts encoding, concatenated in term order)
 */

import { readVarint } from "../../core/bytes/varint.ts";
import { errorMessage, LogError } from "../../core/errors.ts";
import { compareBytes, MAX_INDEX_NAME_BYTES, MAX_INDEXES_PER_SECTION, TERM_STATUSES, type TermSectionStatus } from "../format.ts";
import { decodePostings, postingsCount } from "../postings.ts";
import type { TermSection } from "../section-context.ts";
import type { TermEntry, TermIndex } from "../types.ts";

export const V1_VERSION = 1;
export const V1_HEADER_SIZE = 12;
/** Fixed bytes of a directory entry besides its name (nameLen, termCount, offset, length). */
const DIRECTORY_ENTRY_FIXED = 13;
/** Largest uncompressed body accepted. */
const MAX_BODY_BYTES = 0x4000_0000;
/** Smallest bytes one term takes in a region: two length varints and a 2-byte empty list. */
const MIN_TERM_BYTES = 4;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface RegionEntry {
  readonly name: string;
  readonly termCount: number;
  readonly regionOffset: number;
  readonly regionLength: number;
}

interface V1Header {
  readonly status: TermSectionStatus;
  readonly bodyLength: number;
  readonly indexes: readonly RegionEntry[];
  readonly frameOffset: number;
}

function corrupt(detail: string): LogError {
  return new LogError("corrupt", `term index section: ${detail}`);
}

/** Reads and validates a version-1 header and directory (no decompression). */
export function decodeV1Header(b: Uint8Array): V1Header {
  if (b.length < V1_HEADER_SIZE) throw corrupt(`${b.length} bytes is shorter than the ${V1_HEADER_SIZE}-byte header`);
  if (b[4] !== V1_VERSION) throw corrupt(`unknown version ${b[4]}`);
  const status = TERM_STATUSES[b[5]!];
  if (status === undefined) throw corrupt(`unknown status ${b[5]}`);
  const count = b[6]!;
  if (count < 1 || count > MAX_INDEXES_PER_SECTION) throw corrupt(`index count ${count} out of range 1..${MAX_INDEXES_PER_SECTION}`);
  if (b[7] !== 0) throw corrupt(`reserved byte is ${b[7]}`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const bodyLength = v.getUint32(8, true);
  if (bodyLength > MAX_BODY_BYTES) throw corrupt(`body length ${bodyLength} exceeds ${MAX_BODY_BYTES}`);
  const indexes: RegionEntry[] = [];
  let at = V1_HEADER_SIZE;
  let expect = 0;
  for (let i = 0; i < count; i++) {
    const nameLen = b[at];
    if (nameLen === undefined || nameLen < 1 || nameLen > MAX_INDEX_NAME_BYTES) throw corrupt(`index name length ${nameLen} at offset ${at}`);
    if (at + nameLen + DIRECTORY_ENTRY_FIXED > b.length) throw corrupt(`directory entry at offset ${at} overruns the section`);
    const name = String.fromCharCode(...b.subarray(at + 1, at + 1 + nameLen));
    at += 1 + nameLen;
    const termCount = v.getUint32(at, true);
    const regionOffset = v.getUint32(at + 4, true);
    const regionLen = v.getUint32(at + 8, true);
    at += 12;
    if (regionOffset !== expect || regionLen > bodyLength - regionOffset) throw corrupt(`index "${name}" region [${regionOffset}+${regionLen}) does not tile a ${bodyLength}-byte body`);
    if (termCount * MIN_TERM_BYTES > regionLen) throw corrupt(`index "${name}" claims ${termCount} terms in ${regionLen} bytes`);
    expect = regionOffset + regionLen;
    indexes.push({ name, termCount, regionOffset, regionLength: regionLen });
  }
  if (expect !== bodyLength) throw corrupt(`regions cover ${expect} of ${bodyLength} body bytes`);
  return { status, bodyLength, indexes, frameOffset: at };
}

/** Fills out[1..n] with running sums of n lengths, none past the region's size. */
function readEnds(body: Uint8Array, cur: { pos: number }, end: number, out: Uint32Array, e: RegionEntry): void {
  let sum = 0;
  for (let i = 1; i < out.length; i++) {
    try {
      sum += readVarint(body, cur, end, 5);
    } catch (err) {
      throw corrupt(`index "${e.name}": length ${errorMessage(err)}`);
    }
    if (sum > e.regionLength) throw corrupt(`index "${e.name}": lengths exceed its ${e.regionLength}-byte region`);
    out[i] = sum;
  }
}

/** A region's offset tables: term i is body[termStarts[i], termStarts[i+1]), lists likewise. */
interface DecodedRegion {
  readonly termStarts: Uint32Array;
  readonly postingStarts: Uint32Array;
}

/** Turns a region's length tables into offset tables, checking that they fill it exactly. */
function decodeRegion(body: Uint8Array, e: RegionEntry): DecodedRegion {
  const n = e.termCount;
  const end = e.regionOffset + e.regionLength;
  const termStarts = new Uint32Array(n + 1);
  const postingStarts = new Uint32Array(n + 1);
  const cur = { pos: e.regionOffset };
  readEnds(body, cur, end, termStarts, e);
  readEnds(body, cur, end, postingStarts, e);
  const termBase = cur.pos;
  const postingBase = termBase + termStarts[n]!;
  if (postingBase + postingStarts[n]! !== end) throw corrupt(`index "${e.name}": lengths cover ${postingBase + postingStarts[n]! - e.regionOffset} of ${e.regionLength} region bytes`);
  for (let i = 0; i <= n; i++) {
    termStarts[i] += termBase;
    postingStarts[i] += postingBase;
  }
  return { termStarts, postingStarts };
}

/** An opened version-1 section: its header and its named indexes; the body decodes on first use. */
export class V1TermSection implements TermSection {
  readonly status: TermSectionStatus;
  readonly indexes: readonly { name: string; termCount: number; bytes: number }[];
  private readonly header: V1Header;
  private body: Uint8Array | undefined;

  /** Validates the header of `bytes` (the whole section); throws LogError("corrupt") when malformed. */
  constructor(private readonly bytes: Uint8Array) {
    this.header = decodeV1Header(bytes);
    this.status = this.header.status;
    const total = this.header.bodyLength;
    this.indexes = this.header.indexes.map((e) => ({ name: e.name, termCount: e.termCount, bytes: Math.round(bytes.length * (total === 0 ? 1 / this.header.indexes.length : e.regionLength / total)) }));
  }

  index(name: string): TermIndex | undefined {
    const i = this.header.indexes.findIndex((x) => x.name === name);
    return i < 0 ? undefined : new V1TermIndex(this, this.header.indexes[i]!, this.indexes[i]!.bytes);
  }

  get decodedBytes(): number {
    return this.header.bodyLength;
  }

  /** The decompressed body (decoded once, then kept). */
  decodedBody(): Uint8Array {
    if (this.body !== undefined) return this.body;
    let body: Uint8Array;
    try {
      body = Bun.zstdDecompressSync(this.bytes.subarray(this.header.frameOffset));
    } catch (err) {
      throw corrupt(`zstd body: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (body.length !== this.header.bodyLength) throw corrupt(`body is ${body.length} bytes, header says ${this.header.bodyLength}`);
    this.body = body;
    return body;
  }
}

class V1TermIndex implements TermIndex {
  private region: DecodedRegion | undefined;
  readonly termCount: number;

  constructor(
    private readonly section: V1TermSection,
    private readonly entry: RegionEntry,
    readonly bytes: number,
  ) {
    this.termCount = entry.termCount;
  }

  get(term: string): Uint32Array | undefined {
    const q = encoder.encode(term);
    const i = this.lowerBound(q);
    if (i === this.termCount) return undefined;
    const { termStarts, postingStarts } = this.decoded();
    const body = this.section.decodedBody();
    if (compareBytes(body, termStarts[i]!, termStarts[i + 1]!, q) !== 0) return undefined;
    return this.decodeList(body, postingStarts[i]!, postingStarts[i + 1]!);
  }

  *prefix(prefix: string): Generator<TermEntry> {
    const q = encoder.encode(prefix);
    const body = this.section.decodedBody();
    const { termStarts, postingStarts } = this.decoded();
    for (let i = this.lowerBound(q); i < this.termCount; i++) {
      const start = termStarts[i]!;
      const end = termStarts[i + 1]!;
      if (end - start < q.length || compareBytes(body, start, start + q.length, q) !== 0) return;
      const [ls, le] = [postingStarts[i]!, postingStarts[i + 1]!];
      yield { term: decoder.decode(body.subarray(start, end)), count: postingsCount(body, ls, le), positions: () => this.decodeList(body, ls, le) };
    }
  }

  /** First term index whose term is >= q. */
  private lowerBound(q: Uint8Array): number {
    if (this.termCount === 0) return 0;
    const body = this.section.decodedBody();
    const { termStarts } = this.decoded();
    let lo = 0;
    let hi = this.termCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(body, termStarts[mid]!, termStarts[mid + 1]!, q) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private decoded(): DecodedRegion {
    this.region ??= decodeRegion(this.section.decodedBody(), this.entry);
    return this.region;
  }

  private decodeList(body: Uint8Array, start: number, end: number): Uint32Array {
    const cur = { pos: start };
    const p = decodePostings(body, cur, end);
    if (cur.pos !== end) throw new LogError("corrupt", `term index "${this.entry.name}": posting list ends at ${cur.pos}, slot ends at ${end}`);
    return p;
  }
}
