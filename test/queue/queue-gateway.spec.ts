import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestApp } from '../support/test-app';
import { espeakInstalled, isType, ofCounter, QueueWorld } from './queue-world';

describe('queue gateway (/ws/queue, seed 002)', () => {
  let t: TestApp;
  let w: QueueWorld;

  before(async () => {
    t = await TestApp.start({ env: { QUEUE_AUTH_TIMEOUT_MS: '4000', QUEUE_STATS_INTERVAL_MS: '3600000', QUEUE_STATS_DEBOUNCE_MS: '100' } });
    w = new QueueWorld(t);
  });
  after(() => t.stop());

  describe('a morning at one counter', () => {
    it('welcomes a registered client with CONNECTION_ACK and the snapshot of every counter', async () => {
      const counter = await w.counter({ name: 'Phòng tiếp công dân' });
      const admin = await w.client(t.adminToken, 'admin', 'admin-welcome');
      assert.deepEqual((await admin.next(ofCounter('QUEUE_UPDATE', counter.id))).payload, { counter_id: counter.id, current_number: null, waiting_count: 0, next_numbers: [], average_wait_time: 0 });
      const status = await admin.next(ofCounter('COUNTER_STATUS_UPDATE', counter.id));
      assert.equal(status.payload.status, 'active');
      assert.equal(status.payload.counter_name, 'Phòng tiếp công dân');
    });

    it('accepts a TV’s token at the upgrade, in the query or in the header', async () => {
      const [d1, d2] = [await t.newDevice({ kind: 'display' }), await t.newDevice({ kind: 'display' })];
      const byQuery = await t.socket(`/ws/queue?token=${encodeURIComponent(d1.token)}`);
      const byHeader = await t.socket('/ws/queue', { token: d2.token });
      for (const [s, id] of [[byQuery, 'tv-query'], [byHeader, 'tv-header']] as const) {
        s.send({ type: 'REGISTER_CLIENT', payload: { client_type: 'tv', client_id: id, location: 'main-hall' } });
        const ack = await s.next(isType('CONNECTION_ACK'));
        assert.equal(ack.payload.client_id, id);
        assert.ok(!Number.isNaN(Date.parse(ack.payload.server_time)));
        assert.ok(ack.payload.connected_clients >= 1);
      }
    });

    it('gives an officer the snapshot of its own counter only', async () => {
      const mine = await w.counter();
      await w.counter();
      const officer = await w.officer(mine.id);
      const s = await w.client(officer.token, 'officer', 'officer-own-snapshot', { user_id: officer.id, role: 'officer', counter_id: mine.id });
      await s.next(ofCounter('COUNTER_STATUS_UPDATE', mine.id));
      await w.sync(s);
      assert.deepEqual([...new Set(s.seen(isType('QUEUE_UPDATE')).map((f) => f.payload.counter_id))], [mine.id]);
    });

    it('tells admins of every client that registers', async () => {
      const h = await w.hall();
      const watcher = await w.client(t.adminToken, 'admin', 'admin-watching-arrivals');
      await w.client((await t.newDevice({ kind: 'kiosk' })).token, 'kiosk', 'kiosk-arriving');
      await w.client((await t.newDevice({ kind: 'display' })).token, 'tv', 'tv-arriving');
      for (const [id, type] of [['kiosk-arriving', 'kiosk'], ['tv-arriving', 'tv']]) {
        const c = await watcher.next((f) => f.type === 'CLIENT_CONNECTED' && f.payload.client_id === id, 5000, `CLIENT_CONNECTED ${id}`);
        assert.equal(c.payload.client_type, type);
        assert.ok(Date.parse(c.payload.timestamp) > 0);
      }
      await h.admin.next((f) => f.type === 'CLIENT_CONNECTED' && f.payload.client_id === 'tv-arriving');
    });

    it('sends a new ticket to the kiosk, every TV and every admin, then the queue to everyone', async () => {
      const h = await w.hall({ counterName: 'Văn phòng đăng ký đất đai', procedureName: 'Đăng ký đất đai' });
      // Fields the server assigns are ignored when a client sends them.
      h.kiosk.send({ type: 'TICKET_CREATED', payload: { counter_id: h.counter.id, procedure_name: 'Đăng ký đất đai', counter_name: 'ignored', ticket_id: 999 } });
      const created = await h.kiosk.next(isType('TICKET_CREATED'));
      assert.equal(created.payload.ticket_number, 1);
      assert.equal(created.payload.counter_id, h.counter.id);
      assert.equal(created.payload.counter_name, 'Văn phòng đăng ký đất đai');
      assert.equal(created.payload.procedure_name, 'Đăng ký đất đai');
      assert.equal(created.payload.estimated_wait_time, 0);
      assert.notEqual(created.payload.ticket_id, 999);
      assert.ok(Date.parse(created.payload.created_at) > 0);
      for (const s of [h.tv, h.admin]) assert.deepEqual((await s.next(isType('TICKET_CREATED'))).payload, created.payload);
      for (const s of h.all) {
        const q = await s.next((f) => ofCounter('QUEUE_UPDATE', h.counter.id)(f) && f.payload.waiting_count === 1);
        assert.deepEqual(q.payload.next_numbers, [1]);
        assert.equal(q.payload.current_number, null);
      }
      await w.sync(h.officerScreen);
      assert.equal(h.officerScreen.seen(isType('TICKET_CREATED')).length, 0, 'officers hear the queue, not the ticket');
    });

    it('estimates the wait of a later ticket from its procedure’s service time, and names the counter’s only procedure', async () => {
      const h = await w.hall({ average_service_time: 10 });
      h.kiosk.send({ type: 'TICKET_CREATED', payload: { counter_id: h.counter.id } });
      await h.kiosk.next(isType('TICKET_CREATED'));
      h.kiosk.send({ type: 'TICKET_CREATED', payload: { counter_id: h.counter.id } });
      const second = await h.kiosk.next(isType('TICKET_CREATED'));
      assert.equal(second.payload.ticket_number, 2);
      assert.equal(second.payload.estimated_wait_time, 10, 'one ahead × 10 minutes');
      assert.equal(second.payload.procedure_name, h.procedure.name);
    });

    it('announces a called ticket to every TV and admin, not to kiosks', async () => {
      const h = await w.hall({ counterName: 'Văn phòng công chứng' });
      await w.ticket(t.adminToken, h.counter.id);
      h.officerScreen.send({ type: 'CALL_TICKET', payload: { counter_id: h.counter.id, called_by: { user_id: 1 } } });
      const [onTv, onAdmin] = [await h.tv.next(isType('TICKET_ANNOUNCEMENT')), await h.admin.next(isType('TICKET_ANNOUNCEMENT'))];
      assert.deepEqual(Object.keys(onTv.payload).sort(), ['announcement_text', 'audio_url', 'counter_id', 'counter_name', 'display_duration', 'ticket_number']);
      assert.equal(onTv.payload.ticket_number, 1);
      assert.equal(onTv.payload.announcement_text, 'Mời khách hàng số 1 đến quầy Văn phòng công chứng');
      assert.equal(onTv.payload.display_duration, 10);
      assert.deepEqual(onAdmin.payload, onTv.payload);
      await w.sync(h.kiosk);
      assert.equal(h.kiosk.seen(isType('TICKET_ANNOUNCEMENT')).length, 0);
    });

    it('speaks the announcement: audio_url plays where a speech engine is installed, and is null where none is', async () => {
      const h = await w.hall();
      await w.ticket(t.adminToken, h.counter.id);
      h.officerScreen.send({ type: 'CALL_TICKET', payload: { counter_id: h.counter.id } });
      const a = (await h.tv.next(isType('TICKET_ANNOUNCEMENT'))).payload;
      if (!espeakInstalled) return assert.equal(a.audio_url, null);
      assert.ok(a.audio_url.startsWith(`${t.config.http.publicUrl}/api/queue/audio/`), a.audio_url);
      const audio = await fetch(t.baseUrl + new URL(a.audio_url).pathname);
      assert.equal(audio.status, 200);
      assert.match(audio.headers.get('content-type') ?? '', /audio\/(wav|x-wav|wave)/);
      const bytes = Buffer.from(await audio.arrayBuffer());
      assert.equal(bytes.subarray(0, 4).toString('latin1'), 'RIFF');
      assert.equal(bytes.subarray(8, 12).toString('latin1'), 'WAVE');
      assert.ok(bytes.length > 1000);
    });

    it('shows every client the called number and the shorter queue', async () => {
      const h = await w.hall();
      await w.ticket(t.adminToken, h.counter.id);
      await w.ticket(t.adminToken, h.counter.id);
      h.officerScreen.send({ type: 'CALL_TICKET', payload: { counter_id: h.counter.id } });
      for (const s of h.all) {
        const q = await s.next((f) => ofCounter('QUEUE_UPDATE', h.counter.id)(f) && f.payload.current_number === 1);
        assert.equal(q.payload.waiting_count, 1);
        assert.deepEqual(q.payload.next_numbers, [2]);
      }
    });

    it('sends an ANNOUNCEMENT only to the TVs it names, stripped of markup', async () => {
      const h = await w.hall();
      const other = await w.client((await t.newDevice({ kind: 'display' })).token, 'tv', 'tv-not-targeted');
      h.admin.send({ type: 'ANNOUNCEMENT', payload: { message: '<b>Thông báo:</b> bảo trì<script>alert(1)</script> từ 12:00\u0007', priority: 'high', duration: 30, target_displays: [h.ids.tv] } });
      const ann = await h.tv.next(isType('ANNOUNCEMENT'));
      assert.deepEqual(ann.payload, { message: 'Thông báo: bảo trì từ 12:00', priority: 'high', duration: 30, target_displays: [h.ids.tv] });
      for (const s of [other, h.kiosk]) {
        await w.sync(s);
        assert.equal(s.seen(isType('ANNOUNCEMENT')).length, 0);
      }
    });

    it('tells everyone a counter paused, with the plain-text reason and who paused it', async () => {
      const h = await w.hall();
      await w.ticket(t.adminToken, h.counter.id);
      h.admin.send({ type: 'COUNTER_STATUS_CHANGE', payload: { counter_id: h.counter.id, status: 'paused', reason: 'Nghỉ trưa<img src=x onerror=alert(1)>', changed_by: { username: 'forged' } } });
      for (const s of h.all) {
        const u = await s.next((f) => ofCounter('COUNTER_STATUS_UPDATE', h.counter.id)(f) && f.payload.status === 'paused');
        assert.equal(u.payload.reason, 'Nghỉ trưa');
        assert.equal(u.payload.changed_by, 'Administrator');
        assert.equal(u.payload.affected_tickets, 1);
        assert.equal(u.payload.counter_name, h.counter.name);
      }
    });

    it('refuses tickets and calls at a paused counter until its officer resumes it', async () => {
      const h = await w.hall();
      await w.ticket(t.adminToken, h.counter.id);
      await t.http('PUT', `/api/queue/counters/${h.counter.id}/status`, { token: t.adminToken, body: { status: 'paused', reason: 'Đi họp' } });
      h.kiosk.send({ type: 'TICKET_CREATED', payload: { counter_id: h.counter.id } });
      assert.equal((await h.kiosk.next(isType('ERROR'))).payload.error_code, 'COUNTER_PAUSED');
      h.officerScreen.send({ type: 'CALL_TICKET', payload: { counter_id: h.counter.id } });
      assert.equal((await h.officerScreen.next(isType('ERROR'))).payload.error_code, 'COUNTER_PAUSED');
      h.officerScreen.send({ type: 'COUNTER_STATUS_CHANGE', payload: { counter_id: h.counter.id, status: 'active', reason: '' } });
      await h.kiosk.next((f) => ofCounter('COUNTER_STATUS_UPDATE', h.counter.id)(f) && f.payload.status === 'active');
      h.kiosk.send({ type: 'TICKET_CREATED', payload: { counter_id: h.counter.id } });
      assert.equal((await h.kiosk.next(isType('TICKET_CREATED'))).payload.ticket_number, 2);
    });

    it('refuses a kiosk that calls a ticket with FORBIDDEN and keeps its socket', async () => {
      const h = await w.hall();
      h.kiosk.send({ type: 'CALL_TICKET', payload: { counter_id: h.counter.id } });
      const forbidden = await h.kiosk.next(isType('ERROR'));
      assert.equal(forbidden.payload.error_code, 'FORBIDDEN');
      assert.ok(Date.parse(forbidden.payload.timestamp) > 0);
      await w.sync(h.kiosk);
    });

    it('sends admins statistics soon after a change', async () => {
      const h = await w.hall();
      await w.ticket(t.adminToken, h.counter.id);
      const stats = await h.admin.next((f) => f.type === 'STATS_UPDATE' && f.payload.total_tickets_today >= 1);
      assert.ok(Date.parse(stats.payload.timestamp) > 0);
      assert.equal(typeof stats.payload.average_wait_time, 'number');
      assert.ok(stats.payload.active_counters >= 1);
      assert.equal(typeof stats.payload.busiest_counter.queue_length, 'number');
    });

    it('tells admins that a TV closed its socket (manual_disconnect)', async () => {
      const h = await w.hall();
      const id = h.ids.tv;
      h.tv.close();
      const gone = await h.admin.next((f) => f.type === 'CLIENT_DISCONNECTED' && f.payload.client_id === id);
      assert.equal(gone.payload.reason, 'manual_disconnect');
      assert.equal(gone.payload.client_type, 'tv');
    });
  });

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
    assert.deepEqual({ ...q.payload, average_wait_time: 0 }, { counter_id: counter.id, current_number: 1, waiting_count: 3, next_numbers: [2, 3, 4], average_wait_time: 0 });
    const st = await tv.next(ofCounter('COUNTER_STATUS_UPDATE', counter.id));
    assert.equal(st.payload.status, 'paused');
    assert.equal(st.payload.reason, 'Đi họp');
    assert.equal(st.payload.affected_tickets, 3);
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
    assert.deepEqual(issued.map((r) => r.body.ticket_number).sort((x, y) => x - y), Array.from({ length: n }, (_, i) => i + 1));

    const officers = [await w.officer(counter.id), await w.officer(counter.id)];
    const calls = await Promise.all(
      Array.from({ length: n + 4 }, (_, i) => t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: i % 3 === 2 ? t.adminToken : officers[i % 2].token, body: {} })),
    );
    const ok = calls.filter((r) => r.status === 200);
    assert.equal(ok.length, n);
    assert.equal(new Set(ok.map((r) => r.body.id)).size, n, 'no ticket was called twice');
    const empty = calls.filter((r) => r.status !== 200);
    assert.equal(empty.length, 4);
    assert.ok(empty.every((r) => r.status === 409 && r.body.details.queue_error === 'QUEUE_EMPTY'), JSON.stringify(empty.map((r) => r.body)));
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
