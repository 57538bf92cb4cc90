/**
 * The individual timestamp layouts, one small function each. Every parser takes the byte
 * position where the timestamp would start and returns epoch µs, or -1 when the bytes there
 * are not that layout. No regexes, no allocation; dispatch lives in timestamp.ts.
 */

import {
  CLASS,
  civilMicros,
  cursor,
  digits,
  fraction,
  hms,
  shortNum,
  isDayName,
  monthName,
  US_PER_SECOND,
  zone,
} from "./ts-scan.ts";

const SP = 0x20;
const COLON = 0x3a;
const DASH = 0x2d;
const SLASH = 0x2f;
const DOT = 0x2e;
/** Epoch values, and dates, past 2100-01-01 are taken for counters or garbage, not times. */
const MAX_EPOCH_SECONDS = 4_102_444_800;

/** How a wall-clock value ends: optional fraction, optional zone, and no digit glued on. */
const Tail = { Plain: 0, Zone: 1 } as const;
type Tail = (typeof Tail)[keyof typeof Tail];

function finish(buf: Uint8Array, pos: number, end: number, wall: number, localOff: number, tail: Tail): number {
  if (wall < 0) return -1;
  const frac = fraction(buf, pos, end);
  let off = localOff;
  if (tail === Tail.Zone) {
    const z = zone(buf, cursor.pos, end, true);
    if (z === z) off = z;
  }
  if (cursor.pos < end && CLASS[buf[cursor.pos]!] === 1) return -1;
  const us = wall + frac - off;
  return us > 0 && us < MAX_EPOCH_SECONDS * US_PER_SECOND ? us : -1;
}

/** Day of month as `d`, `dd` or ` d` (space-padded); leaves cursor.pos after it. */
function dayField(buf: Uint8Array, i: number, end: number): number {
  if (buf[i] === SP) i++;
  const two = digits(buf, i, 2, end);
  if (two >= 0) {
    cursor.pos = i + 2;
    return two;
  }
  const one = digits(buf, i, 1, end);
  cursor.pos = i + 1;
  return one;
}

/** `2015-07-29T17:41:44.747+02:00`, `2015-07-29 17:41:44,747`, `2005-06-03-15.42.50.675872`. */
export function isoDate(buf: Uint8Array, i: number, end: number, localOff: number): number {
  const y = digits(buf, i, 4, end);
  const mo = digits(buf, i + 5, 2, end);
  const d = digits(buf, i + 8, 2, end);
  if (y < 0 || mo < 0 || d < 0 || buf[i + 7] !== DASH) return -1;
  const sep = buf[i + 10];
  const timeSep = sep === 0x54 || sep === 0x74 || sep === SP ? COLON : sep === DASH ? DOT : 0;
  if (timeSep === 0) return -1;
  const t = hms(buf, i + 11, end, timeSep);
  if (t < 0) return -1;
  return finish(buf, cursor.pos, end, civilMicros(y, mo, d, t), localOff, Tail.Zone);
}

/** `2020/01/31 10:00:00` (nginx error log, Go's log package). */
export function slashYmd(buf: Uint8Array, i: number, end: number, localOff: number): number {
  const y = digits(buf, i, 4, end);
  const mo = digits(buf, i + 5, 2, end);
  const d = digits(buf, i + 8, 2, end);
  if (y < 0 || mo < 0 || d < 0 || buf[i + 7] !== SLASH || buf[i + 10] !== SP) return -1;
  const t = hms(buf, i + 11, end, COLON);
  if (t < 0) return -1;
  return finish(buf, cursor.pos, end, civilMicros(y, mo, d, t), localOff, Tail.Zone);
}

/**
 * `20171223T221529Z`, `20171223 22:15:29.5`, and HealthApp's `20171223-22:16:0:119`, whose
 * unpadded fields end in a `:`-separated integer count of milliseconds.
 */
