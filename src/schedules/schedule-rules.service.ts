import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { conflict } from '../common/app-error';
import { plainText } from '../common/plain-text';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RulesDto } from './dto/planning.dto';
import { EmployeeAvailability } from './entities/availability.entity';
import { Schedule } from './entities/schedule.entity';
import { ScheduleRulesRow } from './entities/schedule-rules.entity';
import { Shift } from './entities/shift.entity';
import { TimeOffRequest } from './entities/time-off.entity';
import { contextRange, OVERRIDABLE_RULES, Rules, slotOf, Staff, violationsOf } from './schedule-rules';
import { SchedulesConfig } from './schedules.config';

const NO_RULES: Rules = { min_rest_hours: null, max_hours_per_day: null, max_hours_per_week: null, overridable: [...OVERRIDABLE_RULES].filter((r) => r !== 'time_off') };

/**
 * The site's rules and what they need from the database: every schedule
 * write asks `enforce` inside its transaction, after the employee's lock.
 */
@Injectable()
export class ScheduleRulesService {
  /** The site time zone: shift times are wall-clock times there. */
  readonly zone: string;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.zone = SchedulesConfig.read(config).SCHEDULES_TIME_ZONE;
  }

  async get(tx: EntityManager = this.dataSource.manager): Promise<Rules & { time_zone: string }> {
    const row = await tx.getRepository(ScheduleRulesRow).findOne({ where: { id: 1 } });
    const rules = row ? { min_rest_hours: row.minRestHours, max_hours_per_day: row.maxHoursPerDay, max_hours_per_week: row.maxHoursPerWeek, overridable: row.overridable } : NO_RULES;
    return { ...rules, time_zone: this.zone };
  }

  /** Replaces the fields given; a field set to null switches its rule off. */
  async update(dto: RulesDto): Promise<Rules & { time_zone: string }> {
    return this.dataSource.transaction(async (tx) => {
      const current = await this.get(tx);
      const repo = tx.getRepository(ScheduleRulesRow);
      await repo.save(
        repo.create({
          id: 1,
          minRestHours: dto.min_rest_hours === undefined ? current.min_rest_hours : dto.min_rest_hours,
          maxHoursPerDay: dto.max_hours_per_day === undefined ? current.max_hours_per_day : dto.max_hours_per_day,
          maxHoursPerWeek: dto.max_hours_per_week === undefined ? current.max_hours_per_week : dto.max_hours_per_week,
          overridable: dto.overridable === undefined ? current.overridable : [...new Set(dto.overridable)],
        }),
      );
      return this.get(tx);
    });
  }

  /**
   * What the rules know about each employee for shifts dated `from`..`to`:
   * their other shifts (not cancelled, drafts included), availability and
   * approved time off.
   */
  async staffOf(tx: EntityManager, employeeIds: number[], from: string, to: string, exceptScheduleIds: number[] = []): Promise<Map<number, Staff>> {
    const staff = new Map<number, Staff>(employeeIds.map((id) => [id, { slots: [], availability: [], timeOff: [] }]));
    if (!employeeIds.length) return staff;
    const qb = tx
      .getRepository(Schedule)
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.shift', 'sh')
      .where('s.employee_id IN (:...ids)', { ids: employeeIds })
      .andWhere('s.date BETWEEN :from AND :to', { from, to })
      .andWhere(`s.status <> 'cancelled'`);
    if (exceptScheduleIds.length) qb.andWhere('s.id NOT IN (:...except)', { except: exceptScheduleIds });
    for (const s of await qb.getMany()) staff.get(s.employeeId)!.slots.push(slotOf(s.id, s.date, s.shift!.startTime, s.shift!.endTime, this.zone));
    for (const w of await tx.getRepository(EmployeeAvailability).find({ where: { employeeId: In(employeeIds) }, order: { id: 'ASC' } })) {
      staff.get(w.employeeId)!.availability.push({ weekday: w.weekday, start_time: w.startTime, end_time: w.endTime, preferred: w.preferred });
    }
    const off = await tx
      .getRepository(TimeOffRequest)
      .createQueryBuilder('t')
      .where('t.employee_id IN (:...ids)', { ids: employeeIds })
      .andWhere(`t.status = 'approved' AND t.start_date <= :to AND t.end_date >= :from`, { from, to })
      .getMany();
    for (const t of off) staff.get(t.employeeId)!.timeOff.push({ from: t.startDate, to: t.endDate });
    return staff;
  }

  /**
   * Refuses a placement that breaks a rule (409, with each violation), unless
   * every broken rule may be overridden and a reason is given: then the
   * reason, with the rules it overrides, is returned for the audit log.
   */
  async enforce(tx: EntityManager, employeeId: number, date: string, shift: Shift, exceptId: number | null, overrideReason?: string | null): Promise<string | null> {
    const rules = await this.get(tx);
    const range = contextRange(date);
    const staff = (await this.staffOf(tx, [employeeId], range.from, range.to, exceptId !== null ? [exceptId] : [])).get(employeeId)!;
    const violations = violationsOf(slotOf(null, date, shift.startTime, shift.endTime, this.zone), staff, rules, this.zone);
    const overlap = violations.find((v) => v.rule === 'overlap');
    if (overlap) {
      const other = await tx.getRepository(Schedule).findOne({ where: { id: overlap.schedule_id! }, relations: { shift: true } });
      throw conflict(`The employee already works ${other!.shift!.name} on ${other!.date}, which overlaps this shift`, { conflicting_schedule_id: other!.id, violations });
    }
    if (!violations.length) return null;
    const why = overrideReason ? plainText(overrideReason, 500) : '';
    const overridable = violations.every((v) => v.overridable);
    if (!why || !overridable) {
      const hint = overridable ? ' (send override_reason to plan it anyway)' : '';
      throw conflict(`The change breaks the planning rules: ${violations.map((v) => `${v.rule}: ${v.message}`).join('; ')}${hint}`, { violations, overridable });
    }
    return `Overrides ${[...new Set(violations.map((v) => v.rule))].join(', ')}: ${why}`;
  }
}
