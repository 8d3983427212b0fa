import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../src/common/app-error';
import { queueErrorCode } from '../../src/queue/queue.codec';
import { TestApp } from '../support/test-app';
import { isType, ofCounter, QueueWorld } from './queue-world';

describe('queue REST: counters, procedures, tickets, stats', () => {
  let t: TestApp;
  let w: QueueWorld;

  before(async () => {
    t = await TestApp.start({ env: { QUEUE_STATS_INTERVAL_MS: '3600000', QUEUE_STATS_DEBOUNCE_MS: '150' } });
    w = new QueueWorld(t);
  });
  after(() => t.stop());

  it('creates, lists, updates and deletes counters with their procedures and officers', async () => {
    const p1 = await w.procedure({ name: 'Cấp giấy phép xây dựng', average_service_time: 15 });
    const p2 = await w.procedure({ name: 'Chứng thực bản sao', average_service_time: 5 });
    const officer = await t.newUser({ role: 'officer' });
    const created = await t.http('POST', '/api/queue/counters', {
      token: t.adminToken,
      body: { name: '  <b>Quầy</b> 1\u0000 ', procedures: [p1.id, p2.id], officer_ids: [officer.id] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.name, 'Quầy 1', 'names are plain text');
    assert.equal(created.body.status, 'active');
    assert.deepEqual(
      created.body.procedures.map((p: { name: string }) => p.name),
      ['Cấp giấy phép xây dựng', 'Chứng thực bản sao'],
    );
    assert.deepEqual(created.body.officer_ids, [officer.id]);
    const id = created.body.id;
    assert.equal(typeof id, 'number');

    const kiosk = await t.newDevice({ kind: 'kiosk' });
    const listed = await t.http('GET', '/api/queue/counters', { token: kiosk.token });
    assert.equal(listed.status, 200);
    assert.ok(listed.body.some((c: { id: number }) => c.id === id));
    assert.equal((await t.http('POST', '/api/queue/counters', { token: kiosk.token, body: { name: 'x' } })).status, 403);
    assert.equal((await t.http('POST', '/api/queue/counters', { token: t.adminToken, body: { name: 'Quầy 1' } })).status, 409);
    assert.equal((await t.http('POST', '/api/queue/counters', { token: t.adminToken, body: { name: 'Quầy 9', procedures: [999999] } })).status, 400);
    assert.equal((await t.http('POST', '/api/queue/counters', { token: t.adminToken, body: { name: 'Quầy 9', officer_ids: [unknownUserId()] } })).status, 400);
    assert.equal((await t.http('POST', '/api/queue/counters', { token: t.adminToken, body: { name: 'Quầy 9', status: 'sleeping' } })).status, 400);

    // Moving the officer: one counter per officer.
    const second = await w.counter({ name: 'Quầy 2', officer_ids: [officer.id] });
    assert.deepEqual((await t.http('GET', `/api/queue/counters/${id}`, { token: t.adminToken })).body.officer_ids, []);
    assert.deepEqual((await t.http('GET', `/api/queue/counters/${second.id}`, { token: t.adminToken })).body.officer_ids, [officer.id]);

    const display = await t.newDevice({ kind: 'display' });
    const tv = await w.client(display.token, 'tv', 'tv-crud');
    const renamed = await t.http('PATCH', `/api/queue/counters/${id}`, { token: t.adminToken, body: { name: 'Quầy Một', procedures: [p2.id] } });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'Quầy Một');
    assert.deepEqual(
      renamed.body.procedures.map((p: { id: number }) => p.id),
      [p2.id],
    );
    assert.equal((await tv.next((f) => ofCounter('COUNTER_STATUS_UPDATE', id)(f) && f.payload.counter_name === 'Quầy Một')).payload.status, 'active');

    const removed = await t.http('DELETE', `/api/queue/counters/${id}`, { token: t.adminToken });
    assert.equal(removed.status, 204);
    assert.equal((await t.http('GET', `/api/queue/counters/${id}`, { token: t.adminToken })).status, 404);
    const gone = await tv.next((f) => ofCounter('COUNTER_STATUS_UPDATE', id)(f) && f.payload.removed === true);
    assert.equal(gone.payload.status, 'offline');
  });

  it('creates, lists, updates and deletes procedures; a ticket names one its counter serves', async () => {
    const p = await w.procedure({ name: 'Hộ tịch', average_service_time: 8 });
    assert.equal((await t.http('PATCH', `/api/queue/procedures/${p.id}`, { token: t.adminToken, body: { average_service_time: 12 } })).body.average_service_time, 12);
    assert.equal((await t.http('POST', '/api/queue/procedures', { token: t.adminToken, body: { name: 'Hộ tịch', average_service_time: 3 } })).status, 409);
    assert.equal((await t.http('POST', '/api/queue/procedures', { token: t.adminToken, body: { name: 'X', average_service_time: 0 } })).status, 400);
    const counter = await w.counter({ procedures: [p.id] });
    const unknown = await t.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { counter_id: counter.id, procedure_name: 'Không có' } });
    assert.equal(unknown.status, 400);
    const named = await t.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { counter_id: counter.id, procedure_name: 'hộ tịch' } });
    assert.equal(named.status, 201);
    assert.equal(named.body.procedure_name, 'Hộ tịch');
    assert.ok((await t.http('GET', '/api/queue/procedures', { token: t.adminToken })).body.some((x: { id: number }) => x.id === p.id));
    assert.equal((await t.http('DELETE', `/api/queue/procedures/${p.id}`, { token: t.adminToken })).status, 204);
    assert.equal((await t.http('GET', `/api/queue/tickets/${named.body.id}`, { token: t.adminToken })).body.procedure_name, 'Hộ tịch', 'tickets keep the name');
  });

  it('lists tickets with filters and refuses what the contract refuses', async () => {
    const counter = await w.counter();
    const kiosk = await t.newDevice({ kind: 'kiosk' });
    for (let i = 0; i < 3; i++) await w.ticket(kiosk.token, counter.id);
    await t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: t.adminToken, body: {} });
    const waiting = await t.http('GET', `/api/queue/tickets?counter_id=${counter.id}&status=waiting`, { token: t.adminToken });
    assert.deepEqual(
      waiting.body.map((x: { ticket_number: number }) => x.ticket_number),
      [2, 3],
    );
    const byNumber = await t.http('GET', `/api/queue/tickets?counter_id=${counter.id}&number=1`, { token: t.adminToken });
    assert.equal(byNumber.body[0].status, 'called');
    assert.equal((await t.http('GET', '/api/queue/tickets?status=nope', { token: t.adminToken })).status, 400);
    assert.equal((await t.http('GET', '/api/queue/tickets', { token: kiosk.token })).status, 403);
    assert.equal((await t.http('GET', '/api/queue/tickets/999999', { token: t.adminToken })).status, 404);
    assert.equal((await t.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { counter_id: 999999 } })).status, 404);
    assert.equal((await t.http('POST', '/api/queue/tickets', { token: (await t.newUser({ role: 'officer' })).token, body: { counter_id: counter.id } })).status, 403);
    assert.equal((await t.http('POST', '/api/queue/tickets', { body: { counter_id: counter.id } })).status, 401);
    assert.equal((await t.http('GET', '/api/queue/audio/../../etc/passwd')).status, 404);
    assert.equal((await t.http('GET', `/api/queue/audio/${'a'.repeat(64)}.wav`)).status, 404);
  });

  it('sends STATS_UPDATE soon after changes, one for a burst rather than one per ticket', async () => {
    const counter = await w.counter();
    const admin = await w.client(t.adminToken, 'admin', 'admin-stats');
    const kiosk = await t.newDevice({ kind: 'kiosk' });
    const before = (await t.http('GET', '/api/queue/stats', { token: t.adminToken })).body.total_tickets_today;
    await w.sync(admin);
    const already = admin.seen(isType('STATS_UPDATE')).length;
    const burst = 12;
    await Promise.all(Array.from({ length: burst }, () => w.ticket(kiosk.token, counter.id)));
    const stats = await admin.next((f) => f.type === 'STATS_UPDATE' && f.payload.total_tickets_today === before + burst);
    assert.deepEqual(stats.payload.busiest_counter, { id: counter.id, name: counter.name, queue_length: burst });
    await w.sync(admin);
    assert.ok(admin.seen(isType('STATS_UPDATE')).length - already < burst - 1, 'debounced');
    const rest = await t.http('GET', '/api/queue/stats', { token: t.adminToken });
    assert.equal(rest.body.total_tickets_today, before + burst);
    assert.equal((await t.http('GET', '/api/queue/stats', { token: kiosk.token })).status, 403);
  });

  it('lists every queue route and DTO in the OpenAPI document', async () => {
    const doc = (await t.http('GET', '/docs-json')).body;
    for (const path of [
      '/api/queue/counters',
      '/api/queue/counters/{id}',
      '/api/queue/counters/{id}/status',
      '/api/queue/counters/{id}/call-next',
      '/api/queue/procedures',
      '/api/queue/procedures/{id}',
      '/api/queue/tickets',
      '/api/queue/tickets/{id}',
      '/api/queue/tickets/{id}/recall',
      '/api/queue/tickets/{id}/skip',
      '/api/queue/tickets/{id}/complete',
      '/api/queue/tickets/{id}/transfer',
      '/api/queue/announcements',
      '/api/queue/stats',
      '/api/queue/audio/{file}',
    ]) {
      assert.ok(doc.paths[path], path);
    }
    for (const dto of ['CreateCounterDto', 'CounterStatusDto', 'CreateProcedureDto', 'CreateTicketDto', 'TransferTicketDto', 'AnnouncementDto', 'CalledTicketDto'])
      assert.ok(doc.components.schemas[dto], dto);
  });
});

