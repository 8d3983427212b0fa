import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { ClockJob, ClockJobs } from '../common/clock-job';
import { Broadcaster } from '../realtime/broadcaster';
import { QueueCalendar } from './queue-calendar';
import { QueueSnapshotsService } from './queue-snapshots.service';
import { queryRows } from './queue-sql';
import type { QueueSnapshot } from './queue.events';

/**
 * The daily rollover at local midnight in QUEUE_TIMEZONE: tickets still
 * waiting from an earlier day expire, and displays get a fresh QUEUE_UPDATE
 * (numbering restarts by itself: numbers are per counter per local day).
 *
 * The job is a ClockJob: timed from the injected clock and re-timed when the
 * clock jumps. Each day is claimed by inserting its row in
 * queue_rollovers in the same transaction as the expiry, so it runs exactly
 * once across restarts and instances; on start, a missed day is caught up.
 */
@Injectable()
export class QueueRolloverService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('QueueRollover');
  private lastDay: string | null = null;
  private readonly job: ClockJob;

  constructor(
    private readonly dataSource: DataSource,
    private readonly broadcaster: Broadcaster,
    private readonly snapshots: QueueSnapshotsService,
    private readonly calendar: QueueCalendar,
    private readonly clock: Clock,
    jobs: ClockJobs,
  ) {
    this.job = jobs.create('queue-daily-rollover', () => this.tick(), { retryMs: 60_000 });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.job.start();
  }

  onModuleDestroy(): void {
    this.job.stop();
  }

  /**
   * Rolls over to `day` unless some instance already did: returns whether this
   * call did it. Safe to call concurrently and repeatedly.
   */
  async rollOver(day: string): Promise<{ ran: boolean; expired: number }> {
    const result = await this.dataSource.transaction(async (tx) => {
      const claimed = await queryRows(tx, 'INSERT INTO queue_rollovers (day, ran_at, expired_tickets) VALUES ($1, $2, 0) ON CONFLICT (day) DO NOTHING RETURNING day', [
        day,
        new Date(this.clock.now()),
      ]);
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

  /** Runs today's rollover if this instance has not seen today yet; next run at the next local midnight (a failure retries in a minute). */
  private async tick(): Promise<number> {
    const now = this.clock.now();
    const today = this.calendar.today();
    if (today !== this.lastDay) {
      await this.rollOver(today);
      this.lastDay = today;
    }
    return this.calendar.nextMidnight(now);
  }
}
