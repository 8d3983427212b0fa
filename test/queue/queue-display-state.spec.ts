import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueueDisplayState } from '../../src/queue/queue-display-state';
import { QueueSnapshotsService } from '../../src/queue/queue-snapshots.service';
import { TestApp } from '../support/test-app';
import { until } from '../support/wait';
import { Frame } from '../support/ws-client';
import { isType, QueueWorld } from './queue-world';

/**
 * What a registering client is shown comes from memory kept current by the
 * queue's events (QueueDisplayState). It must always equal what the database
 * says, whatever path changed the data, and cost no query per socket.
 */
describe('queue registration snapshot from memory', () => {
  let t: TestApp;
  let w: QueueWorld;
  let snapshots: QueueSnapshotsService;
  let statesRead = 0;
  let recentRead = 0;
  let n = 0;

  before(async () => {
    // Admin statistics read the counters too: pushed hourly here, so the counts below are the registrations' alone.
    t = await TestApp.start({ env: { QUEUE_STATS_INTERVAL_MS: '3600000', QUEUE_STATS_DEBOUNCE_MS: '3600000', QUEUE_DISPLAY_STATE_MAX_AGE_MS: '60000' } });
    w = new QueueWorld(t);
    snapshots = t.get(QueueSnapshotsService);
    // Count the registration snapshot's queries (the services' reads inside their transactions count too).
    const states = snapshots.states.bind(snapshots);
    const recent = snapshots.recentCalls.bind(snapshots);
    snapshots.states = (...args) => (statesRead++, states(...args));
    snapshots.recentCalls = () => (recentRead++, recent());
  });
  after(() => t.stop());

  /** What the database says a TV must be shown, as wire payloads by counter. */
  async function truth(): Promise<{ queue: Record<string, any>; status: Record<string, any>; recent: Array<Record<string, any>> }> {
    const states = await states0();
    return {
      queue: Object.fromEntries(states.map((s) => [s.queue.counter_id, strip(s.queue)])),
      status: Object.fromEntries(states.map((s) => [s.status.counter_id, strip(s.status)])),
      recent: await snapshots.recentCalls(),
    };
  }
  const states0 = () => snapshots.states();
  const strip = ({ version: _v, ...rest }: { version: number }) => rest;

  /** Registers a display and returns what it was shown: CONNECTION_ACK's recent calls and the welcome frames by counter. */
  async function register(kind: 'tv' | 'officer' = 'tv', token?: string) {
    const s = await t.socket('/ws/queue', { token: token ?? (await display()) });
    const id = `${kind}-state-${++n}`;
    s.send({ type: 'REGISTER_CLIENT', payload: { client_type: kind, client_id: id, location: 'hall' } });
    const ack = await s.next(isType('CONNECTION_ACK'));
    await w.sync(s);
    const frames = s.seen(() => true);
    const by = (type: string) => Object.fromEntries(frames.filter((f: Frame) => f.type === type).map((f: Frame) => [f.payload.counter_id, f.payload]));
    return { recent: ack.payload.recent_calls, queue: by('QUEUE_UPDATE'), status: by('COUNTER_STATUS_UPDATE'), socket: s };
  }

  let displayToken = '';
  const display = async () => (displayToken ||= (await t.newDevice({ kind: 'display' })).token);

  const shown = async (kind: 'tv' | 'officer' = 'tv', token?: string): Promise<{ queue: Record<string, any>; status: Record<string, any>; recent: Array<Record<string, any>> }> => {
    const r = await register(kind, token);
    r.socket.close();
    return { queue: r.queue, status: r.status, recent: r.recent };
  };

  it('shows a TV what the database says after tickets are issued (socket and REST), called, transferred, a counter paused, renamed and deleted', async () => {
    const proc = await w.procedure({ average_service_time: 7 });
    const a = await w.counter({ name: 'Quầy bộ nhớ A', procedures: [proc.id] });
    const b = await w.counter({ name: 'Quầy bộ nhớ B' });
    const gone = await w.counter({ name: 'Quầy bộ nhớ C' });
    // Warm: the cache is filled before the changes, which must reach it through the events alone.
    assert.deepEqual(await shown(), await truth());

    const kiosk = await w.client((await t.newDevice({ kind: 'kiosk' })).token, 'kiosk', `kiosk-state-${++n}`);
    for (let i = 0; i < 3; i++) {
      kiosk.send({ type: 'TICKET_CREATED', payload: { counter_id: a.id } });
      await kiosk.next(isType('TICKET_CREATED'));
    }
    for (let i = 0; i < 2; i++) await w.ticket(t.adminToken, b.id);
    await w.ticket(t.adminToken, gone.id);
    t.clock.advance(1000);
    const called = (await t.http('POST', `/api/queue/counters/${a.id}/call-next`, { token: t.adminToken, body: {} })).body;
    t.clock.advance(1000);
    await t.http('POST', `/api/queue/counters/${b.id}/call-next`, { token: t.adminToken, body: {} });
    const r = await t.http('POST', `/api/queue/tickets/${called.id}/transfer`, { token: t.adminToken, body: { counter_id: b.id } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal((await t.http('PUT', `/api/queue/counters/${a.id}/status`, { token: t.adminToken, body: { status: 'paused', reason: 'Nghỉ trưa' } })).status, 200);
    assert.equal((await t.http('PATCH', `/api/queue/counters/${b.id}`, { token: t.adminToken, body: { name: 'Quầy bộ nhớ B mới' } })).status, 200);
    assert.equal((await t.http('DELETE', `/api/queue/counters/${gone.id}`, { token: t.adminToken })).status, 204);

    const before = statesRead;
    const got = await shown();
    const want = await truth();
    assert.deepEqual(got, want);
    assert.equal(statesRead - before, 1, 'only the check itself read the counters');
    // The changes really are in what was compared.
    assert.equal(got.status[a.id].status, 'paused');
    assert.equal(got.status[a.id].affected_tickets, 2);
    assert.equal(got.status[b.id].counter_name, 'Quầy bộ nhớ B mới');
    assert.equal(got.queue[b.id].waiting_count, 2);
    assert.equal(got.status[gone.id], undefined);
    assert.equal(got.recent.find((c) => c.counter_id === b.id)?.counter_name, 'Quầy bộ nhớ B mới');

    // An officer is shown its own counter only, the same as the database says.
    const officer = await w.officer(b.id);
    const mine = await shown('officer', officer.token);
    assert.deepEqual(Object.keys(mine.status), [String(b.id)]);
    assert.deepEqual(mine.queue[b.id], (await truth()).queue[b.id]);
    assert.deepEqual(mine.status[b.id], (await truth()).status[b.id]);
  });

  it('serves a crowd of registrations with no query per socket, and fills a cold cache once for all of them', async () => {
    const c = await w.counter({ name: 'Quầy đám đông' });
    await w.ticket(t.adminToken, c.id);
    await shown();
    const count = 30;
    let states = statesRead;
    let recent = recentRead;
    const warm = await Promise.all(Array.from({ length: count }, () => shown()));
    assert.equal(statesRead - states, 0, 'warm: no counter query');
    assert.equal(recentRead - recent, 0, 'warm: no recent-calls query');

    t.get(QueueDisplayState).forget();
    states = statesRead;
    recent = recentRead;
    const cold = await Promise.all(Array.from({ length: count }, () => shown()));
    assert.equal(statesRead - states, 1, 'cold: one counter query shared by every registration');
    assert.equal(recentRead - recent, 1, 'cold: one recent-calls query shared by every registration');
    const want = await truth();
    for (const got of [...warm, ...cold]) assert.deepEqual(got, want);

    // Operators see the registrations and the waits.
    const metrics = (await t.http('GET', '/metrics')).body as string;
    const value = (re: RegExp) => Number(re.exec(metrics)?.[1] ?? NaN);
    assert.ok(value(/switchboard_ws_registrations_total\{gateway="queue"\} (\d+)/) >= 2 * count);
    assert.ok(value(/switchboard_ws_registration_seconds_count\{gateway="queue"\} (\d+)/) >= 2 * count);
    assert.ok(value(/switchboard_ws_admission_wait_seconds_count\{gateway="queue"\} (\d+)/) >= 2 * count);
    assert.ok(value(/switchboard_ws_registrations_per_second\{gateway="queue"\} ([0-9.]+)/) > 0);
  });

  it('is right after a miss, on a new day, and after a change no event announces once its age runs out', async () => {
    const proc = await w.procedure({ average_service_time: 4 });
    const c = await w.counter({ name: 'Quầy qua đêm', procedures: [proc.id] });
    for (let i = 0; i < 3; i++) await w.ticket(t.adminToken, c.id);
    t.get(QueueDisplayState).forget();
    assert.deepEqual(await shown(), await truth());

    // A procedure's service time changes the estimate, and no event says so: the next refresh (after the age) does.
    assert.equal((await t.http('PATCH', `/api/queue/procedures/${proc.id}`, { token: t.adminToken, body: { average_service_time: 9 } })).status, 200);
    const want = await truth();
    assert.equal(want.queue[c.id].average_wait_time, 27);
    t.clock.advance(61_000);
    await until(async () => JSON.stringify(await shown()) === JSON.stringify(want), 'the refreshed estimate');

    // Past midnight yesterday's waiting tickets no longer count, event or not.
    t.clock.advance(24 * 3600_000);
    const got = await shown();
    assert.deepEqual(got, await truth());
    assert.equal(got.queue[c.id].waiting_count, 0);
  });
});
