import { addDays, dayOfWeek, localDate, wallClockToInstant } from '../common/calendar';

/** A schedule's calendar: which day it runs on each date. */
export interface PlanSchedule {
  id: string;
  /** Weekdays of the regular day (0 = Sunday). */
  days: readonly number[];
  dayTypes: Array<{ id: string; name: string; weekdays: readonly number[] }>;
  /** Oldest first: a later override wins where two cover a date. */
  overrides: Array<{ start: string; end: string; dayTypeId: string | null }>;
}

/** Everything the scheduler needs to know, loaded once per tick. */
export interface PlanItem {
  id: string;
  scheduleId: string;
  name: string;
  time: string;
  soundId: string;
  /** IANA time zone of its schedule. */
  tz: string;
  /** null: the schedule's regular day. */
  dayTypeId: string | null;
  /** null: every zone. */
  zones: string[] | null;
  /** Occurrences before this never ring (item made or moved, schedule switched on). */
  notBefore: number;
}

export interface Plan {
  schedules: Map<string, PlanSchedule>;
  items: PlanItem[];
  holidays: Array<{ start: string; end: string; scheduleId: string | null; zone: string | null }>;
  cancelled: Set<string>;
}

/** Where an occurrence rings: its zones (null: all) minus zones on holiday that day. */
export interface Target {
  zones: string[] | null;
  exceptZones: string[];
}

export interface Occurrence {
  item: PlanItem;
  date: string;
  at: number;
  target: Target;
}

/** The day a schedule runs on a date. */
export type DayKind = { kind: 'regular' } | { kind: 'day_type'; id: string } | { kind: 'none' };

export const cancelKey = (itemId: string, date: string) => `${itemId}|${date}`;

/**
 * Which day a schedule runs on a local date: a date override first (the
 * latest one wins), then a day type's own weekdays, then the regular day on
 * the schedule's weekdays; otherwise no bells.
 */
export function dayOf(s: PlanSchedule, date: string): DayKind {
  for (let i = s.overrides.length - 1; i >= 0; i--) {
    const o = s.overrides[i];
    if (o.start <= date && date <= o.end) return o.dayTypeId ? { kind: 'day_type', id: o.dayTypeId } : { kind: 'regular' };
  }
  const dow = dayOfWeek(date);
  const typed = s.dayTypes.find((t) => t.weekdays.includes(dow));
  if (typed) return { kind: 'day_type', id: typed.id };
  return s.days.includes(dow) ? { kind: 'regular' } : { kind: 'none' };
}

/**
 * The one answer to "does this item ring on this local date, and where":
 * its schedule runs the item's day type that day, no holiday covers the
 * whole site or its schedule, the occurrence is not cancelled, and some zone
 * is left once zone holidays are taken out. Null: it does not ring.
 */
export function ringsOn(plan: Plan, item: PlanItem, date: string): Target | null {
  const schedule = plan.schedules.get(item.scheduleId);
  if (!schedule) return null;
  const day = dayOf(schedule, date);
  if (day.kind === 'none' || (day.kind === 'regular' ? item.dayTypeId !== null : item.dayTypeId !== day.id)) return null;
  if (plan.cancelled.has(cancelKey(item.id, date))) return null;
  const exceptZones: string[] = [];
  for (const h of plan.holidays) {
    if (h.start > date || date > h.end) continue;
    if (h.scheduleId !== null && h.scheduleId !== item.scheduleId) continue;
    if (h.zone === null) return null;
    exceptZones.push(h.zone);
  }
  if (item.zones === null) return { zones: null, exceptZones };
  const zones = item.zones.filter((z) => !exceptZones.includes(z));
  return zones.length ? { zones, exceptZones: [] } : null;
}

/** Whether a target includes a zone (null: a player with no zone, which hears every bell). */
export function reaches(target: Target, zone: string | null): boolean {
  if (zone === null) return true;
  return (target.zones === null || target.zones.includes(zone)) && !target.exceptZones.includes(zone);
}

/** Occurrences of every item that fall in [from, to], in time order. */
export function occurrencesBetween(plan: Plan, from: number, to: number): Occurrence[] {
  const out: Occurrence[] = [];
  for (const item of plan.items) {
    // Local dates from a day before `from` to a day after `to` cover every zone offset.
    const first = addDays(localDate(from, item.tz), -1);
    const last = addDays(localDate(to, item.tz), 1);
    for (let date = first; date <= last; date = addDays(date, 1)) {
      const at = wallClockToInstant(date, item.time, item.tz);
      if (at < from || at > to || at < item.notBefore) continue;
      const target = ringsOn(plan, item, date);
      if (target) out.push({ item, date, at, target });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The next occurrence after `after`, looking at most `days` ahead. */
export function nextOccurrence(plan: Plan, after: number, days = 8): Occurrence | null {
  const found = occurrencesBetween(plan, after + 1, after + days * 86_400_000);
  return found[0] ?? null;
}

/**
 * What rings on local date `date` (in each item's own time zone), in zone
 * `zone` when given: the resolver behind the upcoming list and pre-warming.
 */
export function ringingOn(plan: Plan, date: string, zone?: string | null): Occurrence[] {
  const from = Date.parse(`${date}T00:00:00Z`) - 86_400_000;
  const to = Date.parse(`${date}T00:00:00Z`) + 2 * 86_400_000;
  const all = { ...plan, items: plan.items.map((i) => ({ ...i, notBefore: 0 })) };
  return occurrencesBetween(all, from, to).filter((o) => o.date === date && (zone === undefined || reaches(o.target, zone)));
}