export function compactYmd(buf: Uint8Array, i: number, end: number, localOff: number): number {
  const y = digits(buf, i, 4, end);
  const mo = digits(buf, i + 4, 2, end);
  const d = digits(buf, i + 6, 2, end);
  const sep = buf[i + 8];
  if (y < 0 || mo < 0 || d < 0 || (sep !== DASH && sep !== SP && sep !== 0x54)) return -1;
  const h = shortNum(buf, i + 9, end, 2);
  if (h < 0) return -1;
  let m: number;
  let s: number;
  if (cursor.pos === i + 11 && buf[i + 11] !== COLON) {
    m = digits(buf, i + 11, 2, end);
    s = digits(buf, i + 13, 2, end);
    cursor.pos = i + 15;
  } else {
    m = buf[cursor.pos] === COLON ? shortNum(buf, cursor.pos + 1, end, 2) : -1;
    s = m >= 0 && buf[cursor.pos] === COLON ? shortNum(buf, cursor.pos + 1, end, 2) : -1;
  }
  if (m < 0 || s < 0 || h > 23 || m > 59 || s > 60) return -1;
  const wall = civilMicros(y, mo, d, h * 3600 + m * 60 + s);
  const at = cursor.pos;
  if (at + 1 < end && buf[at] === COLON && CLASS[buf[at + 1]!] === 1) {
    const ms = shortNum(buf, at + 1, end, 3);
    return finish(buf, cursor.pos, end, wall < 0 ? -1 : wall + ms * 1000, localOff, Tail.Plain);
  }
  return finish(buf, at, end, wall, localOff, sep === 0x54 ? Tail.Zone : Tail.Plain);
}

/** `081109 203615` (HDFS: yymmdd hhmmss). */
export function hdfs(buf: Uint8Array, i: number, end: number, localOff: number): number {
  const yy = digits(buf, i, 2, end);
  const mo = digits(buf, i + 2, 2, end);
  const d = digits(buf, i + 4, 2, end);
  const h = digits(buf, i + 7, 2, end);
  const m = digits(buf, i + 9, 2, end);
  const s = digits(buf, i + 11, 2, end);
  if (yy < 0 || mo < 0 || d < 0 || h < 0 || m < 0 || s < 0 || buf[i + 6] !== SP) return -1;
  if (h > 23 || m > 59 || s > 60) return -1;
  const t = h * 3600 + m * 60 + s;
  return finish(buf, i + 13, end, civilMicros(fullYear(yy), mo, d, t), localOff, Tail.Plain);
}

function fullYear(yy: number): number {
  return yy < 70 ? 2000 + yy : 1900 + yy;
}

/**
 * Layouts led by two digits: `03-17 16:13:38.811` (Android, year from context),
 * `04-Dec-2005 04:47:44`, CLF `10/Oct/2000:13:55:36 -0700`, `17/06/09 20:10:40` (Spark,
 * yy/mm/dd), `10.30 16:49:06` (Proxifier, mm.dd, year from context), `31.12.2020 10:00:00`.
 */
export function twoDigitLed(buf: Uint8Array, i: number, end: number, year: number, localOff: number): number {
  const a = digits(buf, i, 2, end);
  if (a < 0 || i + 3 >= end) return -1;
  const sep = buf[i + 2];
  if ((sep === DASH || sep === SLASH) && CLASS[buf[i + 3]!]! >= 2) {
    const mo = monthName(buf, i + 3, end);
    const y = digits(buf, i + 7, 4, end);
    if (mo < 0 || y < 0 || buf[i + 6] !== sep) return -1;
    if (buf[i + 11] !== (sep === SLASH ? COLON : SP)) return -1;
    const t = hms(buf, i + 12, end, COLON);
    if (t < 0) return -1;
    return finish(buf, cursor.pos, end, civilMicros(y, mo, a, t), localOff, Tail.Zone);
  }
  const b = digits(buf, i + 3, 2, end);
  if (b < 0) return -1;
  const sep2 = buf[i + 5];
  let y = year;
  let mo = a;
  let d = b;
  let at = i + 6;
  if (sep === SLASH && sep2 === SLASH) {
    const c = digits(buf, i + 6, 2, end);
    if (c < 0 || buf[i + 8] !== SP) return -1;
    y = fullYear(a);
    mo = b;
    d = c;
    at = i + 9;
  } else if (sep === DOT && sep2 === DOT) {
    const c = digits(buf, i + 6, 4, end);
    if (c < 0 || buf[i + 10] !== SP) return -1;
    y = c;
    d = a;
    mo = b;
    at = i + 11;
  } else if ((sep !== DASH && sep !== DOT) || sep2 !== SP) {
    return -1;
  }
  const t = hms(buf, at, end, COLON);
  if (t < 0) return -1;
  return finish(buf, cursor.pos, end, civilMicros(y, mo, d, t), localOff, Tail.Plain);
}

