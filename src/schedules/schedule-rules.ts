import { addDays, normalizeTime } from '../common/calendar';
import { shiftInstants, weekStartOf } from './schedule-time';

/**
 * The planning rules, as pure functions over instants in the site zone: one
 * place decides what a change may do, for a manager's edit, a claim, a swap
 * and auto-fill alike.
 */

export const RULE_NAMES = ['overlap', 'min_rest', 'max_hours_per_day', 'max_hours_per_week', 'availability', 'time_off'] as const;
export type RuleName = (typeof RULE_NAMES)[number];
/** Overlap can never be overridden: one person cannot work two places at once. */
export const OVERRIDABLE_RULES = ['min_rest', 'max_hours_per_day', 'max_hours_per_week', 'availability', 'time_off'] as const;
export type OverridableRule = (typeof OVERRIDABLE_RULES)[number];

export interface Rules {
  /** Hours off between the end of one shift and the start of the next; null: no rule. */
  min_rest_hours: number | null;
  /** Hours of the shifts dated one day (a shift counts towards the day it starts). */
  max_hours_per_day: number | null;
  /** Hours of the shifts dated one week, Monday to Sunday. */
  max_hours_per_week: number | null;
  /** Rules a manager may break with a recorded reason. */
  overridable: OverridableRule[];
}

/** A shift placed on the timeline: `start`/`end` are instants (epoch ms). */
export interface Slot {
  id: number | null;
  date: string;
  start: number;
  end: number;
}

/** A weekly window an employee can work: on `weekday` (0 = Sunday) from `start_time` to `end_time` (an end at or before the start runs into the next day). */
export interface Window {
  weekday: number;
  start_time: string;
  end_time: string;
  preferred: boolean;
}

/** Approved time off, whole local days `from`..`to` inclusive. */
export interface Period {
  from: string;
  to: string;
}

/** What the rules need to know about one employee. */
export interface Staff {
  /** Their other shifts (not cancelled), drafts included. */
  slots: Slot[];
  /** No windows: available at any time. */
  availability: Window[];
  timeOff: Period[];
}

export interface Violation {
  rule: RuleName;
  message: string;
  overridable: boolean;
  /** The other shift involved (overlap, rest). */
  schedule_id?: number | null;
}

const HOUR = 3_600_000;

export function slotOf(id: number | null, date: string, startTime: string, endTime: string, zone: string): Slot {
  const [start, end] = shiftInstants(date, normalizeTime(startTime), normalizeTime(endTime), zone);
  return { id, date, start, end };
}

export function hoursOf(ms: number): number {
  return Math.round((ms / HOUR) * 100) / 100;
}

/** Where a shift falls in someone's availability: outside it, inside it, or inside a preferred window. */
export function fitOf(slot: Slot, windows: Window[], zone: string): 'outside' | 'available' | 'preferred' {
  if (!windows.length) return 'available';
  let fit: 'outside' | 'available' | 'preferred' = 'outside';
  // A window opened the evening before may run into this shift's day.
  const today = Date.parse(`${slot.date}T00:00:00Z`);
  for (const ms of [today - 86_400_000, today]) {
    // Plain date arithmetic: auto-fill asks this for every shift and employee.
    const day = new Date(ms).toISOString().slice(0, 10);
    const weekday = new Date(ms).getUTCDay();
    for (const w of windows) {
      if (w.weekday !== weekday) continue;
      const [ws, we] = shiftInstants(day, normalizeTime(w.start_time), normalizeTime(w.end_time), zone);
      if (ws <= slot.start && slot.end <= we) {
        if (w.preferred) return 'preferred';
        fit = 'available';
      }
    }
  }
  return fit;
}

export function timeOffDuring(slot: Slot, periods: Period[], zone: string): Period | null {
  for (const p of periods) {
    // Whole local days: from the start of `from` to the start of the day after `to`.
    const [start, end] = shiftInstants(p.from, '00:00:00', '00:00:00', zone);
    if (start < slot.end && slot.start < (p.to === p.from ? end : shiftInstants(p.to, '00:00:00', '00:00:00', zone)[1])) return p;
  }
  return null;
}

/**
 * The rules that depend on other shifts: overlap, rest, hours per day and per
 * week. Shifts are half-open, so 09:00–17:00 then 17:00–22:00 do not overlap
 * (but have no rest between them).
 */
export function scheduleViolations(slot: Slot, others: Slot[], rules: Rules): Violation[] {
  const out: Violation[] = [];
  const can = (rule: OverridableRule) => rules.overridable.includes(rule);
  const week = weekStartOf(slot.date);
  let dayMs = slot.end - slot.start;
  let weekMs = dayMs;
  for (const o of others) {
    if (o.start < slot.end && slot.start < o.end) {
      out.push({ rule: 'overlap', message: `overlaps the shift on ${o.date}`, overridable: false, schedule_id: o.id });
      continue;
    }
    if (rules.min_rest_hours !== null) {
      const gap = o.end <= slot.start ? slot.start - o.end : o.start - slot.end;
      if (gap < rules.min_rest_hours * HOUR) {
        out.push({ rule: 'min_rest', message: `only ${hoursOf(gap)} h rest next to the shift on ${o.date} (minimum ${rules.min_rest_hours} h)`, overridable: can('min_rest'), schedule_id: o.id });
      }
    }
    if (o.date === slot.date) dayMs += o.end - o.start;
    if (weekStartOf(o.date) === week) weekMs += o.end - o.start;
  }
  if (rules.max_hours_per_day !== null && dayMs > rules.max_hours_per_day * HOUR) {
    out.push({ rule: 'max_hours_per_day', message: `${hoursOf(dayMs)} h on ${slot.date} (maximum ${rules.max_hours_per_day} h)`, overridable: can('max_hours_per_day') });
  }
  if (rules.max_hours_per_week !== null && weekMs > rules.max_hours_per_week * HOUR) {
    out.push({ rule: 'max_hours_per_week', message: `${hoursOf(weekMs)} h in the week of ${week} (maximum ${rules.max_hours_per_week} h)`, overridable: can('max_hours_per_week') });
  }
  return out;
}

/** The rules about the person alone: availability and approved time off. */
export function personalViolations(slot: Slot, staff: Pick<Staff, 'availability' | 'timeOff'>, rules: Rules, zone: string): Violation[] {
  const out: Violation[] = [];
  const off = timeOffDuring(slot, staff.timeOff, zone);
  if (off) out.push({ rule: 'time_off', message: `on approved time off ${off.from} to ${off.to}`, overridable: rules.overridable.includes('time_off') });
  if (fitOf(slot, staff.availability, zone) === 'outside') out.push({ rule: 'availability', message: 'outside their availability', overridable: rules.overridable.includes('availability') });
  return out;
}

/** Every rule a shift would break for this employee; empty: it may be placed. */
export function violationsOf(slot: Slot, staff: Staff, rules: Rules, zone: string): Violation[] {
  return [...scheduleViolations(slot, staff.slots, rules), ...personalViolations(slot, staff, rules, zone)];
}

/** The dates whose shifts the rules look at around a shift on `date`: its week, and three days either side for rest. */
export function contextRange(date: string): { from: string; to: string } {
  const week = weekStartOf(date);
  const from = addDays(date, -3) < week ? addDays(date, -3) : week;
  const to = addDays(date, 3) > addDays(week, 6) ? addDays(date, 3) : addDays(week, 6);
  return { from, to };
}
