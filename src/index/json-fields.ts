/**
 * Fields of a JSON log record: the raw text is a JSON object, or a prefix followed by one (the
 * first `{` to the last `}`). Nested objects give dotted paths (`user.id`), arrays `[]` paths
 * (`tags[]` per element, `items[].sku` inside); keys ASCII-lowercased; strings as decoded,
 * numbers as written (`1.0` stays `1.0`, core/json-text.ts), booleans and null as text. A
 * record that does not parse has no JSON fields. Pure; shared by the JSON index builder and the
 * query engine.
 */

import { asciiLower } from "../core/ascii.ts";
import { parseJsonText } from "../core/json-text.ts";
import { lastSegment, NO_FIELDS, verbatim, type FieldVisitor, type FieldWalk, type FormatFields } from "./field-walk.ts";

/** Fields visited per record at most; a record with more is reported `truncated`. */
export const JSON_MAX_FIELDS = 256;
/** Deepest nesting followed (deeper values are skipped and the record reported `truncated`). */
export const JSON_MAX_DEPTH = 16;

const decoder = new TextDecoder();


/** The JSON object of `data[start, end)` (numbers JavaScript would respell as their text), or undefined when there is none that parses. */
export function parseJsonBody(data: Uint8Array, start: number, end: number): Record<string, unknown> | undefined {
  const text = data.subarray(start, end);
  const open = text.indexOf(0x7b);
  if (open < 0) return undefined;
  const close = text.lastIndexOf(0x7d);
  if (close <= open) return undefined;
  try {
    const v = parseJsonText(decoder.decode(text.subarray(open, close + 1)));
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Visits the fields of the JSON body of `data[start, end)` in document order. */
export function walkJsonFields(data: Uint8Array, start: number, end: number, visit: FieldVisitor): FieldWalk {
  const body = parseJsonBody(data, start, end);
  if (body === undefined) return NO_FIELDS;
  const state = { count: 0, truncated: false, stopped: false };
  walk(body, "", 0, state, visit);
  return { stopped: state.stopped, truncated: state.truncated };
}

function walk(v: unknown, path: string, depth: number, s: { count: number; truncated: boolean; stopped: boolean }, visit: FieldVisitor): void {
  if (s.stopped) return;
  if (depth > JSON_MAX_DEPTH) {
    s.truncated = true;
    return;
  }
  if (Array.isArray(v)) {
    for (const el of v) walk(el, path.endsWith("[]") ? path : `${path}[]`, depth + 1, s, visit);
    return;
  }
  if (v !== null && typeof v === "object") {
    for (const [k, child] of Object.entries(v)) walk(child, path === "" ? asciiLower(k) : `${path}.${asciiLower(k)}`, depth + 1, s, visit);
    return;
  }
  if (path === "") return;
  if (s.count >= JSON_MAX_FIELDS) {
    s.truncated = true;
    return;
  }
  s.count++;
  if (visit(path, v === null ? "null" : String(v)) === true) s.stopped = true;
}

export const jsonFormat: FormatFields = {
  name: "json",
  title: "JSON field",
  walk: walkJsonFields,
  // A value or key is spelled as is, or with a \u escape somewhere; else any object.
  needles: (key, value) => [verbatim(value) ? value : key !== "" ? lastSegment(key) : "{", "\\u"],
};
