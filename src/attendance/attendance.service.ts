import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DateTime } from 'luxon';
import { AppConfig, intVar } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { badRequest, notFound } from '../common/app-error';
import { PendingEvents, UnitOfWork } from '../database/unit-of-work';
import type { Principal } from '../auth/principal';
import { Employee } from '../employees/entities/employee.entity';
import { MediaStorage } from '../media/media-storage';
import { ClientFrameData, VisitFrameData } from './attendance.events';
import { ClientFieldsDto, RecognitionDto, RecordDto, RecordsQuery, UpdateVisitDto, VisitDto } from './dto/attendance.dto';
import { AttendanceClient } from './entities/attendance-client.entity';
import { AttendanceRecognition } from './entities/attendance-recognition.entity';
import { AttendanceRecord } from './entities/attendance-record.entity';
import { AttendanceVisit } from './entities/attendance-visit.entity';

type Upload = { buffer: Buffer } | undefined;

/**
 * Visitors (clients), their visits, employees' attendance records and the
 * cameras' recognition stream. Every change is announced after commit with
 * the frame data the gateway sends, image URLs included.
 */
@Injectable()
export class AttendanceService {
  private readonly historyLength: number;
  readonly zone: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly media: MediaStorage,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.historyLength = intVar(config, 'ATTENDANCE_VISIT_HISTORY');
    this.zone = config.vars.ATTENDANCE_TIMEZONE;
  }

  // ── clients ──

  async clientFrame(tx: EntityManager, c: AttendanceClient): Promise<ClientFrameData> {
    const visits = this.historyLength
      ? await tx.getRepository(AttendanceVisit).find({ where: { clientId: c.id }, order: { datetime: 'DESC', id: 'DESC' }, take: this.historyLength })
      : [];
    return {
      id: c.id,
      first_seen: c.firstSeen?.toISOString() ?? null,
      last_seen: c.lastSeen?.toISOString() ?? null,
      visit_count: c.visitCount,
      gender: c.gender,
      age: c.age,
      image: this.media.url(c.imagePath),
      visit_histories: visits.reverse().map((v) => ({ datetime: v.datetime.toISOString(), device_id: v.deviceId })),
    };
  }

  listClients(): Promise<ClientFrameData[]> {
    return this.dataSource.transaction(async (tx) => {
      const clients = await tx.getRepository(AttendanceClient).find({ order: { id: 'ASC' } });
      const out: ClientFrameData[] = [];
      for (const c of clients) out.push(await this.clientFrame(tx, c));
      return out;
    });
  }

  async getClient(id: number): Promise<ClientFrameData> {
    return this.dataSource.transaction(async (tx) => this.clientFrame(tx, await this.client(tx, id)));
  }

  async createClient(dto: ClientFieldsDto, image: Upload): Promise<ClientFrameData> {
    const stored = image ? await this.media.saveImage(image.buffer, 'client_images') : null;
    return this.uow.run(async (tx, events) => {
      const c = await tx.getRepository(AttendanceClient).save(
        tx.getRepository(AttendanceClient).create({ gender: dto.gender ?? null, age: dto.age ?? null, imagePath: stored?.path ?? null, firstSeen: null, lastSeen: null, visitCount: 0 }),
      );
      const frame = await this.clientFrame(tx, c);
      events.publish('attendance.client_saved', { created: true, client: frame });
      return frame;
    });
  }

  async updateClient(id: number, dto: ClientFieldsDto, image: Upload): Promise<ClientFrameData> {
    const stored = image ? await this.media.saveImage(image.buffer, 'client_images') : null;
    return this.uow.run(async (tx, events) => {
      const c = await this.client(tx, id);
      if (dto.gender !== undefined) c.gender = dto.gender;
      if (dto.age !== undefined) c.age = dto.age;
      if (stored) c.imagePath = stored.path;
      await tx.getRepository(AttendanceClient).save(c);
      const frame = await this.clientFrame(tx, c);
      events.publish('attendance.client_saved', { created: false, client: frame });
      return frame;
    });
  }

  async deleteClient(id: number): Promise<void> {
    await this.uow.run(async (tx, events) => {
      await this.client(tx, id);
      await tx.getRepository(AttendanceClient).delete({ id });
      events.publish('attendance.client_deleted', { id });
    });
  }

  // ── visits ──

  listVisits(clientId: number) {
    return this.dataSource.transaction(async (tx) => {
      await this.client(tx, clientId);
      const visits = await tx.getRepository(AttendanceVisit).find({ where: { clientId }, order: { datetime: 'ASC', id: 'ASC' } });
      return visits.map((v) => ({ id: v.id, ...this.visitFrame(v), image: this.media.url(v.imagePath) }));
    });
  }

  async addVisit(clientId: number, dto: VisitDto) {
    return this.uow.run(async (tx, events) => {
      const c = await this.client(tx, clientId, true);
      const v = await this.recordVisit(tx, events, c, new Date(dto.datetime), dto.device_id, null);
      return { id: v.id, ...this.visitFrame(v) };
    });
  }

  async updateVisit(clientId: number, visitId: number, dto: UpdateVisitDto) {
    return this.uow.run(async (tx, events) => {
      const c = await this.client(tx, clientId, true);
      const repo = tx.getRepository(AttendanceVisit);
      const v = await repo.findOne({ where: { id: visitId, clientId } });
      if (!v) throw notFound('Visit');
      if (dto.datetime !== undefined) v.datetime = new Date(dto.datetime);
      if (dto.device_id !== undefined) v.deviceId = dto.device_id;
      await repo.save(v);
      events.publish('attendance.visit_saved', { created: false, visit: this.visitFrame(v) });
      await this.refreshClient(tx, events, c);
      return { id: v.id, ...this.visitFrame(v) };
    });
  }

  async deleteVisit(clientId: number, visitId: number): Promise<void> {
    await this.uow.run(async (tx, events) => {
      const c = await this.client(tx, clientId, true);
      const repo = tx.getRepository(AttendanceVisit);
      const v = await repo.findOne({ where: { id: visitId, clientId } });
      if (!v) throw notFound('Visit');
      await repo.delete({ id: visitId });
      events.publish('attendance.visit_deleted', { visit: this.visitFrame(v) });
      await this.refreshClient(tx, events, c);
    });
  }

  /**
   * A camera saw a face: a known client (client_id) gets a visit and
   * `client_update`; an unknown one becomes a new client (`client_create`);
   * every recognition is `client_visit_create`. With an event_id, a retry of
   * the same event returns the first result and changes nothing.
   */
  async recognize(principal: Principal, dto: RecognitionDto, image: Upload): Promise<{ replayed: boolean; created: boolean; client: ClientFrameData; visit: VisitFrameData & { id: number } }> {
    const stored = image ? await this.media.saveImage(image.buffer, 'visit_images') : null;
    const deviceId = dto.device_id ?? principal.id;
    const at = dto.datetime ? new Date(dto.datetime) : this.clock.date();
    const result = await this.uow.run(async (tx, events) => {
      let claim: AttendanceRecognition | null = null;
      if (dto.event_id) {
        const rows: Array<{ id: number }> = await tx.query(
          `INSERT INTO attendance_recognitions (device_key, event_id, created_client, created_at) VALUES ($1, $2, false, $3)
           ON CONFLICT (device_key, event_id) DO NOTHING RETURNING id`,
          [principal.id, dto.event_id, this.clock.date()],
        );
        if (!rows.length) {
          const earlier = await tx.getRepository(AttendanceRecognition).findOneOrFail({ where: { deviceKey: principal.id, eventId: dto.event_id } });
          const c = await this.client(tx, earlier.clientId!);
          const v = await tx.getRepository(AttendanceVisit).findOneOrFail({ where: { id: earlier.visitId! } });
          return { replay: true, created: earlier.createdClient, client: await this.clientFrame(tx, c), visit: { id: v.id, ...this.visitFrame(v) } };
        }
        claim = await tx.getRepository(AttendanceRecognition).findOneOrFail({ where: { id: rows[0].id } });
      }
      const repo = tx.getRepository(AttendanceClient);
      let c = dto.client_id ? await repo.findOne({ where: { id: dto.client_id }, lock: { mode: 'pessimistic_write' } }) : null;
      const created = !c;
      if (!c) {
        c = await repo.save(repo.create({ gender: dto.gender ?? null, age: dto.age ?? null, imagePath: stored?.path ?? null, firstSeen: null, lastSeen: null, visitCount: 0 }));
      } else {
        if (dto.gender !== undefined) c.gender = dto.gender;
        if (dto.age !== undefined) c.age = dto.age;
      }
      const v = await this.recordVisit(tx, events, c, at, deviceId, stored?.path ?? null, created);
      if (claim) await tx.getRepository(AttendanceRecognition).update({ id: claim.id }, { clientId: c.id, visitId: v.id, createdClient: created });
      return { replay: false, created, client: await this.clientFrame(tx, c), visit: { id: v.id, ...this.visitFrame(v) } };
    });
    if (result.replay && stored) await this.media.remove(stored.path);
    return { replayed: result.replay, created: result.created, client: result.client, visit: result.visit };
  }

  // ── employee attendance records ──

  async createRecord(principal: Principal, dto: RecordDto, image: Upload) {
    const stored = image ? await this.media.saveImage(image.buffer, 'attendance_images') : null;
    return this.uow.run(async (tx, events) => {
      if (!(await tx.getRepository(Employee).exists({ where: { id: dto.employee_id } }))) throw badRequest(`employee_id: no employee ${dto.employee_id}`, { field: 'employee_id' });
      const repo = tx.getRepository(AttendanceRecord);
      const r = await repo.save(
        repo.create({ employeeId: dto.employee_id, deviceId: dto.device_id ?? principal.id, datetime: dto.datetime ? new Date(dto.datetime) : this.clock.date(), score: dto.score ?? null, imagePath: stored?.path ?? null }),
      );
      const frame = this.recordFrame(r);
      events.publish('attendance.record_created', frame);
      return { id: r.id, ...frame };
    });
  }

  async listRecords(q: RecordsQuery) {
    const qb = this.dataSource.getRepository(AttendanceRecord).createQueryBuilder('r').orderBy('r.datetime', 'ASC').addOrderBy('r.id', 'ASC');
    if (q.employee_id !== undefined) qb.andWhere('r.employee_id = :e', { e: q.employee_id });
    if (q.from) qb.andWhere('r.datetime >= :from', { from: this.bound(q.from, 'start') });
    if (q.to) qb.andWhere('r.datetime <= :to', { to: this.bound(q.to, 'end') });
    return (await qb.getMany()).map((r) => ({ id: r.id, ...this.recordFrame(r) }));
  }

  async deleteRecord(id: number): Promise<void> {
    await this.uow.run(async (tx, events) => {
      const repo = tx.getRepository(AttendanceRecord);
      const r = await repo.findOne({ where: { id } });
      if (!r) throw notFound('Attendance record');
      await repo.delete({ id });
      events.publish('attendance.record_deleted', { employee_id: r.employeeId, datetime: r.datetime.toISOString() });
    });
  }

  /** First in and last out per employee on a local date (ATTENDANCE_TIMEZONE). */
  async summary(date: string | undefined) {
    const day = date ?? DateTime.fromMillis(this.clock.now(), { zone: this.zone }).toISODate()!;
    const start = DateTime.fromISO(day, { zone: this.zone });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !start.isValid) throw badRequest('date must be YYYY-MM-DD', { field: 'date' });
    const rows: Array<{ employee_id: number; first_name: string; last_name: string; first_in: Date; last_out: Date; records: number }> = await this.dataSource.query(
      `SELECT r.employee_id, e.first_name, e.last_name, min(r.datetime) AS first_in, max(r.datetime) AS last_out, count(*)::int AS records
         FROM attendance_records r JOIN employees e ON e.id = r.employee_id
        WHERE r.datetime >= $1 AND r.datetime < $2
        GROUP BY r.employee_id, e.first_name, e.last_name ORDER BY r.employee_id`,
      [start.toJSDate(), start.plus({ days: 1 }).toJSDate()],
    );
    return {
      date: day,
      timezone: this.zone,
      employees: rows.map((r) => ({
        employee_id: r.employee_id,
        name: `${r.first_name} ${r.last_name}`.trim(),
        first_in: new Date(r.first_in).toISOString(),
        last_out: new Date(r.last_out).toISOString(),
        records: r.records,
      })),
    };
  }

  // ── helpers ──

  private async client(tx: EntityManager, id: number, lock = false): Promise<AttendanceClient> {
    const c = await tx.getRepository(AttendanceClient).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!c) throw notFound('Client');
    return c;
  }

  private async recordVisit(tx: EntityManager, events: PendingEvents, c: AttendanceClient, at: Date, deviceId: string, imagePath: string | null, created = false): Promise<AttendanceVisit> {
    const v = await tx.getRepository(AttendanceVisit).save(tx.getRepository(AttendanceVisit).create({ clientId: c.id, datetime: at, deviceId, imagePath }));
    // client_create (or client_update) first, then the visit that made it.
    await this.refreshClient(tx, events, c, created);
    events.publish('attendance.visit_saved', { created: true, visit: this.visitFrame(v) });
    return v;
  }

  /** Recounts visits and first/last seen, then announces the client. */
  private async refreshClient(tx: EntityManager, events: PendingEvents, c: AttendanceClient, created = false): Promise<void> {
    const [agg] = await tx.query('SELECT count(*)::int AS n, min(datetime) AS first, max(datetime) AS last FROM attendance_visits WHERE client_id = $1', [c.id]);
    c.visitCount = agg.n;
    c.firstSeen = agg.first ? new Date(agg.first) : null;
    c.lastSeen = agg.last ? new Date(agg.last) : null;
    await tx.getRepository(AttendanceClient).save(c);
    events.publish('attendance.client_saved', { created, client: await this.clientFrame(tx, c) });
  }

  private visitFrame(v: AttendanceVisit): VisitFrameData {
    return { datetime: v.datetime.toISOString(), device_id: v.deviceId, client: v.clientId };
  }

  private recordFrame(r: AttendanceRecord) {
    return { employee_id: r.employeeId, device_id: r.deviceId, image: this.media.url(r.imagePath), datetime: r.datetime.toISOString(), score: r.score };
  }

  private bound(value: string, side: 'start' | 'end'): Date {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      const d = DateTime.fromISO(value, { zone: this.zone });
      return (side === 'start' ? d : d.plus({ days: 1 }).minus({ milliseconds: 1 })).toJSDate();
    }
    return new Date(value);
  }
}
