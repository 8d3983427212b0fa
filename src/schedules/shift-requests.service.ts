import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { conflict, forbidden, notFound } from '../common/app-error';
import { normalizeTime } from '../common/calendar';
import { Clock } from '../common/clock';
import { plainText } from '../common/plain-text';
import { PendingEvents, UnitOfWork } from '../database/unit-of-work';
import { Employee } from '../employees/entities/employee.entity';
import { EmployeesService } from '../employees/employees.service';
import { actingEmployee } from './availability.service';
import { ApproveRequestDto, ClaimDto, ListShiftRequestsQuery, OfferShiftDto, ShiftRequestViewDto } from './dto/planning.dto';
import { OpenShift } from './entities/open-shift.entity';
import { Schedule } from './entities/schedule.entity';
import { Shift } from './entities/shift.entity';
import { ShiftRequest } from './entities/shift-request.entity';
import { Notice, PlanningNotices } from './planning-notices.service';
import { ScheduleRulesService } from './schedule-rules.service';
import { employeeName, SchedulesService } from './schedules.service';
import { decisionView } from './decision';

/**
 * Claims, swaps and drops: an employee asks, a manager decides, and each
 * step tells the people involved (the requester, the colleague of a swap,
 * the managers) with a notification on /ws/schedules. The schedule changes
 * an approval makes go through the schedules service, so they are
 * rule-checked, audited and announced like any other.
 */
