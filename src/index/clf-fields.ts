/**
 * Apache/Nginx access log fields (Common and Combined Log Format):
 *   remote_addr ident user [timestamp] "method path protocol" status bytes ["referer" "user_agent"]
 * A field written `-` is absent. Lines that do not parse have no fields. Pure.
 */

import { NO_FIELDS, verbatim, type FieldVisitor, type FieldWalk, type FormatFields } from "./field-walk.ts";

const CLF = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "(\S+) (\S*?)(?: (\S+))?" (\d{3}) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?(?:\s|$)/;

/** The field names, in the order of the line. */
export const CLF_KEYS = ["remote_addr", "ident", "user", "timestamp", "method", "path", "protocol", "status", "bytes", "referer", "user_agent"] as const;

/** Every CLF line holds this (the end of the timestamp and the start of the request). */
const ANCHOR = '] "';
const ANCHOR_BYTES = Buffer.from(ANCHOR);

export function walkClfFields(data: Uint8Array, start: number, end: number, visit: FieldVisitor): FieldWalk {
  const text = data.subarray(start, end);
  const buf = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  if (buf.indexOf(ANCHOR_BYTES) < 0) return NO_FIELDS;
  const m = CLF.exec(buf.toString("utf8"));
  if (m === null) return NO_FIELDS;
  for (let i = 0; i < CLF_KEYS.length; i++) {
    const v = m[i + 1];
    if (v === undefined || v === "-" || v === "") continue;
    if (visit(CLF_KEYS[i]!, i >= 9 ? v.replace(/\\(.)/g, "$1") : v) === true) return { stopped: true, truncated: false };
  }
  return NO_FIELDS;
}

export const clfFormat: FormatFields = {
  name: "clf",
  title: "access log field",
  walk: walkClfFields,
  needles: (key, value) => (key !== "" && !(CLF_KEYS as readonly string[]).includes(key) ? [] : [verbatim(value) ? value : ANCHOR]),
};
