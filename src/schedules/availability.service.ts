import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { badRequest, conflict, forbidden, notFound } from '../common/app-error';
import { daysBetween, normalizeTime } from '../common/calendar';
import { Clock } from '../common/clock';
import { plainText } from '../common/plain-text';
import { UnitOfWork } from '../database/unit-of-work';
import { EmployeesService } from '../employees/employees.service';
import { AvailabilityDto, AvailabilityViewDto, CreateTimeOffDto, ListTimeOffQuery, TimeOffViewDto } from './dto/planning.dto';
import { EmployeeAvailability } from './entities/availability.entity';
import { Schedule } from './entities/schedule.entity';
import { TimeOffRequest } from './entities/time-off.entity';
import { PlanningNotices } from './planning-notices.service';
import { employeeName } from './schedules.service';
import { decisionView } from './decision';

/**
 * Who is the caller as far as planning goes: an employee acts for their own
 * record only; admins and managers for anyone (`null`).
 */
export async function actingEmployee(employees: EmployeesService, p: Principal): Promise<number | null> {
  if (p.kind === 'user' && (p.role === 'admin' || p.role === 'manager')) return null;
  if (p.kind === 'user' && p.role === 'employee') {
    const own = await employees.findByUser(p.id);
    if (own) return own.id;
    throw forbidden('Your login has no employee record');
  }
  throw forbidden('Only admins, managers and employees may plan');
}

export function isManager(p: Principal): boolean {
  return p.kind === 'user' && (p.role === 'admin' || p.role === 'manager');
}

