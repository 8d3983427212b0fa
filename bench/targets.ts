import { ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectPlan } from './protocol';
import { silenceWav } from '../test/support/wav';
import { TestRedis } from '../test/support/redis-server';

export interface Target {
  readonly name: string;
  pid(): number;
  /** Every server process, when there are several (a cluster); CPU and memory are summed over them. */
  pids?(): number[];
  start(): Promise<void>;
  plan(count: number, localAddress: string): ConnectPlan;
  trigger(seq: number): Promise<void>;
  stop(): Promise<void>;
}

const keepAlive = { keepalive: true } as const;

/** The Node flags `npm start` runs Switchboard with (package.json), so the bench measures what users run. */
export const START_FLAGS: string[] = (() => {
  const start = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start;
  return start.split(/\s+/).filter((w) => w.startsWith('--'));
})();

async function post(url: string, body?: unknown, token?: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method: 'POST', headers, body: body instanceof FormData ? body : body === undefined ? undefined : JSON.stringify(body), ...keepAlive });
  if (res.status >= 300) throw new Error(`POST ${url} → ${res.status} ${await res.text()}`);
  return res;
}

function waitForMessage(child: ChildProcess, timeoutMs = 15000): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('server did not start')), timeoutMs);
    child.once('message', (m: { port: number }) => {
      clearTimeout(t);
      resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

function stopChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export type BenchGateway = 'queue' | 'bells';

/**
 * Switchboard itself, started as `npm start` would (node dist/src/main.js) on
 * a fresh embedded database (or DATABASE_URL). Fan-out: N TV displays register
 * on /ws/queue and an announcement goes to every TV through
 * POST /api/queue/announcements (or, with gateway 'bells', N bell players on
 * /ws/bells and POST /api/bells/ring). End to end: a ticket issued through
 * POST /api/queue/tickets is committed and announced to every TV.
 */
export class SwitchboardTarget implements Target {
  private child: ChildProcess | null = null;
  private base = '';
  private dataDir = '';
  private token = '';
  private deviceToken = '';
  private soundId = '';
  private counterId = 0;

  constructor(
    private readonly port: number,
    private readonly databaseUrl: string | null = null,
    readonly name: string = 'switchboard',
    private readonly gateway: BenchGateway = 'queue',
    /** Every socket opts in to reliable delivery (`recover=1`): frames carry positions. */
    readonly recover = false,
    private readonly extraEnv: Record<string, string> = {},
  ) {}

  pid(): number {
    return this.child!.pid!;
  }

  get baseUrl(): string {
    return this.base;
  }

  async metrics(): Promise<string> {
    return (await fetch(`${this.base}/metrics`)).text();
  }

  async start(): Promise<void> {
    this.dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
    const env = {
      ...process.env,
      ...(this.databaseUrl ? { DATABASE_URL: this.databaseUrl } : {}),
      NODE_ENV: 'production',
      PORT: String(this.port),
      HOST: '127.0.0.1',
      DATA_DIR: join(this.dataDir, 'db'),
      MEDIA_DIR: join(this.dataDir, 'media'),
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-42',
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD: 'bench-password',
      LOG_LEVEL: 'warn',
      JWT_ACCESS_TTL: '86400',
      WS_CONNECTIONS_PER_MINUTE_PER_IP: '1000000',
      WS_MAX_SOCKETS_PER_IP: '1000000',
      QUEUE_TTS_ENGINE: 'none',
      QUEUE_HIGH_THRESHOLD: '1000000',
      // The baseline servers send no pings; neither does Switchboard while measuring.
      WS_HEARTBEAT_MS: '3600000',
      ...this.extraEnv,
    };
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    // BENCH_SERVER: another build of Switchboard, to compare before and after a change on the same machine.
    const main = process.env.BENCH_SERVER ?? join(__dirname, '..', 'src', 'main.js');
    this.child = spawn(process.execPath, ['--expose-gc', ...START_FLAGS, ...profile, main], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    this.base = `http://127.0.0.1:${this.port}`;
    // Generous: a loaded machine may take a while to open the embedded database.
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error('Switchboard exited during start-up');
      try {
        if ((await fetch(`${this.base}/health`)).status === 200) break;
      } catch {
        /* not yet */
      }
      if (Date.now() > deadline) throw new Error('Switchboard did not become ready');
      await new Promise((r) => setTimeout(r, 200));
    }
    const login = (await (await post(`${this.base}/api/auth/login`, { email: 'admin@example.com', password: 'bench-password' })).json()) as { access_token: string };
    this.token = login.access_token;
    if (this.gateway === 'bells') {
      const form = new FormData();
      form.append('name', 'bench bell');
      form.append('file', new Blob([silenceWav(800)], { type: 'audio/wav' }), 'bell.wav');
      this.soundId = ((await (await post(`${this.base}/api/bells/sounds`, form, this.token)).json()) as { id: string }).id;
    }
    const kind = this.gateway === 'bells' ? 'player' : 'display';
    this.deviceToken = ((await (await post(`${this.base}/api/devices`, { name: `bench ${kind}s`, kind }, this.token)).json()) as { token: string }).token;
  }

  plan(count: number, localAddress: string): ConnectPlan {
    if (this.gateway === 'bells') {
      return {
        kind: 'ws',
        url: `ws://127.0.0.1:${this.port}/ws/bells?client_type=client&client_name=bench${this.recover ? '&recover=1' : ''}`,
        headers: { authorization: `Bearer ${this.deviceToken}` },
        register: JSON.stringify({ type: 'register', timestamp: new Date().toISOString(), payload: { client_type: 'client', client_name: 'bench player' } }),
        ackContains: 'connection_acknowledged',
        count,
        localAddress,
      };
    }
    return {
      kind: 'ws',
      url: `ws://127.0.0.1:${this.port}/ws/queue${this.recover ? '?recover=1' : ''}`,
      headers: { authorization: `Bearer ${this.deviceToken}` },
      register: JSON.stringify({ type: 'REGISTER_CLIENT', payload: { client_type: 'tv', client_id: 'tv-{i}', location: 'hall' } }),
      ackContains: 'CONNECTION_ACK',
      count,
      localAddress,
    };
  }

  /** The plan for the end-to-end phase: TVs count TICKET_CREATED frames by ticket number (number 1 is issued before measuring). */
  ticketPlan(count: number, localAddress: string): ConnectPlan {
    return { ...this.plan(count, localAddress), countOnly: 'TICKET_CREATED', seqMarker: '"ticket_number":', seqOffset: -2 };
  }

  async trigger(seq: number): Promise<void> {
    if (this.gateway === 'bells') await post(`${this.base}/api/bells/ring`, { sound_id: this.soundId, name: `bench ${seq}` }, this.token);
    else await post(`${this.base}/api/queue/announcements`, { message: `bench ${seq}`, priority: 'low', target_displays: [] }, this.token);
  }

  /**
   * A hall for the reconnect storm: `counters` counters with waiting tickets
   * and one call each, so every registration's snapshot has something in it.
   */
  async prepareHall(counters: number, ticketsPerCounter: number): Promise<void> {
    for (let c = 0; c < counters; c++) {
      const id = ((await (await post(`${this.base}/api/queue/counters`, { name: `Storm counter ${c + 1}`, status: 'active' }, this.token)).json()) as { id: number }).id;
      for (let k = 0; k < ticketsPerCounter; k++) await post(`${this.base}/api/queue/tickets`, { counter_id: id }, this.token);
      await post(`${this.base}/api/queue/counters/${id}/call-next`, {}, this.token);
    }
  }

  /** `n` display devices, each with its own token (created `parallel` at a time). */
  async displayTokens(n: number, parallel = 16): Promise<string[]> {
    const tokens: string[] = [];
    for (let i = 0; i < n; i += parallel) {
      const batch = Array.from({ length: Math.min(parallel, n - i) }, async (_, j) => {
        const r = await post(`${this.base}/api/devices`, { name: `storm display ${i + j + 1}`, kind: 'display' }, this.token);
        return ((await r.json()) as { token: string }).token;
      });
      tokens.push(...(await Promise.all(batch)));
    }
    return tokens;
  }

  /** A committed action: one ticket at the bench counter; returns its number. */
  async issueTicket(): Promise<number> {
    if (!this.counterId) {
      this.counterId = ((await (await post(`${this.base}/api/queue/counters`, { name: 'Bench counter', status: 'active' }, this.token)).json()) as { id: number }).id;
    }
    return ((await (await post(`${this.base}/api/queue/tickets`, { counter_id: this.counterId }, this.token)).json()) as { ticket_number: number }).ticket_number;
  }

  async stop(): Promise<void> {
    await stopChild(this.child);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** A bench server script forked from dist/bench (bare ws or Socket.IO). */
export class ScriptTarget implements Target {
  private child: ChildProcess | null = null;
  private port = 0;

  constructor(
    readonly name: 'bare-ws' | 'socket.io',
    private readonly script: string,
  ) {}

  pid(): number {
    return this.child!.pid!;
  }

  async start(): Promise<void> {
    this.child = fork(join(__dirname, this.script), { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.port = (await waitForMessage(this.child)).port;
  }

  plan(count: number, localAddress: string): ConnectPlan {
    if (this.name === 'socket.io') return { kind: 'socketio', url: `http://127.0.0.1:${this.port}`, event: 'bell_triggered', count, localAddress };
    return {
      kind: 'ws',
      url: `ws://127.0.0.1:${this.port}/`,
      register: JSON.stringify({ type: 'register', payload: { client_type: 'client' } }),
      ackContains: 'connection_acknowledged',
      count,
      localAddress,
    };
  }

  async trigger(): Promise<void> {
    await post(`http://127.0.0.1:${this.port}/broadcast`);
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}

/**
 * Cluster mode: two Switchboard instances on one PostgreSQL (BENCH_DATABASE_URL,
 * a fresh database) and a private Redis, sockets spread over both, broadcasts
 * triggered through the first; every socket opted in to reliable delivery when
 * `recover` (the log is then in Redis Streams).
 */
export class ClusterTarget implements Target {
  private redis: TestRedis | null = null;
  private nodes: SwitchboardTarget[] = [];

  constructor(
    readonly name: string,
    private readonly basePort: number,
    private readonly databaseUrl: string,
    private readonly recover: boolean,
  ) {}

  pid(): number {
    return this.nodes[0].pid();
  }

  pids(): number[] {
    return this.nodes.map((n) => n.pid());
  }

  async start(): Promise<void> {
    this.redis = await TestRedis.start();
    for (let i = 0; i < 2; i++) {
      const node = new SwitchboardTarget(this.basePort + i, this.databaseUrl, this.name, 'queue', this.recover, { REDIS_URL: this.redis.url, INSTANCE_ID: `bench-${i}` });
      await node.start();
      this.nodes.push(node);
    }
  }

  /** Workers alternate between the two instances (by the last digit of their local address). */
  plan(count: number, localAddress: string): ConnectPlan {
    return this.nodes[Number(localAddress.split('.').pop()) % 2].plan(count, localAddress);
  }

  trigger(seq: number): Promise<void> {
    return this.nodes[0].trigger(seq);
  }

  async stop(): Promise<void> {
    for (const n of this.nodes) await n.stop();
    this.nodes = [];
    await this.redis?.stopProcess();
  }
}
