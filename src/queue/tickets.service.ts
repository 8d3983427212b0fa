import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { IdempotencyService } from '../common/idempotency.service';
import { plainText } from '../common/plain-text';
import { UnitOfWork } from '../database/unit-of-work';
import { CountersService } from './counters.service';
import { AnnouncementViewDto, CalledTicketDto, CreatedTicketDto, ListTicketsQuery, TicketDto } from './dto/ticket.dto';
import { Counter } from './entities/counter.entity';
import { TicketStatus } from './entities/ticket.entity';
import { QueueAccessService } from './queue-access.service';
import { QueueAnnouncer } from './queue-announcer.service';
import { QueueCalendar } from './queue-calendar';
import { counterPaused, invalidQueueInput, queueEmpty, ticketConflict, ticketNotFound } from './queue-error';
import { QueueSnapshotsService } from './queue-snapshots.service';
import { isRowId, queryRows } from './queue-sql';
import type { TicketAnnouncedEvent, TicketCreatedEvent } from './queue.events';

interface TicketRow {
  id: number;
  counter_id: number;
  number: number;
  day: string;
  status: TicketStatus;
  procedure_id: number | null;
  procedure_name: string | null;
  created_at: Date | string;
  called_at: Date | string | null;
  serving_at: Date | string | null;
  finished_at: Date | string | null;
  called_by: string | null;
  recall_count: number;
  transferred_to_counter_id: number | null;
  transferred_from_ticket_id: number | null;
}

/** The TICKET_CREATED payload of an issued ticket. */
const createdEvent = (t: CreatedTicketDto): TicketCreatedEvent => ({
  ticket_id: t.id,
  ticket_number: t.ticket_number,
  counter_id: t.counter_id,
  counter_name: t.counter_name,
  procedure_name: t.procedure_name,
  created_at: t.created_at,
  estimated_wait_time: t.estimated_wait_time,
});

const iso = (d: Date | string | null) => (d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString());
const dayString = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));

/**
 * Who asked for a ticket. `onIssued` runs right after the commit, before
 * QUEUE_UPDATE goes out, so the requester hears its TICKET_CREATED first
 * (the gateway passes a reply to the sending socket; REST passes nothing).
 */
export interface Origin {
  onIssued?: (ticket: TicketCreatedEvent) => void;
  /** The requester's own id for this ticket: a repeat returns the original ticket and announces nothing. */
  requestId?: string;
  /** A repeat of `requestId`: the original ticket, for the requester alone. */
  onRepeat?: (ticket: TicketCreatedEvent) => void;
}

/**
 * Tickets: issue, call, recall, serve, skip, complete, transfer. Every change
 * runs in one transaction that first locks its counter (CountersService.lock),
 * and announces its events after the commit.
 */
