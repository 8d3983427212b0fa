#!/usr/bin/env node
// Follows docs/extending.md literally, as a new developer on a fresh clone
// would, so the guide cannot drift from the code: copies this checkout (tracked
// and untracked-but-not-ignored files) into a fresh temporary directory, links
// node_modules, then walks the guide top to bottom: each ```bash block runs
// (in its own `bash -euo pipefail`, from the copy's root) and each ```ts block
// is written to the path its first line names (`// src/lockers/x.ts`), replacing
// the file if it exists. A ```ts block without such a line fails the check: the
// guide promises whole files. Then it compiles the copy and runs the guide's
// test file only. Exits non-zero on the first failure; the copy is removed.
//
// Usage: node scripts/guides/check-extending.js   (npm run guides:extending)
// KEEP_EXTENDING_DIR=1 keeps the copy for a look after a failure.
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync, existsSync, lstatSync, symlinkSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const GUIDE = 'docs/extending.md';
/** The file the guide's test step writes, and the filter that runs it alone. */
const TEST_FILTER = 'lockers';

function run(command, args, cwd, what) {
  const started = Date.now();
  console.log(`\n[extending] ${what}`);
  const r = spawnSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
  console.log(`[extending] ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The guide's code blocks, in order: {lang, body, line}. */
function blocks(markdown) {
  const out = [];
  let current = null;
  markdown.split('\n').forEach((raw, i) => {
    const fence = /^```(\S*)\s*$/.exec(raw);
    if (fence && !current) current = { lang: fence[1], lines: [], line: i + 1 };
    else if (fence) {
      out.push({ lang: current.lang, body: current.lines.join('\n') + '\n', line: current.line });
      current = null;
    } else if (current) current.lines.push(raw);
  });
  if (current) throw new Error(`${GUIDE}:${current.line}: unterminated code block`);
  return out;
}

/** The copy: what `git clone` plus the developer's uncommitted files would give. */
function copyCheckout(dest) {
  const listed = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const from = path.join(root, file);
    if (!existsSync(from) || lstatSync(from).isDirectory()) continue; // deleted but still tracked; submodules
    mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
    copyFileSync(from, path.join(dest, file));
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
}

function main() {
  const started = Date.now();
  const work = mkdtempSync(path.join(tmpdir(), 'sb-extending-'));
  try {
    copyCheckout(work);
    console.log(`[extending] following ${GUIDE} in a fresh copy`);
    for (const b of blocks(readFileSync(path.join(root, GUIDE), 'utf8'))) {
      const where = `${GUIDE}:${b.line}`;
      if (b.lang === 'bash') run('bash', ['-euo', 'pipefail', '-c', b.body], work, `${where}: ${b.body.trim().split('\n').join(' ; ')}`);
      else if (b.lang === 'ts') {
        const target = /^\/\/ (\S+\.ts)\b/.exec(b.body);
        if (!target) throw new Error(`${where}: a ts block must be a whole file whose first line is \`// <path>\``);
        const file = path.join(work, target[1]);
        if (!file.startsWith(work + path.sep)) throw new Error(`${where}: ${target[1]} is outside the checkout`);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, b.body);
        console.log(`[extending] ${where}: wrote ${target[1]}`);
      }
    }
    // The same compile `npm test` runs, then the guide's test file alone.
    run('npx', ['tsc', '-p', 'tsconfig.json'], work, 'compile');
    run(process.execPath, ['scripts/run-tests.js', TEST_FILTER], work, `the guide's test (${TEST_FILTER})`);
    console.log(`\n[extending] ${GUIDE} passes (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  } catch (err) {
    console.error(`\n[extending] ${err.message}`);
    process.exitCode = 1;
  } finally {
    if (process.env.KEEP_EXTENDING_DIR) console.error(`[extending] kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main();
