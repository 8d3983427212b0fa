import { daysBetween, secondsOfTime } from '../common/calendar';

/** When two shifts overlap; dates and times themselves follow `common/calendar`. */

/**
 * The seconds a shift worked on `date` covers, on one timeline counted from
 * the epoch day. An end at or before the start runs past midnight into the
 * next day (22:00–06:00 is eight hours; 00:00–00:00 is a whole day).
 */
export function shiftInterval(date: string, startTime: string, endTime: string): [number, number] {
  const base = daysBetween('1970-01-01', date) * 86_400;
  const start = secondsOfTime(startTime);
  let end = secondsOfTime(endTime);
  if (end <= start) end += 86_400;
  return [base + start, base + end];
}

/** Half-open intervals: a shift ending at 17:00 does not overlap one starting at 17:00. */
export function overlaps(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[1] && b[0] < a[1];
}
