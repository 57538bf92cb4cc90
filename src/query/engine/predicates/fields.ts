/**
 * Field resolution for comparisons and glob key=value predicates: a record's field `key` is its
 * attribute (keys compared ASCII-case-insensitively) if it has one, else the field of its
 * format (a JSON body: index/json-fields.ts), else the first key=value pair of that key in its
 * raw text (index/kv-extract.ts). The pure helpers here read one record; the predicate kinds
 * pick candidates with needles first.
 */

import { asciiLower } from "../../../core/ascii.ts";
import type { Attrs } from "../../../core/record.ts";
import { walkJsonFields } from "../../../index/json-fields.ts";
import { KvScanner } from "../../../index/kv-extract.ts";
import { asciiText } from "../../../index/tokenizer.ts";

const scanner = new KvScanner();

/** The value of attribute `key` (lowercased) in `attrs`, or undefined. */
export function attrValue(attrs: Attrs, key: string): string | undefined {
  for (const k in attrs) if (asciiLower(k) === key) return attrs[k];
  return undefined;
}

/** True when `visit` accepts some attribute (key lowercased, value as stored). */
export function someAttr(attrs: Attrs, visit: (key: string, value: string) => boolean): boolean {
  for (const k in attrs) if (visit(asciiLower(k), attrs[k]!)) return true;
  return false;
}

/**
 * True when `visit` accepts some field of the raw text `data[start, end)` (key lowercased,
 * value in original case), visited in resolution order.
 */
export function someRawField(data: Uint8Array, start: number, end: number, visit: (key: string, value: string) => boolean): boolean {
  if (walkJsonFields(data, start, end, visit).stopped) return true;
  scanner.reset(data, start, end);
  while (scanner.next()) {
    if (visit(asciiText(scanner.key, 0, scanner.keyLength), asciiText(data, scanner.valueStart, scanner.valueEnd))) return true;
  }
  return false;
}

/** The first value of field `key` (lowercased) in the raw text `data[start, end)`, or undefined. */
export function rawFieldValue(data: Uint8Array, start: number, end: number, key: string): string | undefined {
  let found: string | undefined;
  someRawField(data, start, end, (k, v) => {
    if (k !== key) return false;
    found = v;
    return true;
  });
  return found;
}

/**
 * The needle a field predicate searches raw text for: the key's last path segment (`user.id`
 * -> `id`, `tags[]` -> `tags`), which any format spelling of the field contains.
 */
export function fieldNeedleText(key: string): string {
  const last = key.slice(key.lastIndexOf(".") + 1).replace(/\[\]$/, "");
  return last === "" ? key : last;
}
