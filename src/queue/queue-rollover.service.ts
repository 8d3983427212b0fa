import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { Broadcaster } from '../realtime/broadcaster';
import { QueueCalendar } from './queue-calendar';
import { QueueSnapshotsService } from './queue-snapshots.service';
import { queryRows } from './queue-sql';
import type { QueueSnapshot } from './queue.events';

const JOB = 'queue-daily-rollover';
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The daily rollover at local midnight in QUEUE_TIMEZONE: tickets still
 * waiting from an earlier day expire, and displays get a fresh QUEUE_UPDATE
 * (numbering restarts by itself: numbers are per counter per local day).
 *
 * The job is a @nestjs/schedule timeout timed from the injected clock and
 * re-timed when the clock jumps. Each day is claimed by inserting its row in
 * queue_rollovers in the same transaction as the expiry, so it runs exactly
 * once across restarts and instances; on start, a missed day is caught up.
 */
@Injectable()
export class QueueRolloverService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('QueueRollover');
  private lastDay: string | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly onClockChange = () => this.tick();

  constructor(
    private readonly dataSource: DataSource,
    private readonly broadcaster: Broadcaster,
    private readonly snapshots: QueueSnapshotsService,
    private readonly calendar: QueueCalendar,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.clock.changed.on('change', this.onClockChange);
    await this.tick();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    this.clock.changed.off('change', this.onClockChange);
    this.unschedule();
  }

  /**
   * Rolls over to `day` unless some instance already did: returns whether this
   * call did it. Safe to call concurrently and repeatedly.
   */
  async rollOver(day: string): Promise<{ ran: boolean; expired: number }> {
    const result = await this.dataSource.transaction(async (tx) => {
      const claimed = await queryRows(tx, 'INSERT INTO queue_rollovers (day, ran_at, expired_tickets) VALUES ($1, $2, 0) ON CONFLICT (day) DO NOTHING RETURNING day', [day, new Date(this.clock.now())]);
      if (!claimed.length) return { ran: false, expired: 0, snapshots: [] as QueueSnapshot[] };
      // Counters locked in id order, like a transfer does, so the two cannot deadlock.
      await tx.query('UPDATE queue_counters SET version = version + 1 WHERE id IN (SELECT id FROM queue_counters ORDER BY id FOR UPDATE)');
      const expired = await queryRows(tx, `UPDATE queue_tickets SET status = 'expired', finished_at = $2 WHERE status = 'waiting' AND day < $1 RETURNING id`, [day, new Date(this.clock.now())]);
      await tx.query('UPDATE queue_rollovers SET expired_tickets = $2 WHERE day = $1', [day, expired.length]);
      return { ran: true, expired: expired.length, snapshots: (await this.snapshots.states(null, tx)).map((s) => s.queue) };
    });
    if (result.ran) {
      this.logger.log({ msg: `rolled over to ${day}`, day, expired_tickets: result.expired });
      for (const s of result.snapshots) this.broadcaster.publish('queue.queue_changed', s);
    }
    return { ran: result.ran, expired: result.expired };
  }

  /** Runs today's rollover if this instance has not seen today yet, then times the next midnight. */
  private tick(): Promise<unknown> {
    this.chain = this.chain.then(async () => {
      if (this.stopped) return;
      const today = this.calendar.today();
      if (today !== this.lastDay) {
        try {
          await this.rollOver(today);
          this.lastDay = today;
        } catch (err) {
          this.logger.error({ msg: 'daily rollover failed; retrying at the next tick', day: today, err: String(err) });
        }
      }
      this.schedule();
    });
    return this.chain;
  }

  private schedule(): void {
    this.unschedule();
    if (this.stopped) return;
    const now = this.clock.now();
    // Until the next local midnight, or a minute when the last attempt failed.
    const due = this.lastDay === this.calendar.today() ? this.calendar.nextMidnight(now) : now + 60_000;
    const timer = setTimeout(() => void this.tick(), Math.min(Math.max(due - now, 0), MAX_TIMER_MS));
    timer.unref();
    this.scheduler.addTimeout(JOB, timer);
  }

  private unschedule(): void {
    if (this.scheduler.doesExist('timeout', JOB)) this.scheduler.deleteTimeout(JOB);
  }
}
