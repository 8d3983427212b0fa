import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestApp } from './support/test-app';
import { Frame, TestSocket } from './support/ws-client';

/** What an opted-in client keeps: the last position per stream, from `_pos` and `_stream` frames. */
export class Positions {
  readonly at = new Map<string, [string, number]>();

  take(frames: Frame[]): void {
    for (const f of frames) {
      if (f._pos) this.at.set(f._pos.s, [f._pos.e, f._pos.o]);
      if (f._stream) this.at.set(f._stream.s, [f._stream.e ?? '', f._stream.o]);
    }
  }

  query(): string {
    return `recover=1&since=${encodeURIComponent(JSON.stringify(Object.fromEntries(this.at)))}`;
  }
}

const inStream = (stream: string) => (f: Frame) => f._pos?.s === stream;
const statusOf = (stream: string) => (f: Frame) => f._stream?.s === stream;

interface Scenario {
  /** Connects (and registers or subscribes) with the given recovery query. */
  open(query: string): Promise<TestSocket>;
  /** Makes event i happen (over REST); events are made one after another. */
  produce(i: number): Promise<unknown>;
  stream: string;
  /** What tells event i apart in its frame. */
  id(f: Frame): unknown;
  ids(n: number): unknown[];
}

/**
 * The recovery every gateway must pass: a burst of N events; the client's TCP
 * connection dies without a close frame after a few; it reconnects with its
 * positions while the burst goes on; in the end it holds events 1..N of the
 * stream, in order, once each.
 */
async function dropMidBurst(s: Scenario, n = 24): Promise<void> {
  const first = await s.open('recover=1');
  const start = await first.next(statusOf(s.stream));
  const base: number = start._stream.o;
  const burst = (async () => {
    for (let i = 0; i < n; i++) await s.produce(i);
  })();
  const got: Frame[] = [];
  for (let k = 0; k < 4; k++) got.push(await first.next(inStream(s.stream), 10_000));
  first.drop();
  // What had arrived when the connection died counts as delivered; the client's positions come from all of it.
  got.push(...first.seen(inStream(s.stream)));
  const positions = new Positions();
  positions.take([start, ...got]);
  await first.waitClose();
  const second = await s.open(positions.query());
  const status = await second.next(statusOf(s.stream), 10_000);
  assert.equal(status._stream.recovered, true, JSON.stringify(status) + positions.query());
  await burst;
  while (got.length < n) got.push(await second.next(inStream(s.stream), 10_000));
  assert.deepEqual(
    got.map((f) => f._pos.o),
    Array.from({ length: n }, (_, i) => base + i + 1),
    'offsets 1..N of the stream, in order, once each',
  );
  assert.deepEqual(got.map(s.id), s.ids(n), 'the events themselves, in the order they happened');
}

