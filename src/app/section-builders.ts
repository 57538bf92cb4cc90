/**
 * The index section builders every seal runs, in one list (used by the seal worker and by
 * in-process sealing), and which of them the helper of a split seal builds. Index builders
 * register in index/builders.ts; the message-KV budget is the default here (the seal job
 * carries no per-store kvBudget yet).
 */

import { indexSectionBuilders } from "../index/builders.ts";
import { ATTR_SECTION } from "../index/attr-builder.ts";
import { TOKEN_SECTION } from "../index/token-builder.ts";
import type { SectionBuilder } from "../storage/types.ts";

let factory: (() => SectionBuilder[]) | undefined;

/** Fresh builders for one seal (the registry is read on the first seal, not at load). */
export function sectionBuilders(): SectionBuilder[] {
  factory ??= indexSectionBuilders();
  return factory();
}

/**
 * Sections a split seal's helper builds: the key=value ones (message pairs and the format
 * fields). 1M-line bench corpus, one 32 MiB chunk: blocks ~0.8 s, tokens ~0.85 s, attributes
 * ~0.07 s stay with the writer; the key=value sections take ~1.4 s on the helper.
 */
export function builtBySealHelper(section: string): boolean {
  return section !== TOKEN_SECTION && section !== ATTR_SECTION;
}
