import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { badRequest } from '../common/app-error';
import { daysBetween } from '../common/calendar';
import { UnitOfWork } from '../database/unit-of-work';
import { Employee } from '../employees/entities/employee.entity';
import { autoFill, FillShift } from './auto-fill';
import { AutoFillDto, AutoFillResultDto } from './dto/planning.dto';
import { OpenShift } from './entities/open-shift.entity';
import { Schedule } from './entities/schedule.entity';
import { contextRange, slotOf } from './schedule-rules';
import { ScheduleAuditService } from './schedule-audit.service';
import { ScheduleRulesService } from './schedule-rules.service';
import { employeeName, SchedulesService } from './schedules.service';
import { ShiftRequestsService } from './shift-requests.service';

/**
 * Runs auto-fill (./auto-fill.ts) on the open shifts of a date range and,
 * unless it is a dry run, writes its proposal as drafts in one transaction:
 * each filled open shift becomes a draft schedule (audited with its reason),
 * for the manager to review and publish.
 */
@Injectable()
export class AutoFillService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly rules: ScheduleRulesService,
    private readonly schedules: SchedulesService,
    private readonly audit: ScheduleAuditService,
    private readonly requests: ShiftRequestsService,
  ) {}

  run(dto: AutoFillDto, p: Principal): Promise<AutoFillResultDto> {
    if (dto.from > dto.to) throw badRequest('`from` must not be after `to`');
    if (daysBetween(dto.from, dto.to) > 31) throw badRequest('Auto-fill plans at most 31 days at once');
    return this.uow.run(async (tx, events) => {
      const opens = await tx
        .getRepository(OpenShift)
        .createQueryBuilder('o')
        .setLock('pessimistic_write', undefined, ['o'])
        .innerJoinAndSelect('o.shift', 'sh')
        .where('o.date BETWEEN :from AND :to', { from: dto.from, to: dto.to })
        .orderBy('o.id', 'ASC')
        .getMany();
      const people = await tx.getRepository(Employee).find({ order: { id: 'ASC' } });
      const ids = people.map((e) => e.id);
      // Nobody else plans these people until the drafts are written.
      if (!dto.dry_run) await this.schedules.lockEmployees(tx, ids);
      const rules = await this.rules.get(tx);
      const staff = await this.rules.staffOf(tx, ids, contextRange(dto.from).from, contextRange(dto.to).to);
      const shifts: FillShift[] = opens.map((o) => ({ id: o.id, slot: slotOf(null, o.date, o.shift!.startTime, o.shift!.endTime, this.rules.zone), job_role: o.jobRole }));
      const proposal = autoFill(
        shifts,
        people.map((e) => ({ id: e.id, name: employeeName(e), job_role: e.jobRole, staff: staff.get(e.id)! })),
        rules,
        this.rules.zone,
      );
      const openById = new Map(opens.map((o) => [o.id, o]));
      const names = new Map(people.map((e) => [e.id, employeeName(e)]));
      const scheduleIds = new Map<number, number>();
      if (!dto.dry_run && proposal.assignments.length) {
        const repo = tx.getRepository(Schedule);
        const rows = proposal.assignments.map((a) => {
          const o = openById.get(a.open_shift_id)!;
          return { employeeId: a.employee_id, shiftId: o.shiftId, date: o.date, status: 'scheduled' as const, notes: o.notes, published: false };
        });
        const inserted = await repo.insert(rows);
        for (const [i, a] of proposal.assignments.entries()) {
          const id = inserted.identifiers[i].id as number;
          scheduleIds.set(a.open_shift_id, id);
          const r = rows[i];
          await this.audit.record(tx, p, {
            scheduleId: id,
            action: 'created',
            employeeId: r.employeeId,
            before: null,
            after: { employee_id: r.employeeId, shift_id: r.shiftId, date: r.date, status: r.status, notes: r.notes },
            reason: `Auto-fill of open shift #${a.open_shift_id}: ${a.reason}`.slice(0, 1000),
          });
        }
        const filled = proposal.assignments.map((a) => a.open_shift_id);
        await tx.getRepository(OpenShift).delete(filled);
        for (const id of filled) await this.requests.declineClaims(tx, events, id, null, p, 'The shift was planned by auto-fill');
      }
      return {
        assignments: proposal.assignments.map((a) => {
          const o = openById.get(a.open_shift_id)!;
          return {
            open_shift_id: a.open_shift_id,
            schedule_id: scheduleIds.get(a.open_shift_id) ?? null,
            employee_id: a.employee_id,
            employee_name: names.get(a.employee_id)!,
            shift_id: o.shiftId,
            date: o.date,
            reason: a.reason,
          };
        }),
        unfilled: proposal.unfilled.map((u) => {
          const o = openById.get(u.open_shift_id)!;
          return { open_shift_id: u.open_shift_id, shift_id: o.shiftId, date: o.date, reason: u.reason, blocked: u.blocked };
        }),
        hours: proposal.hours,
      };
    });
  }
}
