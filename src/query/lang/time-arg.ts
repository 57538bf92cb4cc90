/**
 * Parsing of time and duration values in query control arguments (`start=`, `end=`, `last=`).
 * Pure: the caller passes `now` (epoch µs); results are epoch µs. Returns undefined for text
 * it does not accept, so the caller can report which argument was wrong.
 */

import { MICROS_PER_SECOND } from "../../core/time.ts";

const UNIT_MICROS: Record<string, number> = {
  s: MICROS_PER_SECOND,
  m: 60 * MICROS_PER_SECOND,
  h: 3600 * MICROS_PER_SECOND,
  d: 86400 * MICROS_PER_SECOND,
};

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const UNIX_SECONDS = /^(?:0|[1-9]\d{0,9})$/;
const UNIX_MILLIS = /^[1-9]\d{12}$/;
const DURATION = /^(\d{1,9})([smhd])$/;

/** Accepted forms, for error messages. */
export const TIME_FORMS = "RFC 3339 with zone, unix seconds (≤10 digits) or millis (13 digits), -30s/-15m/-2h/-7d, now";

/** A duration like `30s`, `15m`, `2h`, `7d` in µs; undefined if malformed. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MICROS[m[2]!]!;
}

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
 * (13 digits), `now`, or `-<n><s|m|h|d>` relative to `now`. Undefined if not accepted.
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
