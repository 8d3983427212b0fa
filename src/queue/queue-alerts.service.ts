import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { plainText } from '../common/plain-text';
import { Broadcaster } from '../realtime/broadcaster';
import type { CounterStatusView, QueueAlertEvent, QueueSnapshot } from './queue.events';
import { queryRows } from './queue-sql';
import { ClusterState } from '../realtime/cluster/cluster-state';
import { QueueConfig } from './queue.config';

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * SYSTEM_ALERTs: `counter_offline` (an active counter without an officer
 * socket for QUEUE_COUNTER_OFFLINE_MS, timed by the injected clock),
 * `high_queue` (waiting count at QUEUE_HIGH_THRESHOLD) and `system_error` (an
 * action failed inside the server). A condition is recorded in
 * queue_alert_states when raised and deleted when it clears, so it is
 * announced once per occurrence, also across instances and restarts.
 *
 * Officer sockets are announced by whichever instance holds them
 * (`queue.officer_presence`), so every instance knows every officer; in a
 * cluster the list is also reconciled with the cluster's client directory, so
 * officers lost with a dead instance count as gone.
 */
@Injectable()
export class QueueAlertsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('QueueAlerts');
  private readonly offlineMs: number;
  private readonly threshold: number;
  /** Officer connections per counter, on this instance. */
  private readonly officers = new Map<number, Set<string>>();
  /** Active counters by id → name. */
  private readonly active = new Map<number, string>();
  /** Active counters without an officer and not yet alerted: since when. */
  private readonly absentSince = new Map<number, number>();
  /** system_error conditions this instance raised, cleared when the action next succeeds. */
  private readonly failing = new Set<string>();
  /** Raise/clear of one key run in order. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private timer: NodeJS.Timeout | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private readonly onClockChange = () => this.check();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly broadcaster: Broadcaster,
    private readonly clock: Clock,
    private readonly cluster: ClusterState,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.offlineMs = QueueConfig.read(config).QUEUE_COUNTER_OFFLINE_MS;
    this.threshold = QueueConfig.read(config).QUEUE_HIGH_THRESHOLD;
  }

  async onApplicationBootstrap(): Promise<void> {
    const counters: Array<{ id: number; name: string; status: string }> = await this.dataSource.query('SELECT id, name, status FROM queue_counters');
    const now = this.clock.now();
    for (const c of counters) {
      if (c.status !== 'active') continue;
      this.active.set(c.id, c.name);
      if (!this.officers.get(c.id)?.size) this.absentSince.set(c.id, now);
    }
    this.unsubscribe.push(
      this.broadcaster.on('queue.counter_status_changed', (v) => this.onStatus(v)),
      this.broadcaster.on('queue.queue_changed', (s) => this.onQueue(s)),
      this.broadcaster.on('queue.officer_presence', (e) => (e.online ? this.officerOnline(e.counter_id, e.connection_id) : this.officerOffline(e.counter_id, e.connection_id))),
    );
    if (this.config.redisUrl) {
      this.reconcileTimer = setInterval(() => void this.reconcile(), this.config.cluster.heartbeatMs);
      this.reconcileTimer.unref();
    }
    this.clock.changed.on('change', this.onClockChange);
    this.check();
  }

  /** Officers whose instance died: the cluster directory no longer lists them. */
  private async reconcile(): Promise<void> {
    try {
      const listed = new Set((await this.cluster.clients('queue')).filter((c) => c.client_type === 'officer').map((c) => `${c.counter_id}`));
      for (const [counterId, set] of [...this.officers]) {
        if (set.size && !listed.has(String(counterId))) for (const id of [...set]) this.officerOffline(counterId, id);
      }
    } catch (err) {
      this.logger.debug({ msg: 'officer reconcile failed', err: String(err) });
    }
  }

  onModuleDestroy(): void {
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.clock.changed.off('change', this.onClockChange);
    for (const off of this.unsubscribe) off();
  }

  private officerOnline(counterId: number, connectionId: string): void {
    let set = this.officers.get(counterId);
    if (!set) this.officers.set(counterId, (set = new Set()));
    set.add(connectionId);
    this.absentSince.delete(counterId);
    this.clear(`counter_offline:${counterId}`);
  }

  private officerOffline(counterId: number, connectionId: string): void {
    const set = this.officers.get(counterId);
    set?.delete(connectionId);
    if (set?.size) return;
    this.officers.delete(counterId);
    if (this.active.has(counterId)) {
      this.absentSince.set(counterId, this.clock.now());
      this.check();
    }
  }

  /** An action failed inside the server (not a refusal): tell the admins, once until it works again. */
  systemError(action: string, counterId: number | null, err: unknown): void {
    const key = `system_error:${action}`.slice(0, 120);
    this.failing.add(key);
    const detail = plainText(err instanceof Error ? err.message : String(err), 200);
    this.raise(key, {
      alert_type: 'system_error',
      counter_id: counterId,
      message: `${action} failed inside the server${detail ? `: ${detail}` : ''}`,
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
      if (!wasActive && !this.officers.get(id)?.size) {
        this.absentSince.set(id, this.clock.now());
        this.check();
      }
      return;
    }
    this.active.delete(id);
    this.absentSince.delete(id);
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

  /** Raises counter_offline for counters whose officer has been gone long enough, and times the next check. */
  private check(): void {
    const now = this.clock.now();
    let next = Infinity;
    for (const [id, since] of this.absentSince) {
      const due = since + this.offlineMs;
      if (now < due) {
        next = Math.min(next, due);
        continue;
      }
      this.absentSince.delete(id);
      this.raise(`counter_offline:${id}`, {
        alert_type: 'counter_offline',
        counter_id: id,
        message: `${this.label(id)} has had no officer connected for ${Math.round(this.offlineMs / 60000) || 1} min`,
        severity: 'critical',
        timestamp: new Date(now).toISOString(),
      });
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (next !== Infinity) {
      this.timer = setTimeout(() => this.check(), Math.min(Math.max(next - now, 0), MAX_TIMER_MS));
      this.timer.unref();
    }
  }

  private label(counterId: number): string {
    const name = this.active.get(counterId);
    return name ? `Counter ${counterId} (${name})` : `Counter ${counterId}`;
  }

  private raise(key: string, alert: QueueAlertEvent): void {
    this.serial(key, async () => {
      const rows = await queryRows(this.dataSource.manager, 'INSERT INTO queue_alert_states (key, raised_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key', [key, new Date(this.clock.now())]);
      if (rows.length) this.broadcaster.publish('queue.alert', alert);
    });
  }

  private clear(key: string): void {
    this.serial(key, () => this.dataSource.query('DELETE FROM queue_alert_states WHERE key = $1', [key]));
  }

  private serial(key: string, work: () => Promise<unknown>): void {
    const next = (this.chains.get(key) ?? Promise.resolve())
      .then(work)
      .catch((err) => this.logger.error({ msg: 'alert state update failed', key, err: String(err) }));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }
}
