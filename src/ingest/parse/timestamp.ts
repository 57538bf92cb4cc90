/**
 * Recognises the event timestamp at (or near) the start of a log line, on bytes, for the
 * importer and receivers. Pure, allocation-free, no regex: a first-byte class plus the
 * length of the leading digit run picks one layout parser (ts-formats.ts) to try.
 */

import { CLASS, digitRun } from "./ts-scan.ts";
import { compactYmd, dayLed, epoch, hdfs, isoDate, monthLed, slashYmd, twoDigitLed } from "./ts-formats.ts";

/** What a bare timestamp needs from outside the line. */
export interface TimestampContext {
  /** Year for layouts that omit it (syslog `Jun 14 15:16:01`, Android `03-17 …`). */
  year: number;
  /**
   * Offset of the log's local time from UTC in minutes (east positive) applied to every
   * layout without an explicit zone; default 0, i.e. zone-less timestamps are UTC.
   */
  tzOffsetMinutes?: number;
  /**
   * Latest plausible time (µs), e.g. now + 1 day. A year-less timestamp that would land after
   * it is taken from the previous year (December logs read in January). Default: no check.
   */
  notAfter?: number;
}

/** A timestamp may start at most this many bytes into the line. */
export const TIMESTAMP_SCAN_WINDOW = 64;

/** Bytes after which a timestamp may start inside the scan window. */
const BOUNDARY = new Uint8Array(256);
for (const c of " \t[(<>|\"'=,;{") BOUNDARY[c.charCodeAt(0)] = 1;

const DASH = 0x2d;
const SLASH = 0x2f;
const SP = 0x20;

/**
 * Epoch µs of the timestamp of line `buf[start, end)`, or 0 when none is recognised.
 *
 * Tried first at `start`, then at every word start within the first TIMESTAMP_SCAN_WINDOW
 * bytes (after a space, `[`, `<PRI>`, `|`, `=`, a quote…), so `<34>Oct 11 …`, `INFO 2020-…`,
 * `host - - [10/Oct/2000:…]` and `- 1117838570 …` are found. Layouts: RFC 3339 / ISO 8601
 * (`T` or space, `.`/`,` fraction, `Z`/±hh:mm/±hhmm), `2005-06-03-15.42.50.675872`,
 * `2020/01/31 10:00:00`, `20171223-22:15:29:606`, HDFS `081109 203615`, Spark `17/06/09
 * 20:10:40`, Android `03-17 16:13:38.811`, Proxifier `10.30 16:49:06`, `31.12.2020 10:00:00`,
 * `04-Dec-2005 04:47:44`, CLF `10/Oct/2000:13:55:36 -0700`, syslog `Jun 14 15:16:01`, ctime /
 * Apache `Sun Dec 04 04:47:44 2005`, RFC 1123 `Sun, 04 Dec 2005 04:47:44 GMT`, and epoch
 * seconds / millis / micros / nanos (10/13/16/19-digit words, before 2100). Two-digit years
 * map to 1970–2069. Times before 1970 or from 2100 on are not recognised (a year like 7813 would
 * overflow safe integer µs). Never reads outside [start, end).
 */
export function parseLeadingTimestamp(buf: Uint8Array, start: number, end: number, ctx: TimestampContext): number {
  const localOff = (ctx.tzOffsetMinutes ?? 0) * 60_000_000;
  const first = tryAt(buf, start, end, ctx.year, localOff);
  if (first > 0) return plausible(buf, start, end, ctx, localOff, first);
  const stop = Math.min(end, start + TIMESTAMP_SCAN_WINDOW);
  for (let i = start + 1; i < stop; i++) {
    const c = CLASS[buf[i]!]!;
    if (c === 0 || c === 3 || BOUNDARY[buf[i - 1]!] === 0) continue;
    const us = tryAt(buf, i, end, ctx.year, localOff);
    if (us > 0) return plausible(buf, i, end, ctx, localOff, us);
  }
  return 0;
}

/** Moves a future year-less timestamp back one year (formats with a year are unaffected). */
function plausible(buf: Uint8Array, i: number, end: number, ctx: TimestampContext, localOff: number, us: number): number {
  if (ctx.notAfter === undefined || us <= ctx.notAfter) return us;
  const earlier = tryAt(buf, i, end, ctx.year - 1, localOff);
  return earlier > 0 && earlier < us ? earlier : us;
}

function tryAt(buf: Uint8Array, i: number, end: number, year: number, localOff: number): number {
  if (i >= end) return -1;
  const c = CLASS[buf[i]!];
  if (c === 2) {
    const us = monthLed(buf, i, end, year, localOff);
    return us > 0 ? us : dayLed(buf, i, end, localOff);
  }
  if (c !== 1) return -1;
  const run = digitRun(buf, i, end);
  const sep = i + run < end ? buf[i + run] : 0;
  switch (run) {
    case 2:
      return twoDigitLed(buf, i, end, year, localOff);
    case 4:
      return sep === DASH ? isoDate(buf, i, end, localOff) : sep === SLASH ? slashYmd(buf, i, end, localOff) : -1;
    case 6:
      return sep === SP ? hdfs(buf, i, end, localOff) : -1;
    case 8:
      return compactYmd(buf, i, end, localOff);
    case 10:
    case 13:
    case 16:
    case 19:
      return epoch(buf, i, run, end);
    default:
      return -1;
  }
}
