import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { ClockJob, ClockJobs } from '../common/clock-job';
import { Broadcaster } from '../realtime/broadcaster';
import { Counter } from './entities/counter.entity';
import type { CounterStatusView, QueueAlertEvent, QueueSnapshot } from './queue.events';
import { QueuePresence } from './queue-presence';
import { queryRows } from './queue-sql';
import { inLineOf } from './queue-lines';
import { QueueConfig } from './queue.config';

/**
 * SYSTEM_ALERTs: `counter_offline` (an active counter without an officer
 * socket for QUEUE_COUNTER_OFFLINE_MS, timed by the injected clock),
 * `high_queue` (waiting count at QUEUE_HIGH_THRESHOLD) and `system_error` (an
 * action failed inside the server). A condition is recorded in
 * queue_alert_states when raised and deleted when it clears, so it is
 * announced once per occurrence, also across instances and restarts.
 *
 * Who is connected is asked of QueuePresence (cluster-wide); the check is a
 * ClockJob, run again when presence or a counter's status changes and, in a
 * cluster, at least every heartbeat (officers lost with a dead instance).
 */
@Injectable()
export class QueueAlertsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('QueueAlerts');
  private readonly offlineMs: number;
  private readonly threshold: number;
  private readonly maxWaitMs: number;
  private readonly idleMs: number;
  /** max_wait / counter_idle keys this instance raised or found standing at start, cleared when their condition ends. */
  private readonly waitAlerts = new Set<string>();
  private firstWaitCheck = true;
  /** Active counters by id → name. */
  private readonly active = new Map<number, string>();
  /** Active counters without an officer: since when, and whether the alert went out. */
  private readonly absent = new Map<number, { since: number; alerted: boolean }>();
  /** Counters seen with an officer since this instance started (their stale alert state was cleared). */
  private readonly attended = new Set<number>();
  /** system_error conditions this instance raised, cleared when the action next succeeds. */
  private readonly failing = new Set<string>();
  /** Raise/clear of one key run in order. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly job: ClockJob;

  constructor(
    private readonly dataSource: DataSource,
    private readonly broadcaster: Broadcaster,
    private readonly clock: Clock,
    private readonly presence: QueuePresence,
    jobs: ClockJobs,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.offlineMs = QueueConfig.read(config).QUEUE_COUNTER_OFFLINE_MS;
    this.threshold = QueueConfig.read(config).QUEUE_HIGH_THRESHOLD;
    this.maxWaitMs = QueueConfig.read(config).QUEUE_MAX_WAIT_MINUTES * 60_000;
    this.idleMs = QueueConfig.read(config).QUEUE_COUNTER_IDLE_MINUTES * 60_000;
    this.job = jobs.create('queue-alerts', (now) => this.check(now), { retryMs: 5_000, maxSleepMs: config.redisUrl ? config.cluster.heartbeatMs : undefined });
  }

  async onApplicationBootstrap(): Promise<void> {
    const counters = await this.dataSource.getRepository(Counter).find({ select: { id: true, name: true, status: true } });
    for (const c of counters) if (c.status === 'active') this.active.set(c.id, c.name);
    this.unsubscribe.push(
      this.broadcaster.on('queue.counter_status_changed', (v) => this.onStatus(v)),
      this.broadcaster.on('queue.queue_changed', (s) => {
        this.onQueue(s);
        // An issue or a call moves the times max_wait and counter_idle fall due.
        void this.job.kick();
      }),
      this.broadcaster.on('queue.officer_presence', () => void this.job.kick()),
    );
    await this.job.start();
  }

  onModuleDestroy(): void {
    this.job.stop();
    for (const off of this.unsubscribe) off();
  }

  /** Resolves when the checks queued so far are done (tests). */
  idle(): Promise<void> {
    return this.job.idle();
  }

  /**
   * An action failed inside the server (not a refusal): tell the admins, once
   * until it works again. The message names the action only: what the
   * database or a driver said is logged, never sent.
   */
  systemError(action: string, counterId: number | null, err: unknown): void {
    const key = `system_error:${action}`.slice(0, 120);
    this.logger.error({ msg: `${action} failed`, counter_id: counterId, err: String((err as Error)?.message ?? err) });
    this.failing.add(key);
    this.raise(key, {
      alert_type: 'system_error',
      counter_id: counterId,
      message: `${action} failed inside the server`,
      severity: 'critical',
      timestamp: this.clock.date().toISOString(),
    });
  }

  /** The action worked: its system_error condition, if this instance raised one, clears. */
  systemRecovered(action: string): void {
    const key = `system_error:${action}`.slice(0, 120);
    if (this.failing.delete(key)) this.clear(key);
  }

  private onStatus(v: CounterStatusView): void {
    const id = v.counter_id;
    if (v.status === 'active' && !v.removed) {
      const wasActive = this.active.has(id);
      this.active.set(id, v.counter_name);
      if (!wasActive) void this.job.kick();
      return;
    }
    this.active.delete(id);
    this.absent.delete(id);
    void this.job.kick();
    this.clear(`counter_offline:${id}`);
    if (v.removed) this.clear(`high_queue:${id}`);
  }

  private onQueue(s: QueueSnapshot): void {
    const key = `high_queue:${s.counter_id}`;
    if (s.waiting_count < this.threshold) return this.clear(key);
    this.raise(key, {
      alert_type: 'high_queue',
      counter_id: s.counter_id,
      message: `${this.label(s.counter_id)} has ${s.waiting_count} tickets waiting (threshold ${this.threshold})`,
      severity: 'warning',
      timestamp: this.clock.date().toISOString(),
    });
  }

  /**
   * One run of the job: counters that got an officer clear their alert;
   * counters without one for long enough raise it. Returns when the next
   * absence falls due. `now` is when the run started, so a presence change
   * is timed from when it was noticed, not from when the query returned.
   */
  private async check(now: number): Promise<number | null> {
    const offline = await this.checkOffline(now);
    const waits = await this.checkWaits(now);
    return offline === null ? waits : waits === null ? offline : Math.min(offline, waits);
  }

  /**
   * `max_wait`: a counter's oldest waiting ticket has waited longer than
   * QUEUE_MAX_WAIT_MINUTES. `counter_idle`: an active counter with waiting
   * tickets has called nobody for QUEUE_COUNTER_IDLE_MINUTES, counted from its
   * last call, its oldest waiting ticket or its last status change, whichever
   * is latest. Each is raised once and cleared when its condition ends.
   */
  private async checkWaits(now: number): Promise<number | null> {
    const rows = await queryRows<{ counter_id: number; name: string; status: string; oldest: Date | string; last_call: Date | string | null; status_at: Date | string | null }>(
      this.dataSource.manager,
      `SELECT c.id AS counter_id, c.name, c.status, min(t.created_at) AS oldest,
              (SELECT max(x.called_at) FROM queue_tickets x WHERE x.counter_id = c.id) AS last_call,
              c.status_changed_at AS status_at
         FROM queue_tickets t JOIN queue_counters c ON ${inLineOf('c.id')}
        WHERE t.status = 'waiting'
        GROUP BY c.id, c.name, c.status, c.status_changed_at`,
    );
    const ms = (d: Date | string | null) => (d === null ? 0 : new Date(d).getTime());
    const standing = new Set<string>();
    let next: number | null = null;
    const due = (key: string, at: number, alert: () => QueueAlertEvent) => {
      if (now < at) {
        next = next === null ? at : Math.min(next, at);
        return;
      }
      standing.add(key);
      if (!this.waitAlerts.has(key)) {
        this.waitAlerts.add(key);
        this.raise(key, alert());
      }
    };
    for (const r of rows) {
      const id = Number(r.counter_id);
      const oldest = ms(r.oldest);
      due(`max_wait:${id}`, oldest + this.maxWaitMs, () => ({
        alert_type: 'max_wait',
        counter_id: id,
        message: `Counter ${id} (${r.name}) has a ticket waiting more than ${this.maxWaitMs / 60_000} min`,
        severity: 'warning',
        timestamp: new Date(now).toISOString(),
      }));
      if (r.status !== 'active') continue;
      const idleSince = Math.max(ms(r.last_call), oldest, ms(r.status_at));
      due(`counter_idle:${id}`, idleSince + this.idleMs, () => ({
        alert_type: 'counter_idle',
        counter_id: id,
        message: `Counter ${id} (${r.name}) has tickets waiting and has called nobody for ${this.idleMs / 60_000} min`,
        severity: 'warning',
        timestamp: new Date(now).toISOString(),
      }));
    }
    if (this.firstWaitCheck) {
      // Conditions raised before a restart and over since: clear what no longer stands.
      this.firstWaitCheck = false;
      const old = await queryRows<{ key: string }>(this.dataSource.manager, `SELECT key FROM queue_alert_states WHERE key LIKE 'max_wait:%' OR key LIKE 'counter_idle:%'`);
      for (const { key } of old) this.waitAlerts.add(key);
    }
    for (const key of [...this.waitAlerts]) {
      if (standing.has(key)) continue;
      this.waitAlerts.delete(key);
      this.clear(key);
    }
    return next;
  }

  private async checkOffline(now: number): Promise<number | null> {
    const staffed = await this.presence.countersWithOfficer();
    let next: number | null = null;
    for (const id of [...this.absent.keys()]) if (!this.active.has(id)) this.absent.delete(id);
    for (const id of this.active.keys()) {
      if (staffed.has(id)) {
        if (this.absent.delete(id) || !this.attended.has(id)) this.clear(`counter_offline:${id}`);
        this.attended.add(id);
        continue;
      }
      this.attended.delete(id);
      let a = this.absent.get(id);
      if (!a) this.absent.set(id, (a = { since: now, alerted: false }));
      if (a.alerted) continue;
      const due = a.since + this.offlineMs;
      if (now < due) {
        next = next === null ? due : Math.min(next, due);
        continue;
      }
      a.alerted = true;
      this.raise(`counter_offline:${id}`, {
        alert_type: 'counter_offline',
        counter_id: id,
        message: `${this.label(id)} has had no officer connected for ${Math.round(this.offlineMs / 60000) || 1} min`,
        severity: 'critical',
        timestamp: new Date(now).toISOString(),
      });
    }
    return next;
  }

  private label(counterId: number): string {
    const name = this.active.get(counterId);
    return name ? `Counter ${counterId} (${name})` : `Counter ${counterId}`;
  }

  private raise(key: string, alert: QueueAlertEvent): void {
    this.serial(key, async () => {
      const rows = await queryRows<{ key: string }>(this.dataSource.manager, 'INSERT INTO queue_alert_states (key, raised_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key', [
        key,
        new Date(this.clock.now()),
      ]);
      if (rows.length) this.broadcaster.publish('queue.alert', alert);
    });
  }

  private clear(key: string): void {
    this.serial(key, () => this.dataSource.query('DELETE FROM queue_alert_states WHERE key = $1', [key]));
  }

  private serial(key: string, work: () => Promise<unknown>): void {
    const next = (this.chains.get(key) ?? Promise.resolve()).then(work).catch((err) => this.logger.error({ msg: 'alert state update failed', key, err: String(err) }));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }
}
