import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestApp } from '../support/test-app';
import { espeakInstalled, isType, ofCounter, QueueWorld } from './queue-world';

/** Seed 002's morning at one counter, one behaviour per test, each in a hall of its own. */
describe('queue gateway: a morning at one counter', () => {
  let t: TestApp;
  let w: QueueWorld;

  before(async () => {
    t = await TestApp.start({ env: { QUEUE_STATS_INTERVAL_MS: '3600000', QUEUE_STATS_DEBOUNCE_MS: '100' } });
    w = new QueueWorld(t);
  });
  after(() => t.stop());

  it('welcomes a registered client with CONNECTION_ACK and the snapshot of every counter', async () => {
    const counter = await w.counter({ name: 'Phòng tiếp công dân' });
    const admin = await w.client(t.adminToken, 'admin', 'admin-welcome');
    assert.deepEqual((await admin.next(ofCounter('QUEUE_UPDATE', counter.id))).payload, {
      counter_id: counter.id,
      current_number: null,
      waiting_count: 0,
      next_numbers: [],
      average_wait_time: 0,
      current_display_number: null,
      next_display_numbers: [],
    });
    const status = await admin.next(ofCounter('COUNTER_STATUS_UPDATE', counter.id));
    assert.equal(status.payload.status, 'active');
    assert.equal(status.payload.counter_name, 'Phòng tiếp công dân');
  });

  it('accepts a TV’s token at the upgrade, in the query or in the header', async () => {
    const [d1, d2] = [await t.newDevice({ kind: 'display' }), await t.newDevice({ kind: 'display' })];
    const byQuery = await t.socket(`/ws/queue?token=${encodeURIComponent(d1.token)}`);
    const byHeader = await t.socket('/ws/queue', { token: d2.token });
    for (const [s, id] of [
      [byQuery, 'tv-query'],
      [byHeader, 'tv-header'],
    ] as const) {
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
    for (const [id, type] of [
      ['kiosk-arriving', 'kiosk'],
      ['tv-arriving', 'tv'],
    ]) {
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
    assert.deepEqual(Object.keys(onTv.payload).sort(), ['announcement_text', 'audio_url', 'counter_id', 'counter_name', 'display_duration', 'display_number', 'service_id', 'ticket_number']);
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
