import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { conflict } from './app-error';
import { Clock } from './clock';
import { ClockJob, ClockJobs } from './clock-job';
import { IdempotencyConfig } from './idempotency.config';

/** What the first request with a key answered. */
export interface FirstResult<T = unknown> {
  status: number | null;
  result: T;
}

interface KeyRow {
  fingerprint: string;
  state: 'pending' | 'done';
  status: number | null;
  result: string | null;
}

const HOUR_MS = 3_600_000;

/** Any JSON value with object keys sorted, so `{a, b}` and `{b, a}` are one request. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * Makes a retried write act once. Each key belongs to one principal and lives
 * IDEMPOTENCY_TTL_SECONDS in idempotency_keys; its primary key (owner, key)
 * is what keeps two concurrent requests with one key from both acting, on one
 * instance or many. Two ways to use it:
 *
 * - inside the write's own transaction (`recall` then `remember`): the key
 *   commits with the data, or neither does — chat's client_message_id and the
 *   queue's request_id;
 * - around a whole REST request (`begin`, `finish`, `abandon`): the
 *   Idempotency-Key header, see IdempotencyInterceptor.
 *
 * A key used again for a different request is a conflict, never a replay.
 */
@Injectable()
export class IdempotencyService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly ttlMs: number;
  private readonly pendingMs: number;
  private readonly prune: ClockJob;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    jobs: ClockJobs,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const c = IdempotencyConfig.read(config);
    this.ttlMs = c.IDEMPOTENCY_TTL_SECONDS * 1000;
    this.pendingMs = c.IDEMPOTENCY_PENDING_SECONDS * 1000;
    // Every instance prunes: the delete is idempotent and cheap on the expires_at index.
    this.prune = jobs.create(
      'idempotency-prune',
      async (now) => {
        await this.pruneExpired(now);
        return now + Math.min(HOUR_MS, this.ttlMs);
      },
      { retryMs: 60_000 },
    );
  }

  onApplicationBootstrap(): Promise<void> {
    return this.prune.start();
  }

  onModuleDestroy(): void {
    this.prune.stop();
  }

  /** Keys belong to whoever sent them: a user and a device never share one. */
  ownerOf(p: Pick<Principal, 'kind' | 'id'>): string {
    return `${p.kind}:${p.id}`;
  }

  /** A hash of what a request asks for, independent of the order of object keys. */
  fingerprint(...parts: unknown[]): string {
    return createHash('sha256')
      .update(JSON.stringify(canonical(parts)) ?? '')
      .digest('hex');
  }

  /**
   * In the caller's transaction: `{result}` of the first call with this key,
   * or null when this call is the first — then the caller acts and calls
   * `remember` in the same transaction. A concurrent first call holds the
   * key's row until it commits (PostgreSQL waits on the unique key; PGlite
   * runs one transaction at a time), so the second sees its result.
   */
  async recall<T>(tx: EntityManager, owner: string, key: string, fingerprint: string): Promise<{ result: T } | null> {
    const first = await this.claim(tx, owner, key, fingerprint);
    if (!first) return null;
    if (first.state === 'pending') throw inProgress();
    return { result: (first.result === null ? undefined : JSON.parse(first.result)) as T };
  }

  async remember(tx: EntityManager, owner: string, key: string, result: unknown): Promise<void> {
    await this.store(tx, owner, key, null, result);
  }

  /**
   * Outside any transaction, before a request runs: null when this request
   * holds the key now (then `finish` or `abandon` it), or the first response
   * to replay. The first still running: 409 (try again shortly).
   */
  async begin(owner: string, key: string, fingerprint: string): Promise<FirstResult | null> {
    const first = await this.claim(this.dataSource.manager, owner, key, fingerprint);
    if (!first) return null;
    if (first.state === 'pending') throw inProgress();
    return { status: first.status, result: first.result === null ? undefined : JSON.parse(first.result) };
  }

  finish(owner: string, key: string, status: number, result: unknown): Promise<void> {
    return this.store(this.dataSource.manager, owner, key, status, result);
  }

  /** The request failed and changed nothing: a retry with the key runs it again. */
  async abandon(owner: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2 AND state = 'pending'`, [owner, key]);
  }

  /** Deletes keys past their time; a key past its time counts as unused even before it goes. */
  async pruneExpired(now = this.clock.now()): Promise<number> {
    const gone: unknown[] = await this.dataSource.query(`DELETE FROM idempotency_keys WHERE expires_at <= $1 RETURNING key`, [new Date(now).toISOString()]);
    return gone.length;
  }

  /**
   * Takes the key (a new row, or one whose time is up, or one left pending by
   * a request that died) and returns null; or returns the row of the request
   * that holds it. A row deleted in between (abandoned) is claimed again.
   */
  private async claim(m: EntityManager, owner: string, key: string, fingerprint: string): Promise<KeyRow | null> {
    const now = this.clock.now();
    for (let attempt = 0; attempt < 3; attempt++) {
      const taken: unknown[] = await m.query(
        `INSERT INTO idempotency_keys (owner, key, fingerprint, state, status, result, created_at, expires_at)
         VALUES ($1, $2, $3, 'pending', NULL, NULL, $4, $5)
         ON CONFLICT (owner, key) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, state = 'pending', status = NULL, result = NULL, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
           WHERE idempotency_keys.expires_at <= $4 OR (idempotency_keys.state = 'pending' AND idempotency_keys.created_at <= $6)
         RETURNING owner`,
        [owner, key, fingerprint, new Date(now).toISOString(), new Date(now + this.ttlMs).toISOString(), new Date(now - this.pendingMs).toISOString()],
      );
      if (taken.length) return null;
      const [row]: Array<KeyRow | undefined> = await m.query(`SELECT fingerprint, state, status, result FROM idempotency_keys WHERE owner = $1 AND key = $2`, [owner, key]);
      if (!row) continue;
      if (row.fingerprint !== fingerprint) {
        throw conflict('This idempotency key was already used for a different request; use a new key for a new request', { reason: 'key_reused' });
      }
      return row;
    }
    throw inProgress();
  }

  private async store(m: EntityManager, owner: string, key: string, status: number | null, result: unknown): Promise<void> {
    await m.query(`UPDATE idempotency_keys SET state = 'done', status = $3, result = $4 WHERE owner = $1 AND key = $2`, [owner, key, status, result === undefined ? null : JSON.stringify(result)]);
  }
}

/** `details.reason` of a key whose first request is still running. */
export const IN_PROGRESS = 'in_progress';

function inProgress() {
  return conflict('A request with this idempotency key is still being processed; retry shortly', { reason: IN_PROGRESS });
}
