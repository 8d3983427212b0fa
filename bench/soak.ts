/**
 * `npm run soak`: many sockets with churn while broadcasts flow, then checks
 * that the server gives everything back. Not part of CI (minutes, a quiet
 * machine). Loopback only; stops by itself.
 *
 * Half the sockets are bell players (`/ws/bells`, `register`), half queue
 * TVs (`/ws/queue`, `REGISTER_CLIENT` with a client id of their own). For
 * SOAK_SECONDS the coordinator drops a share of them every tick (half
 * closed cleanly, half cut without a close frame) and opens as many new
 * ones, while bell state changes and queue announcements are broadcast to
 * all. Then it closes every socket and checks:
 *  - the open-socket gauge of /metrics and the bells client list return to zero;
 *  - the server's heap after a full collection returns to its baseline
 *    (within SOAK_HEAP_SLACK_KIB);
 *  - its active resources (timers, sockets, handles) return to the baseline counts.
 * Prints the figures as JSON and exits 1 when a check fails.
 *
 * Environment: SOAK_SOCKETS (15000), SOAK_SECONDS (60), SOAK_CHURN_PER_TICK
 * (2% of the sockets per 500 ms tick), SOAK_HEAP_SLACK_KIB (8192), SOAK_DATABASE_URL.
 */
import { ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { SoakReport } from './soak-server';

const N = Number(process.env.SOAK_SOCKETS ?? 15000);
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const TICK_MS = 500;
const CHURN = Number(process.env.SOAK_CHURN_PER_TICK ?? Math.max(1, Math.round(N * 0.02)));
const HEAP_SLACK_KIB = Number(process.env.SOAK_HEAP_SLACK_KIB ?? 8192);
const ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];
const HARD_LIMIT_MS = (SECONDS + 600) * 1000;

interface Peer {
  ws: WebSocket;
  kind: 'bells' | 'queue';
}

let server: ChildProcess;
let base = '';
let admin = '';
let member = '';
let display = '';
let seq = 0;
let broadcastsSent = 0;
let framesReceived = 0;
let openFailures = 0;

async function call(method: string, path: string, token?: string, body?: unknown): Promise<any> {
  const r = await fetch(base + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await r.text();
  if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

function report(): Promise<SoakReport> {
  return new Promise((resolve) => {
    const on = (m: { ev: string; report: SoakReport }) => {
      if (m.ev !== 'report') return;
      server.off('message', on);
      resolve(m.report);
    };
    server.on('message', on);
    server.send({ cmd: 'report' });
  });
}

async function openSockets(): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  let n = 0;
  for (const line of text.split('\n')) if (line.startsWith('switchboard_ws_open_sockets')) n += Number(line.split(' ').pop());
  return n;
}

/** One socket, registered; resolves when the server acknowledged it. */
function open(kind: Peer['kind']): Promise<Peer> {
  const i = ++seq;
  const localAddress = ADDRESSES[i % ADDRESSES.length];
  const url = kind === 'bells' ? `${base.replace('http', 'ws')}/ws/bells?client_type=client` : `${base.replace('http', 'ws')}/ws/queue`;
  const token = kind === 'bells' ? member : display;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, localAddress, perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('no acknowledgement within 30 s'));
    }, 30_000);
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    ws.once('open', () =>
      ws.send(
        JSON.stringify(
          kind === 'bells'
            ? { type: 'register', payload: { client_type: 'client', client_name: `soak ${i}` } }
            : { type: 'REGISTER_CLIENT', payload: { client_type: 'tv', client_id: `soak-tv-${i}`, location: 'soak' } },
        ),
      ),
    );
    const ack = kind === 'bells' ? '"connection_acknowledged"' : '"CONNECTION_ACK"';
    ws.on('message', (data) => {
      framesReceived++;
      if (data.toString().includes(ack)) {
        clearTimeout(timer);
        resolve({ ws, kind });
      }
    });
  });
}

async function openMany(count: number, peers: Peer[]): Promise<void> {
  for (let done = 0; done < count;) {
    const batch = Math.min(250, count - done);
    const opened = await Promise.allSettled(Array.from({ length: batch }, (_v, j) => open((done + j) % 2 ? 'queue' : 'bells')));
    for (const o of opened) {
      if (o.status === 'fulfilled') peers.push(o.value);
      else openFailures++;
    }
    done += batch;
  }
}

function closed(ws: WebSocket): Promise<void> {
  return ws.readyState === WebSocket.CLOSED ? Promise.resolve() : new Promise((r) => ws.once('close', () => r()));
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return Date.now() - started;
}

