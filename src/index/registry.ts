/**
 * Every index type a seal builds and a query can use, in build and report order (the format
 * field indexes come from format-fields.ts). Adding an index type is its file (an IndexType,
 * index-type.ts) plus one line here: builders, the
 * planner's probes, explain notes, size and statistics reports and the REPL's rendering all
 * find it through this list.
 */

import { attrIndex } from "./attr-index.ts";
import type { IndexType } from "./index-type.ts";
import { FORMAT_FIELDS } from "./format-fields.ts";
import { formatIndexType } from "./format-index.ts";
import { msgkvIndex } from "./msgkv-index.ts";
import { tokenIndex } from "./token-index.ts";

export const INDEX_TYPES: readonly IndexType[] = [
  tokenIndex,
  attrIndex,
  msgkvIndex,
  ...FORMAT_FIELDS.map(formatIndexType),
];