describe('queue statistics interval', () => {
  it('sends STATS_UPDATE to admins every QUEUE_STATS_INTERVAL_MS, also when nothing changes', async () => {
    const t = await TestApp.start({ env: { QUEUE_STATS_INTERVAL_MS: '150', QUEUE_STATS_DEBOUNCE_MS: '60000' } });
    try {
      const w = new QueueWorld(t);
      const admin = await w.client(t.adminToken, 'admin', 'admin-interval');
      const display = await t.newDevice({ kind: 'display' });
      const tv = await w.client(display.token, 'tv', 'tv-interval');
      const first = await admin.next(isType('STATS_UPDATE'), 3000);
      assert.deepEqual(Object.keys(first.payload).sort(), ['active_counters', 'average_wait_time', 'busiest_counter', 'timestamp', 'total_tickets_today']);
      await admin.next(isType('STATS_UPDATE'), 3000);
      await w.sync(tv);
      assert.equal(tv.seen(isType('STATS_UPDATE')).length, 0, 'admins only');
    } finally {
      await t.stop();
    }
  });
});

describe('queue client disconnect reasons', () => {
  it('reports a display that stopped answering heartbeats as timeout', async () => {
    // Long enough that a loaded test machine's pauses do not time out the admin's socket too.
    const t = await TestApp.start({ env: { WS_HEARTBEAT_MS: '1000' } });
    try {
      const w = new QueueWorld(t);
      const admin = await w.client(t.adminToken, 'admin', 'admin-heartbeat');
      const display = await t.newDevice({ kind: 'display' });
      // A raw client that never answers the server's pings (a frozen TV).
      const frozen = new WebSocket(`${t.wsBase}/ws/queue?token=${encodeURIComponent(display.token)}`, { autoPong: false });
      await new Promise((resolve, reject) => frozen.once('open', resolve).once('error', reject));
      frozen.send(JSON.stringify({ type: 'REGISTER_CLIENT', payload: { client_type: 'tv', client_id: 'tv-frozen', location: 'hall' } }));
      const gone = await admin.next((f) => f.type === 'CLIENT_DISCONNECTED' && f.payload.client_id === 'tv-frozen', 10_000);
      assert.equal(gone.payload.reason, 'timeout');
      frozen.terminate();
    } finally {
      await t.stop();
    }
  });
});

