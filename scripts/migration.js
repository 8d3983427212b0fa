#!/usr/bin/env node
// `npm run migration:generate -- <Name>` writes src/database/migrations/<timestamp>-<Name>.ts
// with the SQL that brings the database to the entities; `npm run migration:run`
// applies pending migrations. Both use ormconfig.ts, so DATABASE_URL picks
// PostgreSQL and its absence the embedded PGlite under DATA_DIR (stop the app
// first: PGlite allows one process at a time).
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const [command, name] = process.argv.slice(2);
const cli = require.resolve('typeorm/cli.js');
const ds = path.join(__dirname, '..', 'dist', 'ormconfig.js');
let args;
if (command === 'generate') {
  if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
    console.error('usage: npm run migration:generate -- <Name>   (letters and digits)');
    process.exit(2);
  }
  args = ['migration:generate', '-d', ds, '-p', path.join('src', 'database', 'migrations', name)];
} else if (command === 'run') {
  args = ['migration:run', '-d', ds];
} else {
  console.error('usage: node scripts/migration.js generate <Name> | run');
  process.exit(2);
}
const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
