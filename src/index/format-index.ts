/**
 * The format field index types, one per format of format-fields.ts ("json" in section
 * idx.json, "clf", "syslog", "logfmt"): the fields of the records in that format as key=value
 * pairs (`level`, `user.id`, `tags[]`, `status`, `severity`), with the message key=value index's
 * caps, budget and overflow rules (per chunk: 10 000 keys, 1 000 values per key, 100 000 pairs,
 * the kvBudget bytes). A value longer than KV_MAX_LEN bytes, or empty, leaves its key
 * overflowed (key lookups exact, key=value lookups scan); a record with fields past a format's
 * own limits makes the section lossy. Records not in the format are skipped. Explain notes name
 * a format index only when it found something (or could not answer).
 */

import type { IndexType } from "./index-type.ts";
import type { FormatFields } from "./field-walk.ts";
import { FORMAT_FIELDS } from "./format-fields.ts";
import { formatPairs } from "./format-pairs.ts";
import { MessageKvIndexBuilder } from "./msgkv-builder.ts";
import { pairIndexType } from "./msgkv-index.ts";

/** The section of the index of `format` ("idx.json"). */
export function formatSection(format: FormatFields): string {
  return `idx.${format.name}`;
}

/** The index type of `format`: section `idx.<name>`, explain notes `<name>_kv=...`. */
export function formatIndexType(format: FormatFields): IndexType {
  const section = formatSection(format);
  const pairs = formatPairs(format);
  return pairIndexType({
    name: format.name,
    title: format.title,
    section,
    label: format.name,
    statsTitle: `${format.title[0]!.toUpperCase()}${format.title.slice(1)} stats`,
    builder: (budget, blockBytes, group) => new MessageKvIndexBuilder(budget, blockBytes, pairs, section, { group }),
    quietWhenEmpty: true,
    // Resolution reads the formats in FORMAT_FIELDS order, after attributes (rank 0).
    fieldRank: 1 + FORMAT_FIELDS.indexOf(format),
  });
}
