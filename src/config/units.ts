/**
 * Sizes as written in config: `64MB` (B/KB/MB/GB/TB, case-insensitive, powers of 1024, or a
 * plain byte count); `0` means "disabled". The parser pairs with a formatter that prints the
 * canonical form stored in config versions, so `parse(format(x)) === x`. Durations use the
 * one grammar of core/duration.ts.
 */

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
