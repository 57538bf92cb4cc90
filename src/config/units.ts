/**
 * Sizes and durations as written in config: `64MB` (B/KB/MB/GB/TB, case-insensitive, powers of
 * 1024, or a plain byte count) and Go-style durations (`90s`, `1h30m`, `250ms`, plus `d` for
 * days). `0` means "disabled" for both. Each parser pairs with a formatter that prints the
 * canonical form stored in config versions, so `parse(format(x)) === x`.
 */

import { MICROS_PER_MS, MICROS_PER_SECOND } from "../core/time.ts";

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };
const SIZE_ORDER = ["TB", "GB", "MB", "KB"] as const;
const SIZE_RE = /^(\d{1,16})\s*([a-z]{0,2})$/i;

/** Bytes for `64MB`, `512kb`, `10 GB`, `4096`, or a non-negative integer; undefined if malformed. */
export function parseSize(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isSafeInteger(text) && text >= 0 ? text : undefined;
  const m = SIZE_RE.exec(text.trim());
  if (!m) return undefined;
  const unit = m[2] === "" ? 1 : SIZE_UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return undefined;
  const n = Number(m[1]) * unit;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Canonical size text: the largest unit that divides exactly (`64MB`), else plain bytes (`1000`). */
export function formatSize(bytes: number): string {
  if (bytes === 0) return "0";
  for (const u of SIZE_ORDER) {
    const f = SIZE_UNITS[u.toLowerCase()]!;
    if (bytes % f === 0) return `${bytes / f}${u}`;
  }
  return String(bytes);
}

const DURATION_UNITS: Record<string, number> = {
  us: 1,
  µs: 1,
  ms: MICROS_PER_MS,
  s: MICROS_PER_SECOND,
  m: 60 * MICROS_PER_SECOND,
  h: 3600 * MICROS_PER_SECOND,
  d: 86400 * MICROS_PER_SECOND,
};
const DURATION_ORDER = ["d", "h", "m", "s", "ms", "us"] as const;
const DURATION_PART = /(\d{1,12})(us|µs|ms|s|m|h|d)/y;

/** Microseconds for `90s`, `1h30m`, `7d`, `250ms`, `0`; undefined if malformed or unsafe. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === "0") return 0;
  if (s === "") return undefined;
  DURATION_PART.lastIndex = 0;
  let total = 0;
  while (DURATION_PART.lastIndex < s.length) {
    const m = DURATION_PART.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Canonical duration text, largest units first: `1h30m`, `7d`, `1m0s` prints as `1m`. */
export function formatDuration(micros: number): string {
  if (micros === 0) return "0";
  let rest = micros;
  let out = "";
  for (const u of DURATION_ORDER) {
    const f = DURATION_UNITS[u]!;
    if (rest >= f) {
      out += `${Math.floor(rest / f)}${u}`;
      rest %= f;
    }
  }
  return out;
}
