/**
 * The log formats whose fields queries can name (`status=500`, `user.id=123`,
 * `severity<=3`), in field-resolution order: JSON, Apache/Nginx access logs (CLF), syslog
 * headers, strict logfmt. The format indexes (format-index.ts) are built from this list at seal
 * and the query engine evaluates with it, so adding a format is its file (a FormatFields,
 * field-walk.ts) plus one line here.
 */

import { clfFormat } from "./clf-fields.ts";
import type { FieldVisitor, FormatFields } from "./field-walk.ts";
import { jsonFormat } from "./json-fields.ts";
import { logfmtFormat } from "./logfmt-fields.ts";
import { syslogFormat } from "./syslog-fields.ts";

export type { FieldVisitor, FormatFields } from "./field-walk.ts";

/** The formats in field-resolution order (after attributes, before heuristic key=value pairs). */
export const FORMAT_FIELDS: readonly FormatFields[] = [jsonFormat, clfFormat, syslogFormat, logfmtFormat];

/** Visits the fields of every format of the record, in resolution order; true when `visit` stopped. */
export function walkFormatFields(data: Uint8Array, start: number, end: number, visit: FieldVisitor): boolean {
  for (const f of FORMAT_FIELDS) if (f.walk(data, start, end, visit).stopped) return true;
  return false;
}

