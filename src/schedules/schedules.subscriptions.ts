import type { Principal } from '../auth/principal';

/** The event types a schedules socket may subscribe to. */
export const EVENT_TYPES = ['schedule', 'notification', 'employee', 'presence', 'system'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface SubscriptionFilters {
  employee_id?: number | null;
  date_range?: { start?: string; end?: string };
}

/** Per-socket protocol state (conn.state); a type alias so it fits Connection's default state type. */
export type SchedulesState = {
  /** The employee record of the socket's user (null: none, or a device). */
  employeeId: number | null;
  /** Role employee: schedule and notification streams are limited to `employeeId`. */
  ownOnly: boolean;
  /** Subscribed event types, each with the filters of the request that added it. */
  subs: Partial<Record<EventType, SubscriptionFilters>>;
};

const ALL: readonly EventType[] = EVENT_TYPES;
const EMPLOYEE: readonly EventType[] = ['schedule', 'notification', 'presence', 'system'];
const OTHER: readonly EventType[] = ['notification', 'system'];

/** docs/protocols/schedules.md: admins and managers everything; employees their own streams; everyone else (devices too) notification and system. */
export function allowedEvents(p: Principal): readonly EventType[] {
  if (p.kind !== 'user') return OTHER;
  if (p.role === 'admin' || p.role === 'manager') return ALL;
  if (p.role === 'employee') return EMPLOYEE;
  return OTHER;
}

export function roomOf(event: EventType): string {
  return `sub:${event}`;
}

/** Does a schedule of `employeeId` on `date` pass this socket's `schedule` subscription? */
export function scheduleMatches(state: SchedulesState, employeeId: number, date: string): boolean {
  const f = state.subs.schedule;
  if (!f) return false;
  const wanted = state.ownOnly ? state.employeeId : f.employee_id;
  if (state.ownOnly && wanted === null) return false;
  if (wanted !== undefined && wanted !== null && wanted !== employeeId) return false;
  const range = f.date_range;
  if (range?.start && date < range.start) return false;
  if (range?.end && date > range.end) return false;
  return true;
}

/** The employee stream (admins and managers) honours the `employee_id` filter. */
export function employeeMatches(state: SchedulesState, employeeId: number): boolean {
  const f = state.subs.employee;
  if (!f) return false;
  return f.employee_id === undefined || f.employee_id === null || f.employee_id === employeeId;
}
