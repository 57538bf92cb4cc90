/**
 * The contract of one index type (token, attribute, message key=value, later the format
 * indexes): how it is built at seal, which planner probes it answers and how, and what its
 * statistics say. Every consumer — seal builders, the planner, size reports, analyze/indexes
 * in the API and the REPL — finds index types through registry.ts only, so adding one is its
 * file plus one registry line.
 */

import type { MaybePromise, SectionBuilder } from "../storage/types.ts";
import type { KvSectionGroup } from "./kv-section-group.ts";
import type { TermSection } from "./section-context.ts";
import type { FieldValueSource, IndexProbe, ProbeAnswer, ProbeKind } from "./types.ts";

/** What the section builders of one seal share. */
export interface SealBuilders {
  /** What the key=value builders' lookups scan (kv-section-group.ts). */
  readonly kv: KvSectionGroup;
}

export interface IndexBuildOptions {
  /** Message-KV budget in bytes (greedy, most frequent terms first); default 10 MiB; must be a positive integer. */
  kvBudget?: number;
  /** Dictionary block body target in bytes (format.ts DEFAULT_BLOCK_BYTES); tests use tiny ones. */
  blockBytes?: number;
}

/** A term with the records holding it (top lists). */
export interface TermCount {
  term: string;
  count: number;
}

/** One line of an index's statistics: a label and a value of one of four shapes. */
export type StatField =
  | { label: string; kind: "count"; count: number }
  | { label: string; kind: "text"; text: string }
  /** `part` of `whole` `of` (e.g. records), printed as a percentage with both numbers. */
  | { label: string; kind: "ratio"; part: number; whole: number; of: string }
  | { label: string; kind: "terms"; terms: TermCount[] };

/** An index type's statistics of one chunk, as analyze and indexes show them. */
export interface IndexTypeStats {
  /** The type's name ("token"). */
  name: string;
  section: string;
  /** Heading of its block in analyze ("Token stats"). */
  title: string;
  /** The counts part of its `indexes` line ("30 tokens, 38 positions"). */
  summary: string;
  fields: StatField[];
  /** What a reader must know (lossy, capped, overflowed keys). */
  warnings: string[];
}

export interface IndexType {
  /** Short name: explain notes, reports and the REPL ("token", "attr", "kv"). */
  readonly name: string;
  /** In words, for "no <title> index" notes ("token", "attribute", "message key=value"). */
  readonly title: string;
  /** The segment section it builds and reads. */
  readonly section: string;
  /**
   * Probe kinds it answers. Every type serving a kind must be present in a chunk for the
   * planner to use the indexes for that kind (their answers are united).
   */
  readonly answers: readonly ProbeKind[];
  /**
   * A fresh builder for one seal (options already validated by builders.ts); `seal` is shared by
   * the builders of that seal (absent: a builder alone).
   */
  builder(options: Required<IndexBuildOptions>, seal?: SealBuilders): SectionBuilder;
  /** Its answer to `probe` (of a kind in `answers`) from this chunk's opened section. */
  probe(section: TermSection, probe: IndexProbe): MaybePromise<ProbeAnswer>;
  /**
   * For an index of record fields: its place in field resolution order (lower first) and field
   * `key`'s values in this chunk's section, undefined when it cannot list them exactly.
   */
  readonly fields?: {
    readonly rank: number;
    values(section: TermSection, key: string): Promise<FieldValueSource | undefined>;
  };
  /** Statistics of its section (reads every dictionary block; `topN` already clamped). */
  stats(section: TermSection, records: number, topN: number): MaybePromise<IndexTypeStats>;
}
