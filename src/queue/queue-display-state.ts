import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { Broadcaster } from '../realtime/broadcaster';
import { QueueCalendar } from './queue-calendar';
import { QueueSnapshotsService } from './queue-snapshots.service';
import type { CounterStatusView, QueueSnapshot, RecentCall } from './queue.events';
import { QueueConfig } from './queue.config';

/** What a registering client is shown of one counter. */
export interface CounterView {
  queue: QueueSnapshot;
  status: CounterStatusView;
}

/** A counter as the events left it; one half may be missing until its other event arrives (a counter just created). */
interface Entry {
  queue?: QueueSnapshot;
  status?: CounterStatusView;
  /** Sequence number of the last event applied (0: from a fill). */
  touched: number;
}

const complete = (e: Entry | undefined): e is Entry & CounterView => !!e?.queue && !!e.status;

/**
 * What every queue registration shows (each counter's QUEUE_UPDATE and
 * COUNTER_STATUS_UPDATE, today's latest calls), kept in memory so a hall of
 * displays reconnecting at once costs no database query per socket.
 *
 * Counter states follow the `queue.queue_changed` and
 * `queue.counter_status_changed` events, which every instance receives and
 * which carry the state read inside the committing transaction; versions keep
 * the newest when a fill and an event cross. Recent calls are read again
 * (once, however many sockets ask) after any of those events, since the
 * events do not carry call times. A cold cache (start, a new local day) is
 * filled by one query that concurrent registrations share; after
 * QUEUE_DISPLAY_STATE_MAX_AGE_MS it is refreshed in the background, for
 * changes no event announces (a procedure's service time).
 */
@Injectable()
export class QueueDisplayState implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('QueueDisplayState');
  private readonly maxAgeMs: number;
  private readonly counters = new Map<number, Entry>();
  /** Counters deleted, by the sequence number of the deletion, so a fill that read them before does not bring them back. */
  private readonly removed = new Map<number, number>();
  private seq = 0;
  /** Local day and clock time of the last completed fill; null until one completes. */
  private filled: { day: string; at: number } | null = null;
  private filling: Promise<void> | null = null;
  private recent: { calls: RecentCall[]; seq: number; day: string } | null = null;
  private recentFill: { seq: number; day: string; calls: Promise<RecentCall[]> } | null = null;
  private readonly unsubscribe: Array<() => void> = [];
  /** Today's local date and the clock span it holds for: the time zone arithmetic runs once a day, not per registration. */
  private day = { name: '', from: 0, until: 0 };

  constructor(
    private readonly snapshots: QueueSnapshotsService,
    private readonly broadcaster: Broadcaster,
    private readonly calendar: QueueCalendar,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxAgeMs = QueueConfig.read(config).QUEUE_DISPLAY_STATE_MAX_AGE_MS;
  }

  onModuleInit(): void {
    this.unsubscribe.push(
      this.broadcaster.on('queue.queue_changed', (s) => this.applyQueue(s)),
      this.broadcaster.on('queue.counter_status_changed', (v) => this.applyStatus(v)),
    );
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe) off();
  }

  /** Every counter by id, or only `counterId` (none when it does not exist). */
  async states(counterId: number | null = null): Promise<CounterView[]> {
    await this.ensureFilled();
    if (counterId !== null) {
      const e = this.counters.get(counterId);
      return complete(e) ? [e] : [];
    }
    return [...this.counters.values()].filter(complete).sort((a, b) => a.queue.counter_id - b.queue.counter_id);
  }

  /** Today's latest calls, newest first, as QueueSnapshotsService.recentCalls reads them. */
  async recentCalls(): Promise<RecentCall[]> {
    const day = this.today();
    // A read that an event overtook is read again; bounded, so a steady stream of events cannot starve a registration.
    for (let attempt = 0; attempt < 3; attempt++) {
      const seq = this.seq;
      if (this.recent && this.recent.seq === seq && this.recent.day === day) return this.recent.calls;
      if (!this.recentFill || this.recentFill.seq !== seq || this.recentFill.day !== day) this.recentFill = { seq, day, calls: this.readRecent(seq, day) };
      const calls = await this.recentFill.calls;
      if (this.seq === seq) return calls;
    }
    return this.snapshots.recentCalls();
  }

  private today(): string {
    const now = this.clock.now();
    if (now < this.day.from || now >= this.day.until) this.day = { name: this.calendar.dayOf(now), from: now, until: this.calendar.nextMidnight(now) };
    return this.day.name;
  }

  /** Forgets everything: the next registration fills again (tests, and an operator's reset). */
  forget(): void {
    this.filled = null;
    this.recent = null;
    this.seq++;
  }

  private async readRecent(seq: number, day: string): Promise<RecentCall[]> {
    try {
      const calls = await this.snapshots.recentCalls();
      if (this.seq === seq) this.recent = { calls, seq, day };
      return calls;
    } finally {
      if (this.recentFill?.seq === seq) this.recentFill = null;
    }
  }

  private async ensureFilled(): Promise<void> {
    const now = this.clock.now();
    const fresh = this.filled && this.filled.day === this.today();
    if (fresh && now - this.filled!.at < this.maxAgeMs) return;
    const fill = (this.filling ??= this.fill().finally(() => (this.filling = null)));
    if (!fresh) return fill;
    // Still today's: serve what the events kept current while the refresh runs.
    fill.catch((err: unknown) => this.logger.warn({ msg: 'refreshing the queue display state failed', err: String(err) }));
  }

  private async fill(): Promise<void> {
    const start = this.seq;
    const day = this.today();
    const at = this.clock.now();
    const states = await this.snapshots.states();
    const read = new Map<number, Entry>(states.map((s) => [s.queue.counter_id, { queue: s.queue, status: s.status, touched: 0 }]));
    // Events applied while the query ran may be newer than what it read.
    for (const [id, e] of this.counters) {
      if (e.touched <= start) continue;
      const r = read.get(id);
      if (!r) read.set(id, e);
      else {
        if (e.queue && e.queue.version > r.queue!.version) r.queue = e.queue;
        if (e.status && e.status.version > r.status!.version) r.status = e.status;
        r.touched = e.touched;
      }
    }
    for (const [id, seq] of this.removed) if (seq > start) read.delete(id);
    this.removed.clear();
    this.counters.clear();
    for (const [id, e] of read) this.counters.set(id, e);
    this.filled = { day, at };
  }

  private applyQueue(s: QueueSnapshot): void {
    const touched = ++this.seq;
    let e = this.counters.get(s.counter_id);
    if (!e) this.counters.set(s.counter_id, (e = { touched }));
    if (e.queue && s.version < e.queue.version) return;
    e.queue = s;
    e.touched = touched;
    // COUNTER_STATUS_UPDATE's affected_tickets is the waiting count, read at the counter's latest version.
    if (e.status && s.version >= e.status.version) e.status = { ...e.status, affected_tickets: s.waiting_count, version: s.version };
  }

  private applyStatus(v: CounterStatusView): void {
    const touched = ++this.seq;
    if (v.removed) {
      this.counters.delete(v.counter_id);
      if (this.filling) this.removed.set(v.counter_id, touched);
      return;
    }
    let e = this.counters.get(v.counter_id);
    if (!e) this.counters.set(v.counter_id, (e = { touched }));
    if (e.status && v.version < e.status.version) return;
    // A status read before the counter's latest queue change shows that change's waiting count.
    e.status = e.queue && e.queue.version > v.version ? { ...v, affected_tickets: e.queue.waiting_count, version: e.queue.version } : v;
    e.touched = touched;
  }
}
