import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ClockJob, ClockJobs } from '../common/clock-job';
import { Broadcaster } from '../realtime/broadcaster';
import { nextOccurrence, Occurrence, occurrencesBetween } from './bells-plan';
import { BellsPlanLoader } from './bells-plan.loader';
import { BellsLog } from './bells-log.service';
import { BellsStateService } from './bells-state.service';
import { BellsConfig } from './bells.config';
import { BellsPlayersService } from './bells-players.service';
import { BellRing, RingOutcome } from './entities/bell-ring.entity';

const MAX_SLEEP_MS = 60 * 60 * 1000;
const MISSED_BATCH = 500;

/**
 * Rings each occurrence of each item of each active schedule at its
 * wall-clock second in the schedule's zone. It computes the next occurrence
 * and sleeps until then (recomputing whenever schedules, holidays,
 * cancellations, the state or the injected clock change). An occurrence is
 * claimed by inserting its ring row (unique per item and local date): it rings
 * once across restarts and instances. After a restart, occurrences that came
 * due while nothing ran ring late, up to BELLS_LATE_GRACE_MS; older ones are
 * written as `missed`. Paused occurrences are recorded as such and never
 * ring later; a timed pause ends by itself.
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
    private readonly players: BellsPlayersService,
    @Inject(APP_CONFIG) config: AppConfig,
    jobs: ClockJobs,
  ) {
    this.graceMs = BellsConfig.read(config).BELLS_LATE_GRACE_MS;
    this.job = jobs.create('bells-scheduler', (now) => this.tick(now), { maxSleepMs: MAX_SLEEP_MS, retryMs: 1000 });
  }

  onApplicationBootstrap(): void {
    const kick = () => void this.job.kick();
    for (const name of ['bells.schedules_changed', 'bells.holidays_changed', 'bells.bell_cancelled', 'bells.bell_uncancelled', 'bells.state_changed'] as const) {
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

  /**
   * Ends a timed pause that is over, writes as `missed` what came due while no
   * instance ran (older than the late grace, after the last scan), rings what
   * is due within the grace, and returns when it next has work: the next
   * occurrence or the end of a pause.
   */
  private async tick(now: number): Promise<number | null> {
    await this.state.resumeIfDue(now);
    const plan = await this.loader.load();
    const scanned = await this.state.scannedUntil();
    if (scanned !== null && scanned < now - this.graceMs) {
      const missed = occurrencesBetween(plan, scanned + 1, now - this.graceMs - 1);
      const written = await this.claimMissed(missed, now);
      if (written) this.log.warning('scheduler', `${written} bell(s) came due while no instance was running and were not rung (recorded as missed)`);
    }
    // The unique ring row keeps an occurrence from being rung twice, whatever the windows overlap.
    const due = occurrencesBetween(plan, now - this.graceMs, now);
    if (due.length) {
      const paused = (await this.state.get()) === 'paused';
      for (const o of due) await this.fire(o, paused, now);
    }
    await this.state.markScanned(now);
    const next = nextOccurrence(plan, now)?.at ?? null;
    const resume = await this.state.pausedUntil();
    return next === null ? resume : resume === null ? next : Math.min(next, resume);
  }

  /** Writes `missed` rows in batches (a long downtime may hold hundreds); returns how many were new. */
  private async claimMissed(missed: Occurrence[], now: number): Promise<number> {
    let written = 0;
    for (let i = 0; i < missed.length; i += MISSED_BATCH) {
      const batch = missed.slice(i, i + MISSED_BATCH);
      const rows: unknown[] = await this.dataSource.query(
        `INSERT INTO bell_rings (schedule_item_id, occurrence_date, sound_id, name, scheduled_for, at, outcome, manual, kind)
         SELECT t.item::uuid, t.day::date, t.sound::uuid, t.name, t.due, $6, 'missed', false, 'bell'
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS t(item, day, sound, name, due)
         ON CONFLICT (schedule_item_id, occurrence_date) WHERE schedule_item_id IS NOT NULL DO NOTHING
         RETURNING id`,
        [batch.map((o) => o.item.id), batch.map((o) => o.date), batch.map((o) => o.item.soundId), batch.map((o) => o.item.name), batch.map((o) => new Date(o.at)), new Date(now)],
      );
      written += rows.length;
    }
    return written;
  }

  /** Inserts the occurrence's ring row (unique per item and local date); its id when this call claimed it. */
  private async claim(o: Occurrence, outcome: RingOutcome, now: number): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO bell_rings (schedule_item_id, occurrence_date, sound_id, name, scheduled_for, at, outcome, manual, kind, zones)
       VALUES ($1, $2, $3, $4, $5, $6, $7, false, 'bell', $8)
       ON CONFLICT (schedule_item_id, occurrence_date) WHERE schedule_item_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [o.item.id, o.date, o.item.soundId, o.item.name, new Date(o.at), new Date(now), outcome, o.target.zones],
    );
    return rows[0]?.id ?? null;
  }

  private async fire(o: Occurrence, paused: boolean, now: number): Promise<void> {
    const ringId = await this.claim(o, paused ? 'paused' : 'rang', now);
    if (!ringId) return;
    if (paused) {
      this.log.info('scheduler', `"${o.item.name}" did not ring: bells are paused`);
      return;
    }
    const ring = await this.dataSource.getRepository(BellRing).findOneByOrFail({ id: ringId });
    this.broadcaster.publish('bells.bell_triggered', {
      ring_id: ringId,
      schedule_item_id: o.item.id,
      sound_id: o.item.soundId,
      name: o.item.name,
      kind: 'bell',
      scheduled_for: new Date(o.at).toISOString(),
      zones: o.target.zones,
      except_zones: o.target.exceptZones,
      player_id: null,
    });
    const late = now - o.at;
    this.log.info('scheduler', `Bell "${o.item.name}" rang${late >= 1000 ? ` ${Math.round(late / 1000)} s late` : ''}`);
    await this.players.recordDeliveries(ring, o.target, null);
  }
}
