import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { plainText } from '../common/plain-text';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { CountersService } from './counters.service';
import { AnnouncementViewDto, CalledTicketDto, CreatedTicketDto, ListTicketsQuery, TicketDto, TransferPlacement } from './dto/ticket.dto';
import { Counter } from './entities/counter.entity';
import { TicketStatus } from './entities/ticket.entity';
import { QueueAccessService } from './queue-access.service';
import { QueueAnnouncer } from './queue-announcer.service';
import { QueueCalendar } from './queue-calendar';
import { counterNotFound, counterPaused, invalidQueueInput, queueEmpty, ticketConflict, ticketNotFound } from './queue-error';
import { countersOffering, inLineOf, Line, lineTickets, POOL_OF_COUNTER, positionBehind } from './queue-lines';
import { QueuePriority } from './queue-priority';
import { QueueSnapshotsService } from './queue-snapshots.service';
import { isRowId, queryRows } from './queue-sql';
import { QueueConfig } from './queue.config';
import type { TicketAnnouncedEvent, TicketCreatedEvent } from './queue.events';

interface TicketRow {
  id: number;
  counter_id: number | null;
  pooled: boolean;
  number: number;
  display_number: string;
  day: string;
  status: TicketStatus;
  procedure_id: number | null;
  procedure_name: string | null;
  priority_class: string | null;
  position: number;
  created_at: Date | string;
  called_at: Date | string | null;
  serving_at: Date | string | null;
  finished_at: Date | string | null;
  called_by: string | null;
  recall_count: number;
  no_show_recalls: number;
  note: string | null;
  transferred_to_counter_id: number | null;
  transferred_from_ticket_id: number | null;
}

const iso = (d: Date | string | null) => (d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString());
const dayString = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));
const ms = (d: Date | string) => (d instanceof Date ? d : new Date(d)).getTime();

/**
 * Who asked for a ticket. `onIssued` runs right after the commit, before
 * QUEUE_UPDATE goes out, so the requester hears its TICKET_CREATED first
 * (the gateway passes a reply to the sending socket; REST passes nothing).
 */
export interface Origin {
  onIssued?: (ticket: TicketCreatedEvent) => void;
}

/** What a kiosk asks for: a counter's line (the seed), or a service's pooled line; optionally a priority class. */
export interface IssueRequest {
  counter_id?: number;
  service_id?: number;
  procedure_name?: string;
  priority_class?: string;
}

/** Which ticket CALL_TICKET takes: the next by the rules, or one by number, display number or id. */
export interface CallPick {
  ticket_number?: number;
  display_number?: string;
  ticket_id?: number;
}

export interface TransferRequest {
  counter_id?: number;
  service_id?: number;
  placement?: TransferPlacement;
  note?: string;
}

type Service = { id: number; name: string; prefix: string | null; average_service_time: number };

/**
 * Tickets: issue, call, recall, serve, skip, no-show, postpone, complete,
 * transfer. Every change runs in one transaction that first locks every
 * counter whose line it changes (CountersService.lock, in id order so two
 * transactions cannot deadlock), and announces its events after the commit.
 */
