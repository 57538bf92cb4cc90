/** Number formatting for REPL tables: human byte sizes, time ranges, percentages. Pure. */

import { formatRfc3339Micros, formatShort } from "../../core/time.ts";

const UNITS = ["B", "KB", "MB", "GB", "TB"];

/** 1536 -> "1.5 KB" (1024-based), below 1024 -> "N B". */
export function humanBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${UNITS[u]}`;
}

/** `YYYY-MM-DD HH:MM:SS`, or `-` for an unknown (0) time. */
export function shortTime(us: number): string {
  return us === 0 ? "-" : formatShort(us);
}

/** RFC 3339 with microseconds, or `-` for an unknown (0) time. */
export function longTime(us: number): string {
  return us === 0 ? "-" : formatRfc3339Micros(us);
}

/** `part` as a percentage of `whole` with one decimal ("0.0%" when whole is 0). */
export function percent(part: number, whole: number): string {
  return `${whole > 0 ? ((100 * part) / whole).toFixed(1) : "0.0"}%`;
}
