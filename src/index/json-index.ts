/**
 * The JSON field index type ("json", section idx.json): the fields of records whose raw text is
 * (or ends in) a JSON object (json-fields.ts) as key=value pairs — `level`, `user.id`,
 * `tags[]` — with the message key=value index's caps, budget and overflow rules. A value longer
 * than KV_MAX_LEN bytes leaves its key overflowed (key lookups exact, key=value lookups scan);
 * a record past JSON_MAX_FIELDS or JSON_MAX_DEPTH makes the section lossy. Records that are not
 * JSON are skipped.
 */

import { KV_MAX_LEN } from "./kv-extract.ts";
import { walkJsonFields } from "./json-fields.ts";
import { MessageKvIndexBuilder, type RecordPairs } from "./msgkv-builder.ts";
import { pairIndexType } from "./msgkv-index.ts";

export const JSON_SECTION = "idx.json";

const encoder = new TextEncoder();

/** Writes ASCII-lowercased UTF-8 of `text` into `s` at `at`; the end, or -1 past `max` bytes. */
function putLower(s: Uint8Array, at: number, text: string, max: number): number {
  if (text.length > max) return -1;
  const { read, written } = encoder.encodeInto(text, s.subarray(at, at + max));
  if (read !== text.length) return -1;
  for (let i = at; i < at + written; i++) if (s[i]! >= 0x41 && s[i]! <= 0x5a) s[i]! += 0x20;
  return at + written;
}

/** The JSON fields of a record as pairs. */
export const jsonPairs: RecordPairs = (data, start, end, sink) => {
  const s = sink.scratch;
  let stop = false;
  const walk = walkJsonFields(data, start, end, (key, value) => {
    const kl = putLower(s, 0, key, KV_MAX_LEN);
    if (kl < 0) {
      sink.drop();
      return false;
    }
    s[kl] = 0;
    const e = value === "" ? kl + 1 : putLower(s, kl + 1, value, KV_MAX_LEN);
    if (e < 0 || e === kl + 1) {
      sink.overflowKey(kl);
      return false;
    }
    stop = !sink.pair(kl, e);
    return stop;
  });
  if (walk.truncated) sink.drop();
};

export const jsonIndex = pairIndexType({
  name: "json",
  title: "JSON field",
  section: JSON_SECTION,
  label: "json",
  statsTitle: "JSON field stats",
  builder: (budget, blockBytes) => new MessageKvIndexBuilder(budget, blockBytes, jsonPairs, JSON_SECTION),
});
