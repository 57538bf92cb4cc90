/**
 * The index section builders a seal runs (tokens, attributes, message key=value), as one
 * SectionBuilderFactory the composition root hands to the stores. Validates options once.
 */

import { LogError } from "../core/errors.ts";
import type { SectionBuilderFactory } from "../storage/types.ts";
import { AttrIndexBuilder } from "./attr-builder.ts";
import { DEFAULT_KV_BUDGET } from "./msgkv-budget.ts";
import { MessageKvIndexBuilder } from "./msgkv-builder.ts";
import { TokenIndexBuilder } from "./token-builder.ts";

export interface IndexBuildOptions {
  /** Message-KV budget in bytes (greedy, most frequent terms first); default 10 MiB; must be a positive integer. */
  kvBudget?: number;
}

/** Fresh token, attribute and message-KV builders for every seal. */
export function indexSectionBuilders(options: IndexBuildOptions = {}): SectionBuilderFactory {
  const budget = options.kvBudget ?? DEFAULT_KV_BUDGET;
  if (!Number.isSafeInteger(budget) || budget <= 0) {
    throw new LogError("invalid_argument", `kvBudget must be a positive integer number of bytes, got ${budget}`);
  }
  return () => [new TokenIndexBuilder(), new AttrIndexBuilder(), new MessageKvIndexBuilder(budget)];
}
