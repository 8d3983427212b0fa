import { DateTime } from 'luxon';

/**
 * Calendar dates (`YYYY-MM-DD`), wall-clock times (`HH:MM[:SS]`) and zones,
 * for every domain: one set of rules for what is valid and one DST policy.
 * Pure functions; the current time comes from the injected Clock.
 */

export const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** `"08:05"` → `"08:05:00"`; anything else (`"8:05"`, `"24:00"`, not a string) → null. */
export function parseTime(value: unknown): string | null {
  const m = typeof value === 'string' ? TIME_PATTERN.exec(value) : null;
  return m ? `${m[1]}:${m[2]}:${m[3] ?? '00'}` : null;
}

/** `parseTime` for values already validated at the edge (or read from the database); throws on bad input. */
export function normalizeTime(value: string): string {
  const t = parseTime(value);
  if (t === null) throw new Error(`not a time: ${value}`);
  return t;
}

/** A real calendar date written `YYYY-MM-DD` (so `2024-02-30` and `2024-2-3` are refused). */
export function isCalendarDate(value: unknown): value is string {
  return typeof value === 'string' && DATE_PATTERN.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

/** Seconds since local midnight of a valid `HH:MM[:SS]`. */
export function secondsOfTime(time: string): number {
  const [h, m, s] = time.split(':').map(Number);
  return h * 3600 + m * 60 + (s || 0);
}

/** The local calendar date of an instant in a zone. */
export function localDate(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISODate()!;
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/** Whole days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday % 7;
}

/**
 * The instant a wall-clock time happens on a date in a zone. A time skipped by
 * a spring-forward gap happens at the first moment after the gap; a time that
 * happens twice in the autumn is taken at its first pass.
 */
export function wallClockToInstant(date: string, time: string, zone: string): number {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi, s] = time.split(':').map(Number);
  const dt = DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: mi, second: s || 0 }, { zone });
  // Luxon resolves a repeated (autumn) time to its later pass; take the first.
  for (const back of [60, 30]) {
    const earlier = dt.minus({ minutes: back });
    if (earlier.offset !== dt.offset && earlier.toFormat('yyyy-MM-dd HH:mm:ss') === dt.toFormat('yyyy-MM-dd HH:mm:ss')) return earlier.toMillis();
  }
  return dt.toMillis();
}

/** The instant a local date begins in a zone (not always 00:00 where DST starts at midnight). */
export function startOfDay(date: string, zone: string): number {
  return DateTime.fromISO(date, { zone }).startOf('day').toMillis();
}

/** The instant the local day after the one containing `ms` begins. */
export function startOfNextDay(ms: number, zone: string): number {
  return DateTime.fromMillis(ms, { zone }).plus({ days: 1 }).startOf('day').toMillis();
}
