import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
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
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly graceMs: number;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly kick = () => this.schedule();

  constructor(
    private readonly dataSource: DataSource,
    private readonly loader: BellsPlanLoader,
    private readonly state: BellsStateService,
    private readonly broadcaster: Broadcaster,
    private readonly log: BellsLog,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.graceMs = BellsConfig.read(config).BELLS_LATE_GRACE_MS;
  }

  onApplicationBootstrap(): void {
    for (const name of ['bells.schedules_changed', 'bells.holidays_changed', 'bells.bell_cancelled', 'bells.state_changed'] as const) {
      this.unsubscribe.push(this.broadcaster.on(name, this.kick));
    }
    this.clock.changed.on('change', this.kick);
    this.schedule();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.clock.changed.off('change', this.kick);
    for (const off of this.unsubscribe) off();
  }

  /** Waits for the ticks queued so far (tests and shutdown). */
  idle(): Promise<void> {
    return this.chain;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.chain = this.chain.then(() => this.tick()).catch((err) => this.log.error('scheduler', `Scheduler failed: ${String(err?.message ?? err)}`));
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const now = this.clock.now();
    const plan = await this.loader.load();
    const due = occurrencesBetween(plan, now - this.graceMs, now);
    if (due.length) {
      const state = await this.state.get();
      for (const o of due) await this.fire(o, state === 'paused', now);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) return;
    const next = nextOccurrence(plan, now);
    const sleep = next ? Math.min(Math.max(next.at - now, 0), MAX_SLEEP_MS) : MAX_SLEEP_MS;
    this.timer = setTimeout(this.kick, sleep);
    this.timer.unref();
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
