#!/usr/bin/env node
// Runs the guides literally, as a new user would: starts the built server
// (`npm run build` first) on a fresh embedded database at PORT 3000, then runs
// every ```bash block of README.md and of each guide it links to, in the
// README's order, each guide in one bash session (`set -euo pipefail`), against
// that one server. The guides talk to sockets with `wscat -c URL`, followed by
// `> ` lines (what the user types) and `< ` lines (what the server answers).
// Here a small client stands in for wscat: it sends the `> ` lines (expanded by
// bash, so `$CONVERSATION` works) in their order among the `< ` lines, and the
// guide passes only if every `< ` line is matched, in order, by a received frame
// of the same shape (same keys; same value for type-like fields; examples such
// as ids and times may differ). See socket.js.
//
// Usage: node scripts/guides/run-guides.js [guide-substring ...]
// GUIDES_EXPECT_TIMEOUT_MS: how long to wait for the frames a guide expects
// (default 180000: the bells guide waits for a bell two minutes ahead).
const { spawn, spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync, mkdirSync, symlinkSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const PORT = 3000;
const BASE = `http://localhost:${PORT}`;
const EXPECT_TIMEOUT_MS = Number(process.env.GUIDES_EXPECT_TIMEOUT_MS || 180_000);
const SOCKET_JS = path.join(__dirname, 'socket.js');

/** References, not walk-throughs: their commands need a checkout, a second machine or minutes of benchmark. */
const NOT_GUIDES = new Set(['docs/architecture.md', 'docs/performance.md', 'docs/extending.md', 'docs/deploy.md', 'docs/reliability.md']);

function guideOrder() {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const linked = [...readme.matchAll(/\]\((docs\/[a-z0-9-]+\.md)\)/g)].map((m) => m[1]);
  return ['README.md', ...new Set(linked)].filter((g) => !NOT_GUIDES.has(g) && existsSync(path.join(root, g)));
}

