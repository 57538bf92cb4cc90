/**
 * Byte-level helpers for timestamp recognition: fixed-width digit reads, month/day names,
 * civil date -> epoch days, and the optional fraction/zone tail. Pure and allocation-free;
 * the end of the last successful read is left in `cursor.pos` (one shared scratch slot).
 */

/** Character classes: 0 other, 1 digit, 2 upper-case letter, 3 lower-case letter. */
export const CLASS = new Uint8Array(256);
for (let b = 0x30; b <= 0x39; b++) CLASS[b] = 1;
for (let b = 0x41; b <= 0x5a; b++) CLASS[b] = 2;
for (let b = 0x61; b <= 0x7a; b++) CLASS[b] = 3;

/** Where a parser stopped; written by the helpers below, read by their callers. */
export const cursor = { pos: 0 };

export const US_PER_SECOND = 1_000_000;
const US_PER_MINUTE = 60 * US_PER_SECOND;

/** Reads two ASCII digits at `i`, or returns -1. */
export function d2(buf: Uint8Array, i: number, end: number): number {
  if (i + 2 > end) return -1;
  const a = buf[i]! - 0x30;
  const b = buf[i + 1]! - 0x30;
  return (a >>> 0) > 9 || (b >>> 0) > 9 ? -1 : a * 10 + b;
}

/** Reads exactly `n` ASCII digits at `i`, or returns -1. */
export function digits(buf: Uint8Array, i: number, n: number, end: number): number {
  if (n === 2) return d2(buf, i, end);
  if (i + n > end) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = buf[i + k]! - 0x30;
    if ((d >>> 0) > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Reads 1 to `max` digits at `i` (fewer when a non-digit follows); -1 when none. */
export function shortNum(buf: Uint8Array, i: number, end: number, max: number): number {
  let v = 0;
  let j = i;
  const stop = Math.min(end, i + max);
  while (j < stop && CLASS[buf[j]!] === 1) v = v * 10 + buf[j++]! - 0x30;
  cursor.pos = j;
  return j === i ? -1 : v;
}

/** Length of the digit run starting at `i` (capped at 20). */
export function digitRun(buf: Uint8Array, i: number, end: number): number {
  let j = i;
  const stop = Math.min(end, i + 20);
  while (j < stop && CLASS[buf[j]!] === 1) j++;
  return j - i;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const MONTH_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch µs of a date plus seconds into that day, or -1 when the date is invalid. */
export function civilMicros(y: number, mo: number, d: number, secondsOfDay: number): number {
  if (mo < 1 || mo > 12 || d < 1 || d > MONTH_DAYS[mo]!) return -1;
  if (mo === 2 && d === 29 && (y % 4 !== 0 || (y % 100 === 0 && y % 400 !== 0))) return -1;
  return (daysFromCivil(y, mo, d) * 86_400 + secondsOfDay) * US_PER_SECOND;
}

function key3(buf: Uint8Array, i: number, end: number): number {
  if (i + 3 > end || CLASS[buf[i + 1]!]! < 2 || CLASS[buf[i + 2]!]! < 2) return -1;
  return ((buf[i]! | 0x20) << 16) | ((buf[i + 1]! | 0x20) << 8) | (buf[i + 2]! | 0x20);
}

const K = (s: string): number => (s.charCodeAt(0) << 16) | (s.charCodeAt(1) << 8) | s.charCodeAt(2);
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map(K);
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(K);

/** 1..12 for a three-letter English month name at `i` (any case), else -1. */
export function monthName(buf: Uint8Array, i: number, end: number): number {
  const k = key3(buf, i, end);
  if (k < 0) return -1;
  for (let m = 0; m < 12; m++) if (MONTHS[m] === k) return m + 1;
  return -1;
}

/** True for a three-letter English weekday name at `i` (any case). */
export function isDayName(buf: Uint8Array, i: number, end: number): boolean {
  const k = key3(buf, i, end);
  for (let d = 0; d < 7; d++) if (DAYS[d] === k) return true;
  return false;
}

/**
 * Reads `HH<sep>MM<sep>SS` at `i` as seconds of the day, or -1. On success `cursor.pos` is
 * just past the seconds.
 */
export function hms(buf: Uint8Array, i: number, end: number, sep: number): number {
  const h = digits(buf, i, 2, end);
  if (h < 0 || buf[i + 2] !== sep) return -1;
  const m = digits(buf, i + 3, 2, end);
  if (m < 0 || buf[i + 5] !== sep) return -1;
  const s = digits(buf, i + 6, 2, end);
  if (s < 0 || h > 23 || m > 59 || s > 60) return -1;
  cursor.pos = i + 8;
  return h * 3600 + m * 60 + s;
}

/**
 * Reads an optional fraction at `i`: `.` or `,` and then digits.
 * Returns µs (0 when absent) and leaves `cursor.pos` after it. Digits past the sixth are
 * skipped, not rounded.
 */
export function fraction(buf: Uint8Array, i: number, end: number): number {
  cursor.pos = i;
  if (i + 1 >= end) return 0;
  const sep = buf[i];
  if (sep !== 0x2e && sep !== 0x2c) return 0;
  if (CLASS[buf[i + 1]!] !== 1) return 0;
  let j = i + 1;
  let us = 0;
  let n = 0;
  while (j < end && CLASS[buf[j]!] === 1) {
    if (n < 6) {
      us = us * 10 + buf[j]! - 0x30;
      n++;
    }
    j++;
  }
  for (; n < 6; n++) us *= 10;
  cursor.pos = j;
  return us;
}

/**
 * Reads an explicit zone at `i`: `Z`, `±hh:mm`, `±hhmm` or `±hh`, optionally after one space
 * when `allowSpace` (as in `… 13:55:36 -0700`). Returns the offset in µs to SUBTRACT from the
 * wall-clock value, or NaN when there is no zone (the caller then applies the context's).
 */
export function zone(buf: Uint8Array, i: number, end: number, allowSpace: boolean): number {
  if (i >= end) return NaN;
  let b = buf[i]!;
  if (b === 0x5a || b === 0x7a) {
    cursor.pos = i + 1;
    return 0;
  }
  let j = i;
  if (b === 0x20 && allowSpace) {
    j++;
    if (j >= end) return NaN;
    b = buf[j]!;
  }
  if (b !== 0x2b && b !== 0x2d) return NaN;
  const hh = digits(buf, j + 1, 2, end);
  if (hh < 0 || hh > 14) return NaN;
  let mm = 0;
  let k = j + 3;
  if (k < end && buf[k] === 0x3a) {
    mm = digits(buf, k + 1, 2, end);
    if (mm < 0) return NaN;
    k += 3;
  } else if (k + 2 <= end && CLASS[buf[k]!] === 1) {
    mm = digits(buf, k, 2, end);
    if (mm < 0) return NaN;
    k += 2;
  } else if (j !== i) {
    return NaN;
  }
  if (mm > 59 || (k < end && CLASS[buf[k]!] === 1)) return NaN;
  cursor.pos = k;
  const off = (hh * 60 + mm) * US_PER_MINUTE;
  return b === 0x2d ? -off : off;
}
