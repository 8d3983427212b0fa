import { Inject, Injectable } from '@nestjs/common';
import { isISO8601 } from 'class-validator';
import { DataSource } from 'typeorm';
import { badRequest } from '../common/app-error';
import { ChangeRequest } from '../common/changes';
import { INSTANT } from '../common/instant';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/**
 * One kind of change a list reports: SQL selecting `key` (text) and `ts`
 * (timestamptz, stamped by the database) of every change at or after
 * `since`, with its values bound through `bind`.
 */
export type ChangeSource = (bind: (value: unknown) => string, since: string) => string;

/** A page of changed keys, oldest change first, and where the next read starts. */
export interface ChangeWindow {
  keys: string[];
  as_of: string;
  /** Deletions from this time on are reported; older ones are forgotten (lists with `deleted` pass it on). */
  deleted_since: string;
  next_cursor: string | null;
  has_more: boolean;
}

/** Microseconds, so a cursor lands exactly on the row it names. */
const ISO_US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

interface Position {
  since: string;
  asOf: string;
  ts: string;
  key: string;
}

/**
 * "What changed since T" for the lists a client rebuilds from. Every change
 * carries a database timestamp (`now()`, the start of the writing
 * transaction), so a write still in flight while we read has a timestamp at
 * or after the oldest running transaction's start. `as_of` is that start (or
 * now, when nothing is running): a read from `as_of` next time sees every
 * change this one could not, at the price of seeing a few again. Pages are
 * keyset pages on (ts, key), so a row that changes between two pages is never
 * skipped; one key is reported once per page, at its latest change.
 */
@Injectable()
export class ChangeFeed {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `as_of`: the server time from which nothing can still appear that this
   * read might not see. `deleted_since`: the time from which deletions are
   * still remembered (CHANGE_FEED_RETENTION_DAYS; see ChangeFeedRetention).
   */
  async horizon(): Promise<{ as_of: string; deleted_since: string }> {
    const [row] = await this.dataSource.query<Array<{ as_of: string; deleted_since: string }>>(
      `SELECT to_char(LEAST(now(), (SELECT min(xact_start) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid())) AT TIME ZONE 'UTC', ${ISO_US}) AS as_of,
              to_char((now() - make_interval(days => $1)) AT TIME ZONE 'UTC', ${ISO_US}) AS deleted_since`,
      [this.config.changeFeed.retentionDays],
    );
    return row;
  }

  async read(req: ChangeRequest, sources: ChangeSource[]): Promise<ChangeWindow> {
    const from: Partial<Position> & { since: string } = req.cursor !== undefined ? decodePosition(req.cursor) : { since: req.since! };
    // The horizon is taken before the rows are read: whatever commits in between is either read now or after `as_of`.
    const horizon = await this.horizon();
    const asOf = from.asOf ?? horizon.as_of;
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const since = `${bind(from.since)}::timestamptz`;
    const union = sources.map((source) => source(bind, since)).join(' UNION ALL ');
    const after = from.ts !== undefined ? `WHERE (ts, key COLLATE "C") > (${bind(from.ts)}::timestamptz, ${bind(from.key)}::text COLLATE "C")` : '';
    const rows = await this.dataSource.query<Array<{ key: string; at: string }>>(
      `WITH changes AS (${union}), latest AS (SELECT key, max(ts) AS ts FROM changes GROUP BY key)
       SELECT key, to_char(ts AT TIME ZONE 'UTC', ${ISO_US}) AS at FROM latest ${after}
       ORDER BY latest.ts, key COLLATE "C" LIMIT ${bind(req.limit + 1)}`,
      params,
    );
    const hasMore = rows.length > req.limit;
    const page = rows.slice(0, req.limit);
    const last = page[page.length - 1];
    return {
      keys: page.map((r) => r.key),
      as_of: asOf,
      deleted_since: horizon.deleted_since,
      next_cursor: hasMore ? encodePosition({ since: from.since, asOf, ts: last.at, key: last.key }) : null,
      has_more: hasMore,
    };
  }

  /**
   * The page's rows in change order, and the keys with no row the reader may
   * see: deleted, or moved out of its sight.
   */
  assemble<R, K>(window: ChangeWindow, rows: R[], keyOf: (row: R) => string, deletedKey: (key: string) => K): { items: R[]; deleted: K[] } {
    const byKey = new Map(rows.map((r) => [keyOf(r), r]));
    const items: R[] = [];
    const deleted: K[] = [];
    for (const key of window.keys) {
      const row = byKey.get(key);
      if (row) items.push(row);
      else deleted.push(deletedKey(key));
    }
    return { items, deleted };
  }
}

function encodePosition(p: Position): string {
  return Buffer.from(JSON.stringify([p.since, p.asOf, p.ts, p.key])).toString('base64url');
}

function decodePosition(cursor: string): Position {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (Array.isArray(value) && value.length === 4 && value.every((v) => typeof v === 'string') && value.slice(0, 3).every((v: string) => isInstant(v)) && value[3].length <= 100) {
    const [since, asOf, ts, key] = value;
    return { since, asOf, ts, key };
  }
  throw badRequest('`cursor` is not one this server gave out: pass `next_cursor` as it came', { field: 'cursor' });
}

function isInstant(v: string): boolean {
  return isISO8601(v, { strict: true }) && INSTANT.test(v);
}
