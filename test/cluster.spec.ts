import assert from 'node:assert/strict';
import { ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { redisAvailable, TestRedis } from './support/redis-server';
import { TestDatabase } from './support/test-app';
import { TestSocket } from './support/ws-client';

const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' };
const isType = (type: string) => (f: Record<string, any>) => f.type === type;

/** One app process of the cluster under test. */
class Instance {
  child!: ChildProcess;
  port = 0;
  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<this> {
    this.child = fork(join(__dirname, 'support', 'cluster-node.js'), { env: { ...process.env, ...this.env, PORT: '0' }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('instance did not start')), 60_000);
      this.child.once('message', (m: { port: number }) => {
        clearTimeout(t);
        resolve(m.port);
      });
      this.child.once('exit', (code) => reject(new Error(`instance exited ${code}`)));
    });
    return this;
  }

  get http(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(this.http + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text };
  }

  socket(path: string, token?: string): Promise<TestSocket> {
    return TestSocket.open(`ws://127.0.0.1:${this.port}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ready = !!process.env.TEST_DATABASE_URL && redisAvailable();

describe('cluster: two instances on one PostgreSQL and one Redis', { skip: !ready && 'needs TEST_DATABASE_URL and redis-server' }, () => {
  let redis: TestRedis;
  let db: TestDatabase;
  let a: Instance;
  let b: Instance;
  let admin = '';
  const sockets: TestSocket[] = [];
  const track = (s: TestSocket) => (sockets.push(s), s);

  before(async () => {
    redis = await TestRedis.start();
    db = await TestDatabase.create();
    const env = {
      ...db.env,
      REDIS_URL: redis.url,
      NODE_ENV: 'test',
      JWT_SECRET: 'cluster-secret-cluster-secret-cluster-42',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      PASSWORD_SCRYPT_COST: '1024',
      CLUSTER_HEARTBEAT_MS: '200',
      CLUSTER_INSTANCE_TTL_MS: '1500',
      LOG_LEVEL: 'warn',
    };
    [a, b] = await Promise.all([new Instance({ ...env, INSTANCE_ID: 'a' }).start(), new Instance({ ...env, INSTANCE_ID: 'b' }).start()]);
    admin = (await a.call('POST', '/api/auth/login', undefined, ADMIN)).body.access_token;
  });

  after(async () => {
    for (const s of sockets) s.close();
    await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
    await redis?.stopProcess();
    await db?.destroy();
  });

  it('delivers an event published through instance A to a socket on instance B', async () => {
    const onB = track(await b.socket('/test/rooms/hall'));
    const onA = track(await a.socket('/test/rooms/hall'));
    await Promise.all([onA.next(isType('joined')), onB.next(isType('joined'))]);
    assert.equal((await a.call('POST', '/test/rooms/hall/announce', admin, { text: 'from A' })).status, 202);
    assert.equal((await onB.next(isType('announced'))).payload.text, 'from A');
    assert.equal((await onA.next(isType('announced'))).payload.text, 'from A');
  });

  it('keeps one presence across instances: online at the first socket anywhere, offline after the last', async () => {
    const watcher = track(await b.socket('/test/rooms/presence'));
    await watcher.next(isType('joined'));
    const user = await a.call('POST', '/api/users', admin, { email: 'p@example.com', password: 'password-123', name: 'P', role: 'employee' });
    const token = (await a.call('POST', '/api/auth/login', undefined, { email: 'p@example.com', password: 'password-123' })).body.access_token;
    const mine = (f: Record<string, any>) => f.type === 'presence' && f.payload.user_id === user.body.id;
    const s1 = track(await a.socket('/test/probe', token));
    assert.equal((await watcher.next(mine)).payload.status, 'online');
    const s2 = track(await b.socket('/test/probe', token));
    s2.send({ type: 'whoami' });
    await s2.next(isType('whoami'));
    s1.close();
    await s1.waitClose();
    s2.close();
    assert.equal((await watcher.next(mine)).payload.status, 'offline');
    assert.equal(watcher.seen(mine).length, 0, 'exactly one online and one offline');
  });

  it('shows a TV registering on instance B what changed through instance A, from the state B keeps by the events', async () => {
    const display = (await a.call('POST', '/api/devices', admin, { name: 'cluster display', kind: 'display' })).body.token;
    const counter = (await a.call('POST', '/api/queue/counters', admin, { name: 'Cluster counter' })).body;
    const mine = (type: string) => (f: Record<string, any>) => f.type === type && f.payload.counter_id === counter.id;
    const register = async (on: Instance, id: string) => {
      const s = track(await on.socket('/ws/queue', display));
      s.send({ type: 'REGISTER_CLIENT', payload: { client_type: 'tv', client_id: id } });
      const ack = await s.next(isType('CONNECTION_ACK'));
      return { s, ack, queue: await s.next(mine('QUEUE_UPDATE')), status: await s.next(mine('COUNTER_STATUS_UPDATE')) };
    };
    // B's state is warm before the changes: they must reach it as events from A.
    const watcher = await register(b, 'tv-cluster-watch');
    for (let i = 0; i < 3; i++) assert.equal((await a.call('POST', '/api/queue/tickets', admin, { counter_id: counter.id })).status, 201);
    const called = (await a.call('POST', `/api/queue/counters/${counter.id}/call-next`, admin, {})).body;
    assert.equal((await a.call('PUT', `/api/queue/counters/${counter.id}/status`, admin, { status: 'paused', reason: 'Họp' })).status, 200);
    let lastQueue: Record<string, any> = {};
    await eventually(
      async () => (lastQueue = (await watcher.s.next(mine('QUEUE_UPDATE'))).payload),
      (q) => q.current_number === called.ticket_number,
      'the call on B',
    );
    const paused = (await watcher.s.next((f) => mine('COUNTER_STATUS_UPDATE')(f) && f.payload.status === 'paused')).payload;

    const fresh = await register(b, 'tv-cluster-fresh');
    assert.deepEqual(fresh.queue.payload, lastQueue);
    assert.deepEqual(fresh.status.payload, paused);
    assert.deepEqual(
      { waiting: fresh.queue.payload.waiting_count, current: fresh.queue.payload.current_number, affected: fresh.status.payload.affected_tickets },
      { waiting: 2, current: called.ticket_number, affected: 2 },
    );
    const rest = (await b.call('GET', `/api/queue/counters/${counter.id}`, admin)).body;
    assert.deepEqual([rest.waiting_count, rest.current_number, rest.status], [2, called.ticket_number, 'paused']);
    assert.deepEqual(fresh.ack.payload.recent_calls[0], {
      ticket_number: called.ticket_number,
      display_number: called.display_number,
      counter_id: counter.id,
      counter_name: 'Cluster counter',
      called_at: called.called_at,
    });
  });

  it('lists both instances through either, with the sockets each holds', async () => {
    const onB = track(await b.socket('/ws/bells?client_type=admin&token=' + admin));
    onB.send({ type: 'register', payload: { client_type: 'admin' } });
    await onB.next(isType('connection_acknowledged'));
    const bellsOf = (list: Array<{ instance: string; gateways: Array<{ gateway: string; sockets: number }> }>, id: string) =>
      list.find((i) => i.instance === id)?.gateways.find((g) => g.gateway === 'bells')?.sockets ?? 0;
    for (const via of [a, b]) {
      const r = await eventually(
        () => via.call('GET', '/api/instances', admin),
        (r) => Array.isArray(r.body) && bellsOf(r.body, 'b') >= 1,
        'both instances, the socket on B counted',
      );
      assert.deepEqual(
        r.body.map((i: { instance: string }) => i.instance),
        ['a', 'b'],
      );
    }
  });

  it('replaces a client id held on the other instance: the old socket closes 4409', async () => {
    const first = track(await a.socket('/test/inband', admin));
    first.send({ type: 'claim', payload: { client_id: 'tv-hall-1' } });
    await first.next(isType('claimed'));
    const second = track(await b.socket('/test/inband', admin));
    second.send({ type: 'claim', payload: { client_id: 'tv-hall-1' } });
    await second.next(isType('claimed'));
    assert.equal((await first.waitClose(3000)).code, 4409);
    assert.ok(second.isOpen);
  });

  it('closes a revoked device’s sockets on every instance within a second', async () => {
    const device = (await a.call('POST', '/api/devices', admin, { name: 'player', kind: 'player' })).body;
    const onA = track(await a.socket('/test/probe', device.token));
    const onB = track(await b.socket('/test/probe', device.token));
    for (const s of [onA, onB]) {
      s.send({ type: 'whoami' });
      await s.next(isType('whoami'));
    }
    const started = Date.now();
    assert.equal((await a.call('DELETE', `/api/devices/${device.id}`, admin)).status, 204);
    const [ca, cb] = await Promise.all([onA.waitClose(1000), onB.waitClose(1000)]);
    assert.deepEqual([ca.code, cb.code], [4401, 4401]);
    assert.ok(Date.now() - started < 1000);
    // B kept the device's principal between connections; the revocation through A dropped it there too.
    const again = track(await b.socket('/test/probe', device.token));
    assert.equal((await again.waitClose(1000)).code, 4401);
  });

  it('a password change through A ends the user’s sockets and tokens on B at once', async () => {
    const user = (await a.call('POST', '/api/users', admin, { email: 'pw@example.com', password: 'password-123', name: 'PW', role: 'employee' })).body;
    const token = (await b.call('POST', '/api/auth/login', undefined, { email: 'pw@example.com', password: 'password-123' })).body.access_token;
    const onB = track(await b.socket('/test/probe', token));
    onB.send({ type: 'whoami' });
    await onB.next(isType('whoami'));
    assert.equal((await b.call('GET', '/api/users/me', token)).status, 200, 'B has the principal cached');
    assert.equal((await a.call('PATCH', `/api/users/${user.id}`, admin, { password: 'password-456' })).status, 200);
    assert.equal((await onB.waitClose(1000)).code, 4401);
    assert.equal((await b.call('GET', '/api/users/me', token)).status, 401);
  });

  it('counts failed logins across instances: 40 parallel wrong passwords through A and B get 10 checks', async () => {
    await a.call('POST', '/api/users', admin, { email: 'thr@example.com', password: 'password-123', name: 'T', role: 'member' });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).call('POST', '/api/auth/login', undefined, { email: 'thr@example.com', password: 'wrong-password' })));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 401).length, 10, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 30);
  });

  it('bells: a ring through instance A is heard once by players on both; connected_clients lists the clients of both', async () => {
    const adminOnA = track(await a.socket(`/ws/bells?token=${admin}&client_type=admin&client_name=Office`));
    adminOnA.send({ type: 'register', payload: { client_type: 'admin', client_name: 'Office' } });
    await adminOnA.next(isType('connection_acknowledged'));
    const player = (await a.call('POST', '/api/devices', admin, { name: 'hall player', kind: 'player' })).body;
    const onB = track(await b.socket(`/ws/bells?token=${player.token}&client_type=client&client_name=Hall%20B`));
    onB.send({ type: 'register', payload: { client_type: 'client', client_name: 'Hall B' } });
    const ack = await onB.next(isType('connection_acknowledged'));
    const listed = await adminOnA.next((f) => f.type === 'connected_clients' && f.payload.clients.some((c: { id: string }) => c.id === ack.payload.connection_id));
    assert.ok(listed.payload.clients.some((c: { client_name: string }) => c.client_name === 'Office'));
    const form = new FormData();
    form.append('name', 'cluster bell');
    const wavBytes = Buffer.alloc(44);
    wavBytes.write('RIFF', 0);
    wavBytes.write('WAVE', 8);
    form.append('file', new Blob([wavBytes]), 'b.wav');
    const sound = (await (await fetch(`${a.http}/api/bells/sounds`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form })).json()) as { id: string };
    assert.equal((await a.call('POST', '/api/bells/ring', admin, { sound_id: sound.id, name: 'Across' })).status, 202);
    assert.equal((await onB.next(isType('bell_triggered'))).payload.name, 'Across');
    assert.equal((await adminOnA.next(isType('bell_triggered'))).payload.name, 'Across');
    const clients = (await b.call('GET', '/api/bells/clients', admin)).body;
    assert.ok(clients.some((c: { client_name: string }) => c.client_name === 'Office') && clients.some((c: { client_name: string }) => c.client_name === 'Hall B'));
    // The devices page of a console on A lists the player connected to B, with its instance.
    const connections = await eventually(
      () => a.call('GET', '/api/devices/connections', admin),
      (r) => Array.isArray(r.body) && r.body.some((c: { device_id: string }) => c.device_id === player.id),
      'the player on B in A’s list of connected devices',
    );
    const entry = connections.body.find((c: { device_id: string }) => c.device_id === player.id);
    assert.deepEqual([entry.instance, entry.gateway, entry.device_name, entry.player_id], ['b', 'bells', 'hall player', `device:${player.id}`]);
  });

  it('queue: a client_id registered on the other instance is replaced (4409) and CONNECTION_ACK counts clients of both', async () => {
    const tv = (await a.call('POST', '/api/devices', admin, { name: 'tv', kind: 'display' })).body;
    const register = (s: TestSocket) => s.send({ type: 'REGISTER_CLIENT', payload: { client_type: 'tv', client_id: 'tv-cluster-1', location: 'hall' } });
    const first = track(await a.socket('/ws/queue', tv.token));
    register(first);
    const ack1 = await first.next(isType('CONNECTION_ACK'));
    const other = track(await b.socket('/ws/queue', tv.token));
    other.send({ type: 'REGISTER_CLIENT', payload: { client_type: 'tv', client_id: 'tv-cluster-2', location: 'hall' } });
    const ack2 = await other.next(isType('CONNECTION_ACK'));
    assert.equal(ack2.payload.connected_clients, ack1.payload.connected_clients + 1);
    const second = track(await b.socket('/ws/queue', tv.token));
    register(second);
    await second.next(isType('CONNECTION_ACK'));
    assert.equal((await first.waitClose(3000)).code, 4409);
  });

  it('schedules: employee/status_changed goes online at the first socket anywhere and offline after the last', async () => {
    const manager = (await a.call('POST', '/api/users', admin, { email: 'm@example.com', password: 'password-123', name: 'M', role: 'manager' })).body;
    const employeeUser = (await a.call('POST', '/api/users', admin, { email: 'e@example.com', password: 'password-123', name: 'E', role: 'employee' })).body;
    const employee = (await a.call('POST', '/api/employees', admin, { first_name: 'Emma', last_name: 'E', job_role: 'server', user_id: employeeUser.id })).body;
    const token = async (email: string) => (await a.call('POST', '/api/auth/login', undefined, { email, password: 'password-123' })).body.access_token;
    const watcher = track(await b.socket(`/ws/schedules?token=${await token(manager.email)}`));
    watcher.send({ type: 'subscription', action: 'subscribe', data: { events: ['employee'], filters: { employee_id: employee.id } } });
    await watcher.next((f) => f.type === 'subscription' && f.action === 'subscribed');
    const mine = (f: Record<string, any>) => f.type === 'employee' && f.action === 'status_changed' && f.data.employee_id === employee.id;
    const employeeToken = await token(employeeUser.email);
    const onA = track(await a.socket(`/ws/schedules?token=${employeeToken}`));
    assert.equal((await watcher.next(mine)).data.status.new, 'online');
    const onB = track(await b.socket(`/ws/schedules?token=${employeeToken}`));
    onB.send({ type: 'ping' });
    await onB.next(isType('pong'));
    onA.close();
    await onA.waitClose();
    onB.send({ type: 'ping' });
    await onB.next(isType('pong'));
    onB.close();
    assert.equal((await watcher.next(mine)).data.status.new, 'offline');
    assert.equal(watcher.seen(mine).length, 0, 'one online, one offline');
  });

  it('chat and check-in: a message through A reaches a socket on B, whose user gets no new_message; a dashboard on B fills from A', async () => {
    const user = async (email: string, name: string) => {
      const u = (await a.call('POST', '/api/users', admin, { email, password: 'password-123', name, role: 'member' })).body;
      return { id: u.id as string, token: (await a.call('POST', '/api/auth/login', undefined, { email, password: 'password-123' })).body.access_token as string };
    };
    const settle = async (s: TestSocket) => {
      s.send({});
      await s.next((f) => f.event === 'error' && f.code === 'INVALID_MESSAGE');
    };
    const sender = await user('chat-a@example.com', 'Chat A');
    const reader = await user('chat-b@example.com', 'Chat B');
    const conv = (await a.call('POST', '/api/chat/conversations', sender.token, { participant_ids: [reader.id] })).body;
    const onB = track(await b.socket('/ws/chat', reader.token));
    await settle(onB);
    const sent = await a.call('POST', `/api/chat/conversations/${conv.id}/messages`, sender.token, { content: 'across instances' });
    assert.equal(sent.status, 201);
    // A seed socket gets the seed's message object: the REST reply minus the sync fields (seq, change_seq, deleted_by).
    const { seq: _seq, change_seq: _changeSeq, deleted_by: _deletedBy, ...seedMessage } = sent.body;
    assert.deepEqual(await onB.next((f) => f.id === sent.body.id), seedMessage);
    const notes = (await a.call('GET', '/api/notifications', reader.token)).body.items;
    assert.equal(notes.filter((n: { type: string }) => n.type === 'new_message').length, 0, 'connected on B counts as connected');

    const now = Date.now();
    const session = (
      await a.call('POST', '/api/event-sessions', sender.token, { name: 'Cluster talk', starts_at: new Date(now - 60_000).toISOString(), ends_at: new Date(now + 3_600_000).toISOString() })
    ).body;
    assert.equal((await a.call('POST', `/api/event-sessions/${session.id}/registrations`, sender.token, { user_id: reader.id })).status, 201);
    const dashboard = track(await b.socket(`/ws/dashboard/${session.id}`));
    await settle(dashboard);
    assert.equal((await a.call('POST', `/api/event-sessions/${session.id}/check-ins`, sender.token, { user_id: reader.id })).status, 201);
    const frame = await dashboard.next((f) => f.session_id === session.id);
    assert.equal(frame.success, true);
    assert.equal(frame.user_name, 'Chat B');
  });

  it('reliable delivery: a TV that drops mid-burst on A and resumes on B ends with every ticket once, in order (log in Redis Streams)', async () => {
    const counter = (await a.call('POST', '/api/queue/counters', admin, { name: 'Quầy cluster' })).body;
    const tv = (await a.call('POST', '/api/devices', admin, { name: 'tv-resume', kind: 'display' })).body;
    const open = async (node: typeof a, query: string) => {
      const s = track(await node.socket(`/ws/queue?${query}`, tv.token));
      s.send({ type: 'REGISTER_CLIENT', payload: { client_type: 'tv', client_id: 'tv-resume', location: 'hall' } });
      await s.next(isType('CONNECTION_ACK'));
      return s;
    };
    const inTv = (f: Record<string, any>) => f._pos?.s === 'tv';
    const first = await open(a, 'recover=1');
    const start = await first.next((f) => f._stream?.s === 'tv');
    const n = 20;
    const burst = (async () => {
      for (let i = 0; i < n; i++) await a.call('POST', '/api/queue/tickets', admin, { counter_id: counter.id });
    })();
    const got: Array<Record<string, any>> = [];
    for (let k = 0; k < 4; k++) got.push(await first.next(inTv, 10_000));
    first.drop();
    got.push(...first.seen(inTv));
    const last = got[got.length - 1]._pos;
    const since = encodeURIComponent(JSON.stringify({ tv: [last.e, last.o] }));
    const second = await open(b, `recover=1&since=${since}`);
    await burst;
    while (got.length < n) got.push(await second.next(inTv, 10_000));
    assert.equal((await second.next((f) => f._stream?.s === 'tv'))._stream.recovered, true, 'recovered through the other instance');
    assert.deepEqual(
      got.map((f) => f._pos.o),
      Array.from({ length: n }, (_, i) => start._stream.o + i + 1),
    );
    assert.deepEqual(
      got.map((f) => f.payload.ticket_number),
      Array.from({ length: n }, (_, i) => i + 1),
    );
  });

  it('keeps serving while Redis is down, reports degraded, and resumes cross-instance delivery when it returns', async () => {
    const onA = track(await a.socket('/test/rooms/outage'));
    const onB = track(await b.socket('/test/rooms/outage'));
    await Promise.all([onA.next(isType('joined')), onB.next(isType('joined'))]);
    await redis.stopProcess();
    const health = await eventually(
      () => a.call('GET', '/health'),
      (r) => r.body.status === 'degraded',
      'degraded health',
    );
    assert.equal(health.status, 200);
    assert.equal((await a.call('POST', '/test/rooms/outage/announce', admin, { text: 'local only' })).status, 202);
    assert.equal((await onA.next(isType('announced'))).payload.text, 'local only');
    await redis.startProcess();
    await eventually(
      () => Promise.all([a.call('GET', '/health'), b.call('GET', '/health')]),
      (rs) => rs.every((r) => r.body.status === 'ok'),
      'both healthy again',
      20_000,
    );
    assert.equal((await a.call('POST', '/test/rooms/outage/announce', admin, { text: 'across again' })).status, 202);
    assert.equal((await onB.next((f) => f.type === 'announced' && f.payload.text === 'across again')).payload.text, 'across again');
  });

  it('after SIGKILL of one instance: its presence is gone within the expiry, the other rings the bell once', async () => {
    const watcher = track(await b.socket('/test/rooms/presence'));
    await watcher.next(isType('joined'));
    await a.call('POST', '/api/users', admin, { email: 'k@example.com', password: 'password-123', name: 'K', role: 'employee' });
    const login = (await b.call('POST', '/api/auth/login', undefined, { email: 'k@example.com', password: 'password-123' })).body;
    const mine = (f: Record<string, any>) => f.type === 'presence' && f.payload.user_id === login.user.id;
    track(await a.socket('/test/probe', login.access_token));
    assert.equal((await watcher.next(mine)).payload.status, 'online');

    // A bell due in a few seconds; both instances run the scheduler.
    const player = (await b.call('POST', '/api/devices', admin, { name: 'p', kind: 'player' })).body;
    const onB = track(await b.socket(`/ws/bells?token=${player.token}&client_type=client`));
    onB.send({ type: 'register', payload: { client_type: 'client' } });
    await onB.next(isType('connection_acknowledged'));
    const sound = (await b.call('GET', '/api/bells/sounds', admin)).body[0];
    const schedule = (await b.call('POST', '/api/bells/schedules', admin, { name: 'Takeover', days_of_week: [0, 1, 2, 3, 4, 5, 6], timezone: 'UTC' })).body;
    const due = new Date(Date.now() + 4000);
    const time = due.toISOString().slice(11, 19);
    const item = (await b.call('POST', `/api/bells/schedules/${schedule.id}/items`, admin, { name: 'Takeover bell', time, sound_id: sound.id })).body;

    const killed = Date.now();
    await a.kill('SIGKILL');
    assert.equal((await watcher.next(mine, 10_000)).payload.status, 'offline');
    assert.ok(Date.now() - killed < 1500 + 3000, 'within the instance expiry plus a heartbeat');

    const bell = await onB.next((f) => f.type === 'bell_triggered' && f.payload.scheduleItemId === item.id, 15_000);
    assert.equal(bell.payload.name, 'Takeover bell');
    onB.send({ type: 'nope' });
    await onB.next(isType('error'));
    assert.equal(onB.seen((f) => f.type === 'bell_triggered' && f.payload.scheduleItemId === item.id).length, 0, 'rang once');
    const rings = (await b.call('GET', '/api/bells/rings', admin)).body.filter((r: { schedule_item_id: string }) => r.schedule_item_id === item.id);
    assert.equal(rings.length, 1);
  });
});

function nginxAvailable(): boolean {
  return spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0;
}

describe('cluster behind the sample nginx config (deploy/nginx/switchboard.conf)', { skip: (!ready || !nginxAvailable()) && 'needs TEST_DATABASE_URL, redis-server and nginx' }, () => {
  let redis: TestRedis;
  let db: TestDatabase;
  let a: Instance;
  let b: Instance;
  let nginx: ChildProcess;
  let prefix = '';
  let front = 0;
  const sockets: TestSocket[] = [];

  before(async () => {
    redis = await TestRedis.start();
    db = await TestDatabase.create();
    const env = {
      ...db.env,
      REDIS_URL: redis.url,
      NODE_ENV: 'test',
      JWT_SECRET: 'cluster-secret-cluster-secret-cluster-42',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      PASSWORD_SCRYPT_COST: '1024',
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'warn',
      WS_SHUTDOWN_GRACE_MS: '1000',
    };
    [a, b] = await Promise.all([new Instance({ ...env, INSTANCE_ID: 'na' }).start(), new Instance({ ...env, INSTANCE_ID: 'nb' }).start()]);
    front = 20000 + Math.floor(Math.random() * 20000);
    prefix = mkdtempSync(join(tmpdir(), 'sb-nginx-'));
    const config = readFileSync(join(__dirname, '..', '..', 'deploy', 'nginx', 'switchboard.conf'), 'utf8')
      .replace('127.0.0.1:3001', `127.0.0.1:${a.port}`)
      .replace('127.0.0.1:3002', `127.0.0.1:${b.port}`)
      .replace('listen 8080;', `listen 127.0.0.1:${front};`)
      .replace('worker_connections 20000;', 'worker_connections 1024;');
    writeFileSync(join(prefix, 'nginx.conf'), config);
    nginx = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'inherit'] });
    await eventually(
      () =>
        fetch(`http://127.0.0.1:${front}/health`)
          .then((r) => r.status)
          .catch(() => 0),
      (s) => s === 200,
      'nginx',
    );
  });

  after(async () => {
    for (const s of sockets) s.close();
    nginx?.kill('SIGQUIT');
    await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
    await redis?.stopProcess();
    await db?.destroy();
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it('proxies REST and socket upgrades, and a rolling restart moves clients to the other instance', async () => {
    const login = await fetch(`http://127.0.0.1:${front}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    assert.equal(login.status, 200);
    const admin = ((await login.json()) as { access_token: string }).access_token;
    const open = async () => {
      const s = await TestSocket.open(`ws://127.0.0.1:${front}/test/rooms/lb`);
      sockets.push(s);
      await s.next(isType('joined'));
      return s;
    };
    const clients = [await open(), await open(), await open(), await open()];
    // Drain instance A as a rolling restart would: its sockets get 1001 and reconnect through nginx.
    await a.kill('SIGTERM');
    const reconnected: TestSocket[] = [];
    for (const s of clients) {
      // Still served (by B) if it answers a ping; drained (by A) if it closed with 1001.
      if (s.isOpen) s.send({ type: 'ping' });
      const alive = await Promise.race([
        s.next(isType('pong'), 5000).then(
          () => true,
          () => false,
        ),
        s.closed.then(() => false),
      ]);
      if (alive) {
        reconnected.push(s);
        continue;
      }
      assert.equal((await s.waitClose()).code, 1001);
      reconnected.push(await open());
    }
    assert.ok(
      clients.some((s) => s.closeInfo?.code === 1001),
      'least_conn spread the sockets over both instances',
    );
    const r = await fetch(`http://127.0.0.1:${front}/test/rooms/lb/announce`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ text: 'after restart' }),
    });
    assert.equal(r.status, 202);
    for (const s of reconnected) assert.equal((await s.next(isType('announced'))).payload.text, 'after restart');
  });
});
