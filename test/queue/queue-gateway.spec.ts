import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestApp } from '../support/test-app';
import { isType, ofCounter, QueueWorld } from './queue-world';

describe('queue gateway (/ws/queue, seed 002)', () => {
  let t: TestApp;
  let w: QueueWorld;

  before(async () => {
    t = await TestApp.start({ env: { QUEUE_AUTH_TIMEOUT_MS: '4000', QUEUE_STATS_INTERVAL_MS: '3600000', QUEUE_STATS_DEBOUNCE_MS: '100' } });
    w = new QueueWorld(t);
  });
  after(() => t.stop());

  it('answers every message before AUTH with AUTH_FAILED (PING excepted), changes nothing, and closes 4408 at the timeout', async () => {
    const counter = await w.counter();
    const s = await t.socket('/ws/queue');
    for (const message of [
      { type: 'REGISTER_CLIENT', payload: { client_type: 'tv', client_id: 'early', location: 'x' } },
      { type: 'TICKET_CREATED', payload: { counter_id: counter.id } },
      { type: 'CALL_TICKET', payload: { counter_id: counter.id } },
      { type: 'NO_SUCH_TYPE', payload: {} },
    ]) {
      s.send(message);
      const err = await s.next(isType('ERROR'), 5000, `ERROR for ${message.type}`);
      assert.equal(err.payload.error_code, 'AUTH_FAILED', message.type);
      assert.equal(typeof err.payload.message, 'string');
      assert.ok(err.payload.timestamp);
    }
    s.send({ type: 'PING', payload: { timestamp: '2025-07-19T10:30:00Z' } });
    const pong = await s.next(isType('PONG'));
    assert.equal(pong.payload.timestamp, '2025-07-19T10:30:00Z');
    assert.ok(pong.payload.server_time);
    const tickets = await t.http('GET', `/api/queue/tickets?counter_id=${counter.id}`, { token: t.adminToken });
    assert.deepEqual(tickets.body, []);
    t.clock.advance(4001);
    assert.equal((await s.next(isType('ERROR'))).payload.error_code, 'AUTH_FAILED');
    assert.equal((await s.waitClose()).code, 4408);
  });

  it('refuses AUTH whose claims do not match the token with AUTH_FAILED and 4401', async () => {
    const counter = await w.counter();
    const other = await w.counter();
    const officer = await w.officer(counter.id);
    const kiosk = await t.newDevice({ kind: 'kiosk', counter_id: counter.id });
    for (const [label, token, claims] of [
      ['a numeric user_id', officer.token, { user_id: 123, role: 'officer' }],
      ['another user’s id', officer.token, { user_id: (await t.newUser({ role: 'officer' })).id }],
      ['a forged role', officer.token, { user_id: officer.id, role: 'admin' }],
      ['a counter not assigned to the officer', officer.token, { counter_id: other.id }],
      ['a device claiming another counter', kiosk.token, { counter_id: other.id }],
      ['a bad token', 'not-a-jwt', {}],
      ['no token at all', undefined, {}],
    ] as const) {
      const s = await t.socket('/ws/queue');
      s.send({ type: 'AUTH', payload: { token: token, ...claims } });
      const err = await s.next(isType('ERROR'), 5000, label);
      assert.equal(err.payload.error_code, 'AUTH_FAILED', label);
      assert.equal((await s.waitClose()).code, 4401, label);
    }
    // Matching claims pass, and a successful AUTH has no reply of its own.
    const ok = await t.socket('/ws/queue');
    ok.send({ type: 'AUTH', payload: { token: kiosk.token, counter_id: counter.id, role: 'kiosk' } });
    await w.sync(ok);
    assert.equal(ok.frames.length, 0, JSON.stringify(ok.frames));
  });

  it('lets each principal register only as its own client type', async () => {
    const counter = await w.counter();
    const display = await t.newDevice({ kind: 'display' });
    const member = await t.newUser({ role: 'member' });
    const loneOfficer = await t.newUser({ role: 'officer' });
    for (const [label, token, type, code, close] of [
      ['a display as kiosk', display.token, 'kiosk', 'FORBIDDEN', 4403],
      ['a member as admin', member.token, 'admin', 'FORBIDDEN', 4403],
      ['an officer with no counter', loneOfficer.token, 'officer', 'FORBIDDEN', 4403],
      ['an unknown client_type', display.token, 'toaster', 'INVALID_MESSAGE', 4400],
    ] as const) {
      const s = await t.socket('/ws/queue', { token });
      s.send({ type: 'REGISTER_CLIENT', payload: { client_type: type, client_id: `x-${label}`, location: 'hall' } });
      assert.equal((await s.next(isType('ERROR'), 5000, label)).payload.error_code, code, label);
      assert.equal((await s.waitClose()).code, close, label);
    }
    // A leader registers as admin and sees the counter at once.
    const leader = await t.newUser({ role: 'leader' });
    const s = await w.client(leader.token, 'admin', 'leader-1');
    await s.next(ofCounter('QUEUE_UPDATE', counter.id));
  });

  it('replaces the older connection of a repeated client_id (4409) without telling admins it left', async () => {
    const admin = await w.client(t.adminToken, 'admin', 'admin-replace-watch');
    const display = await t.newDevice({ kind: 'display' });
    const first = await w.client(display.token, 'tv', 'tv-lobby');
    await admin.next((f) => f.type === 'CLIENT_CONNECTED' && f.payload.client_id === 'tv-lobby');
    const second = await w.client(display.token, 'tv', 'tv-lobby');
    const closed = await first.waitClose();
    assert.equal(closed.code, 4409);
    await admin.next((f) => f.type === 'CLIENT_CONNECTED' && f.payload.client_id === 'tv-lobby');
    await w.sync(second);
    await w.sync(admin);
    assert.equal(admin.seen((f) => f.type === 'CLIENT_DISCONNECTED' && f.payload.client_id === 'tv-lobby').length, 0);
    // Targeted announcements reach the newer socket.
    admin.send({ type: 'ANNOUNCEMENT', payload: { message: 'Xin chào', priority: 'low', duration: 5, target_displays: ['tv-lobby'] } });
    assert.equal((await second.next(isType('ANNOUNCEMENT'))).payload.message, 'Xin chào');
    // A connection that drops without a close handshake is a network error.
    second.ws.terminate();
    const gone = await admin.next((f) => f.type === 'CLIENT_DISCONNECTED' && f.payload.client_id === 'tv-lobby');
    assert.equal(gone.payload.reason, 'network_error');
    assert.equal(gone.payload.client_type, 'tv');
  });

  it('gives a display that reconnects after a power cut the current queue at once', async () => {
    const kiosk = await t.newDevice({ kind: 'kiosk' });
    const counter = await w.counter();
    for (let i = 0; i < 4; i++) await w.ticket(kiosk.token, counter.id);
    await t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: t.adminToken, body: {} });
    await t.http('PUT', `/api/queue/counters/${counter.id}/status`, { token: t.adminToken, body: { status: 'paused', reason: 'Đi họp' } });
    const display = await t.newDevice({ kind: 'display' });
    const tv = await w.client(display.token, 'tv', 'tv-after-power-cut');
    const q = await tv.next(ofCounter('QUEUE_UPDATE', counter.id));
    assert.deepEqual(
      { ...q.payload, average_wait_time: 0 },
      { counter_id: counter.id, current_number: 1, waiting_count: 3, next_numbers: [2, 3, 4], average_wait_time: 0, current_display_number: '1', next_display_numbers: ['2', '3', '4'] },
    );
    const st = await tv.next(ofCounter('COUNTER_STATUS_UPDATE', counter.id));
    assert.equal(st.payload.status, 'paused');
    assert.equal(st.payload.reason, 'Đi họp');
    assert.equal(st.payload.affected_tickets, 3);
  });

  it('lists today’s latest calls, newest first, in a TV’s CONNECTION_ACK (kiosks do not get them)', async () => {
    const a = await w.counter({ name: 'Quầy tiếp nhận' });
    const b = await w.counter({ name: 'Quầy trả kết quả' });
    for (let i = 0; i < 3; i++) await w.ticket(t.adminToken, a.id);
    await w.ticket(t.adminToken, b.id);
    const call = async (counterId: number) => {
      t.clock.advance(1000);
      return (await t.http('POST', `/api/queue/counters/${counterId}/call-next`, { token: t.adminToken, body: {} })).body;
    };
    const calls = [await call(a.id), await call(b.id), await call(a.id)];
    const display = await t.newDevice({ kind: 'display' });
    const tv = await t.socket('/ws/queue', { token: display.token });
    tv.send({ type: 'REGISTER_CLIENT', payload: { client_type: 'tv', client_id: 'tv-recent', location: 'hall' } });
    const ack = await tv.next(isType('CONNECTION_ACK'));
    const mine = ack.payload.recent_calls.filter((c: { counter_id: number }) => c.counter_id === a.id || c.counter_id === b.id);
    assert.deepEqual(
      mine.map((c: Record<string, unknown>) => [c.ticket_number, c.counter_name, c.called_at]),
      [calls[2], calls[1], calls[0]].map((c) => [c.ticket_number, c.counter_id === a.id ? 'Quầy tiếp nhận' : 'Quầy trả kết quả', c.called_at]),
    );
    const kiosk = await t.socket('/ws/queue', { token: (await t.newDevice({ kind: 'kiosk' })).token });
    kiosk.send({ type: 'REGISTER_CLIENT', payload: { client_type: 'kiosk', client_id: 'kiosk-no-recent', location: 'hall' } });
    assert.deepEqual(Object.keys((await kiosk.next(isType('CONNECTION_ACK'))).payload).sort(), ['client_id', 'connected_clients', 'server_time']);
  });

  it('answers refusals with the protocol’s error codes and keeps the socket', async () => {
    const counter = await w.counter();
    const other = await w.counter();
    const officer = await w.officer(counter.id);
    const admin = await w.client(t.adminToken, 'admin', 'admin-errors');
    const off = await w.client(officer.token, 'officer', 'officer-errors');
    const cases: Array<[typeof admin, object | string, string]> = [
      [admin, { type: 'CALL_TICKET', payload: { counter_id: 999999 } }, 'COUNTER_NOT_FOUND'],
      [admin, { type: 'CALL_TICKET', payload: { counter_id: counter.id } }, 'QUEUE_EMPTY'],
      [admin, { type: 'CALL_TICKET', payload: { counter_id: counter.id, ticket_number: 77 } }, 'TICKET_NOT_FOUND'],
      [admin, { type: 'CALL_TICKET', payload: { counter_id: 'one' } }, 'INVALID_MESSAGE'],
      [admin, { type: 'COUNTER_STATUS_CHANGE', payload: { counter_id: counter.id, status: 'sleeping' } }, 'INVALID_MESSAGE'],
      [admin, { type: 'NOPE' }, 'INVALID_MESSAGE'],
      [admin, '{not json', 'INVALID_MESSAGE'],
      [off, { type: 'CALL_TICKET', payload: { counter_id: other.id } }, 'FORBIDDEN'],
      [off, { type: 'COUNTER_STATUS_CHANGE', payload: { counter_id: other.id, status: 'paused', reason: 'x' } }, 'FORBIDDEN'],
      [off, { type: 'ANNOUNCEMENT', payload: { message: 'hi', priority: 'low', duration: 5, target_displays: [] } }, 'FORBIDDEN'],
    ];
    for (const [s, message, code] of cases) {
      s.send(message);
      const err = await s.next(isType('ERROR'), 5000, JSON.stringify(message));
      assert.equal(err.payload.error_code, code, JSON.stringify(message));
      assert.deepEqual(Object.keys(err.payload).sort(), ['error_code', 'message', 'timestamp']);
    }
    await w.sync(admin);
    await w.sync(off);
  });

  it('sends the same frames for REST actions: issue, call, recall, skip, complete and a transfer that keeps its place', async () => {
    const a = await w.counter({ name: 'Quầy A' });
    const b = await w.counter({ name: 'Quầy B' });
    const kiosk = await t.newDevice({ kind: 'kiosk' });
    const display = await t.newDevice({ kind: 'display' });
    const tv = await w.client(display.token, 'tv', 'tv-rest');
    const t1 = await w.ticket(kiosk.token, a.id);
    assert.equal((await tv.next(isType('TICKET_CREATED'))).payload.ticket_id, t1.id);
    t.clock.advance(1000);
    const t2 = await w.ticket(kiosk.token, a.id);
    t.clock.advance(1000);
    await w.ticket(kiosk.token, b.id);
    t.clock.advance(1000);
    await w.ticket(kiosk.token, b.id);

    const called = await t.http('POST', `/api/queue/counters/${a.id}/call-next`, { token: t.adminToken, body: {} });
    assert.equal(called.status, 200);
    assert.equal(called.body.ticket_number, 1);
    assert.equal(called.body.status, 'called');
    assert.equal(called.body.announcement.announcement_text, 'Mời khách hàng số 1 đến quầy Quầy A');
    assert.equal((await tv.next(isType('TICKET_ANNOUNCEMENT'))).payload.ticket_number, 1);
    await tv.next((f) => ofCounter('QUEUE_UPDATE', a.id)(f) && f.payload.current_number === 1);

    const recalled = await t.http('POST', `/api/queue/tickets/${t1.id}/recall`, { token: t.adminToken });
    assert.equal(recalled.status, 200);
    assert.equal(recalled.body.recall_count, 1);
    const again = await tv.next(isType('TICKET_ANNOUNCEMENT'));
    assert.equal(again.payload.ticket_number, 1);
    assert.equal(again.payload.audio_url, called.body.announcement.audio_url, 'the cached audio is reused');

    const skipped = await t.http('POST', `/api/queue/tickets/${t1.id}/skip`, { token: t.adminToken });
    assert.equal(skipped.body.status, 'skipped');
    await tv.next(ofCounter('QUEUE_UPDATE', a.id));
    assert.equal((await t.http('POST', `/api/queue/tickets/${t1.id}/complete`, { token: t.adminToken })).status, 409);

    // Ticket 2 of A was issued before B's tickets: at B it goes first.
    const moved = await t.http('POST', `/api/queue/tickets/${t2.id}/transfer`, { token: t.adminToken, body: { counter_id: b.id } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.counter_id, b.id);
    assert.equal(moved.body.ticket_number, 2);
    assert.equal(moved.body.status, 'waiting');
    assert.equal(moved.body.transferred_from_ticket_id, t2.id);
    assert.equal((await t.http('GET', `/api/queue/tickets/${t2.id}`, { token: t.adminToken })).body.status, 'transferred');
    const qa = await tv.next((f) => ofCounter('QUEUE_UPDATE', a.id)(f) && f.payload.waiting_count === 0);
    assert.deepEqual(qa.payload.next_numbers, []);
    const qb = await tv.next((f) => ofCounter('QUEUE_UPDATE', b.id)(f) && f.payload.waiting_count === 3);
    assert.deepEqual(qb.payload.next_numbers, [2, 1, 2]);
    const callB = await t.http('POST', `/api/queue/counters/${b.id}/call-next`, { token: t.adminToken, body: {} });
    assert.equal(callB.body.id, moved.body.id);
    const served = await t.http('POST', `/api/queue/tickets/${moved.body.id}/serve`, { token: t.adminToken });
    assert.equal(served.body.status, 'serving');
    const done = await t.http('POST', `/api/queue/tickets/${moved.body.id}/complete`, { token: t.adminToken });
    assert.equal(done.body.status, 'completed');

    // A custom announcement over REST reaches every TV.
    const sent = await t.http('POST', '/api/queue/announcements', { token: t.adminToken, body: { message: '<i>Nghỉ</i> trưa' } });
    assert.equal(sent.status, 202);
    assert.deepEqual((await tv.next(isType('ANNOUNCEMENT'))).payload, { message: 'Nghỉ trưa', priority: 'medium', duration: 10, target_displays: [] });
  });

  it('never gives two kiosks the same number nor two officers the same ticket (parallel requests)', async () => {
    const counter = await w.counter();
    const kiosks = await Promise.all([t.newDevice({ kind: 'kiosk' }), t.newDevice({ kind: 'kiosk' }), t.newDevice({ kind: 'kiosk' })]);
    const n = 30;
    const issued = await Promise.all(Array.from({ length: n }, (_, i) => t.http('POST', '/api/queue/tickets', { token: kiosks[i % 3].token, body: { counter_id: counter.id } })));
    assert.ok(issued.every((r) => r.status === 201));
    assert.deepEqual(
      issued.map((r) => r.body.ticket_number).sort((x, y) => x - y),
      Array.from({ length: n }, (_, i) => i + 1),
    );

    const officers = [await w.officer(counter.id), await w.officer(counter.id)];
    const calls = await Promise.all(
      Array.from({ length: n + 4 }, (_, i) => t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: i % 3 === 2 ? t.adminToken : officers[i % 2].token, body: {} })),
    );
    const ok = calls.filter((r) => r.status === 200);
    assert.equal(ok.length, n);
    assert.equal(new Set(ok.map((r) => r.body.id)).size, n, 'no ticket was called twice');
    const empty = calls.filter((r) => r.status !== 200);
    assert.equal(empty.length, 4);
    assert.ok(
      empty.every((r) => r.status === 409 && r.body.details.queue_error === 'QUEUE_EMPTY'),
      JSON.stringify(empty.map((r) => r.body)),
    );
  });

  it('keeps officers to their own counter and kiosks bound to a counter to theirs (REST)', async () => {
    const mine = await w.counter();
    const other = await w.counter();
    const officer = await w.officer(mine.id);
    const kiosk = await t.newDevice({ kind: 'kiosk', counter_id: mine.id });
    assert.equal((await t.http('POST', '/api/queue/tickets', { token: kiosk.token, body: { counter_id: other.id } })).status, 403);
    const own = await w.ticket(kiosk.token, mine.id);
    await w.ticket(t.adminToken, other.id);
    assert.equal((await t.http('POST', `/api/queue/counters/${other.id}/call-next`, { token: officer.token, body: {} })).status, 403);
    assert.equal((await t.http('POST', `/api/queue/counters/${mine.id}/call-next`, { token: officer.token, body: {} })).body.id, own.id);
    assert.equal((await t.http('POST', `/api/queue/counters/${mine.id}/call-next`, { token: kiosk.token, body: {} })).status, 403);
    assert.equal((await t.http('PUT', `/api/queue/counters/${other.id}/status`, { token: officer.token, body: { status: 'paused' } })).status, 403);
    assert.equal((await t.http('PUT', `/api/queue/counters/${mine.id}/status`, { token: officer.token, body: { status: 'paused', reason: 'Nghỉ trưa' } })).status, 200);
    assert.equal((await t.http('POST', '/api/queue/tickets', { token: kiosk.token, body: { counter_id: mine.id } })).body.details.queue_error, 'COUNTER_PAUSED');
  });
});