async function main(): Promise<void> {
  const hardStop = setTimeout(() => {
    console.error(`soak: hard limit of ${HARD_LIMIT_MS / 1000} s reached`);
    server?.kill('SIGKILL');
    process.exit(2);
  }, HARD_LIMIT_MS);
  hardStop.unref();
  const dir = mkdtempSync(join(tmpdir(), 'sb-soak-'));
  server = fork(join(__dirname, 'soak-server.js'), {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      ...(process.env.SOAK_DATABASE_URL ? { DATABASE_URL: process.env.SOAK_DATABASE_URL } : {}),
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'db'),
      MEDIA_DIR: join(dir, 'media'),
      JWT_SECRET: 'soak-secret-soak-secret-soak-secret-0042',
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD: 'soak-password',
      JWT_ACCESS_TTL: '86400',
      LOG_LEVEL: 'warn',
      WS_CONNECTIONS_PER_MINUTE_PER_IP: '100000000',
      WS_MAX_SOCKETS_PER_IP: '100000000',
      QUEUE_TTS_ENGINE: 'none',
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('message', (m: { port: number }) => resolve(m.port));
    server.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  base = `http://127.0.0.1:${port}`;
  admin = (await call('POST', '/api/auth/login', undefined, { email: 'admin@example.com', password: 'soak-password' })).access_token;
  await call('POST', '/api/users', admin, { email: 'soak@example.com', password: 'soak-password', name: 'Soak', role: 'member' });
  member = (await call('POST', '/api/auth/login', undefined, { email: 'soak@example.com', password: 'soak-password' })).access_token;
  display = (await call('POST', '/api/devices', admin, { name: 'soak displays', kind: 'display' })).token;
  await call('POST', '/api/queue/counters', admin, { name: 'Soak counter' });

  // Warm-up: one round of everything, so first-use allocations are not counted as growth.
  const warm: Peer[] = [];
  await openMany(200, warm);
  await call('PUT', '/api/bells/state', admin, { state: 'paused' });
  await call('POST', '/api/queue/announcements', admin, { message: 'warm-up' });
  for (const p of warm) p.ws.close();
  await Promise.all(warm.map((p) => closed(p.ws)));
  await until(async () => (await openSockets()) === 0, 'warm-up sockets to leave', 30_000);
  const baseline = await report();
  console.log(`soak: baseline ${JSON.stringify(baseline)}`);

  const started = Date.now();
  const peers: Peer[] = [];
  await openMany(N, peers);
  const rampMs = Date.now() - started;
  const peak = await report();
  const peakOpen = await openSockets();
  console.log(`soak: ${peers.length} sockets open after ${rampMs} ms (${openFailures} failed); server ${JSON.stringify(peak)}`);

  let dropped = 0;
  let state = 'active';
  const churnStarted = Date.now();
  while (Date.now() - churnStarted < SECONDS * 1000) {
    const tick = Date.now();
    const victims = peers.splice(0, Math.min(CHURN, peers.length));
    victims.forEach((p, j) => (j % 2 ? p.ws.terminate() : p.ws.close()));
    dropped += victims.length;
    state = state === 'active' ? 'paused' : 'active';
    broadcastsSent += 2;
    await Promise.all([call('PUT', '/api/bells/state', admin, { state }), call('POST', '/api/queue/announcements', admin, { message: `soak ${tick}` }), openMany(victims.length, peers)]);
    const left = TICK_MS - (Date.now() - tick);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
  }
  const during = await report();
  console.log(`soak: churned ${dropped} sockets in ${SECONDS} s; server ${JSON.stringify(during)}`);

  for (const p of peers) p.ws.close();
  await Promise.all(peers.map((p) => closed(p.ws)));
  const drainMs = await until(async () => (await openSockets()) === 0, 'the open-socket gauge to reach zero', 120_000);
  const bellsClients = (await call('GET', '/api/bells/clients', admin)) as unknown[];
  await new Promise((r) => setTimeout(r, 2000));
  const end = await report();

  const growth = end.heap_used_kib - baseline.heap_used_kib;
  const leakedResources = Object.entries(end.resources).filter(([kind, n]) => n > (baseline.resources[kind] ?? 0));
  const checks = {
    registry_zero: (await openSockets()) === 0 && bellsClients.length === 0,
    heap_back_to_baseline: growth <= HEAP_SLACK_KIB,
    no_leaked_resources: leakedResources.length === 0,
    no_failed_opens: openFailures === 0,
  };
  const summary = {
    sockets: N,
    peak_open: peakOpen,
    churn_seconds: SECONDS,
    dropped_and_reopened: dropped,
    broadcasts: broadcastsSent,
    frames_received: framesReceived,
    ramp_ms: rampMs,
    drain_to_zero_ms: drainMs,
    heap_kib: { baseline: baseline.heap_used_kib, peak: peak.heap_used_kib, during_churn: during.heap_used_kib, end: end.heap_used_kib, growth },
    rss_kib: { baseline: baseline.rss_kib, peak: peak.rss_kib, end: end.rss_kib },
    resources: { baseline: baseline.resources, end: end.resources },
    leaked_resources: Object.fromEntries(leakedResources),
    open_failures: openFailures,
    checks,
  };
  console.log(JSON.stringify(summary, null, 2));
  server.send({ cmd: 'stop' });
  await new Promise((r) => server.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
  process.exit(Object.values(checks).every(Boolean) ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  server?.kill('SIGKILL');
  process.exit(1);
});
