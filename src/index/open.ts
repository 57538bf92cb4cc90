/**
 * Opens a sealed chunk's index sections for the query engine (the ChunkIndexes contract in
 * types.ts). Only headers are read here; bodies decompress on first lookup. A section that is
 * missing leaves its fields undefined; one whose header fails to decode does too, with the
 * reason in `errors`. Never throws.
 */

import { errorMessage } from "../core/errors.ts";
import type { ChunkReader, IndexStatus } from "../storage/types.ts";
import { ATTR_SECTION, KEYS_INDEX, PAIRS_INDEX, VALUES_INDEX } from "./attr-builder.ts";
import { MSGKV_SECTION, OVERFLOW_INDEX } from "./msgkv-builder.ts";
import { TermSection } from "./term-section-reader.ts";
import { TOKEN_INDEX, TOKEN_SECTION } from "./token-builder.ts";
import type { ChunkIndexes, MessageKvIndex, TermIndex } from "./types.ts";

/** Opens section `name` and picks `names` from it; undefined (with an error) on any problem. */
function openIndexes(reader: ChunkReader, section: string, names: readonly string[], errors: string[]): { section: TermSection; indexes: TermIndex[] } | undefined {
  const bytes = reader.section(section);
  if (bytes === undefined) return undefined;
  try {
    const s = new TermSection(bytes);
    const indexes: TermIndex[] = [];
    for (const n of names) {
      const idx = s.index(n);
      if (idx === undefined) throw new Error(`term index section: no index named "${n}"`);
      indexes.push(idx);
    }
    return { section: s, indexes };
  } catch (err) {
    errors.push(`section "${section}": ${errorMessage(err)}`);
    return undefined;
  }
}

/** The chunk's indexes as the engine reads them; `status` is the chunk's index status. */
export function openChunkIndexes(reader: ChunkReader, status: IndexStatus): ChunkIndexes {
  const errors: string[] = [];
  const tokens = openIndexes(reader, TOKEN_SECTION, [TOKEN_INDEX], errors);
  const attrs = openIndexes(reader, ATTR_SECTION, [KEYS_INDEX, VALUES_INDEX, PAIRS_INDEX], errors);
  const kv = openIndexes(reader, MSGKV_SECTION, [KEYS_INDEX, VALUES_INDEX, PAIRS_INDEX], errors);
  let message: MessageKvIndex | undefined;
  if (kv !== undefined) {
    const s = kv.section.header.status;
    const lossReason = s === "complete" ? "" : s;
    const overflow = kv.section.index(OVERFLOW_INDEX);
    const overflowed = overflow === undefined || overflow.termCount === 0 ? undefined : overflow;
    message = {
      lossless: lossReason === "",
      lossReason,
      keys: kv.indexes[0]!,
      values: kv.indexes[1]!,
      pairs: kv.indexes[2]!,
      valuesOverflowed: (key) => overflowed?.get(key) !== undefined,
      valuesComplete: overflowed === undefined,
    };
  }
  return {
    status,
    tokens: tokens?.indexes[0],
    attrKeys: attrs?.indexes[0],
    attrValues: attrs?.indexes[1],
    attrPairs: attrs?.indexes[2],
    message,
    errors,
  };
}
