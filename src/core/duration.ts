/**
 * The one duration grammar, for command-line flags, config values and query controls:
 * `0`, or one or more `<digits><unit>` parts with units `us` (or `µs`), `ms`, `s`, `m`, `h`,
 * `d` — `500ms`, `30s`, `15m`, `2h`, `7d`, `1h30m`. No sign and no fractions here; a relative
 * time (`start=-15m`) puts its own `-` in front. Values are microseconds. Pure.
 */

import { MICROS_PER_MS, MICROS_PER_SECOND } from "./time.ts";

/** What every "bad duration" message says is expected. */
export const DURATION_FORMS = "a duration like 500ms, 30s, 15m, 2h, 7d or 1h30m";

const UNITS: Readonly<Record<string, number>> = {
  us: 1,
  µs: 1,
  ms: MICROS_PER_MS,
  s: MICROS_PER_SECOND,
  m: 60 * MICROS_PER_SECOND,
  h: 3600 * MICROS_PER_SECOND,
  d: 86400 * MICROS_PER_SECOND,
};
/** Units from the largest down, for formatting. */
const ORDER = ["d", "h", "m", "s", "ms", "us"] as const;
const PART = /(\d{1,12})(us|µs|ms|s|m|h|d)/y;

/** Microseconds for `text` (surrounding blanks ignored); undefined if it is not a duration or not a safe integer. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === "0") return 0;
  if (s === "") return undefined;
  PART.lastIndex = 0;
  let total = 0;
  while (PART.lastIndex < s.length) {
    const m = PART.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNITS[m[2]!]!;
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Canonical text, largest units first, so `parseDuration(formatDuration(x)) === x`: `1h30m`, `7d`, `0`. */
export function formatDuration(micros: number): string {
  if (micros === 0) return "0";
  let rest = micros;
  let out = "";
  for (const u of ORDER) {
    const f = UNITS[u]!;
    if (rest >= f) {
      out += `${Math.floor(rest / f)}${u}`;
      rest %= f;
    }
  }
  return out;
}

/** The one message for a value that is not a duration: `invalid <what> '<value>': expected ...`. */
export function durationError(what: string, value: string): string {
  return `invalid ${what} '${value}': expected ${DURATION_FORMS}`;
}
