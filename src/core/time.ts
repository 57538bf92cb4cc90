/**
 * Time helpers. GastroLog time is epoch MICROSECONDS in a plain number (exact to 2^53 µs,
 * i.e. beyond year 2255); 0 means "unknown". Conversions to text happen at the edges only.
 */

/** Microseconds per unit, for readable arithmetic. */
export const MICROS_PER_MS = 1_000;
export const MICROS_PER_SECOND = 1_000_000;

/** The current wall clock in epoch microseconds (millisecond clock scaled, plus sub-ms part). */
export function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * MICROS_PER_MS);
}

/** A clock that components receive by injection so tests can control time. */
export type Clock = () => number;

export const systemClock: Clock = nowMicros;

/** RFC 3339 in UTC with microsecond precision, e.g. `2025-03-01T10:00:00.123456Z`. */
export function formatRfc3339Micros(us: number): string {
  const ms = Math.floor(us / MICROS_PER_MS);
  const micros = us - ms * MICROS_PER_MS;
  const iso = new Date(ms).toISOString(); // 2025-03-01T10:00:00.123Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, "0")}Z`;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, for compact tables. */
export function formatShort(us: number): string {
  return new Date(Math.floor(us / MICROS_PER_MS)).toISOString().slice(0, 19).replace("T", " ");
}