describe('reliable delivery: a client that drops mid-burst ends with every event once, on every gateway', () => {
  let t: TestApp;
  before(async () => {
    t = await TestApp.start();
  });
  after(() => t.stop());

  const employees = (prefix: string) => ({
    produce: (i: number) => t.http('POST', '/api/employees', { token: t.adminToken, body: { first_name: `${prefix}${i}`, last_name: 'Burst' } }),
    ids: (n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`),
  });

  it('attendance: stream all', async () => {
    await dropMidBurst({
      open: (q) => t.socket(`/ws/attendance?${q}`, { token: t.adminToken }),
      stream: 'all',
      ...employees('Att'),
      id: (f) => f.data.first_name,
    });
  });

  it('schedules: stream employee', async () => {
    await dropMidBurst({
      open: async (q) => {
        const s = await t.socket(`/ws/schedules?token=${t.adminToken}&${q}`);
        s.send({ type: 'subscription', action: 'subscribe', data: { events: ['employee'] } });
        await s.next((f) => f.type === 'subscription' && f.action === 'subscribed');
        return s;
      },
      stream: 'employee',
      ...employees('Sch'),
      id: (f) => f.data.employee.name.split(' ')[0],
    });
  });

  it('bells: stream all', async () => {
    await dropMidBurst({
      open: (q) => t.socket(`/ws/bells?token=${t.adminToken}&client_type=admin&${q}`),
      stream: 'all',
      produce: (i) => t.http('POST', '/api/bells/schedules', { token: t.adminToken, body: { name: `Burst ${i}`, days_of_week: [1] } }),
      id: (f) => f.type,
      ids: (n) => Array.from({ length: n }, () => 'schedules_updated'),
    });
  });

  it('queue: a TV’s stream tv', async () => {
    const counter = (await t.http('POST', '/api/queue/counters', { token: t.adminToken, body: { name: 'Quầy burst' } })).body;
    const tv = await t.newDevice({ kind: 'display' });
    await dropMidBurst({
      open: async (q) => {
        const s = await t.socket(`/ws/queue?token=${tv.token}&${q}`);
        s.send({ type: 'REGISTER_CLIENT', payload: { client_type: 'tv', client_id: 'tv-burst', location: 'hall' } });
        await s.next((f) => f.type === 'CONNECTION_ACK');
        return s;
      },
      stream: 'tv',
      produce: () => t.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { counter_id: counter.id } }),
      id: (f) => f.payload.ticket_number,
      ids: (n) => Array.from({ length: n }, (_, i) => i + 1),
    });
  });

  it('chat: the reader’s stream user:<id>', async () => {
    const [writer, reader] = [await t.newUser(), await t.newUser()];
    const conv = (await t.http('POST', '/api/chat/conversations', { token: writer.token, body: { participant_ids: [reader.id] } })).body;
    await dropMidBurst({
      open: (q) => t.socket(`/ws/chat?${q}`, { token: reader.token }),
      stream: `user:${reader.id}`,
      produce: (i) => t.http('POST', `/api/chat/conversations/${conv.id}/messages`, { token: writer.token, body: { content: `line ${i}` } }),
      id: (f) => f.content,
      ids: (n) => Array.from({ length: n }, (_, i) => `line ${i}`),
    });
  });

  it('check-in dashboard: stream session:<id>', async () => {
    const now = t.clock.now();
    const session = (
      await t.http('POST', '/api/event-sessions', {
        token: t.adminToken,
        body: { name: 'Burst talk', starts_at: new Date(now - 60_000).toISOString(), ends_at: new Date(now + 3_600_000).toISOString() },
      })
    ).body;
    const guests: Array<{ id: string }> = [];
    for (let i = 0; i < 24; i++) {
      const u = await t.newUser({ name: `Guest ${i}` });
      assert.equal((await t.http('POST', `/api/event-sessions/${session.id}/registrations`, { token: t.adminToken, body: { user_id: u.id } })).status, 201);
      guests.push(u);
    }
    await dropMidBurst({
      open: (q) => t.socket(`/ws/dashboard/${session.id}?${q}`),
      stream: `session:${session.id}`,
      produce: (i) => t.http('POST', `/api/event-sessions/${session.id}/check-ins`, { token: t.adminToken, body: { user_id: guests[i].id } }),
      id: (f) => f.user_name,
      ids: (n) => Array.from({ length: n }, (_, i) => `Guest ${i}`),
    });
  });
});

describe('reliable delivery: what cannot be recovered says so, and seed clients see nothing of it', () => {
  let t: TestApp;
  before(async () => {
    t = await TestApp.start({ env: { REPLAY_MAX_FRAMES: '5', REPLAY_WINDOW_SECONDS: '60' } });
  });
  after(() => t.stop());

  const attendance = (q: string) => t.socket(`/ws/attendance?${q}`, { token: t.adminToken });
  const employee = (name: string) => t.http('POST', '/api/employees', { token: t.adminToken, body: { first_name: name, last_name: 'Gap' } });

  it('a position older than the log keeps → recovered: false (expired), then the state rebuilt over REST is right', async () => {
    const first = await attendance('recover=1');
    await first.next(statusOf('all'));
    await employee('Before');
    const positions = new Positions();
    positions.take([await first.next(inStream('all'))]);
    first.close();
    await first.waitClose();
    for (let i = 0; i < 8; i++) await employee(`Away${i}`);
    const second = await attendance(positions.query());
    const status = (await second.next(statusOf('all')))._stream;
    assert.equal(status.recovered, false);
    assert.equal(status.reason, 'expired');
    assert.equal(second.seen(inStream('all')).length, 0, 'no partial replay');
    // The rebuild: the REST list has every employee made while away.
    const list = (await t.http('GET', '/api/employees?limit=100', { token: t.adminToken })).body;
    const names = (Array.isArray(list) ? list : list.items).map((e: { first_name: string }) => e.first_name);
    for (let i = 0; i < 8; i++) assert.ok(names.includes(`Away${i}`), `Away${i} after rebuild`);
    // And live frames continue from the offset the status gave.
    await employee('After');
    assert.equal((await second.next(inStream('all')))._pos.o, status.o + 1);
  });

  it('a position past the window in time → expired; an unknown epoch → unknown_position', async () => {
    const first = await attendance('recover=1');
    await first.next(statusOf('all'));
    await employee('Old');
    const positions = new Positions();
    positions.take([await first.next(inStream('all'))]);
    first.close();
    await employee('Missed');
    t.clock.advance(61_000);
    const late = await attendance(positions.query());
    assert.equal((await late.next(statusOf('all')))._stream.reason, 'expired');
    const [epoch, offset] = positions.at.get('all')!;
    const other = await attendance(`recover=1&since=${encodeURIComponent(JSON.stringify({ all: [`x${epoch}`, offset] }))}`);
    assert.equal((await other.next(statusOf('all')))._stream.reason, 'unknown_position');
  });

  it('a seed client (no recover) gets the frames it always got: no _pos, no _stream', async () => {
    const seed = await attendance('');
    const opted = await attendance('recover=1');
    await opted.next(statusOf('all'));
    await employee('Same');
    const a = await seed.next((f) => f.event === 'employee_create');
    const { _pos, ...b } = await opted.next((f) => f.event === 'employee_create');
    assert.ok(_pos);
    assert.deepEqual(a, b);
    assert.equal(seed.seen((f) => '_pos' in f || '_stream' in f).length, 0);
  });

  it('refuses malformed recovery parameters with 4400 and a clear message', async () => {
    const bad = await attendance('recover=1&since=%7Bnope');
    const closed = await bad.waitClose();
    assert.equal(closed.code, 4400);
    assert.match(closed.reason, /since must be a JSON object/);
  });

  it('a principal whose role was lowered while away gets no replayed frame it may no longer see', async () => {
    const user = await t.newUser({ role: 'admin' });
    const admin = await t.socket(`/ws/bells?token=${user.token}&client_type=admin&recover=1`);
    const positions = new Positions();
    // Its own arrival is logged to the admins (system_log): that stream has a position too.
    positions.take([await admin.next(statusOf('all')), await admin.next(statusOf('admins')), await admin.next(statusOf('rings')), await admin.next(inStream('admins'))]);
    assert.ok(positions.at.has('admins'));
    admin.drop();
    await admin.waitClose();
    // While away: admin-only frames (system_log) and frames everyone hears.
    await t.http('POST', '/api/bells/schedules', { token: t.adminToken, body: { name: 'While away', days_of_week: [2] } });
    assert.equal((await t.http('PATCH', `/api/users/${user.id}`, { token: t.adminToken, body: { role: 'member' } })).status, 200);
    const token = (await t.login(user.email, user.password)).access_token;
    const refused = await t.socket(`/ws/bells?token=${token}&client_type=admin&${positions.query()}`);
    assert.equal((await refused.waitClose()).code, 4403);
    const player = await t.socket(`/ws/bells?token=${token}&client_type=client&${positions.query()}`);
    const all = (await player.next(statusOf('all')))._stream;
    assert.equal(all.recovered, true);
    // Streams are followed in order (all, then the zone): by this status every replay has been written.
    await player.next(statusOf('zone:'));
    assert.equal(player.seen(inStream('admins')).length, 0, 'nothing of the admins stream');
    assert.equal(player.seen((f) => f.type === 'system_log').length, 0, 'no system_log');
  });
});