/** Epoch seconds (10 digits, optional `.fraction`), millis (13), micros (16) or nanos (19). */
export function epoch(buf: Uint8Array, i: number, run: number, end: number): number {
  const next = i + run < end ? CLASS[buf[i + run]!]! : 0;
  if (next >= 2) return -1;
  let v = 0;
  const n = Math.min(run, 16);
  for (let k = 0; k < n; k++) v = v * 10 + buf[i + k]! - 0x30;
  let us: number;
  if (run === 10) {
    us = v * US_PER_SECOND + (buf[i + 10] === DOT ? fraction(buf, i + 10, end) : 0);
  } else if (run === 13) us = v * 1000;
  else if (run === 16 || run === 19) us = v;
  else return -1;
  return us > 0 && us < MAX_EPOCH_SECONDS * US_PER_SECOND ? us : -1;
}

/** `Jun 14 15:16:01`, `Jul  1 09:00:55` (syslog, year from context), `Mar  1 2020 10:00:00`. */
export function monthLed(buf: Uint8Array, i: number, end: number, year: number, localOff: number): number {
  const mo = monthName(buf, i, end);
  if (mo < 0 || buf[i + 3] !== SP) return -1;
  const d = dayField(buf, i + 4, end);
  let at = cursor.pos;
  if (d < 0 || buf[at] !== SP) return -1;
  let y = year;
  const maybeYear = digits(buf, at + 1, 4, end);
  if (maybeYear >= 0 && buf[at + 5] === SP) {
    y = maybeYear;
    at += 5;
  }
  const t = hms(buf, at + 1, end, COLON);
  if (t < 0) return -1;
  return finish(buf, cursor.pos, end, civilMicros(y, mo, d, t), localOff, Tail.Plain);
}

/**
 * `Sun Dec 04 04:47:44 2005` (ctime, Apache error log; fraction allowed before the year) and
 * `Sun, 04 Dec 2005 04:47:44 GMT` (RFC 1123; `GMT` or a numeric zone).
 */
export function dayLed(buf: Uint8Array, i: number, end: number, localOff: number): number {
  if (!isDayName(buf, i, end)) return -1;
  if (buf[i + 3] === 0x2c) return rfc1123(buf, i + 5, end, localOff);
  if (buf[i + 3] !== SP) return -1;
  const mo = monthName(buf, i + 4, end);
  if (mo < 0 || buf[i + 7] !== SP) return -1;
  const d = dayField(buf, i + 8, end);
  if (d < 0 || buf[cursor.pos] !== SP) return -1;
  const t = hms(buf, cursor.pos + 1, end, COLON);
  if (t < 0) return -1;
  const frac = fraction(buf, cursor.pos, end);
  const y = digits(buf, cursor.pos + 1, 4, end);
  if (y < 0 || buf[cursor.pos] !== SP) return -1;
  const wall = civilMicros(y, mo, d, t);
  return finish(buf, cursor.pos + 5, end, wall < 0 ? -1 : wall + frac, localOff, Tail.Plain);
}

function rfc1123(buf: Uint8Array, i: number, end: number, localOff: number): number {
  if (buf[i - 1] !== SP) return -1;
  const d = dayField(buf, i, end);
  let at = cursor.pos;
  if (d < 0 || buf[at] !== SP) return -1;
  const mo = monthName(buf, at + 1, end);
  const y = digits(buf, at + 5, 4, end);
  if (mo < 0 || y < 0 || buf[at + 4] !== SP || buf[at + 9] !== SP) return -1;
  const t = hms(buf, at + 10, end, COLON);
  if (t < 0) return -1;
  at = cursor.pos;
  const gmt = at + 4 <= end && buf[at] === SP && buf[at + 1] === 0x47 && buf[at + 2] === 0x4d && buf[at + 3] === 0x54;
  const wall = civilMicros(y, mo, d, t);
  return gmt ? (wall > 0 ? wall : -1) : finish(buf, at, end, wall, localOff, Tail.Zone);
}