/** The guide as a bash script, with wscat sessions replaced by socket.js and their expectations collected. */
function compile(markdown, tmp) {
  const lines = markdown.split('\n');
  const out = ['set -euo pipefail', `cd "${tmp}/work"`];
  const sockets = [];
  let inBlock = false;
  let runnable = false;
  let current = null;
  let previous = '';
  for (const raw of lines) {
    if (raw.trim() && !/^```/.test(raw)) previous = inBlock ? previous : raw;
    const fence = /^```(\w*)/.exec(raw);
    if (fence) {
      if (!inBlock) {
        inBlock = true;
        // `<!-- guides: skip -->` before a block: it needs what one shared server cannot give (a restart with other settings).
        runnable = ['bash', 'sh', 'shell', 'console'].includes(fence[1]) && !/<!-- guides: skip/.test(previous);
      } else inBlock = false;
      continue;
    }
    if (!inBlock) continue;
    // A transcript may sit in its own block (```text) after the command that opened the socket.
    if (!runnable && !/^[<>] [{[]/.test(raw)) continue;
    let line = raw.replace(/^\$ /, '');
    if (/^[<>] /.test(line)) {
      if (current) current.transcript.push(line);
      if (current && line[0] === '<') current.expect.push(line.slice(2));
      continue;
    }
    // The server is already running, built from this checkout; tests and the benchmark run elsewhere in CI.
    if (/^\s*npm /.test(line)) continue;
    const ws = /^(\s*)(?:npx )?wscat (.*?)(\s+#.*)?$/.exec(line);
    if (ws) {
      current = { id: sockets.length, transcript: [], expect: [], line: raw.trim() };
      sockets.push(current);
      const dir = `${tmp}/sockets/${current.id}`;
      // The transcript is written when the guide reaches this line, so bash expands the variables in it.
      out.push(`cat > "${dir}.transcript" <<__SWITCHBOARD_TRANSCRIPT__`, `__TRANSCRIPT_${current.id}__`, '__SWITCHBOARD_TRANSCRIPT__');
      out.push(`${ws[1]}node "${SOCKET_JS}" "${dir}.out" "${dir}.transcript" ${ws[2]} </dev/null >/dev/null 2>&1 &`);
      out.push(`for _i in $(seq 100); do [ -s "${dir}.out" ] && break; sleep 0.1; done`);
      continue;
    }
    out.push(line);
  }
  let script = out.join('\n') + '\n';
  for (const s of sockets) script = script.replace(`__TRANSCRIPT_${s.id}__`, s.transcript.join('\n'));
  return { script, sockets };
}

function received(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** How many of the socket's expected frames came, in order (socket.js matches them and logs each). */
function progress(file) {
  return received(file).filter((e) => 'met' in e).length;
}

async function waitForServer(server) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      const r = await fetch(`${BASE}/health`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not become healthy within 120 s');
}

async function main() {
  const filters = process.argv.slice(2);
  const guides = guideOrder().filter((g) => !filters.length || filters.some((f) => g.includes(f)));
  const tmp = mkdtempSync(path.join(tmpdir(), 'sb-guides-'));
  mkdirSync(`${tmp}/work`);
  // Guides run from a scratch directory; what they run from the checkout (`node examples/…`) is linked in, as a clone has it.
  symlinkSync(path.join(root, 'examples'), `${tmp}/work/examples`);
  mkdirSync(`${tmp}/sockets`);
  const env = { ...process.env, PORT: String(PORT), NODE_ENV: 'development', DATA_DIR: `${tmp}/data`, MEDIA_DIR: `${tmp}/media`, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.PUBLIC_URL;
  const server = spawn(process.execPath, [path.join(root, 'dist', 'src', 'main.js')], { cwd: tmp, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const failures = [];
  try {
    await waitForServer(server);
    for (const guide of guides) {
      const started = Date.now();
      rmSync(`${tmp}/sockets`, { recursive: true, force: true });
      mkdirSync(`${tmp}/sockets`);
      const { script, sockets } = compile(readFileSync(path.join(root, guide), 'utf8'), tmp);
      if (!script.trim().split('\n').slice(2).join('').trim()) continue;
      writeFileSync(`${tmp}/guide.sh`, script);
      const run = spawnSync('bash', ['-x', `${tmp}/guide.sh`], { encoding: 'utf8', env: { ...process.env, PS4: '+ ' }, timeout: 300_000 });
      const trace = run.stderr ?? '';
      const problems = [];
      if (run.status !== 0) problems.push(`bash exited with ${run.status ?? run.signal}`);
      if (/"statusCode":\s*5\d\d/.test(run.stdout)) problems.push('a request answered 5xx');
      const blind = trace.split('\n').filter((l) => l.startsWith('+') && /(\/|=|")undefined\b/.test(l));
      if (blind.length) problems.push(`a command used a value that was never captured: ${blind[0]}`);
      // Frames may still be on their way (a bell rings minutes after it is scheduled).
      const deadline = Date.now() + EXPECT_TIMEOUT_MS;
      for (const s of sockets) {
        const file = `${tmp}/sockets/${s.id}.out`;
        while (progress(file) < s.expect.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
        const met = progress(file);
        if (met < s.expect.length) {
          problems.push(
            `${s.line}: expected frame ${met + 1} of ${s.expect.length} never came:\n      ${s.expect[met]}\n    received:\n      ${received(file)
              .map((e) => JSON.stringify(e))
              .join('\n      ')}`,
          );
        }
      }
      spawnSync('pkill', ['-f', SOCKET_JS]);
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (problems.length) {
        failures.push(guide);
        console.log(`not ok - ${guide} (${secs} s)`);
        for (const p of problems) console.log(`    ${p}`);
        console.log(
          '    --- output ---\n' +
            (run.stdout ?? '')
              .split('\n')
              .slice(-30)
              .map((l) => '    ' + l)
              .join('\n'),
        );
        console.log(
          '    --- trace ---\n' +
            trace
              .split('\n')
              .slice(-30)
              .map((l) => '    ' + l)
              .join('\n'),
        );
      } else console.log(`ok - ${guide} (${secs} s, ${sockets.length} sockets, ${sockets.reduce((n, s) => n + s.expect.length, 0)} frames checked)`);
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${guides.length - failures.length} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
