import { DateTime } from 'luxon';

/** Wall-clock arithmetic for bells, DST-correct through luxon. */

export const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** "8:05" is not accepted; "08:05" → "08:05:00". */
export function normalizeTime(time: string): string | null {
  const m = TIME_PATTERN.exec(time);
  return m ? `${m[1]}:${m[2]}:${m[3] ?? '00'}` : null;
}

export function isValidDate(date: string): boolean {
  return DATE_PATTERN.test(date) && DateTime.fromISO(date).isValid;
}

/** The local calendar date of an instant in a zone. */
export function localDate(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISODate()!;
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday % 7;
}

/**
 * The instant a wall-clock time happens on a date in a zone. A time skipped by
 * a spring-forward gap rings at the first moment after the gap; a time that
 * happens twice in the autumn rings once, at its first occurrence.
 */
export function occurrenceAt(date: string, time: string, zone: string): number {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi, s] = time.split(':').map(Number);
  const dt = DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: mi, second: s }, { zone });
  // Luxon resolves a repeated (autumn) time to its later pass; ring at the first.
  for (const back of [60, 30]) {
    const earlier = dt.minus({ minutes: back });
    if (earlier.offset !== dt.offset && earlier.toFormat('yyyy-MM-dd HH:mm:ss') === dt.toFormat('yyyy-MM-dd HH:mm:ss')) return earlier.toMillis();
  }
  return dt.toMillis();
}
