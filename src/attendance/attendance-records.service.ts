import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ChangeRequest } from '../common/changes';
import { ChangeFeed } from '../database/change-feed';
import type { Principal } from '../auth/principal';
import { badRequest, notFound } from '../common/app-error';
import { addDays, isCalendarDate, localDate, startOfDay } from '../common/calendar';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { Employee } from '../employees/entities/employee.entity';
import { MediaStorage } from '../media/media-storage';
import { RecordSnapshot } from './attendance.events';
import { CreateRecordDto, ListRecordsQuery } from './dto/record.dto';
import { AttendanceRecord } from './entities/attendance-record.entity';
import { deviceIdOf } from './device-id';
import { AttendanceConfig } from './attendance.config';
import { ATTENDANCE_IMAGES } from './attendance-image-urls';
import { AttendanceReviewsService, Held } from './attendance-reviews.service';

export interface DaySummary {
  date: string;
  timezone: string;
  from: string;
  to: string;
  employees: Array<{ employee_id: number; first_name: string; last_name: string; first_in: string | null; last_out: string | null; records: number }>;
}

function recordSnapshot(r: AttendanceRecord): RecordSnapshot {
  return { id: r.id, employee_id: r.employeeId, device_id: r.deviceId, datetime: r.datetime.toISOString(), score: r.score, image_path: r.imagePath };
}

/** Employees recognised at the doors: their records and the day's first in and last out. */
@Injectable()
export class AttendanceRecordsService {
  private readonly timezone: string;
  private readonly maxPage: number;
  private readonly cooldownMs: number;

  constructor(
    @InjectRepository(AttendanceRecord) private readonly records: Repository<AttendanceRecord>,
    private readonly uow: UnitOfWork,
    private readonly media: MediaStorage,
    private readonly clock: Clock,
    private readonly reviews: AttendanceReviewsService,
    private readonly feed: ChangeFeed,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.timezone = AttendanceConfig.read(config).ATTENDANCE_TIMEZONE;
    this.maxPage = AttendanceConfig.read(config).ATTENDANCE_MAX_PAGE_SIZE;
    this.cooldownMs = AttendanceConfig.read(config).ATTENDANCE_RECORD_COOLDOWN_MS;
  }

  /**
   * Records a sighting, at most once: a retry with the sender's event id, or a
   * sighting of the same employee by the same camera within the cool-down,
   * returns the first record (`duplicate`) and stores and announces nothing.
   * The employee's row is locked first, so concurrent sightings of one person
   * are judged one after the other.
   */
  async create(principal: Principal, dto: CreateRecordDto, image: { buffer: Buffer } | undefined): Promise<{ record: RecordSnapshot; event_id: string | null; duplicate: boolean } | { held: Held }> {
    const deviceId = deviceIdOf(principal, dto.device_id);
    const source = `${principal.kind}:${principal.id}`;
    const eventId = dto.event_id ?? null;
    const datetime = dto.datetime ? new Date(dto.datetime) : this.clock.date();
    const earlier = eventId ? await this.records.findOne({ where: { source, eventId } }) : null;
    if (earlier) return { record: recordSnapshot(earlier), event_id: eventId, duplicate: true };
    if (this.reviews.tooLow(dto.score)) {
      const input = { kind: 'record', reason: 'low_score', source, eventId, deviceId, datetime, score: dto.score, employeeId: dto.employee_id } as const;
      return { held: await this.reviews.hold(input, image) };
    }

    const stored = image ? await this.media.saveImage(image.buffer, ATTENDANCE_IMAGES) : null;
    let used = false;
    try {
      const outcome = await this.uow.run(async (tx, events) => {
        const employee = await tx.getRepository(Employee).createQueryBuilder('e').setLock('pessimistic_write').where('e.id = :id', { id: dto.employee_id }).getOne();
        if (!employee) throw notFound('Employee');
        const repo = tx.getRepository(AttendanceRecord);
        const first =
          (eventId ? await repo.findOne({ where: { source, eventId } }) : null) ??
          (this.cooldownMs > 0
            ? await repo
                .createQueryBuilder('r')
                .where('r.employee_id = :emp AND r.device_id = :dev', { emp: employee.id, dev: deviceId })
                .andWhere('r.datetime > :from AND r.datetime < :to', { from: new Date(datetime.getTime() - this.cooldownMs), to: new Date(datetime.getTime() + this.cooldownMs) })
                .orderBy('r.datetime', 'ASC')
                .getOne()
            : null);
        if (first) return { record: recordSnapshot(first), event_id: eventId, duplicate: true };
        const saved = await repo.save(repo.create({ employeeId: employee.id, deviceId, datetime, score: dto.score, imagePath: stored?.path ?? null, source, eventId }));
        used = true;
        const record = recordSnapshot(saved);
        events.publish('attendance.record_created', { record });
        return { record, event_id: eventId, duplicate: false };
      });
      return outcome;
    } finally {
      if (stored && !used) await this.media.deleteQuietly([stored.path]);
    }
  }

