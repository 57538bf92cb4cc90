/**
 * The index section builders every seal runs, in one list (used by the seal worker and by
 * in-process sealing). Index builders register in index/builders.ts; the message-KV budget is
 * the default here (the seal job carries no per-store kvBudget yet).
 */

import { indexSectionBuilders } from "../index/builders.ts";
import type { SectionBuilder } from "../storage/types.ts";

let factory: (() => SectionBuilder[]) | undefined;

/** Fresh builders for one seal (the registry is read on the first seal, not at load). */
export function sectionBuilders(): SectionBuilder[] {
  factory ??= indexSectionBuilders();
  return factory();
}
