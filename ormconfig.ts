import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadDotEnv } from './src/config/dotenv';
import { loadConfig } from './src/config/app-config';
import { dataSourceOptions } from './src/database/data-source-options';

/**
 * The TypeORM DataSource the CLI uses (`npm run migration:generate`,
 * `npm run migration:run`): the same database the app would use, with every
 * entity of the compiled app.
 */
loadDotEnv();
export default new DataSource(dataSourceOptions(loadConfig(), [join(__dirname, 'src', '**', '*.entity.js')]));
