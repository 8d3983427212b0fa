/** Clock times and calendar dates of shifts and schedules, and when two of them overlap. */

export const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** `"9:00"`-style input is refused by the DTO; `"09:00"` becomes `"09:00:00"`. */
export function normalizeTime(value: string): string {
  const m = TIME_PATTERN.exec(value);
  if (!m) throw new Error(`not a time: ${value}`);
  return `${m[1]}:${m[2]}:${m[3] ?? '00'}`;
}

/** A real calendar date in `YYYY-MM-DD` (so `2024-02-30` is refused). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_PATTERN.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function secondsOf(time: string): number {
  const [h, m, s] = time.split(':').map(Number);
  return h * 3600 + m * 60 + (s || 0);
}

function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The seconds a shift worked on `date` covers, on one timeline counted from
 * the epoch day. An end at or before the start runs past midnight into the
 * next day (22:00–06:00 is eight hours; 00:00–00:00 is a whole day).
 */
export function shiftInterval(date: string, startTime: string, endTime: string): [number, number] {
  const base = dayNumber(date) * 86_400;
  const start = secondsOf(startTime);
  let end = secondsOf(endTime);
  if (end <= start) end += 86_400;
  return [base + start, base + end];
}

/** Half-open intervals: a shift ending at 17:00 does not overlap one starting at 17:00. */
export function overlaps(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[1] && b[0] < a[1];
}
