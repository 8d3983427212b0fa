import 'reflect-metadata';
import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createApp } from '../../src/bootstrap';
import { AppConfig } from '../../src/config/app-config';
import { JsonLogger } from '../../src/common/logger';
import { FakeClock } from './fake-clock';
import { ConnectOptions, TestSocket } from './ws-client';

export const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' };

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  name: string;
  role: string;
  token: string;
  refreshToken: string;
}

export interface TestDevice {
  id: string;
  name: string;
  kind: string;
  token: string;
}

export interface StartOptions {
  env?: Record<string, string>;
  modules?: Array<Type | DynamicModule>;
  clock?: FakeClock;
  /** Reuse a database of an earlier app (restart tests). */
  database?: TestDatabase;
}

/** An isolated database: a fresh PGlite directory, or a fresh database on TEST_DATABASE_URL's server. */
export class TestDatabase {
  private constructor(
    readonly env: Record<string, string>,
    private readonly drop: () => Promise<void>,
  ) {}

  static async create(): Promise<TestDatabase> {
    const server = process.env.TEST_DATABASE_URL;
    if (server) {
      const name = `sb_test_${randomBytes(6).toString('hex')}`;
      const admin = new Client({ connectionString: server });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(server);
      url.pathname = `/${name}`;
      return new TestDatabase({ DATABASE_URL: url.toString() }, async () => {
        const c = new Client({ connectionString: server });
        await c.connect();
        try {
          for (let attempt = 1; ; attempt++) {
            try {
              await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
              return;
            } catch (err) {
              // A backend the test role may not terminate (a superuser's, such as autovacuum on the new database) holds it
              // for a moment. A failed teardown hook makes node:test cancel the whole file, so retry, then leave the
              // database behind: the test server is thrown away after the run.
              if (attempt === 30) return void console.warn(`could not drop ${name}: ${String(err)}`);
              await new Promise((r) => setTimeout(r, 100));
            }
          }
        } finally {
          await c.end();
        }
      });
    }
    const dir = mkdtempSync(join(tmpdir(), 'sb-test-'));
    // A migrated template made once per run (scripts/run-tests.js) saves initdb per app.
    const template = process.env.SB_PGLITE_TEMPLATE;
    if (template) cpSync(template, join(dir, 'db'), { recursive: true });
    return new TestDatabase({ DATA_DIR: join(dir, 'db') }, async () => rmSync(dir, { recursive: true, force: true }));
  }

  destroy(): Promise<void> {
    return this.drop();
  }
}

/**
 * The real application on a free port, on PGlite (or PostgreSQL when
 * TEST_DATABASE_URL is set), with a fake clock and helpers that speak REST
 * and open real sockets.
 */
export class TestApp {
  readonly logs: string[] = [];
  private ownsDatabase = false;
  private mediaDir = '';
  app!: INestApplication;
  config!: AppConfig;
  baseUrl = '';
  adminToken = '';
  private sockets: TestSocket[] = [];

  constructor(
    readonly clock: FakeClock,
    readonly database: TestDatabase,
  ) {}

  static async start(options: StartOptions = {}): Promise<TestApp> {
    const database = options.database ?? (await TestDatabase.create());
    const t = new TestApp(options.clock ?? new FakeClock(), database);
    t.ownsDatabase = !options.database;
    t.mediaDir = mkdtempSync(join(tmpdir(), 'sb-media-'));
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'http://127.0.0.1:3000',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      PASSWORD_SCRYPT_COST: '1024',
      MEDIA_DIR: t.mediaDir,
      LOG_LEVEL: 'info',
      WS_SHUTDOWN_GRACE_MS: '1000',
      ...database.env,
      ...options.env,
    };
    const logger = new JsonLogger('debug', (line) => t.logs.push(line));
    const { app, config } = await createApp({ env, clock: t.clock, modules: options.modules, logger });
    t.app = app;
    t.config = config;
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    t.baseUrl = `http://127.0.0.1:${address.port}`;
    t.adminToken = (await t.login(ADMIN.email, ADMIN.password)).access_token;
    return t;
  }

  get wsBase(): string {
    return this.baseUrl.replace(/^http/, 'ws');
  }

  async http<T = any>(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | FormData | undefined;
    if (options.body instanceof FormData) body = options.body;
    else if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  async login(email: string, password: string): Promise<{ access_token: string; refresh_token: string; user: { id: string } }> {
    const r = await this.http('POST', '/api/auth/login', { body: { email, password } });
    if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  private seq = 0;
  async newUser(fields: { role?: string; name?: string; email?: string } = {}): Promise<TestUser> {
    const n = ++this.seq;
    const role = fields.role ?? 'member';
    const user = { email: fields.email ?? `${role}${n}-${randomBytes(3).toString('hex')}@example.com`, password: 'password-' + n + '-xyz', name: fields.name ?? `${role} ${n}`, role };
    const r = await this.http('POST', '/api/users', { token: this.adminToken, body: user });
    if (r.status !== 201) throw new Error(`creating user failed: ${r.status} ${JSON.stringify(r.body)}`);
    const tokens = await this.login(user.email, user.password);
    return { ...user, id: r.body.id, token: tokens.access_token, refreshToken: tokens.refresh_token };
  }

  async newDevice(fields: { kind?: string; name?: string; counter_id?: number; location?: string } = {}): Promise<TestDevice> {
    const n = ++this.seq;
    const body = {
      kind: fields.kind ?? 'display',
      name: fields.name ?? `device ${n}`,
      ...(fields.counter_id ? { counter_id: fields.counter_id } : {}),
      ...(fields.location ? { location: fields.location } : {}),
    };
    const r = await this.http('POST', '/api/devices', { token: this.adminToken, body });
    if (r.status !== 201) throw new Error(`creating device failed: ${r.status} ${JSON.stringify(r.body)}`);
    return { id: r.body.id, name: r.body.name, kind: r.body.kind, token: r.body.token };
  }

  /** Opens a socket on this app; closed automatically when the app stops. */
  async socket(path: string, options: ConnectOptions & { token?: string } = {}): Promise<TestSocket> {
    const headers = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const s = await TestSocket.open(this.wsBase + path, { ...options, headers });
    this.sockets.push(s);
    return s;
  }

  get<T>(type: Type<T>): T {
    return this.app.get(type);
  }

  /** Stops the app; keeps the database when `keepDatabase` (for a restart). */
  async stop(options: { keepDatabase?: boolean } = {}): Promise<void> {
    for (const s of this.sockets) s.close();
    // Bounded by a timer that keeps the process alive: a shutdown that hangs on work with no open handle
    // fails here with a reason, instead of the runner finding an empty event loop and cancelling the file.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.app.close(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('the app did not stop within 30 s')), 30_000)))]).finally(() => clearTimeout(timer));
    rmSync(this.mediaDir, { recursive: true, force: true });
    if (this.ownsDatabase && !options.keepDatabase) await this.database.destroy();
  }
}
