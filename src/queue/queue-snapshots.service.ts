import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { QueueCalendar } from './queue-calendar';
import type { CounterStatus } from './entities/counter.entity';
import type { CounterStatusView, QueueSnapshot, RecentCall } from './queue.events';
import { queryRows } from './queue-sql';
import { QueueConfig } from './queue.config';
import { inLineOf } from './queue-lines';
import { QueuePriority } from './queue-priority';

/** Everything the wire shows about one counter, read in one query. */
export interface CounterState {
  queue: QueueSnapshot;
  status: CounterStatusView;
  /** Minutes one visitor takes: measured today, else the procedures' average, else the default. */
  serviceMinutes: number;
}

export interface QueueStats {
  total_tickets_today: number;
  active_counters: number;
  average_wait_time: number;
  busiest_counter: { id: number; name: string; queue_length: number } | null;
  timestamp: string;
}

interface Row {
  id: number;
  name: string;
  status: CounterStatus;
  status_reason: string | null;
  status_changed_by: string | null;
  status_changed_at: Date | string | null;
  created_at: Date | string;
  version: number;
  current_number: number | null;
  current_display_number: string | null;
  waiting_count: number;
  next_numbers: Array<{ n: number; d: string }> | string;
  avg_wait_s: number | null;
  avg_service_s: number | null;
  proc_service_min: number | null;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/**
 * Reads the queue's derived state (QUEUE_UPDATE, COUNTER_STATUS_UPDATE,
 * estimates, STATS_UPDATE) with set-based SQL: one query for any number of
 * counters, never one per recipient. Pass a transaction's manager to read
 * inside it (the snapshot then matches the version the transaction wrote).
 */
@Injectable()
export class QueueSnapshotsService {
  private readonly nextCount: number;
  private readonly defaultServiceMinutes: number;
  private readonly recentCount: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly calendar: QueueCalendar,
    private readonly clock: Clock,
    private readonly priority: QueuePriority,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.nextCount = QueueConfig.read(config).QUEUE_NEXT_NUMBERS;
    this.defaultServiceMinutes = QueueConfig.read(config).QUEUE_DEFAULT_SERVICE_MINUTES;
    this.recentCount = QueueConfig.read(config).QUEUE_RECENT_CALLS;
  }

  /** Today's latest calls, newest first (a ticket called again counts at its latest call). */
  async recentCalls(): Promise<RecentCall[]> {
    if (!this.recentCount) return [];
    const rows = await queryRows<{ number: number; display_number: string; counter_id: number; counter_name: string; called_at: Date | string }>(
      this.dataSource.manager,
      `SELECT t.number, t.display_number, t.counter_id, c.name AS counter_name, t.called_at FROM queue_tickets t JOIN queue_counters c ON c.id = t.counter_id
        WHERE t.day = $1 AND t.called_at IS NOT NULL AND t.status <> 'transferred'
        ORDER BY t.called_at DESC, t.id DESC LIMIT $2`,
      [this.calendar.today(), this.recentCount],
    );
    return rows.map((r) => ({ ticket_number: Number(r.number), display_number: r.display_number, counter_id: Number(r.counter_id), counter_name: r.counter_name, called_at: iso(r.called_at) }));
  }

  /** State of one counter (null when it does not exist) or, without an id, of every counter by id. */
  async states(counterId: number | null = null, manager: EntityManager = this.dataSource.manager): Promise<CounterState[]> {
    return this.statesOf(counterId === null ? null : [counterId], manager);
  }

  /**
   * States of these counters (null: every counter), by id. A counter's line
   * holds its own waiting tickets and the pooled ones of its services;
   * next_numbers lists tickets of the classes that go ahead first, then by place.
   */
  async statesOf(counterIds: number[] | null, manager: EntityManager = this.dataSource.manager): Promise<CounterState[]> {
    const day = this.calendar.today();
    const rows = await queryRows<Row>(
      manager,
      `SELECT c.id, c.name, c.status, c.status_reason, c.status_changed_by, c.status_changed_at, c.created_at, c.version,
         cur.number AS current_number, cur.display_number AS current_display_number,
         (SELECT count(*)::int FROM queue_tickets t WHERE ${inLineOf('c.id')} AND t.day = $1 AND t.status = 'waiting') AS waiting_count,
         (SELECT coalesce(json_agg(json_build_object('n', n.number, 'd', n.display_number) ORDER BY n.ahead_first DESC, n.position, n.id), '[]'::json)
            FROM (SELECT t.number, t.display_number, t.position, t.id, coalesce(t.priority_class = ANY($4::varchar[]), false) AS ahead_first FROM queue_tickets t
                   WHERE ${inLineOf('c.id')} AND t.day = $1 AND t.status = 'waiting'
                   ORDER BY ahead_first DESC, t.position, t.id LIMIT $2) n) AS next_numbers,
         (SELECT avg(extract(epoch FROM t.called_at - t.created_at))::float8 FROM queue_tickets t
           WHERE t.counter_id = c.id AND t.day = $1 AND t.called_at IS NOT NULL) AS avg_wait_s,
         (SELECT avg(extract(epoch FROM t.finished_at - coalesce(t.serving_at, t.called_at)))::float8 FROM queue_tickets t
           WHERE t.counter_id = c.id AND t.day = $1 AND t.status = 'completed' AND t.called_at IS NOT NULL) AS avg_service_s,
         (SELECT avg(p.average_service_time)::float8 FROM queue_counter_procedures cp
            JOIN queue_procedures p ON p.id = cp.procedure_id WHERE cp.counter_id = c.id) AS proc_service_min
       FROM queue_counters c
       LEFT JOIN LATERAL (SELECT t.number, t.display_number FROM queue_tickets t
           WHERE t.counter_id = c.id AND t.day = $1 AND t.called_at IS NOT NULL AND t.status <> 'transferred'
           ORDER BY t.called_at DESC, t.id DESC LIMIT 1) cur ON TRUE
       WHERE ($3::int[] IS NULL OR c.id = ANY($3::int[]))
       ORDER BY c.id`,
      [day, this.nextCount, counterIds, this.priority.ahead],
    );
    return rows.map((r) => this.toState(r));
  }

