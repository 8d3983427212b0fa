import { addDays, daysBetween, secondsOfTime, wallClockToInstant } from '../common/calendar';

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

/**
 * The instants (epoch ms) a shift worked on `date` starts and ends in the site
 * zone: the true length, so 22:00–06:00 is 7 hours on the night clocks spring
 * forward and 9 on the night they fall back.
 */
export function shiftInstants(date: string, startTime: string, endTime: string, zone: string): [number, number] {
  const key = `${date} ${startTime} ${endTime} ${zone}`;
  let found = instants.get(key);
  if (!found) {
    // Remembered: zone arithmetic is slow, and auto-fill asks for the same windows thousands of times.
    const overnight = secondsOfTime(endTime) <= secondsOfTime(startTime);
    found = [wallClockToInstant(date, startTime, zone), wallClockToInstant(overnight ? addDays(date, 1) : date, endTime, zone)];
    if (instants.size > 10_000) instants.clear();
    instants.set(key, found);
  }
  return [found[0], found[1]];
}
const instants = new Map<string, [number, number]>();

/** The Monday of the week (Monday to Sunday) that holds `date`. */
export function weekStartOf(date: string): string {
  let week = weeks.get(date);
  if (week === undefined) {
    // Plain date arithmetic: the rules ask this for every pair of shifts they compare, auto-fill thousands of times.
    const day = Date.parse(`${date}T00:00:00Z`);
    week = new Date(day - ((new Date(day).getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
    if (weeks.size > 10_000) weeks.clear();
    weeks.set(date, week);
  }
  return week;
}
const weeks = new Map<string, string>();
