import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { badRequest } from '../common/app-error';
import { addDays, daysBetween, isCalendarDate, secondsOfTime, wallClockToInstant } from '../common/calendar';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AttendanceConfig } from './attendance.config';

export type ShiftOutcome = 'on_time' | 'late' | 'absent';

export interface ShiftAttendance {
  schedule_id: number;
  employee_id: number;
  date: string;
  shift: string;
  start: string;
  end: string;
  first_in: string | null;
  last_out: string | null;
  status: ShiftOutcome;
  late_minutes: number;
  early_leave: boolean;
}

interface Tally {
  shifts: number;
  on_time: number;
  late: number;
  early_leave: number;
  absent: number;
}

export interface ShiftSummary {
  from: string;
  to: string;
  timezone: string;
  shifts: ShiftAttendance[];
  by_employee: Array<{ employee_id: number } & Tally>;
  by_day: Array<{ date: string } & Tally>;
}

const MAX_DAYS = 92;
const MIN = 60_000;

/**
 * Attendance measured against the schedules: each scheduled (not cancelled)
 * shift gets the records of its employee from ATTENDANCE_SHIFT_WINDOW_MINUTES
 * before its start to as long after its end. Shift times are wall-clock times
 * in ATTENDANCE_TIMEZONE on the schedule's date; an end not after the start
 * is on the next day (a night shift). First record after start + grace: late;
 * none: absent; a last record (of at least two) before end − grace: early leave.
 */
@Injectable()
export class AttendanceShiftsService {
  private readonly c: AttendanceConfig;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.c = AttendanceConfig.read(config);
  }

  async summary(from: string, to: string, timezone?: string): Promise<ShiftSummary> {
    const zone = timezone ?? this.c.ATTENDANCE_TIMEZONE;
    for (const [field, v] of [
      ['from', from],
      ['to', to],
    ] as const)
      if (!isCalendarDate(v)) throw badRequest(`${field} must be a calendar day (YYYY-MM-DD)`, { field });
    if (daysBetween(from, to) < 0 || daysBetween(from, to) > MAX_DAYS) throw badRequest(`to must be on or after from, at most ${MAX_DAYS} days later`, { field: 'to' });
    const rows: Array<{ id: number; employee_id: number; date: string; name: string; start_time: string; end_time: string }> = await this.dataSource.query(
      `SELECT s.id, s.employee_id, to_char(s.date, 'YYYY-MM-DD') AS date, sh.name, sh.start_time::text AS start_time, sh.end_time::text AS end_time
         FROM schedules s JOIN shifts sh ON sh.id = s.shift_id
        WHERE s.date >= $1 AND s.date <= $2 AND s.status <> 'cancelled'
        ORDER BY s.date, sh.start_time, s.employee_id, s.id`,
      [from, to],
    );
    const window = this.c.ATTENDANCE_SHIFT_WINDOW_MINUTES * MIN;
    const grace = this.c.ATTENDANCE_LATE_GRACE_MINUTES * MIN;
    const spans = rows.map((r) => {
      const start = wallClockToInstant(r.date, r.start_time, zone);
      const overnight = secondsOfTime(r.end_time) <= secondsOfTime(r.start_time);
      const end = wallClockToInstant(overnight ? addDays(r.date, 1) : r.date, r.end_time, zone);
      return { r, start, end };
    });
    const records: Array<{ employee_id: number; datetime: Date }> = spans.length
      ? await this.dataSource.query(`SELECT employee_id, datetime FROM attendance_records WHERE employee_id = ANY($1::int[]) AND datetime >= $2 AND datetime <= $3 ORDER BY datetime`, [
          [...new Set(rows.map((r) => r.employee_id))],
          new Date(Math.min(...spans.map((s) => s.start)) - window).toISOString(),
          new Date(Math.max(...spans.map((s) => s.end)) + window).toISOString(),
        ])
      : [];
    const shifts = spans.map(({ r, start, end }): ShiftAttendance => {
      const seen = records.map((x) => new Date(x.datetime).getTime()).filter((t, i) => records[i].employee_id === r.employee_id && t >= start - window && t <= end + window);
      const first = seen.length ? seen[0] : null;
      const last = seen.length >= 2 ? seen[seen.length - 1] : null;
      const status: ShiftOutcome = first === null ? 'absent' : first > start + grace ? 'late' : 'on_time';
      return {
        schedule_id: r.id,
        employee_id: r.employee_id,
        date: r.date,
        shift: r.name,
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
        first_in: first === null ? null : new Date(first).toISOString(),
        last_out: last === null ? null : new Date(last).toISOString(),
        status,
        late_minutes: status === 'late' ? Math.round((first! - start) / MIN) : 0,
        early_leave: last !== null && last < end - grace,
      };
    });
    return { from, to, timezone: zone, shifts, by_employee: tally(shifts, (s) => s.employee_id, 'employee_id'), by_day: tally(shifts, (s) => s.date, 'date') };
  }
}

function tally<K extends string, V extends string | number>(shifts: ShiftAttendance[], keyOf: (s: ShiftAttendance) => V, name: K): Array<Record<K, V> & Tally> {
  const groups = new Map<V, Tally>();
  for (const s of shifts) {
    const t = groups.get(keyOf(s)) ?? { shifts: 0, on_time: 0, late: 0, early_leave: 0, absent: 0 };
    t.shifts++;
    t[s.status]++;
    if (s.early_leave) t.early_leave++;
    groups.set(keyOf(s), t);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, t]) => ({ [name]: k, ...t }) as Record<K, V> & Tally);
}
