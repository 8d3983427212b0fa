import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';
import { runMigrations } from './migrate';
import { UnitOfWork } from './unit-of-work';
import { Leadership } from './leadership';
import { ChangeFeed } from './change-feed';
import { ChangeFeedRetention } from './change-feed-retention.service';

/**
 * PGlite under DATA_DIR, or PostgreSQL at DATABASE_URL. The schema comes from
 * migrations only, run here before any module touches the database.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config), autoLoadEntities: true }),
      dataSourceFactory: async (options?: DataSourceOptions) => {
        const logger = new Logger('Database');
        const dataSource = await new DataSource(options!).initialize();
        const applied = await runMigrations(dataSource);
        if (applied.length) logger.log({ msg: `applied ${applied.length} migration(s)`, migrations: applied });
        return dataSource;
      },
    }),
  ],
  providers: [UnitOfWork, Leadership, ChangeFeed, ChangeFeedRetention],
  exports: [UnitOfWork, Leadership, ChangeFeed],
})
export class DatabaseModule {}
