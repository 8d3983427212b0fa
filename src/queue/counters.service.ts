import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { badRequest, conflict } from '../common/app-error';
import { plainText } from '../common/plain-text';
import { UnitOfWork } from '../database/unit-of-work';
import { CounterDto, CounterStatusDto, CreateCounterDto, UpdateCounterDto } from './dto/counter.dto';
import { Counter, CounterStatus } from './entities/counter.entity';
import { Procedure } from './entities/procedure.entity';
import { QueueAccessService } from './queue-access.service';
import { counterNotFound } from './queue-error';
import { QueueSnapshotsService } from './queue-snapshots.service';
import { isRowId, queryRows } from './queue-sql';
import { QueueConfig } from './queue.config';

/** Counters: CRUD, the procedures they serve, the officers assigned to them, and their status. */
@Injectable()
export class CountersService {
  private readonly textMax: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly snapshots: QueueSnapshotsService,
    private readonly access: QueueAccessService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.textMax = Math.min(QueueConfig.read(config).QUEUE_TEXT_MAX_LENGTH, 1000);
  }

  async list(): Promise<CounterDto[]> {
    return this.views(await this.dataSource.getRepository(Counter).find({ order: { id: 'ASC' } }));
  }

  async get(id: number): Promise<CounterDto> {
    if (!isRowId(id)) throw counterNotFound();
    const counter = await this.dataSource.getRepository(Counter).findOne({ where: { id } });
    if (!counter) throw counterNotFound();
    return (await this.views([counter]))[0];
  }

  async create(dto: CreateCounterDto, by: Principal): Promise<CounterDto> {
    const name = this.name(dto.name);
    const id = await this.uow.run(async (tx, events) => {
      await this.assertNameFree(tx, name, null);
      const status = dto.status ?? 'active';
      const now = this.clock.date();
      const counter = await tx
        .getRepository(Counter)
        .save(tx.getRepository(Counter).create({ name, status, statusReason: null, statusChangedBy: plainText(by.name, 200) || null, statusChangedAt: now, version: 1 }));
      await this.setProcedures(tx, counter.id, dto.procedures ?? []);
      await this.setOfficers(tx, counter.id, dto.officer_ids ?? []);
      const state = (await this.snapshots.state(counter.id, tx))!;
      events.publish('queue.counter_status_changed', state.status);
      events.publish('queue.queue_changed', state.queue);
      return counter.id;
    });
    return this.get(id);
  }

  async update(id: number, dto: UpdateCounterDto, by: Principal): Promise<CounterDto> {
    await this.uow.run(async (tx, events) => {
      const counter = await this.lock(tx, id);
      const patch: Partial<Counter> = {};
      if (dto.name !== undefined) {
        patch.name = this.name(dto.name);
        await this.assertNameFree(tx, patch.name, id);
      }
      if (dto.status !== undefined && dto.status !== counter.status) {
        Object.assign(patch, { status: dto.status, statusReason: null, statusChangedBy: plainText(by.name, 200) || null, statusChangedAt: this.clock.date() });
      }
      if (Object.keys(patch).length) await tx.getRepository(Counter).update({ id }, patch);
      if (dto.procedures !== undefined) await this.setProcedures(tx, id, dto.procedures);
      if (dto.officer_ids !== undefined) await this.setOfficers(tx, id, dto.officer_ids);
      const state = (await this.snapshots.state(id, tx))!;
      events.publish('queue.counter_status_changed', state.status);
      if (dto.procedures !== undefined) events.publish('queue.queue_changed', state.queue);
    });
    return this.get(id);
  }

  /** Deletes the counter with its tickets; displays hear it as offline with `removed: true`. */
  async remove(id: number): Promise<void> {
    await this.uow.run(async (tx, events) => {
      const counter = await this.lock(tx, id);
      await tx.query('DELETE FROM queue_counters WHERE id = $1', [id]);
      events.publish('queue.counter_status_changed', {
        counter_id: id,
        counter_name: counter.name,
        status: 'offline',
        reason: null,
        changed_by: null,
        timestamp: this.clock.date().toISOString(),
        affected_tickets: 0,
        version: counter.version + 1,
        removed: true,
      });
    });
  }

  /** PUT /counters/:id/status and COUNTER_STATUS_CHANGE. */
  async setStatus(id: number, dto: CounterStatusDto, by: Principal): Promise<CounterDto> {
    await this.access.assertMayOperate(by, id);
    await this.uow.run(async (tx, events) => {
      await this.lock(tx, id);
      const reason = dto.reason === undefined ? null : plainText(dto.reason, this.textMax) || null;
      await tx.getRepository(Counter).update({ id }, { status: dto.status, statusReason: reason, statusChangedBy: plainText(by.name, 200) || null, statusChangedAt: this.clock.date() });
      const state = (await this.snapshots.state(id, tx))!;
      events.publish('queue.counter_status_changed', state.status);
    });
    return this.get(id);
  }

  /**
   * Locks the counter row for the rest of the transaction and bumps its
   * version: every change to a counter or its queue starts here, so changes to
   * one counter are serialized and each snapshot carries a newer version.
   */
  async lock(tx: EntityManager, id: number): Promise<Counter> {
    if (!isRowId(id)) throw counterNotFound();
    const [r] = await queryRows<{ id: number; name: string; status: CounterStatus; version: number }>(
      tx,
      'UPDATE queue_counters SET version = version + 1 WHERE id = $1 RETURNING id, name, status, version',
      [id],
    );
    if (!r) throw counterNotFound();
    return { id: Number(r.id), name: r.name, status: r.status, version: Number(r.version) } as Counter;
  }

  /**
   * Locks several counters (see lock) in one statement, in id order, so two
   * transactions locking overlapping sets cannot deadlock; returns them by id.
   * `ids` is a list, or SQL selecting ids from its one parameter `$1`.
   */
  async lockAll(tx: EntityManager, ids: number[] | { sql: string; param: number }): Promise<Counter[]> {
    const list = Array.isArray(ids);
    if (list && !ids.length) return [];
    const rows = await queryRows<{ id: number; name: string; status: CounterStatus; version: number }>(
      tx,
      `UPDATE queue_counters c SET version = c.version + 1
         FROM (SELECT id FROM queue_counters WHERE id IN (${list ? 'SELECT unnest($1::int[])' : ids.sql}) ORDER BY id FOR UPDATE) l
        WHERE c.id = l.id RETURNING c.id, c.name, c.status, c.version`,
      [list ? ids : ids.param],
    );
    return rows.map((r) => ({ id: Number(r.id), name: r.name, status: r.status, version: Number(r.version) }) as Counter).sort((a, b) => a.id - b.id);
  }

  private name(raw: string): string {
    const name = plainText(raw, 200);
    if (!name) throw badRequest('name must contain text');
    return name;
  }

  private async assertNameFree(tx: EntityManager, name: string, exceptId: number | null): Promise<void> {
    const rows = await queryRows<{ id: number }>(tx, 'SELECT id FROM queue_counters WHERE lower(name) = lower($1) AND ($2::int IS NULL OR id <> $2)', [name, exceptId]);
    if (rows.length) throw conflict('A counter with this name already exists');
  }

  private async setProcedures(tx: EntityManager, counterId: number, ids: number[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length) {
      const found = await tx.getRepository(Procedure).count({ where: unique.map((id) => ({ id })) });
      if (found !== unique.length) throw badRequest('procedures lists an unknown procedure id');
    }
    await tx.query('DELETE FROM queue_counter_procedures WHERE counter_id = $1', [counterId]);
    for (const pid of unique) await tx.query('INSERT INTO queue_counter_procedures (counter_id, procedure_id) VALUES ($1, $2)', [counterId, pid]);
  }

  private async setOfficers(tx: EntityManager, counterId: number, userIds: string[]): Promise<void> {
    const unique = [...new Set(userIds.map((u) => u.toLowerCase()))];
    for (const uid of unique) {
      const rows = await queryRows<{ role: string }>(tx, 'SELECT role FROM users WHERE id = $1', [uid]);
      if (!rows.length) throw badRequest(`officer_ids: no user ${uid}`);
      if (rows[0].role !== 'officer') throw badRequest(`officer_ids: user ${uid} is not an officer`);
    }
    await tx.query('DELETE FROM queue_counter_officers WHERE counter_id = $1', [counterId]);
    for (const uid of unique) {
      // One counter per officer: assigning here moves them from any other counter.
      await tx.query('DELETE FROM queue_counter_officers WHERE user_id = $1', [uid]);
      await tx.query('INSERT INTO queue_counter_officers (user_id, counter_id) VALUES ($1, $2)', [uid, counterId]);
    }
  }

  private async views(counters: Counter[]): Promise<CounterDto[]> {
    if (!counters.length) return [];
    const procs = await queryRows<{ counter_id: number; id: number; name: string; average_service_time: number; prefix: string | null }>(
      this.dataSource.manager,
      `SELECT cp.counter_id, p.id, p.name, p.average_service_time, p.prefix FROM queue_counter_procedures cp
         JOIN queue_procedures p ON p.id = cp.procedure_id ORDER BY p.id`,
    );
    const officers = await queryRows<{ counter_id: number; user_id: string }>(this.dataSource.manager, 'SELECT counter_id, user_id FROM queue_counter_officers ORDER BY user_id');
    const states = new Map((await this.snapshots.states(counters.length === 1 ? counters[0].id : null)).map((s) => [s.queue.counter_id, s]));
    return counters.map((c) => ({
      id: c.id,
      name: c.name,
      status: c.status,
      status_reason: c.statusReason,
      procedures: procs.filter((p) => p.counter_id === c.id).map((p) => ({ id: p.id, name: p.name, average_service_time: p.average_service_time, prefix: p.prefix })),
      officer_ids: officers.filter((o) => o.counter_id === c.id).map((o) => o.user_id),
      waiting_count: states.get(c.id)?.queue.waiting_count ?? 0,
      current_number: states.get(c.id)?.queue.current_number ?? null,
      created_at: c.createdAt.toISOString(),
      updated_at: c.updatedAt.toISOString(),
    }));
  }
}
