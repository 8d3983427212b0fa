import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Leadership } from '../database/leadership';
import { Broadcaster } from '../realtime/broadcaster';
import { QueueSnapshotsService } from './queue-snapshots.service';
import { QueueConfig } from './queue.config';

const INTERVAL = 'queue-stats';
const LEADER_JOB = 'queue.stats';

/**
 * STATS_UPDATE for admins: every QUEUE_STATS_INTERVAL_MS, and within
 * QUEUE_STATS_DEBOUNCE_MS of a change (changes in between share one update).
 * Computed by the instance that leads `queue.stats` and published to the
 * admins of every instance. Both are refresh rates of a dashboard, not times
 * of day, so they run on wall time (an interval in Nest's SchedulerRegistry),
 * not on the injected clock.
 */
@Injectable()
export class QueueStatsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('QueueStats');
  private readonly intervalMs: number;
  private readonly debounceMs: number;
  private soonTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly broadcaster: Broadcaster,
    private readonly snapshots: QueueSnapshotsService,
    private readonly leadership: Leadership,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.intervalMs = QueueConfig.read(config).QUEUE_STATS_INTERVAL_MS;
    this.debounceMs = QueueConfig.read(config).QUEUE_STATS_DEBOUNCE_MS;
  }

  onApplicationBootstrap(): void {
    const soon = () => this.soon();
    this.unsubscribe.push(this.broadcaster.on('queue.ticket_created', soon), this.broadcaster.on('queue.queue_changed', soon), this.broadcaster.on('queue.counter_status_changed', soon));
    const timer = setInterval(() => void this.push(), this.intervalMs);
    timer.unref();
    this.scheduler.addInterval(INTERVAL, timer);
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe) off();
    if (this.scheduler.doesExist('interval', INTERVAL)) this.scheduler.deleteInterval(INTERVAL);
    if (this.soonTimer) clearTimeout(this.soonTimer);
    this.soonTimer = null;
  }

  private soon(): void {
    if (this.soonTimer || !this.leadership.isLeader(LEADER_JOB)) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = null;
      void this.push();
    }, this.debounceMs);
    this.soonTimer.unref();
  }

  private async push(): Promise<void> {
    if (!this.leadership.isLeader(LEADER_JOB)) return;
    try {
      const { counters: _counters, ...payload } = await this.snapshots.stats();
      this.broadcaster.publish('queue.stats', payload);
    } catch (err) {
      this.logger.error({ msg: 'stats update failed', err: String(err) });
    }
  }
}
