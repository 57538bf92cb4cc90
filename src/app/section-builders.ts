/**
 * The index section builders every seal runs, in one list (used by the seal worker and by
 * in-process sealing), and which of them the helper of a split seal builds. Index builders
 * register in index/builders.ts; the message-KV budget is the default here (the seal job
 * carries no per-store kvBudget yet).
 */

import { indexSectionBuilders } from "../index/builders.ts";
import { TOKEN_SECTION } from "../index/token-builder.ts";
import type { SectionBuilder } from "../storage/types.ts";

let factory: (() => SectionBuilder[]) | undefined;

/** Fresh builders for one seal (the registry is read on the first seal, not at load). */
export function sectionBuilders(): SectionBuilder[] {
  factory ??= indexSectionBuilders();
  return factory();
}

/**
 * Sections a split seal's helper builds: all but the tokens. 1M-line bench corpus, one 32 MiB
 * chunk (zstd level 6 blocks), two runs: the writer's blocks and reads 0.54-0.98 s plus tokens
 * 0.31-0.47 s; the helper's attributes 0.04-0.08 s and key=value sections (message pairs, format
 * fields) 0.62-0.84 s.
 */
export function builtBySealHelper(section: string): boolean {
  return section !== TOKEN_SECTION;
}