/** Availability (weekly windows) and time off (requested by the employee, decided by a manager). */
@Injectable()
export class AvailabilityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly employees: EmployeesService,
    private readonly notices: PlanningNotices,
    private readonly clock: Clock,
  ) {}

  async getAvailability(p: Principal, employeeId: number): Promise<AvailabilityViewDto> {
    await this.mayActFor(p, employeeId);
    await this.employees.get(employeeId);
    return this.availabilityOf(this.dataSource.manager, employeeId);
  }

  /** Replaces the whole weekly pattern. */
  async setAvailability(p: Principal, employeeId: number, dto: AvailabilityDto): Promise<AvailabilityViewDto> {
    await this.mayActFor(p, employeeId);
    return this.dataSource.transaction(async (tx) => {
      await this.employees.get(employeeId, tx);
      const repo = tx.getRepository(EmployeeAvailability);
      await repo.delete({ employeeId });
      if (dto.windows.length) {
        await repo.insert(dto.windows.map((w) => ({ employeeId, weekday: w.weekday, startTime: normalizeTime(w.start_time), endTime: normalizeTime(w.end_time), preferred: w.preferred ?? false })));
      }
      return this.availabilityOf(tx, employeeId);
    });
  }

  async requestTimeOff(p: Principal, dto: CreateTimeOffDto): Promise<TimeOffViewDto> {
    const own = await actingEmployee(this.employees, p);
    if (own !== null && dto.employee_id !== undefined && dto.employee_id !== own) throw forbidden('Employees ask for their own time off');
    const employeeId = own ?? dto.employee_id;
    if (employeeId === undefined) throw badRequest('employee_id is required when a manager records time off', { field: 'employee_id' });
    if (dto.from > dto.to) throw badRequest('`from` must not be after `to`');
    if (daysBetween(dto.from, dto.to) > 366) throw badRequest('At most a year of time off per request');
    return this.uow.run(async (tx, events) => {
      const employee = await this.employees.get(employeeId, tx);
      const repo = tx.getRepository(TimeOffRequest);
      const saved = await repo.save(repo.create({ employeeId, startDate: dto.from, endDate: dto.to, reason: dto.reason ? plainText(dto.reason, 500) || null : null, status: 'pending' }));
      await this.notices.toManagers(
        tx,
        events,
        {
          title: 'Time Off Requested',
          message: `${employeeName(employee)} asks for time off ${range(saved)}${saved.reason ? `: ${saved.reason}` : '.'}`,
          link: `/time-off/${saved.id}`,
          metadata: { action: 'time_off_requested', time_off_id: saved.id, employee_id: employeeId, from: saved.startDate, to: saved.endDate },
        },
        p.id,
      );
      return timeOffView(saved);
    });
  }

  async listTimeOff(p: Principal, q: ListTimeOffQuery): Promise<TimeOffViewDto[]> {
    const own = await actingEmployee(this.employees, p);
    if (own !== null && q.employee_id !== undefined && q.employee_id !== own) throw forbidden('Employees see their own time off');
    const employeeId = own ?? q.employee_id;
    const rows = await this.dataSource.getRepository(TimeOffRequest).find({
      where: { ...(employeeId !== undefined ? { employeeId } : {}), ...(q.status ? { status: q.status } : {}) },
      order: { startDate: 'ASC', id: 'ASC' },
      take: 1000,
    });
    return rows.map(timeOffView);
  }

  /**
   * A manager approves or declines a pending request; the employee is told.
   * Approving does not remove shifts already planned in those days: the
   * answer lists them, for the manager to move.
   */
  decide(id: number, p: Principal, approve: boolean, note?: string): Promise<TimeOffViewDto> {
    return this.uow.run(async (tx, events) => {
      const repo = tx.getRepository(TimeOffRequest);
      const t = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!t) throw notFound('Time off request');
      if (t.status !== 'pending') throw conflict(`The request is already ${t.status}`);
      t.status = approve ? 'approved' : 'declined';
      t.decidedById = p.kind === 'user' ? p.id : null;
      t.decidedByName = p.name;
      t.decidedAt = this.clock.date();
      t.decisionNote = note ? plainText(note, 500) || null : null;
      const saved = await repo.save(t);
      const employee = await this.employees.get(t.employeeId, tx);
      await this.notices.toEmployee(tx, events, employee, {
        title: approve ? 'Time Off Approved' : 'Time Off Declined',
        message: `Your time off ${range(saved)} was ${saved.status}${saved.decisionNote ? `: ${saved.decisionNote}` : '.'}`,
        link: `/time-off/${saved.id}`,
        metadata: { action: `time_off_${saved.status}`, time_off_id: saved.id, from: saved.startDate, to: saved.endDate },
      });
      const view = timeOffView(saved);
      if (!approve) return view;
      const planned = await tx
        .getRepository(Schedule)
        .createQueryBuilder('s')
        .where(`s.employee_id = :e AND s.date BETWEEN :from AND :to AND s.status <> 'cancelled'`, { e: t.employeeId, from: t.startDate, to: t.endDate })
        .orderBy('s.date', 'ASC')
        .getMany();
      return { ...view, conflicting_schedule_ids: planned.map((s) => s.id) };
    });
  }

  /** The employee withdraws their own request (pending or approved); a manager may cancel any. */
  async cancel(id: number, p: Principal): Promise<TimeOffViewDto> {
    const own = await actingEmployee(this.employees, p);
    return this.uow.run(async (tx, events) => {
      const repo = tx.getRepository(TimeOffRequest);
      const t = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!t || (own !== null && t.employeeId !== own)) throw notFound('Time off request');
      if (t.status === 'declined' || t.status === 'cancelled') throw conflict(`The request is already ${t.status}`);
      const wasApproved = t.status === 'approved';
      t.status = 'cancelled';
      const saved = await repo.save(t);
      if (wasApproved) {
        await this.notices.toManagers(
          tx,
          events,
          {
            title: 'Time Off Cancelled',
            message: `Approved time off ${range(saved)} was cancelled.`,
            link: `/time-off/${saved.id}`,
            metadata: { action: 'time_off_cancelled', time_off_id: saved.id },
          },
          p.id,
        );
      }
      return timeOffView(saved);
    });
  }

  private async mayActFor(p: Principal, employeeId: number): Promise<void> {
    const own = await actingEmployee(this.employees, p);
    if (own !== null && own !== employeeId) throw forbidden('Employees manage their own availability');
  }

  private async availabilityOf(tx: EntityManager, employeeId: number): Promise<AvailabilityViewDto> {
    const rows = await tx.getRepository(EmployeeAvailability).find({ where: { employeeId }, order: { weekday: 'ASC', startTime: 'ASC', id: 'ASC' } });
    return { employee_id: employeeId, windows: rows.map((w) => ({ weekday: w.weekday, start_time: normalizeTime(w.startTime), end_time: normalizeTime(w.endTime), preferred: w.preferred })) };
  }
}

function range(t: TimeOffRequest): string {
  return t.startDate === t.endDate ? `on ${t.startDate}` : `from ${t.startDate} to ${t.endDate}`;
}

function timeOffView(t: TimeOffRequest): TimeOffViewDto {
  return {
    id: t.id,
    employee_id: t.employeeId,
    from: t.startDate,
    to: t.endDate,
    reason: t.reason,
    status: t.status,
    ...decisionView(t),
    created_at: t.createdAt.toISOString(),
  };
}
