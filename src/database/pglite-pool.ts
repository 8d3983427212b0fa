import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';

type PGliteType = PGlite;

/**
 * A `pg`-shaped pool over one embedded PGlite database, for TypeORM's postgres
 * driver. PGlite is a single session, so a checked-out "client" holds the whole
 * database until it is released: TypeORM runs each query runner (a plain query
 * or a whole transaction) on its own, and statements of two transactions never
 * interleave. The results are reshaped to what `pg` returns (rowCount, command).
 */
export class PGlitePool extends EventEmitter {
  private db: Promise<PGliteType> | null = null;
  private readonly waiters: Array<() => void> = [];
  private locked = false;

  constructor(private readonly dataDir: string) {
    super();
  }

  private open(): Promise<PGliteType> {
    if (!this.db) {
      this.db = (async () => {
        if (!this.dataDir.startsWith('memory://')) mkdirSync(this.dataDir, { recursive: true });
        const options = {
          dataDir: this.dataDir,
          // Keep DATE, TIMESTAMP without zone and int8 as `pg` returns them.
          parsers: {
            [types.DATE]: (v: string) => v,
            [types.INT8]: (v: string) => v,
            [types.TIMESTAMP]: (v: string) => v,
          },
        };
        return await PGlite.create(options);
      })();
    }
    return this.db;
  }

  private acquire(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }

  connect(callback?: (err: Error | null, client: unknown, done: () => void) => void): Promise<unknown> | void {
    const run = async () => {
      const db = await this.open();
      await this.acquire();
      let released = false;
      const done = () => {
        if (released) return;
        released = true;
        this.release();
      };
      const client = Object.assign(new EventEmitter(), {
        query: (sql: string, params?: unknown[]) => runQuery(db, sql, params),
        release: done,
      });
      return { client, done };
    };
    if (!callback) return run().then((r) => r.client);
    run().then(
      ({ client, done }) => callback(null, client, done),
      (err) => callback(err, null, () => undefined),
    );
  }

  async query(sql: string, params?: unknown[]): Promise<unknown> {
    const db = await this.open();
    await this.acquire();
    try {
      return await runQuery(db, sql, params);
    } finally {
      this.release();
    }
  }

  end(callback?: (err?: Error | null) => void): Promise<void> | void {
    const close = async () => {
      if (!this.db) return;
      const db = await this.db;
      this.db = null;
      await db.close();
    };
    if (!callback) return close();
    close().then(
      () => callback(null),
      (e) => callback(e),
    );
  }
}

async function runQuery(db: PGliteType, sql: string, params?: unknown[]) {
  if (params && params.length) {
    const r = await db.query(sql, params.map(toParam));
    return shape(sql, r);
  }
  const results = await db.exec(sql);
  return shape(sql, results[results.length - 1] ?? { rows: [], fields: [], affectedRows: 0 });
}

function toParam(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  return v;
}

function shape(sql: string, r: { rows: unknown[]; affectedRows?: number; fields?: unknown[] }) {
  const command = sql.trimStart().split(/\s+/, 1)[0]?.toUpperCase() ?? '';
  const rowCount = command === 'SELECT' ? r.rows.length : (r.affectedRows ?? r.rows.length);
  return { rows: r.rows, fields: r.fields ?? [], rowCount, command };
}

/** The `driver` object TypeORM's postgres driver accepts in place of `pg`. */
export function pgliteDriver(dataDir: string) {
  const pool = new PGlitePool(dataDir);
  return {
    Pool: class {
      constructor() {
        return pool;
      }
    },
  };
}
