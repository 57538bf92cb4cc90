/**
 * Index size report for `analyze`-style output: per index section of a chunk, its bytes,
 * status and, per named index, term count and uncompressed bytes. Reads headers only.
 */

import { errorMessage } from "../core/errors.ts";
import type { ChunkReader } from "../storage/types.ts";
import { ATTR_SECTION } from "./attr-builder.ts";
import { MSGKV_SECTION } from "./msgkv-builder.ts";
import { decodeTermSectionHeader, type TermSectionStatus } from "./term-section-format.ts";
import { TOKEN_SECTION } from "./token-builder.ts";

/** The index sections a chunk may carry, in report order. */
export const INDEX_SECTIONS = [TOKEN_SECTION, ATTR_SECTION, MSGKV_SECTION] as const;

export interface IndexSectionSize {
  section: string;
  /** Section bytes as stored (header + compressed body); 0 when absent. */
  bytes: number;
  /** "missing" when absent, "corrupt" when its header does not decode. */
  status: TermSectionStatus | "missing" | "corrupt";
  /** Uncompressed body bytes. */
  bodyBytes: number;
  indexes: { name: string; terms: number; bodyBytes: number }[];
  error?: string;
}

/** Sizes of every index section of `reader`'s chunk. */
export function indexSizeReport(reader: ChunkReader): IndexSectionSize[] {
  return INDEX_SECTIONS.map((section) => {
    const bytes = reader.section(section);
    if (bytes === undefined) return { section, bytes: 0, status: "missing", bodyBytes: 0, indexes: [] };
    try {
      const h = decodeTermSectionHeader(bytes);
      const indexes = h.indexes.map((e) => ({ name: e.name, terms: e.termCount, bodyBytes: e.regionLength }));
      return { section, bytes: bytes.length, status: h.status, bodyBytes: h.bodyLength, indexes };
    } catch (err) {
      return { section, bytes: bytes.length, status: "corrupt", bodyBytes: 0, indexes: [], error: errorMessage(err) };
    }
  });
}