@Injectable()
export class TicketsService {
  private readonly digits: number;
  private readonly noShowMs: number;
  private readonly noShowRecalls: number;
  private readonly postponePlaces: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly counters: CountersService,
    private readonly snapshots: QueueSnapshotsService,
    private readonly access: QueueAccessService,
    private readonly calendar: QueueCalendar,
    private readonly announcer: QueueAnnouncer,
    private readonly priority: QueuePriority,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const c = QueueConfig.read(config);
    this.digits = c.QUEUE_DISPLAY_DIGITS;
    this.noShowMs = c.QUEUE_NO_SHOW_MINUTES * 60_000;
    this.noShowRecalls = c.QUEUE_NO_SHOW_RECALLS;
    this.postponePlaces = c.QUEUE_POSTPONE_PLACES;
  }

  /**
   * Issues the next number of the day: at a counter (the seed), or, with a
   * service and no counter, in that service's pooled line. Tickets of a
   * service with a prefix, and pooled ones, are numbered per service; others
   * per counter. The number comes from an atomic upsert, so concurrent
   * kiosks never share one.
   */
  async issue(by: Principal, req: IssueRequest, origin: Origin = {}): Promise<CreatedTicketDto> {
    const pooled = req.counter_id === undefined;
    if (pooled && req.service_id === undefined) throw invalidQueueInput('counter_id or service_id is required');
    this.access.assertMayIssue(by, req.counter_id ?? null);
    const priorityClass = this.priorityClass(req.priority_class);
    return this.uow.run(async (tx, events) => {
      let counter: Counter | null = null;
      let service: Service | null;
      let lockedIds: number[];
      let counterName: string;
      if (!pooled) {
        counter = await this.openCounter(tx, req.counter_id!);
        service = await this.serviceAt(tx, counter.id, req.service_id, req.procedure_name);
        lockedIds = [counter.id];
        counterName = counter.name;
      } else {
        service = await this.service(tx, req.service_id!);
        const locked = await this.counters.lockAll(tx, await countersOffering(tx, service.id));
        if (!locked.length) throw invalidQueueInput('No counter offers this service');
        const open = locked.filter((c) => c.status === 'active');
        if (!open.length) throw counterPaused(locked[0].status);
        lockedIds = locked.map((c) => c.id);
        counterName = plainText(open.map((c) => c.name).join(', '), 200);
      }
      const day = this.calendar.today();
      const now = new Date(this.clock.now());
      const number = await this.nextNumber(tx, day, counter?.id ?? null, pooled || service?.prefix ? service!.id : null);
      const display = service?.prefix ? `${service.prefix}${String(number).padStart(this.digits, '0')}` : String(number);
      const [row] = await queryRows<TicketRow>(
        tx,
        `INSERT INTO queue_tickets (counter_id, pooled, number, display_number, day, status, procedure_id, procedure_name, priority_class, position, created_at, recall_count)
         VALUES ($1, $2, $3, $4, $5, 'waiting', $6, $7, $8, $9, $10, 0) RETURNING *`,
        [counter?.id ?? null, pooled, number, display, day, service?.id ?? null, service?.name ?? null, priorityClass, now.getTime(), now],
      );
      const ahead = await this.ahead(tx, row, day, counter?.id ?? null);
      const states = await this.snapshots.statesOf(lockedIds, tx);
      const minutes = pooled ? service!.average_service_time / Math.max(1, states.filter((s) => s.status.status === 'active').length) : states[0].serviceMinutes;
      const ticket = this.view(row);
      const created: CreatedTicketDto = { ...ticket, counter_name: counterName, estimated_wait_time: this.snapshots.estimate(ahead, minutes) };
      const event: TicketCreatedEvent = {
        ticket_id: created.id,
        ticket_number: created.ticket_number,
        counter_id: created.counter_id,
        counter_name: counterName,
        procedure_name: created.procedure_name,
        created_at: created.created_at,
        estimated_wait_time: created.estimated_wait_time,
        display_number: created.display_number,
        service_id: created.service_id,
        priority_class: created.priority_class,
      };
      const reply = origin.onIssued;
      if (reply) events.afterCommit(() => reply(event));
      events.publish('queue.ticket_created', event);
      for (const s of states) events.publish('queue.queue_changed', s.queue);
      return created;
    });
  }

  /**
   * Calls the next ticket of the counter's line (its own tickets and the
   * pooled tickets of its services) by the priority rules (QueuePriority), or
   * the ticket asked for among today's waiting or no-show ones. Every counter
   * sharing a service is locked first, so two counters never call one ticket
   * and each takes the next in order. The ticket the counter was serving is
   * completed.
   */
  async call(by: Principal, counterId: number, pick: CallPick = {}): Promise<CalledTicketDto> {
    await this.access.assertMayOperate(by, counterId);
    const { row, counter } = await this.uow.run(async (tx, events) => {
      const locked = await this.counters.lockAll(tx, { sql: POOL_OF_COUNTER, param: counterId });
      const counter = locked.find((c) => c.id === counterId);
      if (!counter) throw counterNotFound();
      if (counter.status !== 'active') throw counterPaused(counter.status);
      const now = new Date(this.clock.now());
      const day = this.calendar.today();
      await tx.query(`UPDATE queue_tickets SET status = 'completed', finished_at = $2 WHERE counter_id = $1 AND status IN ('called', 'serving')`, [counterId, now]);
      const id = await this.choose(tx, counterId, day, pick);
      if (id === null) throw pick.ticket_number === undefined && pick.display_number === undefined && pick.ticket_id === undefined ? queueEmpty() : ticketNotFound();
      const [row] = await queryRows<TicketRow>(
        tx,
        `UPDATE queue_tickets SET counter_id = $2, status = 'called', called_at = $3, called_by = $4, serving_at = NULL, finished_at = NULL,
                no_show_recalls = no_show_recalls + CASE WHEN status = 'skipped' THEN 1 ELSE 0 END
          WHERE id = $1 AND status IN ('waiting', 'skipped') RETURNING *`,
        [id, counterId, now, plainText(by.name, 200)],
      );
      if (!row) throw queueEmpty();
      // A pooled ticket left the line of every counter offering its service.
      const changed = row.pooled ? locked.map((c) => c.id) : [counterId];
      for (const s of await this.snapshots.statesOf(changed, tx)) events.publish('queue.queue_changed', s.queue);
      return { row, counter };
    });
    // QUEUE_UPDATE is out already; the announcement follows once its speech is ready.
    const announcement = await this.announce(row, counter, false);
    return { ...this.view(row), announcement: this.wire(announcement) };
  }

  /**
   * A called ticket: announced again (the visitor did not come yet). A
   * no-show: called again at its counter, at most QUEUE_NO_SHOW_RECALLS times.
   */
  async recall(by: Principal, ticketId: number): Promise<CalledTicketDto> {
    const first = await this.find(ticketId);
    if (first.status === 'skipped' && first.counter_id !== null) {
      if (first.no_show_recalls >= this.noShowRecalls) throw ticketConflict(`This no-show was recalled ${first.no_show_recalls} times already`);
      return this.call(by, first.counter_id, { ticket_id: first.id });
    }
    const { row, counter } = await this.change(by, ticketId, false, async (tx, t, counter) => {
      if (t.status !== 'called' && t.status !== 'serving') throw ticketConflict(`Only a called ticket or a no-show can be recalled; this one is ${t.status}`);
      if (counter!.status !== 'active') throw counterPaused(counter!.status);
      const [row] = await queryRows<TicketRow>(tx, 'UPDATE queue_tickets SET recall_count = recall_count + 1 WHERE id = $1 RETURNING *', [t.id]);
      return row;
    });
    const announcement = await this.announce(row, counter!, true);
    return { ...this.view(row), announcement: this.wire(announcement) };
  }

  /** The visitor came to the counter. */
  serve(by: Principal, ticketId: number): Promise<TicketDto> {
    return this.move(by, ticketId, ['called'], 'serving');
  }

  /** Withdrawn (waiting) or passed over (called) at once; a called ticket with no recall left expires. */
  skip(by: Principal, ticketId: number): Promise<TicketDto> {
    return this.noShowOrSkip(by, ticketId, false);
  }

  /** A called ticket not served within QUEUE_NO_SHOW_MINUTES of its call; it expires once its recalls are used up. */
  noShow(by: Principal, ticketId: number): Promise<TicketDto> {
    return this.noShowOrSkip(by, ticketId, true);
  }

  complete(by: Principal, ticketId: number): Promise<TicketDto> {
    return this.move(by, ticketId, ['called', 'serving'], 'completed');
  }

  /**
   * The visitor is not ready: a waiting or called ticket goes back `places`
   * tickets in its line (a pooled ticket in its service's line) and waits.
   */
  async postpone(by: Principal, ticketId: number, places: number | undefined): Promise<TicketDto> {
    const k = places ?? this.postponePlaces;
    const { row } = await this.change(by, ticketId, true, async (tx, t) => {
      if (t.status !== 'waiting' && t.status !== 'called') throw ticketConflict(`Only a waiting or called ticket can be postponed; this one is ${t.status}`);
      const line: Line = t.pooled ? { service: t.procedure_id! } : { counter: t.counter_id! };
      if (t.pooled && t.status === 'called') await tx.query('UPDATE queue_tickets SET counter_id = NULL WHERE id = $1', [t.id]);
      const others = await lineTickets(tx, line, dayString(t.day), t.id);
      const position = await positionBehind(tx, others, { id: t.id, position: Number(t.position) }, k);
      const [row] = await queryRows<TicketRow>(tx, `UPDATE queue_tickets SET status = 'waiting', position = $2, called_at = NULL, called_by = NULL, serving_at = NULL WHERE id = $1 RETURNING *`, [
        t.id,
        position,
      ]);
      return row;
    });
    return this.view(row);
  }

  /**
   * Sends a ticket to another counter or service: the ticket closes as
   * `transferred` and a waiting ticket with the same number opens there,
   * placed first, last, or by its original issue time (the default), with
   * an optional note for whoever receives it.
   */
  async transfer(by: Principal, ticketId: number, req: TransferRequest): Promise<TicketDto> {
    if ((req.counter_id === undefined) === (req.service_id === undefined)) throw invalidQueueInput('Give either counter_id or service_id');
    const source = await this.find(ticketId);
    await this.assertMayOperateOn(by, source);
    if (req.counter_id !== undefined && req.counter_id === source.counter_id && !source.pooled) throw invalidQueueInput('The ticket is already at this counter');
    return this.uow.run(async (tx, events) => {
      const service = req.service_id === undefined ? null : await this.service(tx, req.service_id);
      const targets = service ? await countersOffering(tx, service.id) : [req.counter_id!];
      if (!targets.length) throw invalidQueueInput('No counter offers this service');
      const sources = source.counter_id !== null ? [source.counter_id] : await countersOffering(tx, source.procedure_id!);
      const locked = await this.counters.lockAll(tx, [...sources, ...targets]);
      const open = locked.filter((c) => targets.includes(c.id) && c.status === 'active');
      if (!open.length) throw counterPaused(locked.find((c) => targets.includes(c.id))!.status);
      const now = new Date(this.clock.now());
      const [old] = await queryRows<TicketRow>(
        tx,
        `UPDATE queue_tickets SET status = 'transferred', finished_at = $2, transferred_to_counter_id = $3
          WHERE id = $1 AND status IN ('waiting', 'called', 'serving') RETURNING *`,
        [ticketId, now, req.counter_id ?? null],
      );
      if (!old) throw ticketConflict(`Only an open ticket can be transferred; this one is ${(await this.find(ticketId, tx)).status}`);
      const line: Line = service ? { service: service.id } : { counter: req.counter_id! };
      const others = await lineTickets(tx, line, dayString(old.day), null);
      const placement = req.placement ?? 'original';
      const position =
        placement === 'first'
          ? Math.min(others[0]?.position ?? Infinity, ms(old.created_at)) - 1
          : placement === 'last'
            ? Math.max(others[others.length - 1]?.position ?? -Infinity, now.getTime()) + 1
            : ms(old.created_at);
      const [copy] = await queryRows<TicketRow>(
        tx,
        `INSERT INTO queue_tickets (counter_id, pooled, number, display_number, day, status, procedure_id, procedure_name, priority_class, position, created_at,
                                    recall_count, note, transferred_from_ticket_id)
         VALUES ($1, $2, $3, $4, $5, 'waiting', $6, $7, $8, $9, $10, 0, $11, $12) RETURNING *`,
        [
          req.counter_id ?? null,
          service !== null,
          old.number,
          old.display_number,
          dayString(old.day),
          service?.id ?? old.procedure_id,
          service?.name ?? old.procedure_name,
          old.priority_class,
          position,
          old.created_at,
          req.note === undefined ? null : plainText(req.note, 500) || null,
          old.id,
        ],
      );
      for (const s of await this.snapshots.statesOf(
        locked.map((c) => c.id),
        tx,
      ))
        events.publish('queue.queue_changed', s.queue);
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
          AND ($7::int IS NULL OR procedure_id = $7)
        ORDER BY position, id LIMIT $5 OFFSET $6`,
      [q.day ?? this.calendar.today(), q.counter_id ?? null, q.status ?? null, q.number ?? null, q.limit ?? 100, q.offset ?? 0, q.service_id ?? null],
    );
    return rows.map((r) => this.view(r));
  }

  /** The id of the ticket a call takes, or null. The counters of its line are locked, so the read stays true until the update. */
  private async choose(tx: EntityManager, counterId: number, day: string, pick: CallPick): Promise<number | null> {
    if (pick.ticket_number !== undefined || pick.display_number !== undefined || pick.ticket_id !== undefined) {
      const [r] = await queryRows<{ id: number }>(
        tx,
        `SELECT t.id FROM queue_tickets t
          WHERE t.day = $2 AND (${inLineOf('$1')} AND t.status = 'waiting' OR t.counter_id = $1 AND t.status = 'skipped' AND t.no_show_recalls < $6)
            AND ($3::int IS NULL OR t.number = $3) AND ($4::varchar IS NULL OR upper(t.display_number) = upper($4)) AND ($5::int IS NULL OR t.id = $5)
          ORDER BY t.position DESC, t.id DESC LIMIT 1`,
        [counterId, day, pick.ticket_number ?? null, pick.display_number ?? null, pick.ticket_id ?? null, this.noShowRecalls],
      );
      return r ? Number(r.id) : null;
    }
    // The oldest ticket of each class, and the classes of the counter's calls today (newest first), decide.
    const [{ candidates, history }] = await queryRows<{ candidates: unknown; history: unknown }>(
      tx,
      `SELECT (SELECT coalesce(json_agg(json_build_object('id', x.id, 'priority_class', x.priority_class, 'position', x.position)), '[]'::json)
                 FROM (SELECT DISTINCT ON (coalesce(t.priority_class, '')) t.id, t.priority_class, t.position FROM queue_tickets t
                        WHERE ${inLineOf('$1')} AND t.day = $2 AND t.status = 'waiting'
                        ORDER BY coalesce(t.priority_class, ''), t.position, t.id) x) AS candidates,
              (SELECT coalesce(json_agg(h.priority_class ORDER BY h.called_at DESC, h.id DESC), '[]'::json)
                 FROM (SELECT priority_class, called_at, id FROM queue_tickets
                        WHERE counter_id = $1 AND day = $2 AND called_at IS NOT NULL AND status <> 'transferred'
                        ORDER BY called_at DESC, id DESC LIMIT 500) h) AS history`,
      [counterId, day],
    );
    const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
    const next = this.priority.pick(
      json<Array<{ id: number; priority_class: string | null; position: number }>>(candidates).map((c) => ({ id: Number(c.id), priority_class: c.priority_class, position: Number(c.position) })),
      json<Array<string | null>>(history),
    );
    return next?.id ?? null;
  }

  private async noShowOrSkip(by: Principal, ticketId: number, timed: boolean): Promise<TicketDto> {
    const { row } = await this.change(by, ticketId, true, async (tx, t) => {
      const allowed: TicketStatus[] = timed ? ['called'] : ['called', 'waiting'];
      if (!allowed.includes(t.status)) throw ticketConflict(`A ${t.status} ticket cannot become a no-show`);
      const now = this.clock.now();
      if (timed && t.called_at !== null && now - ms(t.called_at) < this.noShowMs) {
        throw ticketConflict(`A called ticket can be marked no-show ${Math.ceil((ms(t.called_at) + this.noShowMs - now) / 1000)} s from now`);
      }
      const status = t.status === 'called' && t.no_show_recalls >= this.noShowRecalls ? 'expired' : 'skipped';
      const [row] = await queryRows<TicketRow>(tx, 'UPDATE queue_tickets SET status = $2, finished_at = $3 WHERE id = $1 RETURNING *', [t.id, status, new Date(now)]);
      return row;
    });
    return this.view(row);
  }

  private async nextNumber(tx: EntityManager, day: string, counterId: number | null, serviceId: number | null): Promise<number> {
    const [{ last_number }] =
      serviceId !== null
        ? await queryRows<{ last_number: number }>(
            tx,
            `INSERT INTO queue_service_numbers (procedure_id, day, last_number) VALUES ($1, $2, 1)
             ON CONFLICT (procedure_id, day) DO UPDATE SET last_number = queue_service_numbers.last_number + 1 RETURNING last_number`,
            [serviceId, day],
          )
        : await queryRows<{ last_number: number }>(
            tx,
            `INSERT INTO queue_daily_numbers (counter_id, day, last_number) VALUES ($1, $2, 1)
             ON CONFLICT (counter_id, day) DO UPDATE SET last_number = queue_daily_numbers.last_number + 1 RETURNING last_number`,
            [counterId, day],
          );
    return Number(last_number);
  }

  /** Tickets before this one in its line: the counter's line, or the service's pooled line. */
  private async ahead(tx: EntityManager, row: TicketRow, day: string, counterId: number | null): Promise<number> {
    const where = counterId !== null ? inLineOf('$1') : 't.counter_id IS NULL AND t.pooled AND t.procedure_id = $1';
    const [{ ahead }] = await queryRows<{ ahead: number }>(
      tx,
      `SELECT count(*)::int AS ahead FROM queue_tickets t WHERE ${where} AND t.day = $2 AND t.status = 'waiting' AND (t.position, t.id) < ($3::float8, $4::int)`,
      [counterId ?? row.procedure_id, day, row.position, row.id],
    );
    return Number(ahead);
  }

  private priorityClass(name: string | undefined): string | null {
    if (name === undefined || name === '') return null;
    if (!this.priority.has(name)) throw invalidQueueInput(`priority_class must be one of: ${this.priority.classes.map((c) => c.name).join(', ') || '(none configured)'}`);
    return name;
  }

  private announce(row: TicketRow, counter: Counter, recall: boolean): Promise<TicketAnnouncedEvent> {
    return this.announcer.announce(
      { ticket_id: row.id, ticket_number: row.number, display_number: row.display_number, service_id: row.procedure_id, counter_id: counter.id, counter_name: counter.name },
      recall,
    );
  }

  private wire(e: TicketAnnouncedEvent): AnnouncementViewDto {
    return {
      ticket_number: e.ticket_number,
      counter_id: e.counter_id,
      counter_name: e.counter_name,
      announcement_text: e.announcement_text,
      audio_url: e.audio_url,
      display_duration: e.display_duration,
      display_number: e.display_number,
      service_id: e.service_id,
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
   * Runs `work` on a ticket with the counters of its line locked (its
   * counter; for a pooled ticket every counter offering its service), the
   * ticket re-read under the lock; with `queueChanged`, QUEUE_UPDATE of each
   * follows the commit.
   */
  private async change(
    by: Principal,
    ticketId: number,
    queueChanged: boolean,
    work: (tx: EntityManager, t: TicketRow, counter: Counter | null) => Promise<TicketRow>,
  ): Promise<{ row: TicketRow; counter: Counter | null }> {
    const first = await this.find(ticketId);
    await this.assertMayOperateOn(by, first);
    return this.uow.run(async (tx, events) => {
      const ids = first.pooled && first.procedure_id !== null ? await countersOffering(tx, first.procedure_id) : [];
      if (first.counter_id !== null) ids.push(first.counter_id);
      const locked = await this.counters.lockAll(tx, ids);
      const [t] = await queryRows<TicketRow>(tx, 'SELECT * FROM queue_tickets WHERE id = $1', [ticketId]);
      if (!t) throw ticketNotFound();
      const counter = locked.find((c) => c.id === first.counter_id) ?? null;
      const row = await work(tx, t, counter);
      if (queueChanged)
        for (const s of await this.snapshots.statesOf(
          locked.map((c) => c.id),
          tx,
        ))
          events.publish('queue.queue_changed', s.queue);
      return { row, counter };
    });
  }

  /** The ticket's counter decides; a waiting pooled ticket may be handled at any counter offering its service. */
  private async assertMayOperateOn(by: Principal, t: TicketRow): Promise<void> {
    if (t.counter_id !== null) return this.access.assertMayOperate(by, t.counter_id);
    await this.access.assertMayOperateAny(by, await countersOffering(this.dataSource.manager, t.procedure_id ?? 0));
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

  private async service(tx: EntityManager, id: number): Promise<Service> {
    const [s] = isRowId(id) ? await queryRows<Service>(tx, 'SELECT id, name, prefix, average_service_time FROM queue_procedures WHERE id = $1', [id]) : [];
    if (!s) throw invalidQueueInput('service_id is not a service');
    return s;
  }

  /** The service asked for (by id or name) among those the counter serves; without one, its only one (if it has one). */
  private async serviceAt(tx: EntityManager, counterId: number, id: number | undefined, name: string | undefined): Promise<Service | null> {
    const procs = await queryRows<Service>(
      tx,
      `SELECT p.id, p.name, p.prefix, p.average_service_time FROM queue_counter_procedures cp JOIN queue_procedures p ON p.id = cp.procedure_id
        WHERE cp.counter_id = $1 ORDER BY p.id`,
      [counterId],
    );
    if (id !== undefined) {
      const match = procs.find((p) => p.id === id);
      if (!match) throw invalidQueueInput('service_id is not a service this counter offers');
      return match;
    }
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
      display_number: r.display_number,
      counter_id: r.counter_id,
      service_id: r.procedure_id,
      procedure_name: r.procedure_name,
      pooled: r.pooled,
      priority_class: r.priority_class,
      status: r.status,
      day: dayString(r.day),
      created_at: iso(r.created_at)!,
      called_at: iso(r.called_at),
      serving_at: iso(r.serving_at),
      finished_at: iso(r.finished_at),
      recall_count: r.recall_count,
      no_show_recalls: r.no_show_recalls,
      note: r.note,
      transferred_to_counter_id: r.transferred_to_counter_id,
      transferred_from_ticket_id: r.transferred_from_ticket_id,
    };
  }
}
