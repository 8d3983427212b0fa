import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { badRequest, notFound } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { MediaStorage } from '../media/media-storage';
import { ClientSnapshot, VisitHistoryEntry, VisitSnapshot } from './attendance.events';
import { CreateClientDto, UpdateClientDto } from './dto/client.dto';
import { CreateVisitDto, UpdateVisitDto } from './dto/visit.dto';
import { AttendanceClient } from './entities/attendance-client.entity';
import { AttendanceVisit } from './entities/attendance-visit.entity';
import { cleanDeviceId } from './device-id';
import { AttendanceConfig } from './attendance.config';
import { CLIENT_IMAGES } from './attendance-image-urls';

export interface Page {
  limit?: number;
  offset?: number;
}

export function visitSnapshot(v: AttendanceVisit): VisitSnapshot {
  return { id: v.id, client_id: v.clientId, datetime: v.datetime.toISOString(), device_id: v.deviceId, image_path: v.imagePath };
}

/**
 * Visitors and their visits. A client's first_seen, last_seen and visit_count
 * follow its visits: every visit change locks the client row first, so
 * concurrent changes of one client's visits are applied one after another and
 * the counts stay exact (also on PostgreSQL, where they truly run at once).
 */
@Injectable()
export class AttendanceClientsService {
  private readonly historyLimit: number;
  private readonly maxPage: number;

  constructor(
    @InjectRepository(AttendanceClient) private readonly clients: Repository<AttendanceClient>,
    @InjectRepository(AttendanceVisit) private readonly visits: Repository<AttendanceVisit>,
    private readonly uow: UnitOfWork,
    private readonly media: MediaStorage,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.historyLimit = AttendanceConfig.read(config).ATTENDANCE_VISIT_HISTORY_LIMIT;
    this.maxPage = AttendanceConfig.read(config).ATTENDANCE_MAX_PAGE_SIZE;
  }

  // ── clients ──────────────────────────────────────────────────────────────

  async list(page: Page): Promise<ClientSnapshot[]> {
    const rows = await this.clients.find({ order: { id: 'DESC' }, take: this.limit(page), skip: page.offset ?? 0 });
    return this.snapshots(this.clients.manager, rows);
  }

  async get(id: number): Promise<ClientSnapshot> {
    const c = await this.clients.findOne({ where: { id } });
    if (!c) throw notFound('Client');
    return (await this.snapshots(this.clients.manager, [c]))[0];
  }

  create(dto: CreateClientDto, image?: { buffer: Buffer }): Promise<ClientSnapshot> {
    // Without consent the upload is not kept at all.
    return this.media.withImage(dto.consent === false ? undefined : image, CLIENT_IMAGES, (imagePath) =>
      this.uow.run(async (tx, events) => {
        const repo = tx.getRepository(AttendanceClient);
        const saved = await repo.save(repo.create({ gender: dto.gender ?? 'unknown', age: dto.age ?? null, consent: dto.consent ?? true, imagePath, firstSeen: null, lastSeen: null, visitCount: 0 }));
        const client = (await this.snapshots(tx, [saved]))[0];
        events.publish('attendance.client_created', { client });
        return client;
      }),
    );
  }

  async update(id: number, dto: UpdateClientDto, image?: { buffer: Buffer }): Promise<ClientSnapshot> {
    let replaced: string | null = null;
    const withdrawn: Array<string | null> = [];
    const client = await this.media.withImage(dto.consent === false ? undefined : image, CLIENT_IMAGES, (imagePath) =>
      this.uow.run(async (tx, events) => {
        const c = await this.lock(tx, id);
        if (dto.gender !== undefined) c.gender = dto.gender;
        if (dto.age !== undefined) c.age = dto.age;
        if (dto.consent !== undefined) c.consent = dto.consent;
        if (!c.consent) {
          // Consent withdrawn (or still absent): the photo and every captured face go.
          withdrawn.push(...(await this.stripImages(tx, id)));
          c.imagePath = null;
        } else if (imagePath) {
          // The old photo may also be a visit's captured face; then the visit keeps it.
          if (c.imagePath && !(await tx.getRepository(AttendanceVisit).exists({ where: { clientId: id, imagePath: c.imagePath } }))) replaced = c.imagePath;
          c.imagePath = imagePath;
        }
        const saved = await tx.getRepository(AttendanceClient).save(c);
        const snapshot = (await this.snapshots(tx, [saved]))[0];
        events.publish('attendance.client_updated', { client: snapshot });
        return snapshot;
      }),
    );
    await this.media.deleteQuietly([replaced, ...withdrawn]);
    return client;
  }

