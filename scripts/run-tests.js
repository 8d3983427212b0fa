#!/usr/bin/env node
// Runs the compiled test files (dist/test/**/*.spec.js) with node's test runner.
// Usage: node scripts/run-tests.js [substring ...]   (only files whose path contains one)
// TEST_CONCURRENCY sets how many files run at once (default 2, the core count here).
// FUZZ_RUNS sets the cases per gateway of the fuzz files (default 10,000; 100000 for the long run).
const { spawnSync } = require('node:child_process');
const { readdirSync, statSync, existsSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..', 'dist', 'test');
if (!existsSync(root)) {
  console.error('dist/test is missing: run `npx nest build -p tsconfig.json` first (npm test does).');
  process.exit(1);
}
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.spec.js')) files.push(p);
  }
})(root);
const filters = process.argv.slice(2);
const selected = filters.length ? files.filter((f) => filters.some((s) => f.includes(s))) : files;
if (!selected.length) {
  console.error('no test files matched');
  process.exit(1);
}
// On the embedded database, build one migrated template and let every test app copy it.
const env = { ...process.env, NODE_ENV: 'test' };
let template = null;
if (!process.env.TEST_DATABASE_URL && !process.env.SB_PGLITE_TEMPLATE) {
  template = mkdtempSync(path.join(tmpdir(), 'sb-template-'));
  const made = spawnSync(process.execPath, [path.join(root, 'support', 'make-pglite-template.js'), path.join(template, 'db')], { stdio: 'inherit' });
  if (made.status !== 0) process.exit(made.status ?? 1);
  env.SB_PGLITE_TEMPLATE = path.join(template, 'db');
}
// A file's whole run must end within TEST_TIMEOUT_MS (the fuzz files take the longest: 10,000 frames each).
const args = ['--test', `--test-concurrency=${process.env.TEST_CONCURRENCY || 2}`, `--test-timeout=${process.env.TEST_TIMEOUT_MS || 600000}`];
if (process.env.TEST_REPORTER) args.push(`--test-reporter=${process.env.TEST_REPORTER}`);
const r = spawnSync(process.execPath, [...args, ...selected], { stdio: 'inherit', env });
if (template) rmSync(template, { recursive: true, force: true });
process.exit(r.status ?? 1);
