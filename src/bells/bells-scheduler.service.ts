import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { ClockJob, ClockJobs } from '../common/clock-job';
import { Broadcaster } from '../realtime/broadcaster';
import { nextOccurrence, Occurrence, occurrencesBetween } from './bells-plan';
import { BellsPlanLoader } from './bells-plan.loader';
import { BellsLog } from './bells-log.service';
import { BellsStateService } from './bells-state.service';
import { BellsConfig } from './bells.config';

const MAX_SLEEP_MS = 60 * 60 * 1000;

/**
 * Rings each occurrence of each item of each active schedule at its
 * wall-clock second in the schedule's zone. It computes the next occurrence
 * and sleeps until then (recomputing whenever schedules, holidays,
 * cancellations, the state or the injected clock change). An occurrence is
 * claimed by inserting its ring row (unique per item and local date): it rings
 * once across restarts and instances. After a restart, occurrences that came
 * due while nothing ran ring late, up to BELLS_LATE_GRACE_MS; paused
 * occurrences are recorded as such and never ring later.
 */
@Injectable()
export class BellsScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly graceMs: number;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly job: ClockJob;

  constructor(
    private readonly dataSource: DataSource,
    private readonly loader: BellsPlanLoader,
    private readonly state: BellsStateService,
    private readonly broadcaster: Broadcaster,
    private readonly log: BellsLog,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
    jobs: ClockJobs,
  ) {
    this.graceMs = BellsConfig.read(config).BELLS_LATE_GRACE_MS;
    this.job = jobs.create('bells-scheduler', (now) => this.tick(now), { maxSleepMs: MAX_SLEEP_MS, retryMs: 1000 });
  }

  onApplicationBootstrap(): void {
    const kick = () => void this.job.kick();
    for (const name of ['bells.schedules_changed', 'bells.holidays_changed', 'bells.bell_cancelled', 'bells.state_changed'] as const) {
      this.unsubscribe.push(this.broadcaster.on(name, kick));
    }
    void this.job.start();
  }

  onModuleDestroy(): void {
    this.job.stop();
    for (const off of this.unsubscribe) off();
  }

  /** Waits for the ticks queued so far (tests and shutdown). */
  idle(): Promise<void> {
    return this.job.idle();
  }

  /** Rings what is due (within the late grace) and returns when the next occurrence is due. */
  private async tick(now: number): Promise<number | null> {
    const plan = await this.loader.load();
    const due = occurrencesBetween(plan, now - this.graceMs, now);
    if (due.length) {
      const state = await this.state.get();
      for (const o of due) await this.fire(o, state === 'paused', now);
    }
    return nextOccurrence(plan, now)?.at ?? null;
  }

  private async fire(o: Occurrence, paused: boolean, now: number): Promise<void> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO bell_rings (schedule_item_id, occurrence_date, sound_id, name, scheduled_for, at, outcome, manual)
       VALUES ($1, $2, $3, $4, $5, $6, $7, false)
       ON CONFLICT (schedule_item_id, occurrence_date) WHERE schedule_item_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [o.item.id, o.date, o.item.soundId, o.item.name, new Date(o.at), new Date(now), paused ? 'paused' : 'rang'],
    );
    if (!rows.length) return;
    if (paused) {
      this.log.info('scheduler', `"${o.item.name}" did not ring: bells are paused`);
      return;
    }
    this.broadcaster.publish('bells.bell_triggered', { schedule_item_id: o.item.id, sound_id: o.item.soundId, name: o.item.name, scheduled_for: new Date(o.at).toISOString() });
    const late = now - o.at;
    this.log.info('scheduler', `Bell "${o.item.name}" rang${late >= 1000 ? ` ${Math.round(late / 1000)} s late` : ''}`);
  }
}
