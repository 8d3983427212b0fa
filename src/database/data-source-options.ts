import { DataSourceOptions } from 'typeorm';
import { types as pgTypes } from 'pg';
import { pgliteDriver } from './pglite-pool';
import { AppConfig } from '../config/app-config';
import { join } from 'node:path';

// `pg` parses DATE into a local-midnight Date; a calendar date stays a string.
pgTypes.setTypeParser(1082, (v) => v);

/**
 * One data source description for the app, the CLI (`ormconfig.ts`) and tests:
 * PGlite under DATA_DIR without DATABASE_URL, that PostgreSQL server with it.
 * Entities are registered by each module through TypeOrmModule.forFeature
 * (autoLoadEntities); the CLI passes the full list itself.
 */
export function dataSourceOptions(config: Pick<AppConfig, 'database'>, entities: DataSourceOptions['entities'] = []): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations: [join(__dirname, 'migrations', '*.js')],
    migrationsRun: false,
    synchronize: false,
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
    logging: ['error' as const],
  };
  if (config.database.url) {
    return { ...common, url: config.database.url, poolSize: 10, applicationName: 'switchboard' };
  }
  return { ...common, driver: pgliteDriver(config.database.dataDir), database: 'postgres' };
}
