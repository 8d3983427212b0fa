import { Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from './clock';

/** Node cannot wait longer than this in one timer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ClockJobOptions {
  /** Longest sleep between runs even when nothing is due (a safety net for missed wake-ups). */
  maxSleepMs?: number;
  /** When a run throws, the next one comes this much later. */
  retryMs?: number;
}

/**
 * Work that runs at times computed from the injected clock: `run(now)` does
 * what is due and returns when it wants to run next (epoch ms, or null for
 * "only when kicked"). Runs never overlap; `kick()` (a change that moves the
 * next due time) and a jump of the clock run it again at once, so tests move
 * a FakeClock instead of sleeping. A failed run is logged and retried.
 */
export class ClockJob {
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private stopped = true;
  private readonly logger: Logger;
  private readonly onClockChange = () => this.kick();

  constructor(
    readonly name: string,
    private readonly run: (now: number) => Promise<number | null>,
    private readonly clock: Clock,
    private readonly registry: SchedulerRegistry,
    private readonly options: ClockJobOptions = {},
  ) {
    this.logger = new Logger(name);
  }

  /** Starts the loop with a first run now; resolves when that run is done. */
  start(): Promise<void> {
    if (!this.stopped) return this.chain;
    this.stopped = false;
    this.clock.changed.on('change', this.onClockChange);
    return this.kick();
  }

  stop(): void {
    this.stopped = true;
    this.clock.changed.off('change', this.onClockChange);
    this.clearTimer();
  }

  /** Runs again as soon as the current run (if any) is done. */
  kick(): Promise<void> {
    if (this.stopped) return this.chain;
    this.chain = this.chain.then(() => this.tick());
    return this.chain;
  }

  /** Resolves when the runs queued so far are done (tests and shutdown). */
  idle(): Promise<void> {
    return this.chain;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const now = this.clock.now();
    let next: number | null;
    try {
      next = await this.run(now);
    } catch (err) {
      this.logger.error({ msg: `${this.name} failed; retrying`, err: String((err as Error)?.message ?? err) });
      next = now + (this.options.retryMs ?? 60_000);
    }
    if (!this.stopped) this.arm(next);
  }

  private arm(next: number | null): void {
    this.clearTimer();
    const longest = Math.min(this.options.maxSleepMs ?? MAX_TIMER_MS, MAX_TIMER_MS);
    if (next === null && longest === MAX_TIMER_MS) return;
    const delay = next === null ? longest : Math.min(Math.max(next - this.clock.now(), 0), longest);
    this.timer = setTimeout(() => void this.kick(), delay);
    this.timer.unref();
    this.registry.addTimeout(this.name, this.timer);
  }

  private clearTimer(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    if (this.registry.doesExist('timeout', this.name)) this.registry.deleteTimeout(this.name);
  }
}

/** Makes clock jobs; each is visible in Nest's SchedulerRegistry under its name while it waits. */
@Injectable()
export class ClockJobs {
  constructor(
    private readonly clock: Clock,
    private readonly registry: SchedulerRegistry,
  ) {}

  create(name: string, run: (now: number) => Promise<number | null>, options?: ClockJobOptions): ClockJob {
    return new ClockJob(name, run, this.clock, this.registry, options);
  }
}
