import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { badRequest, conflict, forbidden, notFound } from '../common/app-error';
import { plainText } from '../common/plain-text';
import { PendingEvents, UnitOfWork } from '../database/unit-of-work';
import { Principal } from '../auth/principal';
import { Employee } from '../employees/entities/employee.entity';
import { EmployeesService } from '../employees/employees.service';
import { NotificationsService } from '../notifications/notifications.service';
import { CreateScheduleDto, ListSchedulesQuery, UpdateScheduleDto } from './dto/schedule.dto';
import { Schedule, ScheduleStatus } from './entities/schedule.entity';
import { Shift } from './entities/shift.entity';
import { Actor, FieldChanges, ScheduleView } from './schedules.events';
import { ScheduleAuditService } from './schedule-audit.service';
import { normalizeTime } from '../common/calendar';
import { ScheduleRulesService } from './schedule-rules.service';
import { ShiftsService } from './shifts.service';

/** First key of the two-key advisory locks that serialize one employee's schedule writes. */
const EMPLOYEE_LOCK_SPACE = 1_001_001;

export function scheduleView(s: Schedule, employee: Employee, shift: Shift): ScheduleView {
  return {
    id: s.id,
    employee_id: s.employeeId,
    shift_id: s.shiftId,
    date: s.date,
    status: s.status,
    notes: s.notes,
    published: s.published,
    employee: { id: employee.id, name: employeeName(employee), role: employee.jobRole, user_id: employee.userId },
    shift: { id: shift.id, name: shift.name, start_time: normalizeTime(shift.startTime), end_time: normalizeTime(shift.endTime) },
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}

/** How schedules, notices and auto-fill name an employee. */
export function employeeName(e: Employee): string {
  return `${e.firstName} ${e.lastName}`.trim();
}

export function actorOf(p: Principal): Actor {
  return { id: p.id, name: p.name };
}

export interface InnerOptions {
  /** Added to the audit entry: where the change came from. */
  note?: string;
  /** The caller notifies the employees itself; frames still go out. */
  quiet?: boolean;
}

/** The fields an update may change, in the order `changes` lists them. */
const TRACKED = ['employee_id', 'shift_id', 'date', 'status', 'notes'] as const;
type Tracked = (typeof TRACKED)[number];

/**
 * Schedules: who works which shift on which date. Every write runs in one
 * transaction with the employee's notification, and is announced after commit.
 */
@Injectable()
export class SchedulesService {
  constructor(
    @InjectRepository(Schedule) private readonly schedules: Repository<Schedule>,
    private readonly uow: UnitOfWork,
    private readonly employees: EmployeesService,
    private readonly shifts: ShiftsService,
    private readonly notifications: NotificationsService,
    private readonly audit: ScheduleAuditService,
    private readonly rules: ScheduleRulesService,
  ) {}

  async list(p: Principal, q: ListSchedulesQuery): Promise<ScheduleView[]> {
    const own = await this.ownEmployeeId(p);
    if (own !== undefined) {
      if (own === null) return [];
      if (q.employee_id !== undefined && q.employee_id !== own) throw forbidden('Employees may only see their own schedules');
    }
    const qb = this.schedules
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.employee', 'e')
      .innerJoinAndSelect('s.shift', 'sh')
      .orderBy('s.date', 'ASC')
      .addOrderBy('sh.start_time', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .take(q.limit ?? 500)
      .skip(q.offset ?? 0);
    const employeeId = own ?? q.employee_id;
    if (own !== undefined) qb.andWhere('s.published');
    if (employeeId !== undefined) qb.andWhere('s.employee_id = :employeeId', { employeeId });
    if (q.from) qb.andWhere('s.date >= :from', { from: q.from });
    if (q.to) qb.andWhere('s.date <= :to', { to: q.to });
    if (q.status) qb.andWhere('s.status = :status', { status: q.status });
    return (await qb.getMany()).map((s) => scheduleView(s, s.employee!, s.shift!));
  }

  async get(p: Principal, id: number): Promise<ScheduleView> {
    const s = await this.schedules.findOne({ where: { id }, relations: { employee: true, shift: true } });
    const own = await this.ownEmployeeId(p);
    // Another employee's schedule is as invisible as a missing one.
    if (!s || (own !== undefined && (s.employeeId !== own || !s.published))) throw notFound('Schedule');
    return scheduleView(s, s.employee!, s.shift!);
  }

  create(dto: CreateScheduleDto, p: Principal): Promise<ScheduleView> {
    return this.uow.run((tx, events) => this.createIn(tx, events, dto, p));
  }

  /**
   * `create` inside a caller's transaction. `note` is added to the audit entry (where the schedule came
   * from); `quiet`: the caller tells the employee itself (frames still go out).
   */
  async createIn(tx: EntityManager, events: PendingEvents, dto: CreateScheduleDto, p: Principal, opts: InnerOptions = {}): Promise<ScheduleView> {
    const employee = await this.employees.get(dto.employee_id, tx);
    const shift = await this.shifts.get(dto.shift_id, tx);
    await this.lockEmployees(tx, [employee.id]);
    const status = dto.status ?? 'scheduled';
    const override = status !== 'cancelled' ? await this.rules.enforce(tx, employee.id, dto.date, shift, null, dto.override_reason) : null;
    const repo = tx.getRepository(Schedule);
    const saved = await repo.save(repo.create({ employeeId: employee.id, shiftId: shift.id, date: dto.date, status, notes: cleanNotes(dto.notes), published: dto.draft !== true }));
    const view = scheduleView(saved, employee, shift);
    const reason = [opts.note, override].filter(Boolean).join('. ') || null;
    await this.audit.record(tx, p, { scheduleId: saved.id, action: 'created', employeeId: employee.id, before: null, after: trackedOf(saved), reason });
    // A draft is quiet: its employee hears about it once, in the summary when the week is published.
    if (!saved.published) return view;
    events.publish('schedules.schedule_created', { schedule: view, created_by: actorOf(p) });
    if (opts.quiet) return view;
    await this.notify(tx, events, employee, {
      title: 'New Shift Scheduled',
      message: `You are scheduled for ${shift.name} on ${view.date} (${hhmm(view.shift.start_time)}–${hhmm(view.shift.end_time)}).`,
      metadata: { schedule_id: saved.id, action: 'created', date: view.date, changes: [] },
    });
    return view;
  }

  /** Announces only the fields whose value really changed; nothing changed, nothing announced. */
  update(id: number, dto: UpdateScheduleDto, p: Principal): Promise<ScheduleView> {
    return this.uow.run((tx, events) => this.updateIn(tx, events, id, dto, p));
  }

  /** `update` inside a caller's transaction (options as for `createIn`). */
  async updateIn(tx: EntityManager, events: PendingEvents, id: number, dto: UpdateScheduleDto, p: Principal, opts: InnerOptions = {}): Promise<ScheduleView> {
    const repo = tx.getRepository(Schedule);
    const current = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!current) throw notFound('Schedule');
    const before: Record<Tracked, unknown> = { employee_id: current.employeeId, shift_id: current.shiftId, date: current.date, status: current.status, notes: current.notes };
    const after: Record<Tracked, unknown> = {
      employee_id: dto.employee_id ?? current.employeeId,
      shift_id: dto.shift_id ?? current.shiftId,
      date: dto.date ?? current.date,
      status: dto.status ?? current.status,
      notes: dto.notes === undefined ? current.notes : cleanNotes(dto.notes),
    };
    const changes: FieldChanges = {};
    for (const f of TRACKED) if (before[f] !== after[f]) changes[f] = { old: before[f], new: after[f] };

    const oldEmployee = await this.employees.get(current.employeeId, tx);
    const employee = changes.employee_id ? await this.employees.get(after.employee_id as number, tx) : oldEmployee;
    const shift = await this.shifts.get(after.shift_id as number, tx);
    if (!Object.keys(changes).length) return scheduleView(current, employee, shift);

    await this.lockEmployees(tx, [oldEmployee.id, employee.id]);
    const placed = changes.employee_id || changes.shift_id || changes.date || (changes.status && before.status === 'cancelled');
    const override = after.status !== 'cancelled' && placed ? await this.rules.enforce(tx, employee.id, after.date as string, shift, id, dto.override_reason) : null;

    current.employeeId = after.employee_id as number;
    current.shiftId = after.shift_id as number;
    current.date = after.date as string;
    current.status = after.status as ScheduleStatus;
    current.notes = after.notes as string | null;
    const saved = await repo.save(current);
    await this.audit.record(tx, p, {
      scheduleId: id,
      action: 'updated',
      employeeId: saved.employeeId,
      previousEmployeeId: oldEmployee.id !== employee.id ? oldEmployee.id : null,
      before: pick(before, changes),
      after: pick(after, changes),
      reason: [opts.note, override].filter(Boolean).join('. ') || null,
    });
    if (!saved.published) return scheduleView(saved, employee, shift);
    events.publish('schedules.schedule_updated', {
      schedule_id: id,
      employee_id: saved.employeeId,
      date: saved.date,
      previous: { employee_id: before.employee_id as number, date: before.date as string },
      changes,
      updated_by: actorOf(p),
    });
    if (opts.quiet) return scheduleView(saved, employee, shift);
    const fields = Object.keys(changes);
    const metadata = { schedule_id: id, action: 'updated', date: saved.date, changes: fields };
    // Moved to someone else: the employee who had it hears too.
    if (oldEmployee.id !== employee.id) {
      await this.notify(tx, events, oldEmployee, {
        title: 'Schedule Updated',
        message: `Your ${shift.name} shift on ${before.date as string} was reassigned to someone else.`,
        metadata: { ...metadata, date: before.date },
      });
    }
    await this.notify(tx, events, employee, {
      title: 'Schedule Updated',
      message: `Your schedule for ${saved.date} has been updated (${fields.map((f) => f.replace('_id', '').replace('_', ' ')).join(', ')}).`,
      metadata,
    });
    return scheduleView(saved, employee, shift);
  }

  remove(id: number, reason: string | undefined, p: Principal): Promise<void> {
    return this.uow.run((tx, events) => this.removeIn(tx, events, id, reason, p));
  }

  /** `remove` inside a caller's transaction (`quiet` as for `createIn`). */
  async removeIn(tx: EntityManager, events: PendingEvents, id: number, reason: string | undefined, p: Principal, opts: InnerOptions = {}): Promise<void> {
    const repo = tx.getRepository(Schedule);
    const s = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!s) throw notFound('Schedule');
    const employee = await this.employees.get(s.employeeId, tx);
    const shift = await this.shifts.get(s.shiftId, tx);
    const why = reason !== undefined ? plainText(reason, 500) || null : null;
    await repo.delete({ id });
    await this.audit.record(tx, p, { scheduleId: id, action: 'deleted', employeeId: s.employeeId, before: trackedOf(s), after: null, reason: why });
    if (!s.published) return;
    events.publish('schedules.schedule_deleted', { schedule_id: id, employee_id: s.employeeId, date: s.date, reason: why, deleted_by: actorOf(p) });
    if (opts.quiet) return;
    await this.notify(tx, events, employee, {
      title: 'Shift Removed',
      message: `Your ${shift.name} shift on ${s.date} was removed${why ? `: ${why}` : '.'}`,
      priority: 'high',
      metadata: { schedule_id: id, action: 'deleted', date: s.date, reason: why, changes: [] },
    });
  }

  /**
   * The employee answers a published shift of their own: accept (status
   * `confirmed`) or decline (`declined`, with an optional reason kept in the
   * audit log). Managers hear it as a schedule update; the employee gets no
   * notification for their own answer. Only a shift that is scheduled,
   * confirmed or declined can be answered.
   */
  async respond(id: number, p: Principal, accept: boolean, reason?: string): Promise<ScheduleView> {
    // Looked up before the transaction: the embedded database has one connection, which the transaction holds.
    const own = await this.ownEmployeeId(p);
    if (!own) throw forbidden('Only the employee of a shift may accept or decline it');
    return this.uow.run(async (tx, events) => {
      const repo = tx.getRepository(Schedule);
      const s = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!s || s.employeeId !== own || !s.published) throw notFound('Schedule');
      const [employee, shift] = [await this.employees.get(s.employeeId, tx), await this.shifts.get(s.shiftId, tx)];
      if (!['scheduled', 'confirmed', 'declined'].includes(s.status)) throw conflict(`A ${s.status} shift can no longer be accepted or declined`);
      const status: ScheduleStatus = accept ? 'confirmed' : 'declined';
      if (s.status === status) return scheduleView(s, employee, shift);
      const old = s.status;
      s.status = status;
      const saved = await repo.save(s);
      const why = accept || reason === undefined ? null : plainText(reason, 500) || null;
      await this.audit.record(tx, p, { scheduleId: id, action: 'updated', employeeId: s.employeeId, before: { status: old }, after: { status }, reason: why });
      events.publish('schedules.schedule_updated', {
        schedule_id: id,
        employee_id: s.employeeId,
        date: s.date,
        previous: { employee_id: s.employeeId, date: s.date },
        changes: { status: { old, new: status } },
        updated_by: actorOf(p),
      });
      return scheduleView(saved, employee, shift);
    });
  }

  /**
   * Publishes every draft dated `from`..`to`: each is announced like a new
   * schedule, and each affected employee gets one notification summarising
   * their new shifts, not one per shift.
   */
  publish(from: string, to: string, p: Principal): Promise<{ published: number; schedule_ids: number[]; notified_employees: number }> {
    if (from > to) throw badRequest('`from` must not be after `to`');
    return this.uow.run(async (tx, events) => {
      const drafts = await tx
        .getRepository(Schedule)
        .createQueryBuilder('s')
        .setLock('pessimistic_write', undefined, ['s'])
        .innerJoinAndSelect('s.employee', 'e')
        .innerJoinAndSelect('s.shift', 'sh')
        .where('NOT s.published AND s.date BETWEEN :from AND :to', { from, to })
        .orderBy('s.date', 'ASC')
        .addOrderBy('sh.start_time', 'ASC')
        .addOrderBy('s.id', 'ASC')
        .getMany();
      if (!drafts.length) return { published: 0, schedule_ids: [], notified_employees: 0 };
      await tx.getRepository(Schedule).update(
        drafts.map((d) => d.id),
        { published: true },
      );
      const byEmployee = new Map<number, Schedule[]>();
      for (const d of drafts) {
        d.published = true;
        await this.audit.record(tx, p, { scheduleId: d.id, action: 'updated', employeeId: d.employeeId, before: { published: false }, after: { published: true } });
        events.publish('schedules.schedule_created', { schedule: scheduleView(d, d.employee!, d.shift!), created_by: actorOf(p) });
        byEmployee.set(d.employeeId, [...(byEmployee.get(d.employeeId) ?? []), d]);
      }
      let notified = 0;
      for (const [, mine] of byEmployee) {
        const employee = mine[0].employee!;
        if (!employee.userId) continue;
        notified++;
        const lines = mine.map((d) => `${d.date} ${d.shift!.name} ${hhmm(normalizeTime(d.shift!.startTime))}–${hhmm(normalizeTime(d.shift!.endTime))}`);
        await this.notifications.createIn(tx, events, {
          userId: employee.userId,
          type: 'schedule',
          title: 'Schedule Published',
          message: `Your schedule for ${from} to ${to}: ${mine.length} shift${mine.length === 1 ? '' : 's'} (${lines.join('; ')}).`.slice(0, 1000),
          priority: 'normal',
          link: `/schedules?from=${from}&to=${to}`,
          metadata: { action: 'published', from, to, schedule_ids: mine.map((d) => d.id), changes: [] },
          employeeId: employee.id,
        });
      }
      return { published: drafts.length, schedule_ids: drafts.map((d) => d.id), notified_employees: notified };
    });
  }

  /**
   * For a principal that sees only its own schedules (role employee): its
   * employee id, or null when it has no employee record. `undefined`: sees
   * everything (admin, manager). Anyone else may not read schedules.
   */
  async ownEmployeeId(p: Principal): Promise<number | null | undefined> {
    if (p.kind === 'user' && (p.role === 'admin' || p.role === 'manager')) return undefined;
    if (p.kind === 'user' && p.role === 'employee') return (await this.employees.findByUser(p.id))?.id ?? null;
    throw forbidden('Only admins, managers and employees may read schedules');
  }

  /** Serializes schedule writes per employee, so two overlapping shifts cannot both pass the check. */
  async lockEmployees(tx: EntityManager, ids: number[]): Promise<void> {
    for (const id of [...new Set(ids)].sort((a, b) => a - b)) {
      await tx.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [EMPLOYEE_LOCK_SPACE, id]);
    }
  }

  private async notify(tx: EntityManager, events: PendingEvents, employee: Employee, n: { title: string; message: string; priority?: string; metadata: Record<string, unknown> }): Promise<void> {
    if (!employee.userId) return;
    await this.notifications.createIn(tx, events, {
      userId: employee.userId,
      type: 'schedule',
      title: n.title,
      message: n.message,
      priority: n.priority ?? 'normal',
      link: `/schedules/${n.metadata.schedule_id as number}`,
      metadata: n.metadata,
      employeeId: employee.id,
    });
  }
}

function cleanNotes(notes: string | null | undefined): string | null {
  if (notes === undefined || notes === null) return null;
  return plainText(notes, 2000) || null;
}

function hhmm(time: string): string {
  return time.slice(0, 5);
}

function trackedOf(s: Schedule): Record<string, unknown> {
  return { employee_id: s.employeeId, shift_id: s.shiftId, date: s.date, status: s.status, notes: s.notes };
}

/** Only the fields that changed, so an audit entry reads as "from what to what". */
function pick(values: Record<string, unknown>, changes: FieldChanges): Record<string, unknown> {
  return Object.fromEntries(Object.keys(changes).map((k) => [k, values[k]]));
}
