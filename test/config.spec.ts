import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config/app-config';
import { QueueConfig } from '../src/queue/queue.config';
import { BellsConfig } from '../src/bells/bells.config';

describe('configuration', () => {
  it('parses the defaults into a typed object', () => {
    const c = loadConfig({});
    assert.equal(c.http.port, 3000);
    assert.equal(c.database.url, null);
    assert.equal(c.database.dataDir, './data');
    assert.equal(c.ws.paths.bells, '/ws/bells');
    assert.equal(c.ws.paths.dashboard, '/ws/dashboard/:sessionId');
    assert.equal(c.ws.maxFrameBytes, 65536);
    assert.equal(c.auth.accessTtlSeconds, 900);
  });

  it('takes values from the environment, including gateway paths', () => {
    const c = loadConfig({ PORT: '8080', WS_PATH_BELLS: '/ws', ALLOWED_ORIGINS: 'https://a.example, https://b.example', WS_PER_MESSAGE_DEFLATE: 'true' });
    assert.equal(c.http.port, 8080);
    assert.equal(c.ws.paths.bells, '/ws');
    assert.deepEqual(c.http.allowedOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(c.ws.perMessageDeflate, true);
  });

  it('names every bad variable in one error', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', WS_HEARTBEAT_MS: '-5', TRUST_PROXY: 'maybe', JWT_SECRET: 'short', LOG_LEVEL: 'loud', WS_PATH_QUEUE: 'ws/queue' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        for (const name of ['PORT', 'DATABASE_URL', 'WS_HEARTBEAT_MS', 'TRUST_PROXY', 'JWT_SECRET', 'LOG_LEVEL', 'WS_PATH_QUEUE']) {
          assert.ok(
            err.problems.some((p) => p.startsWith(name)),
            `${name} is named: ${err.problems.join(' | ')}`,
          );
        }
        return true;
      },
    );
  });

  it('requires a JWT secret in production and never takes the once-published one', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /JWT_SECRET is required in production/);
    assert.throws(() => loadConfig({ JWT_SECRET: 'dev-only-secret-change-me-0123456789' }), /once published/);
    assert.equal(loadConfig({}).auth.jwtSecret, '', 'unset outside production: made at start-up');
  });

  it('stops start-up with a message naming the bad variables', async () => {
    const main = join(__dirname, '..', 'src', 'main.js');
    const child = spawn(process.execPath, [main], {
      env: { PATH: process.env.PATH, PORT: 'x', WS_MAX_FRAME_BYTES: 'big', QUEUE_HIGH_THRESHOLD: 'many', BELLS_TIMEZONE: 'Mars/Olympus', DATA_DIR: 'memory://' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('start-up did not stop'));
      }, 20_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.equal(code, 1);
    assert.match(stderr, /PORT must be a whole number/);
    assert.match(stderr, /WS_MAX_FRAME_BYTES must be a whole number/);
    assert.match(stderr, /QUEUE_HIGH_THRESHOLD must be a whole number/, 'a domain variable stops start-up like a core one');
    assert.match(stderr, /BELLS_TIMEZONE must be an IANA time zone/);
  });

  it('gives each domain its variables as a typed object', () => {
    const config = loadConfig({ QUEUE_HIGH_THRESHOLD: '7', QUEUE_TTS_ENGINE: 'none', BELLS_TIMEZONE: 'Europe/Berlin' });
    const queue = QueueConfig.read(config);
    const threshold: number = queue.QUEUE_HIGH_THRESHOLD;
    const engine: 'auto' | 'espeak' | 'none' = queue.QUEUE_TTS_ENGINE;
    assert.equal(threshold, 7);
    assert.equal(engine, 'none');
    assert.equal(queue.QUEUE_STATS_INTERVAL_MS, 30_000, 'defaults are parsed too');
    assert.equal(BellsConfig.read(config).BELLS_TIMEZONE, 'Europe/Berlin');
    // @ts-expect-error a misspelt variable does not compile
    assert.equal(queue.QUEUE_HIGH_TRESHOLD, undefined);
    // @ts-expect-error nor does naming it in an option
    QueueConfig.key('QUEUE_HIGH_TRESHOLD');
  });
});