@Injectable()
export class TicketsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly counters: CountersService,
    private readonly snapshots: QueueSnapshotsService,
    private readonly access: QueueAccessService,
    private readonly calendar: QueueCalendar,
    private readonly announcer: QueueAnnouncer,
    private readonly clock: Clock,
    private readonly idempotency: IdempotencyService,
  ) {}

  /**
   * Issues the next number of the day at a counter. The number comes from an
   * atomic upsert of queue_daily_numbers, so concurrent kiosks never share one.
   */
  async issue(by: Principal, counterId: number, procedureName: string | undefined, origin: Origin = {}): Promise<CreatedTicketDto> {
    this.access.assertMayIssue(by, counterId);
    const owner = this.idempotency.ownerOf(by);
    const key = `queue.ticket:${origin.requestId}`;
    return this.uow.run(async (tx, events) => {
      if (origin.requestId !== undefined) {
        const first = await this.idempotency.recall<CreatedTicketDto>(tx, owner, key, this.idempotency.fingerprint(counterId, procedureName ?? null));
        if (first) {
          const reply = origin.onRepeat;
          if (reply) events.afterCommit(() => reply(createdEvent(first.result)));
          return first.result;
        }
      }
      const counter = await this.openCounter(tx, counterId);
      const procedure = await this.procedureFor(tx, counterId, procedureName);
      const day = this.calendar.today();
      const now = new Date(this.clock.now());
      const [{ last_number: number }] = await queryRows<{ last_number: number }>(
        tx,
        `INSERT INTO queue_daily_numbers (counter_id, day, last_number) VALUES ($1, $2, 1)
         ON CONFLICT (counter_id, day) DO UPDATE SET last_number = queue_daily_numbers.last_number + 1
         RETURNING last_number`,
        [counterId, day],
      );
      const [row] = await queryRows<TicketRow>(
        tx,
        `INSERT INTO queue_tickets (counter_id, number, day, status, procedure_id, procedure_name, created_at, recall_count)
         VALUES ($1, $2, $3, 'waiting', $4, $5, $6, 0) RETURNING *`,
        [counterId, number, day, procedure?.id ?? null, procedure?.name ?? null, now],
      );
      const [{ ahead }] = await queryRows<{ ahead: number }>(
        tx,
        `SELECT count(*)::int AS ahead FROM queue_tickets
          WHERE counter_id = $1 AND day = $2 AND status = 'waiting' AND (created_at, id) < ($3::timestamptz, $4::int)`,
        [counterId, day, row.created_at, row.id],
      );
      const state = (await this.snapshots.state(counterId, tx))!;
      const ticket = this.view(row);
      const created: CreatedTicketDto = { ...ticket, counter_name: counter.name, estimated_wait_time: this.snapshots.estimate(ahead, state.serviceMinutes) };
      const event = createdEvent(created);
      if (origin.requestId !== undefined) await this.idempotency.remember(tx, owner, key, created);
      const reply = origin.onIssued;
      if (reply) events.afterCommit(() => reply(event));
      events.publish('queue.ticket_created', event);
      events.publish('queue.queue_changed', state.queue);
      return created;
    });
  }

  /**
   * Calls the next waiting ticket (or the given number of today's waiting or
   * skipped tickets). `FOR UPDATE SKIP LOCKED` makes two concurrent calls take
   * two different tickets. The ticket the counter was serving is completed.
   */
  async call(by: Principal, counterId: number, ticketNumber: number | undefined): Promise<CalledTicketDto> {
    await this.access.assertMayOperate(by, counterId);
    const { row, counter } = await this.uow.run(async (tx, events) => {
      const counter = await this.openCounter(tx, counterId);
      const now = new Date(this.clock.now());
      const day = this.calendar.today();
      await tx.query(`UPDATE queue_tickets SET status = 'completed', finished_at = $2 WHERE counter_id = $1 AND status IN ('called', 'serving')`, [counterId, now]);
      const pick =
        ticketNumber === undefined
          ? `SELECT id FROM queue_tickets WHERE counter_id = $1 AND day = $2 AND status = 'waiting'
              ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`
          : `SELECT id FROM queue_tickets WHERE counter_id = $1 AND day = $2 AND status IN ('waiting', 'skipped') AND number = $5
              ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE SKIP LOCKED`;
      const [row] = await queryRows<TicketRow>(
        tx,
        `UPDATE queue_tickets SET status = 'called', called_at = $3, called_by = $4, serving_at = NULL, finished_at = NULL
          WHERE id = (${pick}) AND status IN ('waiting', 'skipped') RETURNING *`,
        ticketNumber === undefined ? [counterId, day, now, plainText(by.name, 200)] : [counterId, day, now, plainText(by.name, 200), ticketNumber],
      );
      if (!row) throw ticketNumber === undefined ? queueEmpty() : ticketNotFound();
      events.publish('queue.queue_changed', (await this.snapshots.state(counterId, tx))!.queue);
      return { row, counter };
    });
    // QUEUE_UPDATE is out already; the announcement follows once its speech is ready.
    const announcement = await this.announce(row, counter, false);
    return { ...this.view(row), announcement: this.wire(announcement) };
  }

  /** Announces a called ticket again (the visitor did not come yet). */
  async recall(by: Principal, ticketId: number): Promise<CalledTicketDto> {
    const { row, counter } = await this.change(by, ticketId, false, async (tx, t, counter) => {
      if (t.status !== 'called' && t.status !== 'serving') throw ticketConflict(`Only a called ticket can be recalled; this one is ${t.status}`);
      if (counter.status !== 'active') throw counterPaused(counter.status);
      const [row] = await queryRows<TicketRow>(tx, 'UPDATE queue_tickets SET recall_count = recall_count + 1 WHERE id = $1 RETURNING *', [t.id]);
      return row;
    });
    const announcement = await this.announce(row, counter, true);
    return { ...this.view(row), announcement: this.wire(announcement) };
  }

  /** The visitor came to the counter. */
  serve(by: Principal, ticketId: number): Promise<TicketDto> {
    return this.move(by, ticketId, ['called'], 'serving');
  }

  /** No-show (called) or withdrawn (waiting). */
  skip(by: Principal, ticketId: number): Promise<TicketDto> {
    return this.move(by, ticketId, ['called', 'waiting'], 'skipped');
  }

  complete(by: Principal, ticketId: number): Promise<TicketDto> {
    return this.move(by, ticketId, ['called', 'serving'], 'completed');
  }

  /**
   * Sends a ticket to another counter: the ticket closes as `transferred` and
   * a waiting ticket with the same number and creation time opens there, so
   * it keeps its place in the line.
   */
  async transfer(by: Principal, ticketId: number, targetId: number): Promise<TicketDto> {
    const source = await this.find(ticketId);
    await this.access.assertMayOperate(by, source.counter_id);
    if (targetId === source.counter_id) throw invalidQueueInput('The ticket is already at this counter');
    return this.uow.run(async (tx, events) => {
      // Both counters locked in id order, so two opposite transfers cannot deadlock.
      const locked = new Map<number, Counter>();
      for (const id of [source.counter_id, targetId].sort((a, b) => a - b)) locked.set(id, await this.counters.lock(tx, id));
      const target = locked.get(targetId)!;
      if (target.status !== 'active') throw counterPaused(target.status);
      const now = new Date(this.clock.now());
      const [old] = await queryRows<TicketRow>(
        tx,
        `UPDATE queue_tickets SET status = 'transferred', finished_at = $2, transferred_to_counter_id = $3
          WHERE id = $1 AND status IN ('waiting', 'called', 'serving') RETURNING *`,
        [ticketId, now, targetId],
      );
      if (!old) throw ticketConflict(`Only an open ticket can be transferred; this one is ${(await this.find(ticketId, tx)).status}`);
      const [copy] = await queryRows<TicketRow>(
        tx,
        `INSERT INTO queue_tickets (counter_id, number, day, status, procedure_id, procedure_name, created_at, recall_count, transferred_from_ticket_id)
         VALUES ($1, $2, $3, 'waiting', $4, $5, $6, 0, $7) RETURNING *`,
        [targetId, old.number, dayString(old.day), old.procedure_id, old.procedure_name, old.created_at, old.id],
      );
      for (const id of locked.keys()) events.publish('queue.queue_changed', (await this.snapshots.state(id, tx))!.queue);
      return this.view(copy);
    });
  }

  async get(id: number): Promise<TicketDto> {
    return this.view(await this.find(id));
  }

  async list(q: ListTicketsQuery): Promise<TicketDto[]> {
    const rows = await queryRows<TicketRow>(
      this.dataSource.manager,
      `SELECT * FROM queue_tickets
        WHERE day = $1 AND ($2::int IS NULL OR counter_id = $2) AND ($3::varchar IS NULL OR status = $3) AND ($4::int IS NULL OR number = $4)
        ORDER BY created_at, id LIMIT $5 OFFSET $6`,
      [q.day ?? this.calendar.today(), q.counter_id ?? null, q.status ?? null, q.number ?? null, q.limit ?? 100, q.offset ?? 0],
    );
    return rows.map((r) => this.view(r));
  }

  private announce(row: TicketRow, counter: Counter, recall: boolean): Promise<TicketAnnouncedEvent> {
    return this.announcer.announce({ ticket_id: row.id, ticket_number: row.number, counter_id: row.counter_id, counter_name: counter.name }, recall);
  }

  private wire(e: TicketAnnouncedEvent): AnnouncementViewDto {
    return {
      ticket_number: e.ticket_number,
      counter_id: e.counter_id,
      counter_name: e.counter_name,
      announcement_text: e.announcement_text,
      audio_url: e.audio_url,
      display_duration: e.display_duration,
    };
  }

  /** A simple state change of one ticket, with its QUEUE_UPDATE. */
  private async move(by: Principal, ticketId: number, from: TicketStatus[], to: TicketStatus): Promise<TicketDto> {
    const { row } = await this.change(by, ticketId, true, async (tx, t) => {
      if (!from.includes(t.status)) throw ticketConflict(`A ${t.status} ticket cannot become ${to}`);
      const now = new Date(this.clock.now());
      const [row] = await queryRows<TicketRow>(
        tx,
        to === 'serving' ? `UPDATE queue_tickets SET status = $2, serving_at = $3 WHERE id = $1 RETURNING *` : `UPDATE queue_tickets SET status = $2, finished_at = $3 WHERE id = $1 RETURNING *`,
        [t.id, to, now],
      );
      return row;
    });
    return this.view(row);
  }

  /**
   * Runs `work` on a ticket with its counter locked (the ticket is re-read
   * under the lock); with `queueChanged`, QUEUE_UPDATE follows the commit.
   */
  private async change(
    by: Principal,
    ticketId: number,
    queueChanged: boolean,
    work: (tx: EntityManager, t: TicketRow, counter: Counter) => Promise<TicketRow>,
  ): Promise<{ row: TicketRow; counter: Counter }> {
    const first = await this.find(ticketId);
    await this.access.assertMayOperate(by, first.counter_id);
    return this.uow.run(async (tx, events) => {
      const counter = await this.counters.lock(tx, first.counter_id);
      const [t] = await queryRows<TicketRow>(tx, 'SELECT * FROM queue_tickets WHERE id = $1', [ticketId]);
      if (!t) throw ticketNotFound();
      const row = await work(tx, t, counter);
      if (queueChanged) events.publish('queue.queue_changed', (await this.snapshots.state(counter.id, tx))!.queue);
      return { row, counter };
    });
  }

  /** Inside a transaction pass its manager: PGlite has one session, which the transaction holds. */
  private async find(id: number, manager: EntityManager = this.dataSource.manager): Promise<TicketRow> {
    if (!isRowId(id)) throw ticketNotFound();
    const [row] = await queryRows<TicketRow>(manager, 'SELECT * FROM queue_tickets WHERE id = $1', [id]);
    if (!row) throw ticketNotFound();
    return row;
  }

  private async openCounter(tx: EntityManager, counterId: number): Promise<Counter> {
    const counter = await this.counters.lock(tx, counterId);
    if (counter.status !== 'active') throw counterPaused(counter.status);
    return counter;
  }

  /** The named procedure among those the counter serves; without a name, its only one (if it has one). */
  private async procedureFor(tx: EntityManager, counterId: number, name: string | undefined): Promise<{ id: number; name: string } | null> {
    const procs = await queryRows<{ id: number; name: string }>(
      tx,
      'SELECT p.id, p.name FROM queue_counter_procedures cp JOIN queue_procedures p ON p.id = cp.procedure_id WHERE cp.counter_id = $1 ORDER BY p.id',
      [counterId],
    );
    if (name === undefined || plainText(name, 200) === '') return procs.length === 1 ? procs[0] : null;
    const wanted = plainText(name, 200).toLocaleLowerCase();
    const match = procs.find((p) => p.name.toLocaleLowerCase() === wanted);
    if (!match) throw invalidQueueInput('procedure_name is not a procedure this counter serves');
    return match;
  }

  private view(r: TicketRow): TicketDto {
    return {
      id: r.id,
      ticket_id: r.id,
      ticket_number: r.number,
      counter_id: r.counter_id,
      procedure_name: r.procedure_name,
      status: r.status,
      day: dayString(r.day),
      created_at: iso(r.created_at)!,
      called_at: iso(r.called_at),
      serving_at: iso(r.serving_at),
      finished_at: iso(r.finished_at),
      recall_count: r.recall_count,
      transferred_to_counter_id: r.transferred_to_counter_id,
      transferred_from_ticket_id: r.transferred_from_ticket_id,
    };
  }
}
