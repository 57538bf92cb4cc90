/**
 * Parsing of time and duration values in query control arguments (`start=`, `end=`, `last=`).
 * Pure: the caller passes `now` (epoch µs); results are epoch µs. Returns undefined for text
 * it does not accept, so the caller can report which argument was wrong.
 */

import { parseDuration } from "../../core/duration.ts";
import { MICROS_PER_SECOND } from "../../core/time.ts";

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const UNIX_SECONDS = /^(?:0|[1-9]\d{0,9})$/;
const UNIX_MILLIS = /^[1-9]\d{12}$/;

/** Accepted forms, for error messages. */
export const TIME_FORMS = "RFC 3339 with zone, unix seconds (≤10 digits) or millis (13 digits), -<duration> like -30s or -1h30m, now";

/** RFC 3339 with a required zone and optional fraction (digits past µs are truncated). */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const sec = Number(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, sec, 0);
  if (date.getUTCDate() !== d) return undefined;
  let offsetMin = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (m[9] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const frac = m[7] ? Number(m[7].padEnd(6, "0").slice(0, 6)) : 0;
  return date.getTime() * 1000 + frac - offsetMin * 60 * MICROS_PER_SECOND;
}

/**
 * A `start=`/`end=` value: RFC 3339, unix seconds (≤10 digits, no leading zeros) or millis
 * (13 digits), `now`, or `-<duration>` (core/duration.ts) relative to `now`. Undefined if not accepted.
 */
export function parseTimeArg(text: string, now: number): number | undefined {
  if (text === "now") return now;
  if (text.startsWith("-")) {
    const d = parseDuration(text.slice(1));
    return d === undefined ? undefined : now - d;
  }
  if (UNIX_SECONDS.test(text)) return Number(text) * MICROS_PER_SECOND;
  if (UNIX_MILLIS.test(text)) return Number(text) * 1000;
  return parseRfc3339(text);
}
