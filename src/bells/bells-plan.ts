import { addDays, dayOfWeek, localDate, wallClockToInstant } from '../common/calendar';

/** Everything the scheduler needs to know, loaded once per tick. */
export interface PlanItem {
  id: string;
  name: string;
  time: string;
  soundId: string;
  zone: string;
  days: readonly number[];
  /** Occurrences before this never ring (item made or moved, schedule switched on). */
  notBefore: number;
}

export interface Plan {
  items: PlanItem[];
  holidays: Array<{ start: string; end: string }>;
  cancelled: Set<string>;
}

export interface Occurrence {
  item: PlanItem;
  date: string;
  at: number;
}

export const cancelKey = (itemId: string, date: string) => `${itemId}|${date}`;

export function isHoliday(plan: Plan, date: string): boolean {
  return plan.holidays.some((h) => h.start <= date && date <= h.end);
}

/** Whether an item rings on a local date at all (day of week, holiday, cancellation). */
export function ringsOn(plan: Plan, item: PlanItem, date: string): boolean {
  return item.days.includes(dayOfWeek(date)) && !isHoliday(plan, date) && !plan.cancelled.has(cancelKey(item.id, date));
}

/** Occurrences of every item that fall in [from, to], in time order. */
export function occurrencesBetween(plan: Plan, from: number, to: number): Occurrence[] {
  const out: Occurrence[] = [];
  for (const item of plan.items) {
    // Local dates from a day before `from` to a day after `to` cover every zone offset.
    const first = addDays(localDate(from, item.zone), -1);
    const last = addDays(localDate(to, item.zone), 1);
    for (let date = first; date <= last; date = addDays(date, 1)) {
      const at = wallClockToInstant(date, item.time, item.zone);
      if (at < from || at > to || at < item.notBefore) continue;
      if (!ringsOn(plan, item, date)) continue;
      out.push({ item, date, at });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The next occurrence after `after`, looking at most `days` ahead. */
export function nextOccurrence(plan: Plan, after: number, days = 8): Occurrence | null {
  const found = occurrencesBetween(plan, after + 1, after + days * 86_400_000);
  return found[0] ?? null;
}