describe('queue codec', () => {
  it('maps every error code onto the protocol’s ERROR codes', () => {
    const expected: Record<ErrorCode, string> = {
      [ErrorCode.UNAUTHENTICATED]: 'AUTH_FAILED',
      [ErrorCode.AUTH_TIMEOUT]: 'AUTH_FAILED',
      [ErrorCode.RATE_LIMITED]: 'RATE_LIMITED',
      [ErrorCode.TOO_MANY_CONNECTIONS]: 'RATE_LIMITED',
      [ErrorCode.FORBIDDEN]: 'FORBIDDEN',
      [ErrorCode.EVENTS_NOT_ALLOWED]: 'FORBIDDEN',
      [ErrorCode.VALIDATION_FAILED]: 'INVALID_MESSAGE',
      [ErrorCode.PAYLOAD_TOO_LARGE]: 'INVALID_MESSAGE',
      [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 'INVALID_MESSAGE',
      [ErrorCode.BAD_HANDSHAKE]: 'INVALID_MESSAGE',
      [ErrorCode.NOT_FOUND]: 'INVALID_MESSAGE',
      [ErrorCode.CONFLICT]: 'INVALID_MESSAGE',
      [ErrorCode.UNAVAILABLE]: 'INVALID_MESSAGE',
      [ErrorCode.INTERNAL]: 'INVALID_MESSAGE',
      [ErrorCode.COUNTER_NOT_FOUND]: 'COUNTER_NOT_FOUND',
      [ErrorCode.TICKET_NOT_FOUND]: 'TICKET_NOT_FOUND',
      [ErrorCode.QUEUE_EMPTY]: 'QUEUE_EMPTY',
      [ErrorCode.COUNTER_PAUSED]: 'COUNTER_PAUSED',
    };
    for (const [code, wire] of Object.entries(expected)) assert.equal(queueErrorCode(code as ErrorCode), wire, code);
  });
});

/** A syntactically valid user id nobody has. */
function unknownUserId(): string {
  return '00000000-0000-4000-8000-000000000000';
}
