import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { ClockJob, ClockJobs } from '../common/clock-job';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/** How often the old tombstones are looked for. */
const EVERY_MS = 6 * 3600_000;

/**
 * Deletions are remembered (as tombstones, written by the database's
 * triggers) so that change queries can report them; each is kept for
 * CHANGE_FEED_RETENTION_DAYS and then forgotten, so the table does not grow
 * for ever (the attendance retention alone deletes records every day).
 * ChangeFeed refuses a `since` older than that, so forgetting never makes an
 * answer silently incomplete. Every instance may run it: the delete is the
 * same whoever runs it, timed by the database's clock like the tombstones.
 */
@Injectable()
export class ChangeFeedRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ChangeFeedRetention');
  private readonly job: ClockJob;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    jobs: ClockJobs,
  ) {
    this.job = jobs.create(
      'change-feed-retention',
      async () => {
        await this.prune();
        return this.clock.now() + EVERY_MS;
      },
      { retryMs: 60_000 },
    );
  }

  onApplicationBootstrap(): Promise<void> {
    return this.job.start();
  }

  onModuleDestroy(): void {
    this.job.stop();
  }

  /** Forgets the deletions older than the retention; returns how many. */
  async prune(): Promise<number> {
    const [{ count }] = await this.dataSource.query<Array<{ count: number }>>(
      `WITH gone AS (DELETE FROM tombstones WHERE deleted_at < now() - make_interval(days => $1) RETURNING 1) SELECT count(*)::int AS count FROM gone`,
      [this.config.changeFeed.retentionDays],
    );
    if (count) this.logger.log({ msg: `forgot ${count} deletion(s) older than ${this.config.changeFeed.retentionDays} days`, count });
    return count;
  }
}
