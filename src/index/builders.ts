/**
 * The index section builders a seal runs — one per registered index type (registry.ts) — as
 * one SectionBuilderFactory the composition root hands to the stores. Validates options once.
 */

import { LogError } from "../core/errors.ts";
import type { SectionBuilderFactory } from "../storage/types.ts";
import { checkBlockBytes, DEFAULT_BLOCK_BYTES } from "./format.ts";
import type { IndexBuildOptions } from "./index-type.ts";
import { DEFAULT_KV_BUDGET } from "./msgkv-budget.ts";
import { KvSectionGroup } from "./kv-section-group.ts";
import { INDEX_TYPES } from "./registry.ts";

export type { IndexBuildOptions } from "./index-type.ts";

/** `options` with defaults filled in; LogError("invalid_argument") for a bad value. */
export function resolveBuildOptions(options: IndexBuildOptions = {}): Required<IndexBuildOptions> {
  const o: Required<IndexBuildOptions> = { kvBudget: options.kvBudget ?? DEFAULT_KV_BUDGET, blockBytes: options.blockBytes ?? DEFAULT_BLOCK_BYTES };
  if (!Number.isSafeInteger(o.kvBudget) || o.kvBudget <= 0) {
    throw new LogError("invalid_argument", `kvBudget must be a positive integer number of bytes, got ${o.kvBudget}`);
  }
  checkBlockBytes(o.blockBytes);
  return o;
}

/** Fresh builders of every registered index type for every seal (sharing one SealBuilders). */
export function indexSectionBuilders(options: IndexBuildOptions = {}): SectionBuilderFactory {
  const o = resolveBuildOptions(options);
  return () => {
    const seal = { kv: new KvSectionGroup() };
    return INDEX_TYPES.map((t) => t.builder(o, seal));
  };
}
