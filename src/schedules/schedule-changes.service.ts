import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Principal } from '../auth/principal';
import { forbidden } from '../common/app-error';
import { ChangeRequest } from '../common/changes';
import { ChangeFeed } from '../database/change-feed';
import { ListSchedulesQuery, ScheduleChangesDto } from './dto/schedule.dto';
import { Schedule } from './entities/schedule.entity';
import { scheduleView, SchedulesService } from './schedules.service';

/**
 * `GET /api/schedules?changed_since=`: the schedules a reader sees that were
 * created or changed since a server time, and those it no longer sees
 * (deleted, or moved to another employee), for a client rebuilding its view.
 */
@Injectable()
export class ScheduleChangesService {
  constructor(
    @InjectRepository(Schedule) private readonly repo: Repository<Schedule>,
    private readonly schedules: SchedulesService,
    private readonly feed: ChangeFeed,
  ) {}

  async list(p: Principal, q: ListSchedulesQuery, req: ChangeRequest): Promise<ScheduleChangesDto> {
    const own = await this.schedules.ownEmployeeId(p);
    if (own === null) return { items: [], deleted: [], ...(await this.feed.horizon()), next_cursor: null, has_more: false };
    if (own !== undefined && q.employee_id !== undefined && q.employee_id !== own) throw forbidden('Employees may only see their own schedules');
    const employeeId = own ?? q.employee_id;
    // An employee never sees drafts, so a draft's changes are not theirs to hear about.
    const window = await this.feed.read(req, [
      (bind, since) =>
        `SELECT id::text AS key, updated_at AS ts FROM schedules WHERE updated_at >= ${since}` +
        (employeeId !== undefined ? ` AND employee_id = ${bind(employeeId)}` : '') +
        (own !== undefined ? ' AND published' : ''),
      (bind, since) =>
        `SELECT entity_id AS key, deleted_at AS ts FROM tombstones WHERE entity = 'schedule' AND deleted_at >= ${since}` + (employeeId !== undefined ? ` AND scope = ${bind(String(employeeId))}` : ''),
    ]);
    const rows = window.keys.length
      ? await this.repo.find({
          where: { id: In(window.keys.map(Number)), ...(employeeId !== undefined ? { employeeId } : {}), ...(own !== undefined ? { published: true } : {}) },
          relations: { employee: true, shift: true },
        })
      : [];
    const { items, deleted } = this.feed.assemble(window, rows, (s) => String(s.id), Number);
    return {
      items: items.map((s) => scheduleView(s, s.employee!, s.shift!)),
      deleted,
      deleted_since: window.deleted_since,
      as_of: window.as_of,
      next_cursor: window.next_cursor,
      has_more: window.has_more,
    };
  }
}