@Injectable()
export class ShiftRequestsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly employees: EmployeesService,
    private readonly schedules: SchedulesService,
    private readonly rules: ScheduleRulesService,
    private readonly notices: PlanningNotices,
    private readonly clock: Clock,
  ) {}

  /** An employee asks for an open shift; refused at once if their job role or the rules rule them out. */
  async claim(openShiftId: number, p: Principal, dto: ClaimDto): Promise<ShiftRequestViewDto> {
    const own = await this.employeeOnly(p);
    return this.uow.run(async (tx, events) => {
      const open = await tx.getRepository(OpenShift).findOne({ where: { id: openShiftId }, relations: { shift: true } });
      if (!open) throw notFound('Open shift');
      const me = await this.employees.get(own, tx);
      if (open.jobRole !== null && open.jobRole !== me.jobRole) throw forbidden(`This shift is for the job role ${open.jobRole}`);
      const repo = tx.getRepository(ShiftRequest);
      if (await repo.exists({ where: { kind: 'claim', openShiftId, employeeId: own, status: 'pending' } })) throw conflict('You have already claimed this shift');
      await this.rules.enforce(tx, own, open.date, open.shift!, null);
      const saved = await repo.save(repo.create({ kind: 'claim', status: 'pending', employeeId: own, openShiftId, date: open.date, reason: clean(dto.reason) }));
      await this.notices.toManagers(tx, events, this.notice(saved, 'Open Shift Claimed', `${employeeName(me)} claims ${describe(open.shift!, open.date)}.`), p.id);
      return view(saved);
    });
  }

  /** An employee offers one of their published shifts: to a colleague (swap) or to nobody (drop). */
  async offer(p: Principal, dto: OfferShiftDto): Promise<ShiftRequestViewDto> {
    const own = await this.employeeOnly(p);
    return this.uow.run(async (tx, events) => {
      const s = await tx.getRepository(Schedule).findOne({ where: { id: dto.schedule_id }, relations: { shift: true } });
      if (!s || s.employeeId !== own || !s.published) throw notFound('Schedule');
      if (s.status !== 'scheduled' && s.status !== 'confirmed') throw conflict(`A ${s.status} shift cannot be offered`);
      const repo = tx.getRepository(ShiftRequest);
      if (await repo.exists({ where: { scheduleId: s.id, status: 'pending' } })) throw conflict('This shift is already offered');
      const me = await this.employees.get(own, tx);
      let target: Employee | null = null;
      if (dto.kind === 'swap' && dto.target_employee_id !== undefined) {
        if (dto.target_employee_id === own) throw conflict('You cannot swap a shift with yourself');
        target = await this.employees.get(dto.target_employee_id, tx);
      }
      const saved = await repo.save(
        repo.create({ kind: dto.kind, status: 'pending', employeeId: own, scheduleId: s.id, targetEmployeeId: target?.id ?? null, date: s.date, reason: clean(dto.reason) }),
      );
      const what = describe(s.shift!, s.date);
      const asked = dto.kind === 'drop' ? `${employeeName(me)} wants to drop ${what}.` : `${employeeName(me)} offers ${what} for a swap${target ? ` to ${employeeName(target)}` : ''}.`;
      await this.notices.toManagers(tx, events, this.notice(saved, dto.kind === 'drop' ? 'Shift Drop Requested' : 'Shift Swap Requested', asked), p.id);
      if (target) await this.notices.toEmployee(tx, events, target, this.notice(saved, 'Shift Swap Offered', `${employeeName(me)} offers you ${what}; a manager will decide.`));
      return view(saved);
    });
  }

  /** A colleague offers to take a swap that named nobody (or named them); checked against the rules at once. */
  async take(id: number, p: Principal): Promise<ShiftRequestViewDto> {
    const own = await this.employeeOnly(p);
    return this.uow.run(async (tx, events) => {
      const r = await this.pending(tx, id);
      if (r.kind !== 'swap' || r.employeeId === own || (r.targetEmployeeId !== null && r.targetEmployeeId !== own)) throw notFound('Swap offer');
      const s = await this.scheduleOf(tx, r);
      await this.rules.enforce(tx, own, s.date, s.shift!, s.id);
      const me = await this.employees.get(own, tx);
      r.targetEmployeeId = own;
      const saved = await tx.getRepository(ShiftRequest).save(r);
      const requester = await this.employees.get(r.employeeId, tx);
      const n = this.notice(saved, 'Shift Swap Accepted', `${employeeName(me)} will take ${describe(s.shift!, s.date)} from ${employeeName(requester)}; a manager will decide.`);
      await this.notices.toEmployee(tx, events, requester, n);
      await this.notices.toManagers(tx, events, n, p.id);
      return view(saved);
    });
  }

  /**
   * A manager approves: a claim becomes the claimant's schedule (other claims
   * on that open shift are declined), a swap moves the schedule to the
   * colleague, a drop turns the schedule back into an open shift. Rules are
   * checked for the employee who gets the shift; `override_reason` lets an
   * overridable rule be broken, on the record.
   */
  approve(id: number, p: Principal, dto: ApproveRequestDto): Promise<ShiftRequestViewDto> {
    return this.uow.run(async (tx, events) => {
      const r = await this.pending(tx, id);
      const requester = await this.employees.get(r.employeeId, tx);
      let result: number | null = null;
      if (r.kind === 'claim') {
        const open = await tx.getRepository(OpenShift).findOne({ where: { id: r.openShiftId! }, lock: { mode: 'pessimistic_write' } });
        if (!open) throw conflict('The open shift is no longer open');
        open.shift = (await tx.getRepository(Shift).findOne({ where: { id: open.shiftId } }))!;
        const created = await this.schedules.createIn(tx, events, { employee_id: requester.id, shift_id: open.shiftId, date: open.date, notes: open.notes, override_reason: dto.override_reason }, p, {
          note: `Claimed open shift #${open.id} (request #${r.id})`,
          quiet: true,
        });
        result = created.id;
        await tx.getRepository(OpenShift).delete({ id: open.id });
        await this.declineClaims(tx, events, open.id, r.id, p, 'Another employee got the shift');
        await this.notices.toEmployee(tx, events, requester, this.notice(r, 'Open Shift Claim Approved', `You are scheduled for ${describe(open.shift, open.date)}.`, { schedule_id: result }));
      } else if (r.kind === 'swap') {
        if (r.targetEmployeeId === null) throw conflict('No colleague has offered to take this shift yet');
        const s = await this.scheduleOf(tx, r);
        const target = await this.employees.get(r.targetEmployeeId, tx);
        await this.schedules.updateIn(tx, events, s.id, { employee_id: target.id, override_reason: dto.override_reason }, p, { note: `Swap request #${r.id}`, quiet: true });
        result = s.id;
        const what = describe(s.shift!, s.date);
        await this.notices.toEmployee(tx, events, requester, this.notice(r, 'Shift Swap Approved', `${employeeName(target)} now works ${what} instead of you.`, { schedule_id: s.id }));
        await this.notices.toEmployee(tx, events, target, this.notice(r, 'Shift Swap Approved', `You now work ${what} (swapped from ${employeeName(requester)}).`, { schedule_id: s.id }));
      } else {
        const s = await this.scheduleOf(tx, r);
        const repo = tx.getRepository(OpenShift);
        const open = await repo.save(repo.create({ shiftId: s.shiftId, date: s.date, jobRole: requester.jobRole || null, notes: s.notes }));
        await this.schedules.removeIn(tx, events, s.id, `Dropped (request #${r.id}); now open shift #${open.id}`, p, { quiet: true });
        await this.notices.toEmployee(
          tx,
          events,
          requester,
          this.notice(r, 'Shift Drop Approved', `You no longer work ${describe(s.shift!, s.date)}; it is now an open shift.`, { open_shift_id: open.id }),
        );
      }
      const saved = await this.decide(tx, r, 'approved', p, dto.note);
      return { ...view(saved), result_schedule_id: result };
    });
  }

  decline(id: number, p: Principal, note?: string): Promise<ShiftRequestViewDto> {
    return this.uow.run(async (tx, events) => {
      const r = await this.pending(tx, id);
      const saved = await this.decide(tx, r, 'declined', p, note);
      const n = this.notice(saved, 'Shift Request Declined', `Your ${r.kind} request for ${r.date} was declined${saved.decisionNote ? `: ${saved.decisionNote}` : '.'}`);
      await this.notices.toEmployee(tx, events, await this.employees.get(r.employeeId, tx), n);
      if (r.targetEmployeeId !== null) await this.notices.toEmployee(tx, events, await this.employees.get(r.targetEmployeeId, tx), n);
      return view(saved);
    });
  }

  /** The requester withdraws a pending request; managers and a named colleague are told. */
  async cancel(id: number, p: Principal): Promise<ShiftRequestViewDto> {
    const own = await this.employeeOnly(p);
    return this.uow.run(async (tx, events) => {
      const r = await tx.getRepository(ShiftRequest).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!r || r.employeeId !== own) throw notFound('Shift request');
      if (r.status !== 'pending') throw conflict(`The request is already ${r.status}`);
      r.status = 'cancelled';
      const saved = await tx.getRepository(ShiftRequest).save(r);
      const n = this.notice(saved, 'Shift Request Withdrawn', `The ${r.kind} request for ${r.date} was withdrawn.`);
      await this.notices.toManagers(tx, events, n, p.id);
      if (r.targetEmployeeId !== null) await this.notices.toEmployee(tx, events, await this.employees.get(r.targetEmployeeId, tx), n);
      return view(saved);
    });
  }

  /** Managers: every request. Employees: their own, those naming them, and open swap offers they could take. */
  async list(p: Principal, q: ListShiftRequestsQuery): Promise<ShiftRequestViewDto[]> {
    const own = await actingEmployee(this.employees, p);
    const qb = this.dataSource.getRepository(ShiftRequest).createQueryBuilder('r').orderBy('r.created_at', 'DESC').addOrderBy('r.id', 'DESC').take(1000);
    if (q.status) qb.andWhere('r.status = :status', { status: q.status });
    if (own !== null) {
      qb.andWhere(
        new Brackets((w) =>
          w.where('r.employee_id = :own', { own }).orWhere('r.target_employee_id = :own', { own }).orWhere(`r.kind = 'swap' AND r.status = 'pending' AND r.target_employee_id IS NULL`),
        ),
      );
    }
    return (await qb.getMany()).map(view);
  }

  /** Declines the pending claims on an open shift that is gone (filled, withdrawn), telling each claimant. */
  async declineClaims(tx: EntityManager, events: PendingEvents, openShiftId: number, exceptId: number | null, p: Principal, note: string): Promise<void> {
    const claims = await tx.getRepository(ShiftRequest).find({ where: { kind: 'claim', openShiftId, status: 'pending' }, order: { id: 'ASC' } });
    for (const c of claims) {
      if (c.id === exceptId) continue;
      const saved = await this.decide(tx, c, 'declined', p, note);
      await this.notices.toEmployee(tx, events, await this.employees.get(c.employeeId, tx), this.notice(saved, 'Shift Request Declined', `Your claim for ${c.date} was declined: ${note}.`));
    }
  }

  private async decide(tx: EntityManager, r: ShiftRequest, status: 'approved' | 'declined', p: Principal, note?: string): Promise<ShiftRequest> {
    r.status = status;
    r.decidedById = p.kind === 'user' ? p.id : null;
    r.decidedByName = p.name;
    r.decidedAt = this.clock.date();
    r.decisionNote = clean(note);
    return tx.getRepository(ShiftRequest).save(r);
  }

  private async pending(tx: EntityManager, id: number): Promise<ShiftRequest> {
    const r = await tx.getRepository(ShiftRequest).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!r) throw notFound('Shift request');
    if (r.status !== 'pending') throw conflict(`The request is already ${r.status}`);
    return r;
  }

  /** The offered schedule, still the requester's. */
  private async scheduleOf(tx: EntityManager, r: ShiftRequest): Promise<Schedule> {
    const s = await tx.getRepository(Schedule).findOne({ where: { id: r.scheduleId! }, relations: { shift: true } });
    if (!s || s.employeeId !== r.employeeId) throw conflict('The offered shift has been changed or removed since');
    return s;
  }

  private async employeeOnly(p: Principal): Promise<number> {
    const own = await actingEmployee(this.employees, p);
    if (own === null) throw forbidden('Only employees ask for shifts; managers plan them directly');
    return own;
  }

  private notice(r: ShiftRequest, title: string, message: string, extra: Record<string, unknown> = {}): Notice {
    return { title, message, link: `/shift-requests/${r.id}`, metadata: { action: title.toLowerCase().replace(/ /g, '_'), request_id: r.id, kind: r.kind, date: r.date, ...extra } };
  }
}

function clean(text: string | null | undefined): string | null {
  return text ? plainText(text, 500) || null : null;
}

function describe(shift: Shift, date: string): string {
  return `${shift.name} on ${date} (${normalizeTime(shift.startTime).slice(0, 5)}–${normalizeTime(shift.endTime).slice(0, 5)})`;
}

function view(r: ShiftRequest): ShiftRequestViewDto {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    employee_id: r.employeeId,
    open_shift_id: r.openShiftId,
    schedule_id: r.scheduleId,
    target_employee_id: r.targetEmployeeId,
    date: r.date,
    reason: r.reason,
    ...decisionView(r),
    created_at: r.createdAt.toISOString(),
  };
}
