import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { AuditQuery, AuditEntryDto } from './dto/audit.dto';
import { AuditAction, ScheduleAudit } from './entities/schedule-audit.entity';

export interface AuditChange {
  scheduleId: number;
  action: AuditAction;
  employeeId: number;
  previousEmployeeId?: number | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason?: string | null;
}

/** The schedule audit log: written inside the change's transaction, read by managers. */
@Injectable()
export class ScheduleAuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async record(tx: EntityManager, p: Principal, c: AuditChange): Promise<void> {
    const repo = tx.getRepository(ScheduleAudit);
    await repo.save(
      repo.create({
        scheduleId: c.scheduleId,
        action: c.action,
        employeeId: c.employeeId,
        previousEmployeeId: c.previousEmployeeId ?? null,
        actorId: p.kind === 'user' ? p.id : null,
        actorName: p.name,
        at: this.clock.date(),
        before: c.before,
        after: c.after,
        reason: c.reason ?? null,
      }),
    );
  }

  /** Newest first. `employee_id` matches entries that moved a schedule away from that employee too. */
  async list(q: AuditQuery): Promise<AuditEntryDto[]> {
    const qb = this.dataSource.manager.getRepository(ScheduleAudit).createQueryBuilder('a');
    if (q.schedule_id !== undefined) qb.andWhere('a.schedule_id = :sid', { sid: q.schedule_id });
    if (q.employee_id !== undefined) qb.andWhere('(a.employee_id = :eid OR a.previous_employee_id = :eid)', { eid: q.employee_id });
    if (q.actor_id !== undefined) qb.andWhere('a.actor_id = :aid', { aid: q.actor_id });
    if (q.from !== undefined) qb.andWhere('a.at >= :from', { from: new Date(q.from) });
    if (q.to !== undefined) qb.andWhere('a.at < :to', { to: new Date(q.to) });
    const rows = await qb
      .orderBy('a.at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(q.limit ?? 100)
      .offset(q.offset ?? 0)
      .getMany();
    return rows.map((r) => ({
      id: r.id,
      schedule_id: r.scheduleId,
      action: r.action,
      employee_id: r.employeeId,
      previous_employee_id: r.previousEmployeeId,
      changed_by: { id: r.actorId, name: r.actorName },
      at: r.at.toISOString(),
      before: r.before,
      after: r.after,
      reason: r.reason,
    }));
  }
}
