import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

const RETRY_MS = 2000;

/**
 * Which instance runs periodic work (alerts, stats, rollovers): the one
 * holding a PostgreSQL session-level advisory lock per job name. The lock is
 * held on a dedicated connection, so when that instance dies its session ends
 * and another instance takes the job over at its next attempt (every 2 s).
 * On the embedded database there is one instance, which always leads.
 */
@Injectable()
export class Leadership implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Leadership');
  private runner: QueryRunner | null = null;
  private readonly wanted = new Set<string>();
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get embedded(): boolean {
    return !this.config.database.url;
  }

  onModuleInit(): void {
    if (this.embedded) return;
    this.timer = setInterval(() => void this.tryAcquire(), RETRY_MS);
    this.timer.unref();
  }

  /** Whether this instance currently runs the job; the first call registers interest. */
  isLeader(job: string): boolean {
    if (this.embedded) return true;
    if (!this.wanted.has(job)) {
      this.wanted.add(job);
      void this.tryAcquire();
    }
    return this.held.has(job);
  }

  private async tryAcquire(): Promise<void> {
    try {
      if (!this.runner || this.runner.isReleased) {
        this.held.clear();
        this.runner = this.dataSource.createQueryRunner('master');
        await this.runner.connect();
      }
      for (const job of this.wanted) {
        if (this.held.has(job)) continue;
        const [row] = await this.runner.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [lockKey(job)]);
        if (row?.ok === true) {
          this.held.add(job);
          this.logger.log({ msg: `this instance now runs ${job}`, job });
        }
      }
      // A broken lock connection loses every lock it held.
      await this.runner.query('SELECT 1');
    } catch (err) {
      if (this.held.size) this.logger.warn({ msg: 'lost the leadership connection', err: String(err) });
      this.held.clear();
      await this.runner?.release().catch(() => undefined);
      this.runner = null;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.held.clear();
    await this.runner?.release().catch(() => undefined);
    this.runner = null;
  }
}

function lockKey(job: string): string {
  return BigInt.asIntN(64, BigInt('0x' + createHash('sha256').update(`switchboard:${job}`).digest('hex').slice(0, 16))).toString();
}