  async list(query: ListRecordsQuery): Promise<RecordSnapshot[]> {
    const qb = this.records.createQueryBuilder('r');
    if (query.employee_id) qb.andWhere('r.employee_id = :employeeId', { employeeId: query.employee_id });
    if (query.from) qb.andWhere('r.datetime >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('r.datetime < :to', { to: new Date(query.to) });
    const rows = await qb
      .orderBy('r.datetime', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .take(Math.min(query.limit ?? 100, this.maxPage))
      .skip(query.offset ?? 0)
      .getMany();
    return rows.map(recordSnapshot);
  }

  /** Records added or deleted since a server time: what a client that lost its socket's frames rebuilds from. */
  async changes(req: ChangeRequest): Promise<{ items: RecordSnapshot[]; deleted: number[]; deleted_since: string; as_of: string; next_cursor: string | null; has_more: boolean }> {
    const window = await this.feed.read({ ...req, limit: Math.min(req.limit, this.maxPage) }, [
      (_, since) => `SELECT id::text AS key, created_at AS ts FROM attendance_records WHERE created_at >= ${since}`,
      (_, since) => `SELECT entity_id AS key, deleted_at AS ts FROM tombstones WHERE entity = 'attendance_record' AND deleted_at >= ${since}`,
    ]);
    const rows = window.keys.length ? await this.records.find({ where: { id: In(window.keys.map(Number)) } }) : [];
    const { items, deleted } = this.feed.assemble(window, rows, (r) => String(r.id), Number);
    return { items: items.map(recordSnapshot), deleted, deleted_since: window.deleted_since, as_of: window.as_of, next_cursor: window.next_cursor, has_more: window.has_more };
  }

  async get(id: number): Promise<RecordSnapshot> {
    const r = await this.records.findOne({ where: { id } });
    if (!r) throw notFound('Attendance record');
    return recordSnapshot(r);
  }

  async remove(id: number): Promise<void> {
    const image = await this.uow.run(async (tx, events) => {
      const r = await tx.getRepository(AttendanceRecord).findOne({ where: { id } });
      if (!r) throw notFound('Attendance record');
      await tx.getRepository(AttendanceRecord).delete({ id });
      events.publish('attendance.record_deleted', { record: recordSnapshot(r) });
      return r.imagePath;
    });
    await this.media.deleteQuietly([image]);
  }

  /**
   * Every employee's first and last record of one calendar day in a zone
   * (ATTENDANCE_TIMEZONE unless named). last_out needs a second record: a
   * single one is an arrival with no departure yet.
   */
  async summary(date: string | undefined, timezone: string | undefined): Promise<DaySummary> {
    const zone = timezone ?? this.timezone;
    const day = date ?? localDate(this.clock.now(), zone);
    if (!isCalendarDate(day)) throw badRequest(`date ${day} is not a calendar day (YYYY-MM-DD)`, { field: 'date' });
    const from = new Date(startOfDay(day, zone));
    const to = new Date(startOfDay(addDays(day, 1), zone));
    const rows: Array<{ id: number; first_name: string; last_name: string; first_in: Date | null; last_out: Date | null; records: number }> = await this.records.manager.query(
      `SELECT e.id, e.first_name, e.last_name, min(r.datetime) AS first_in, max(r.datetime) AS last_out, count(r.id)::int AS records
         FROM employees e
         LEFT JOIN attendance_records r ON r.employee_id = e.id AND r.datetime >= $1 AND r.datetime < $2
        GROUP BY e.id
        ORDER BY e.id`,
      [from.toISOString(), to.toISOString()],
    );
    return {
      date: day,
      timezone: zone,
      from: from.toISOString(),
      to: to.toISOString(),
      employees: rows.map((r) => ({
        employee_id: r.id,
        first_name: r.first_name,
        last_name: r.last_name,
        first_in: r.first_in ? new Date(r.first_in).toISOString() : null,
        last_out: r.records >= 2 && r.last_out ? new Date(r.last_out).toISOString() : null,
        records: r.records,
      })),
    };
  }
}
