/**
 * Go-style durations ("100ms", "1h30m", "1.5s", "0"), as spec A8/A9 configuration uses them,
 * parsed to epoch-µs units. Pure.
 */

const UNITS: Record<string, number> = { ns: 0.001, us: 1, "µs": 1, ms: 1000, s: 1e6, m: 60e6, h: 3600e6 };

/** Microseconds, or undefined when `s` is not a duration (a bare number other than 0 is not). */
export function parseGoDuration(s: string): number | undefined {
  if (s === "0") return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let i = 0;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNITS[m[2]!]!;
    i = re.lastIndex;
  }
  return s.length > 0 ? Math.round(total) : undefined;
}