  async state(counterId: number, manager?: EntityManager): Promise<CounterState | null> {
    return (await this.states(counterId, manager))[0] ?? null;
  }

  /** Minutes a ticket waits behind `ahead` others at a counter served at `serviceMinutes` each. */
  estimate(ahead: number, serviceMinutes: number): number {
    return Math.round(ahead * serviceMinutes);
  }

  async stats(): Promise<QueueStats & { counters: Array<{ id: number; name: string; status: CounterStatus; waiting_count: number; current_number: number | null; average_wait_time: number }> }> {
    const day = this.calendar.today();
    const [totals] = await queryRows<{ total: number; active: number; avg_wait_s: number | null }>(
      this.dataSource.manager,
      `SELECT (SELECT count(*)::int FROM queue_tickets WHERE day = $1 AND transferred_from_ticket_id IS NULL) AS total,
              (SELECT count(*)::int FROM queue_counters WHERE status = 'active') AS active,
              (SELECT avg(extract(epoch FROM called_at - created_at))::float8 FROM queue_tickets
                WHERE day = $1 AND called_at IS NOT NULL) AS avg_wait_s`,
      [day],
    );
    const states = await this.states();
    let busiest: CounterState | null = null;
    for (const s of states) if (!busiest || s.queue.waiting_count > busiest.queue.waiting_count) busiest = s;
    return {
      total_tickets_today: totals.total,
      active_counters: totals.active,
      average_wait_time: totals.avg_wait_s === null ? 0 : Math.round(Number(totals.avg_wait_s) / 60),
      busiest_counter: busiest ? { id: busiest.status.counter_id, name: busiest.status.counter_name, queue_length: busiest.queue.waiting_count } : null,
      timestamp: this.clock.date().toISOString(),
      counters: states.map((s) => ({
        id: s.status.counter_id,
        name: s.status.counter_name,
        status: s.status.status,
        waiting_count: s.queue.waiting_count,
        current_number: s.queue.current_number,
        average_wait_time: s.queue.average_wait_time,
      })),
    };
  }

  private toState(r: Row): CounterState {
    const measured = r.avg_service_s !== null && Number(r.avg_service_s) > 0 ? Number(r.avg_service_s) / 60 : null;
    const serviceMinutes = measured ?? (r.proc_service_min !== null ? Number(r.proc_service_min) : this.defaultServiceMinutes);
    const waiting = Number(r.waiting_count);
    const next = typeof r.next_numbers === 'string' ? (JSON.parse(r.next_numbers) as Array<{ n: number; d: string }>) : r.next_numbers;
    return {
      serviceMinutes,
      queue: {
        counter_id: r.id,
        current_number: r.current_number === null ? null : Number(r.current_number),
        waiting_count: waiting,
        next_numbers: next.map((x) => Number(x.n)),
        current_display_number: r.current_display_number ?? null,
        next_display_numbers: next.map((x) => String(x.d)),
        // Measured wait of today's called tickets; before the first call, the wait a newcomer can expect.
        average_wait_time: r.avg_wait_s !== null ? Math.round(Number(r.avg_wait_s) / 60) : this.estimate(waiting, serviceMinutes),
        version: Number(r.version),
      },
      status: {
        counter_id: r.id,
        counter_name: r.name,
        status: r.status,
        reason: r.status_reason,
        changed_by: r.status_changed_by,
        timestamp: iso(r.status_changed_at ?? r.created_at),
        affected_tickets: waiting,
        version: Number(r.version),
      },
    };
  }
}
