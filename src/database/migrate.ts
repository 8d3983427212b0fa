import { DataSource, MigrationExecutor } from 'typeorm';

/** An arbitrary constant shared by every instance: migrations run one instance at a time. */
const MIGRATION_LOCK = 727_001;

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock on one
 * connection, so instances starting together do not race; each migration in
 * its own transaction.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner('master');
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const done = await executor.executePendingMigrations();
      return done.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
