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

const SECONDS_PER_DAY = 86_400;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** The same through Date, for values that are not whole microseconds within 2^53. */
function formatViaDate(us: number): string {
  const ms = Math.floor(us / MICROS_PER_MS);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, iso.length - 1)}${String(us - ms * MICROS_PER_MS).padStart(3, "0")}Z`;
}

/**
 * RFC 3339 in UTC with microsecond precision, e.g. `2025-03-01T10:00:00.123456Z`. Computed
 * with integer calendar arithmetic (days to civil date, H. Hinnant's algorithm) rather than a
 * Date per call: output prints four of these per record. Every safe-integer µs value is a
 * four-digit year (1685-2255).
 */
export function formatRfc3339Micros(us: number): string {
  if (!Number.isSafeInteger(us)) return formatViaDate(us);
  const sec = Math.floor(us / MICROS_PER_SECOND);
  const frac = us - sec * MICROS_PER_SECOND;
  const days = Math.floor(sec / SECONDS_PER_DAY);
  const sod = sec - days * SECONDS_PER_DAY;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(sod / 3600);
  const mi = Math.floor((sod - h * 3600) / 60);
  const s = sod - h * 3600 - mi * 60;
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}.${String(frac).padStart(6, "0")}Z`;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, for compact tables. */
export function formatShort(us: number): string {
  return new Date(Math.floor(us / MICROS_PER_MS)).toISOString().slice(0, 19).replace("T", " ");
}