  async remove(id: number): Promise<void> {
    const files = await this.uow.run(async (tx, events) => {
      const c = await this.lock(tx, id);
      const visits = await tx.getRepository(AttendanceVisit).find({ where: { clientId: id }, select: { id: true, imagePath: true } });
      await tx.getRepository(AttendanceClient).delete({ id });
      events.publish('attendance.client_deleted', { client_id: id });
      return [c.imagePath, ...visits.map((v) => v.imagePath)];
    });
    await this.media.deleteQuietly(files);
  }

  // ── visits ───────────────────────────────────────────────────────────────

  async listVisits(clientId: number, query: Page & { from?: string; to?: string }): Promise<VisitSnapshot[]> {
    if (!(await this.clients.exists({ where: { id: clientId } }))) throw notFound('Client');
    const qb = this.visits.createQueryBuilder('v').where('v.client_id = :clientId', { clientId });
    if (query.from) qb.andWhere('v.datetime >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('v.datetime < :to', { to: new Date(query.to) });
    const rows = await qb
      .orderBy('v.datetime', 'DESC')
      .addOrderBy('v.id', 'DESC')
      .take(this.limit(query))
      .skip(query.offset ?? 0)
      .getMany();
    return rows.map(visitSnapshot);
  }

  createVisit(clientId: number, dto: CreateVisitDto): Promise<VisitSnapshot> {
    return this.uow.run(async (tx, events) => {
      const c = await this.lock(tx, clientId);
      const { visit, client } = await this.addVisit(tx, c, { datetime: dto.datetime ? new Date(dto.datetime) : this.clock.date(), deviceId: cleanDeviceId(dto.device_id), imagePath: null });
      events.publish('attendance.visit_created', { visit });
      events.publish('attendance.client_updated', { client });
      return visit;
    });
  }

  updateVisit(clientId: number, visitId: number, dto: UpdateVisitDto): Promise<VisitSnapshot> {
    return this.uow.run(async (tx, events) => {
      await this.lock(tx, clientId);
      const repo = tx.getRepository(AttendanceVisit);
      const v = await repo.findOne({ where: { id: visitId, clientId } });
      if (!v) throw notFound('Visit');
      if (dto.datetime !== undefined) v.datetime = new Date(dto.datetime);
      if (dto.device_id !== undefined) v.deviceId = cleanDeviceId(dto.device_id);
      const visit = visitSnapshot(await repo.save(v));
      const client = await this.recount(tx, clientId);
      events.publish('attendance.visit_updated', { visit });
      events.publish('attendance.client_updated', { client });
      return visit;
    });
  }

  async removeVisit(clientId: number, visitId: number): Promise<void> {
    const file = await this.uow.run(async (tx, events) => {
      const c = await this.lock(tx, clientId);
      const repo = tx.getRepository(AttendanceVisit);
      const v = await repo.findOne({ where: { id: visitId, clientId } });
      if (!v) throw notFound('Visit');
      await repo.delete({ id: visitId });
      const client = await this.recount(tx, clientId);
      events.publish('attendance.visit_deleted', { visit: visitSnapshot(v) });
      events.publish('attendance.client_updated', { client });
      // A new client's photo is the face of its first visit: keep it while the client uses it.
      return v.imagePath !== c.imagePath ? v.imagePath : null;
    });
    await this.media.deleteQuietly([file]);
  }

  // ── identity fixes ───────────────────────────────────────────────────────

  /**
   * Folds client `fromId` into `id`: its visits (and recognitions) move, its
   * row goes, and the kept client is recounted from all its visits, so the
   * count is exact whatever either held before. Both rows are locked in id
   * order, like any two-client change, so merges cannot deadlock. The kept
   * client keeps its photo (or takes the other's when it has none); images
   * are kept only if both had consent.
   */
  async merge(id: number, fromId: number): Promise<ClientSnapshot> {
    if (id === fromId) throw badRequest('from_client_id must be another client', { field: 'from_client_id' });
    const drop: Array<string | null> = [];
    const client = await this.uow.run(async (tx, events) => {
      const [a, b] = id < fromId ? [id, fromId] : [fromId, id];
      const locked = [await this.lock(tx, a), await this.lock(tx, b)];
      const keep = locked.find((c) => c.id === id)!;
      const from = locked.find((c) => c.id === fromId)!;
      await tx.query(`UPDATE attendance_visits SET client_id = $1 WHERE client_id = $2`, [id, fromId]);
      await tx.query(`UPDATE attendance_recognitions SET client_id = $1 WHERE client_id = $2`, [id, fromId]);
      const fill: Partial<AttendanceClient> = { consent: keep.consent && from.consent };
      if (keep.gender === 'unknown' && from.gender !== 'unknown') fill.gender = from.gender;
      if (keep.age === null && from.age !== null) fill.age = from.age;
      if (!keep.imagePath && from.imagePath) fill.imagePath = from.imagePath;
      else drop.push(from.imagePath);
      await tx.getRepository(AttendanceClient).update({ id }, fill);
      if (!fill.consent) drop.push(...(await this.stripImages(tx, id)));
      await tx.getRepository(AttendanceClient).delete({ id: fromId });
      const snapshot = await this.recount(tx, id);
      events.publish('attendance.client_deleted', { client_id: fromId });
      events.publish('attendance.client_updated', { client: snapshot });
      return snapshot;
    });
    await this.media.deleteQuietly(await this.unused(drop));
    return client;
  }

  /** Moves one visit that was wrongly matched to a new client of its own; both are recounted. */
  split(clientId: number, visitId: number): Promise<{ client: ClientSnapshot; visit: VisitSnapshot }> {
    return this.uow.run(async (tx, events) => {
      const old = await this.lock(tx, clientId);
      const repo = tx.getRepository(AttendanceVisit);
      const v = await repo.findOne({ where: { id: visitId, clientId } });
      if (!v) throw notFound('Visit');
      const clients = tx.getRepository(AttendanceClient);
      // The visit's face becomes the new client's photo; the old client keeps its own.
      const created = await clients.save(clients.create({ gender: 'unknown', age: null, consent: old.consent, imagePath: v.imagePath, firstSeen: null, lastSeen: null, visitCount: 0 }));
      if (old.imagePath && old.imagePath === v.imagePath) await clients.update({ id: clientId }, { imagePath: null });
      await repo.update({ id: visitId }, { clientId: created.id });
      await tx.query(`UPDATE attendance_recognitions SET client_id = $1 WHERE visit_id = $2`, [created.id, visitId]);
      const client = await this.recount(tx, created.id);
      const rest = await this.recount(tx, clientId);
      const visit = visitSnapshot(await repo.findOneOrFail({ where: { id: visitId } }));
      events.publish('attendance.client_created', { client });
      events.publish('attendance.visit_updated', { visit });
      events.publish('attendance.client_updated', { client: rest });
      events.publish('attendance.client_updated', { client });
      return { client, visit };
    });
  }

  /** Clears a locked client's photo and captured faces; returns the files to delete after commit. */
  async stripImages(tx: EntityManager, id: number): Promise<Array<string | null>> {
    const faces: Array<{ image_path: string }> = await tx.query(`SELECT image_path FROM attendance_visits WHERE client_id = $1 AND image_path IS NOT NULL`, [id]);
    const [c]: Array<{ image_path: string | null }> = await tx.query(`SELECT image_path FROM attendance_clients WHERE id = $1`, [id]);
    await tx.query(`UPDATE attendance_visits SET image_path = NULL WHERE client_id = $1 AND image_path IS NOT NULL`, [id]);
    await tx.query(`UPDATE attendance_clients SET image_path = NULL WHERE id = $1`, [id]);
    return [c?.image_path ?? null, ...faces.map((f) => f.image_path)];
  }

  /** Of these files, those no client or visit refers to any more. */
  private async unused(paths: Array<string | null>): Promise<string[]> {
    const list = [...new Set(paths.filter((p): p is string => !!p))];
    if (!list.length) return [];
    const used: Array<{ image_path: string }> = await this.clients.manager.query(
      `SELECT image_path FROM attendance_clients WHERE image_path = ANY($1::text[]) UNION SELECT image_path FROM attendance_visits WHERE image_path = ANY($1::text[])`,
      [list],
    );
    const keep = new Set(used.map((u) => u.image_path));
    return list.filter((p) => !keep.has(p));
  }

  // ── shared with recognitions (inside their transaction) ─────────────────

  /** The client, locked for this transaction (FOR UPDATE); 404 when missing. */
  async lock(tx: EntityManager, id: number): Promise<AttendanceClient> {
    const c = await tx.getRepository(AttendanceClient).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
    if (!c) throw notFound('Client');
    return c;
  }

  /** Like `lock`, but null when the client does not exist. */
  async lockIfExists(tx: EntityManager, id: number): Promise<AttendanceClient | null> {
    return tx.getRepository(AttendanceClient).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
  }

  /** Inserts a visit of a locked client and counts it; returns both as announced. */
  async addVisit(tx: EntityManager, client: AttendanceClient, v: { datetime: Date; deviceId: string; imagePath: string | null }): Promise<{ visit: VisitSnapshot; client: ClientSnapshot }> {
    const repo = tx.getRepository(AttendanceVisit);
    const saved = await repo.save(repo.create({ clientId: client.id, datetime: v.datetime, deviceId: v.deviceId, imagePath: v.imagePath }));
    // One statement, on the row this transaction has locked: no lost increment.
    await tx.query(
      `UPDATE attendance_clients
          SET visit_count = visit_count + 1,
              first_seen = LEAST(first_seen, $2::timestamptz),
              last_seen = GREATEST(last_seen, $2::timestamptz),
              updated_at = now()
        WHERE id = $1`,
      [client.id, v.datetime.toISOString()],
    );
    return { visit: visitSnapshot(saved), client: await this.snapshotOf(tx, client.id) };
  }

  /** Recomputes a locked client's counts from its visits (after an edit or removal). */
  async recount(tx: EntityManager, clientId: number): Promise<ClientSnapshot> {
    await tx.query(
      `UPDATE attendance_clients c
          SET visit_count = s.n, first_seen = s.first_seen, last_seen = s.last_seen, updated_at = now()
         FROM (SELECT count(*)::int AS n, min(datetime) AS first_seen, max(datetime) AS last_seen
                 FROM attendance_visits WHERE client_id = $1) s
        WHERE c.id = $1`,
      [clientId],
    );
    return this.snapshotOf(tx, clientId);
  }

  async snapshotOf(tx: EntityManager, clientId: number): Promise<ClientSnapshot> {
    const c = await tx.getRepository(AttendanceClient).findOneOrFail({ where: { id: clientId } });
    return (await this.snapshots(tx, [c]))[0];
  }

  /** Clients with their latest visits, in one query for the whole page. */
  async snapshots(m: EntityManager, rows: AttendanceClient[]): Promise<ClientSnapshot[]> {
    const histories = new Map<number, VisitHistoryEntry[]>();
    if (rows.length && this.historyLimit > 0) {
      const recent: Array<{ client_id: number; datetime: Date; device_id: string }> = await m.query(
        `SELECT client_id, datetime, device_id FROM (
           SELECT client_id, datetime, device_id, id,
                  row_number() OVER (PARTITION BY client_id ORDER BY datetime DESC, id DESC) AS rn
             FROM attendance_visits WHERE client_id = ANY($1::int[])
         ) r WHERE rn <= $2 ORDER BY client_id, datetime ASC, id ASC`,
        [rows.map((r) => r.id), this.historyLimit],
      );
      for (const v of recent) {
        const list = histories.get(v.client_id) ?? [];
        list.push({ datetime: new Date(v.datetime).toISOString(), device_id: v.device_id });
        histories.set(v.client_id, list);
      }
    }
    return rows.map((c) => ({
      id: c.id,
      first_seen: c.firstSeen?.toISOString() ?? null,
      last_seen: c.lastSeen?.toISOString() ?? null,
      visit_count: c.visitCount,
      gender: c.gender,
      age: c.age,
      image_path: c.imagePath,
      consent: c.consent,
      visit_histories: histories.get(c.id) ?? [],
    }));
  }

  async findVisit(id: number): Promise<VisitSnapshot | null> {
    const v = await this.visits.findOne({ where: { id } });
    return v ? visitSnapshot(v) : null;
  }

  async findClient(id: number): Promise<ClientSnapshot | null> {
    const c = await this.clients.findOne({ where: { id } });
    return c ? (await this.snapshots(this.clients.manager, [c]))[0] : null;
  }

  private limit(page: Page): number {
    return Math.min(page.limit ?? 100, this.maxPage);
  }
}
