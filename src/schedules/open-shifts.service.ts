import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/principal';
import { badRequest, notFound } from '../common/app-error';
import { normalizeTime } from '../common/calendar';
import { plainText } from '../common/plain-text';
import { UnitOfWork } from '../database/unit-of-work';
import { CreateOpenShiftDto, ListOpenShiftsQuery, OpenShiftViewDto } from './dto/planning.dto';
import { OpenShift } from './entities/open-shift.entity';
import { Shift } from './entities/shift.entity';
import { ShiftsService } from './shifts.service';
import { ShiftRequestsService } from './shift-requests.service';

export function openShiftView(o: OpenShift, shift: Shift): OpenShiftViewDto {
  return {
    id: o.id,
    shift_id: o.shiftId,
    date: o.date,
    job_role: o.jobRole,
    notes: o.notes,
    shift: { id: shift.id, name: shift.name, start_time: normalizeTime(shift.startTime), end_time: normalizeTime(shift.endTime) },
    created_at: o.createdAt.toISOString(),
  };
}

/** Shifts nobody works yet: managers post them, employees claim them, auto-fill fills them. */
@Injectable()
export class OpenShiftsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly shifts: ShiftsService,
    private readonly requests: ShiftRequestsService,
  ) {}

  async create(dto: CreateOpenShiftDto): Promise<OpenShiftViewDto[]> {
    const shift = await this.shifts.get(dto.shift_id);
    const repo = this.dataSource.getRepository(OpenShift);
    const rows = Array.from({ length: dto.count ?? 1 }, () =>
      repo.create({ shiftId: shift.id, date: dto.date, jobRole: dto.job_role ? plainText(dto.job_role, 100) || null : null, notes: dto.notes ? plainText(dto.notes, 2000) || null : null }),
    );
    return (await repo.save(rows)).map((o) => openShiftView(o, shift));
  }

  async list(q: ListOpenShiftsQuery): Promise<OpenShiftViewDto[]> {
    if (q.from && q.to && q.from > q.to) throw badRequest('`from` must not be after `to`');
    const qb = this.dataSource
      .getRepository(OpenShift)
      .createQueryBuilder('o')
      .innerJoinAndSelect('o.shift', 'sh')
      .orderBy('o.date', 'ASC')
      .addOrderBy('sh.start_time', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .take(1000);
    if (q.from) qb.andWhere('o.date >= :from', { from: q.from });
    if (q.to) qb.andWhere('o.date <= :to', { to: q.to });
    return (await qb.getMany()).map((o) => openShiftView(o, o.shift!));
  }

  /** Pending claims on it are declined, and their employees told. */
  remove(id: number, p: Principal): Promise<void> {
    return this.uow.run(async (tx, events) => {
      const repo = tx.getRepository(OpenShift);
      const o = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!o) throw notFound('Open shift');
      await repo.delete({ id });
      await this.requests.declineClaims(tx, events, id, null, p, 'The open shift was withdrawn');
    });
  }
}
