/**
 * Per-chunk index reports over every registered index type: sizes and status of each section
 * (heads only, cheap: `analyze` over a store) and each type's term statistics (walks the
 * dictionaries: `analyze <chunk>`, `indexes <chunk>`). Report walks use a private cache, so a
 * report never evicts query data, and never throw for a damaged section: they report it.
 */

import { errorMessage } from "../core/errors.ts";
import { ByteCache } from "../storage/byte-cache.ts";
import type { ChunkView } from "../storage/types.ts";
import type { TermSectionStatus } from "./format.ts";
import type { IndexTypeStats } from "./index-type.ts";
import { INDEX_TYPES } from "./registry.ts";
import { openTermSection } from "./section.ts";
import { viewSection, type TermSection } from "./section-context.ts";

/** Most top terms a report may ask for. */
export const MAX_TOP_N = 100;
/** Cache of one report walk: holds the block being walked (and its inline lists). */
const REPORT_CACHE_BYTES = 4 << 20;

export interface IndexSectionSize {
  /** The index type's name ("token"). */
  name: string;
  section: string;
  /** Section bytes as stored; 0 when absent. */
  bytes: number;
  /** "missing" when absent, "corrupt" when its head does not decode. */
  status: TermSectionStatus | "missing" | "corrupt";
  /** Bytes of its dictionaries and lists decoded. */
  bodyBytes: number;
  indexes: { name: string; terms: number; bodyBytes: number }[];
  error?: string;
}

/** Opens section `section` of `view` through a private cache, or undefined when absent. */
async function openReportSection(view: ChunkView, section: string, cache: ByteCache): Promise<TermSection | undefined> {
  const source = viewSection(view, section);
  return source === undefined ? undefined : openTermSection({ source, cache, key: `${section}#`, stats: { bytes: 0, reads: 0 } });
}

/** Sizes of every registered index type's section of `view`'s chunk, in registry order. */
export async function indexSizeReport(view: ChunkView): Promise<IndexSectionSize[]> {
  const cache = new ByteCache(REPORT_CACHE_BYTES);
  const sizes: IndexSectionSize[] = [];
  for (const { name, section } of INDEX_TYPES) {
    const bytes = view.sectionSize(section) ?? 0;
    try {
      const s = await openReportSection(view, section, cache);
      if (s === undefined) sizes.push({ name, section, bytes: 0, status: "missing", bodyBytes: 0, indexes: [] });
      else sizes.push({ name, section, bytes, status: s.status, bodyBytes: s.decodedBytes, indexes: s.indexes.map((e) => ({ name: e.name, terms: e.termCount, bodyBytes: e.bytes })) });
    } catch (err) {
      sizes.push({ name, section, bytes, status: "corrupt", bodyBytes: 0, indexes: [], error: errorMessage(err) });
    }
  }
  return sizes;
}

/**
 * Statistics of every registered index type whose section `view`'s chunk has (registry
 * order); `records` is the chunk's record count (coverage), `topN` is clamped to MAX_TOP_N.
 * A section that cannot be read is reported in `errors` and skipped.
 */
export async function chunkIndexStats(view: ChunkView, records: number, topN: number): Promise<{ stats: IndexTypeStats[]; errors: string[] }> {
  const n = Math.min(Math.max(topN, 0), MAX_TOP_N);
  const cache = new ByteCache(REPORT_CACHE_BYTES);
  const stats: IndexTypeStats[] = [];
  const errors: string[] = [];
  for (const t of INDEX_TYPES) {
    try {
      const s = await openReportSection(view, t.section, cache);
      if (s !== undefined) stats.push(await t.stats(s, records, n));
    } catch (err) {
      errors.push(`section "${t.section}": ${errorMessage(err)}`);
    }
  }
  return { stats, errors };
}
