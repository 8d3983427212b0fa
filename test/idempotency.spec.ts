import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { IdempotencyService } from '../src/common/idempotency.service';
import { form, PNG, JPEG } from './attendance/attendance-helpers';
import { ChatWorld, isError, isMessage, settle } from './chat/chat-world';
import { isType, QueueWorld } from './queue/queue-world';
import { FakeClock } from './support/fake-clock';
import { TestApp, TestUser } from './support/test-app';
import { TestSocket } from './support/ws-client';

const HOUR = 3_600_000;
const KEY = 'Idempotency-Key';

/** Retries after a drop: the same client_message_id, request_id or Idempotency-Key acts once. */
describe('idempotent writes', () => {
  let t: TestApp;
  let chat: ChatWorld;
  let queue: QueueWorld;

  before(async () => {
    t = await TestApp.start({ clock: new FakeClock(new Date('2026-03-09T03:00:00Z')), env: { JWT_ACCESS_TTL: '2592000' } });
    chat = new ChatWorld(t);
    queue = new QueueWorld(t);
  });
  afterEach(() => chat.closeAll());
  after(() => t.stop());

  const history = async (user: TestUser, conversationId: string) =>
    (await t.http('GET', `/api/chat/conversations/${conversationId}/messages`, { token: user.token })).body.items as Array<{ id: string; content: string }>;
  const tickets = async (counterId: number) => (await t.http('GET', `/api/queue/tickets?counter_id=${counterId}`, { token: t.adminToken })).body as Array<{ id: number }>;

  describe('chat client_message_id', () => {
    it('a resend after a drop stores and broadcasts nothing new, and the sender gets the original message', async () => {
      const [ana, bo] = [await chat.member(), await chat.member()];
      const conv = await chat.conversation(ana, [bo]);
      let anaSocket = await chat.connect(ana);
      const boSocket = await chat.connect(bo);
      const frame = { conversation_id: conv.id, content: 'On my way', client_message_id: 'cm-1' };

      anaSocket.send(frame);
      const original = await boSocket.next(isMessage({ content: 'On my way' }));
      // The drop: Ana's socket goes before she could see her message come back.
      anaSocket.close();
      await anaSocket.waitClose();
      anaSocket = await chat.connect(ana);
      anaSocket.send(frame);
      const again = await anaSocket.next(isMessage({ content: 'On my way' }));
      assert.deepEqual(again, original, 'the original message, as a seed client sees it');

      await settle(boSocket, anaSocket);
      assert.equal(boSocket.seen(isMessage()).length, 0, 'the other participant heard it once');
      assert.equal(anaSocket.seen(isMessage()).length, 0, 'the retrying socket got one reply');
      assert.deepEqual(
        (await history(ana, conv.id)).map((m) => m.id),
        [original.id],
      );
    });

    it('gives a sync client the original with its sync fields; an id sent over REST is the same message on the socket', async () => {
      const [ana, bo] = [await chat.member(), await chat.member()];
      const conv = await chat.conversation(ana, [bo]);
      const posted = await t.http('POST', `/api/chat/conversations/${conv.id}/messages`, { token: ana.token, body: { content: 'Hi', client_message_id: 'cm-rest' } });
      assert.equal(posted.status, 201);
      const repeat = await t.http('POST', `/api/chat/conversations/${conv.id}/messages`, { token: ana.token, body: { content: 'Hi', client_message_id: 'cm-rest' } });
      assert.deepEqual(repeat.body, posted.body, 'REST returns the original message');

      const sync = await chat.connectSync(ana);
      sync.send({ conversation_id: conv.id, content: 'Hi', client_message_id: 'cm-rest' });
      const reply = await sync.next(isMessage({ id: posted.body.id }));
      assert.equal(reply.seq, posted.body.seq);
      assert.equal((await history(ana, conv.id)).length, 1);
    });

    it('is per sender and per conversation; a different message under a used id is refused and stores nothing', async () => {
      const [ana, bo] = [await chat.member(), await chat.member()];
      const conv = await chat.conversation(ana, [bo]);
      const other = await chat.conversation(ana, [bo], 'Other');
      const send = (u: TestUser, c: string, content: string) => t.http('POST', `/api/chat/conversations/${c}/messages`, { token: u.token, body: { content, client_message_id: 'same' } });
      assert.equal((await send(ana, conv.id, 'one')).status, 201);
      assert.equal((await send(bo, conv.id, 'two')).status, 201, 'another sender may use the same id');
      assert.equal((await send(ana, other.id, 'three')).status, 201, 'so may the same sender in another conversation');
      const reused = await send(ana, conv.id, 'not one');
      assert.equal(reused.status, 409);
      assert.equal(reused.body.details.reason, 'key_reused');

      const s = await chat.connect(ana);
      s.send({ conversation_id: conv.id, content: 'not one either', client_message_id: 'same' });
      const err = await s.next(isError());
      assert.match(err.message, /different request/);
      assert.deepEqual((await history(ana, conv.id)).map((m) => m.content).sort(), ['one', 'two']);
    });

    it('changes nothing for a seed client that sends no id: every send is a new message', async () => {
      const [ana, bo] = [await chat.member(), await chat.member()];
      const conv = await chat.conversation(ana, [bo]);
      const s = await chat.connect(ana);
      s.send({ conversation_id: conv.id, content: 'twice' });
      s.send({ conversation_id: conv.id, content: 'twice' });
      const [a, b] = [await s.next(isMessage()), await s.next(isMessage())];
      assert.notEqual(a.id, b.id);
      assert.deepEqual(Object.keys(a).sort(), ['content', 'conversation_id', 'created_at', 'id', 'is_deleted', 'is_edited', 'message_type', 'sender_id']);
    });

    it('makes one message of concurrent sends with one id', async () => {
      const [ana, bo] = [await chat.member(), await chat.member()];
      const conv = await chat.conversation(ana, [bo]);
      const results = await Promise.all(
        Array.from({ length: 8 }, () => t.http('POST', `/api/chat/conversations/${conv.id}/messages`, { token: ana.token, body: { content: 'race', client_message_id: 'cm-race' } })),
      );
      assert.deepEqual(
        results.map((r) => r.status),
        Array(8).fill(201),
      );
      assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
      assert.equal((await history(ana, conv.id)).length, 1);
    });
  });

  describe('queue TICKET_CREATED request_id', () => {
    it('a kiosk resending after a drop gets its original ticket; TVs hear of one ticket', async () => {
      const hall = await queue.hall();
      const kioskDevice = await t.newDevice({ kind: 'kiosk' });
      let kiosk = await queue.client(kioskDevice.token, 'kiosk', `kiosk-retry-${randomUUID()}`);
      const message = { type: 'TICKET_CREATED', payload: { counter_id: hall.counter.id, request_id: 'rq-1' } };

      kiosk.send(message);
      const first = await kiosk.next(isType('TICKET_CREATED'));
      kiosk.close();
      await kiosk.waitClose();
      kiosk = await queue.client(kioskDevice.token, 'kiosk', `kiosk-retry-${randomUUID()}`);
      kiosk.send(message);
      const again = await kiosk.next(isType('TICKET_CREATED'));
      assert.deepEqual(again.payload, first.payload, 'the original ticket');

      await queue.sync(hall.tv);
      await queue.sync(kiosk);
      assert.equal(hall.tv.seen(isType('TICKET_CREATED')).length, 1, 'the TV heard one ticket');
      assert.equal(hall.tv.seen(isType('QUEUE_UPDATE')).length, 1, 'and one queue change');
      assert.equal(kiosk.seen(isType('QUEUE_UPDATE')).filter((f) => f.payload.waiting_count > 1).length, 0);
      assert.deepEqual(
        (await tickets(hall.counter.id)).map((x) => x.id),
        [first.payload.ticket_id],
      );
    });

    it('answers an admin’s retry too (an admin hears the first as a broadcast); without an id every message is a ticket', async () => {
      const hall = await queue.hall();
      hall.admin.send({ type: 'TICKET_CREATED', payload: { counter_id: hall.counter.id, request_id: 'rq-admin' } });
      const first = await hall.admin.next(isType('TICKET_CREATED'));
      hall.admin.send({ type: 'TICKET_CREATED', payload: { counter_id: hall.counter.id, request_id: 'rq-admin' } });
      assert.equal((await hall.admin.next(isType('TICKET_CREATED'))).payload.ticket_id, first.payload.ticket_id);

      hall.kiosk.send({ type: 'TICKET_CREATED', payload: { counter_id: hall.counter.id } });
      hall.kiosk.send({ type: 'TICKET_CREATED', payload: { counter_id: hall.counter.id } });
      const [a, b] = [await hall.kiosk.next(isType('TICKET_CREATED')), await hall.kiosk.next(isType('TICKET_CREATED'))];
      assert.notEqual(a.payload.ticket_id, b.payload.ticket_id);
      assert.equal((await tickets(hall.counter.id)).length, 3);
    });

    it('refuses a used request_id for another counter, and makes one ticket of concurrent sends from two sockets', async () => {
      const hall = await queue.hall();
      const other = await queue.counter({ procedures: [hall.procedure.id] });
      hall.kiosk.send({ type: 'TICKET_CREATED', payload: { counter_id: hall.counter.id, request_id: 'rq-2' } });
      await hall.kiosk.next(isType('TICKET_CREATED'));
      hall.kiosk.send({ type: 'TICKET_CREATED', payload: { counter_id: other.id, request_id: 'rq-2' } });
      const err = await hall.kiosk.next(isType('ERROR'));
      assert.equal(err.payload.error_code, 'INVALID_MESSAGE');
      assert.match(err.payload.message, /different request/);
      assert.equal((await tickets(other.id)).length, 0);

      const device = await t.newDevice({ kind: 'kiosk' });
      const pair: TestSocket[] = [await queue.client(device.token, 'kiosk', `k-a-${randomUUID()}`), await queue.client(device.token, 'kiosk', `k-b-${randomUUID()}`)];
      for (const s of pair) s.send({ type: 'TICKET_CREATED', payload: { counter_id: other.id, request_id: 'rq-race' } });
      const got = await Promise.all(pair.map((s) => s.next(isType('TICKET_CREATED'))));
      assert.equal(got[0].payload.ticket_id, got[1].payload.ticket_id);
      assert.equal((await tickets(other.id)).length, 1);
    });
  });

  describe('Idempotency-Key on REST', () => {
    it('replays the first response of a ticket request without issuing another', async () => {
      const hall = await queue.hall();
      const key = randomUUID();
      const post = (body: object, token = t.adminToken) => t.http('POST', '/api/queue/tickets', { token, body, headers: { [KEY]: key } });
      const first = await post({ counter_id: hall.counter.id });
      assert.equal(first.status, 201);
      assert.equal(first.headers.get('idempotent-replayed'), null);
      const again = await post({ counter_id: hall.counter.id });
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body, first.body);
      assert.equal((await tickets(hall.counter.id)).length, 1);

      await queue.sync(hall.tv);
      assert.equal(hall.tv.seen(isType('TICKET_CREATED')).length, 1, 'one ticket announced');

      const reused = await post({ counter_id: hall.counter.id, procedure_name: hall.procedure.name });
      assert.equal(reused.status, 409);
      assert.equal(reused.body.details.reason, 'key_reused');
      const leader = await t.newUser({ role: 'leader' });
      assert.equal((await post({ counter_id: hall.counter.id }, leader.token)).status, 201, 'keys are per principal: another caller’s key is its own');
      assert.equal((await tickets(hall.counter.id)).length, 2);
    });

    it('frees the key of a request that failed, so a retry runs it', async () => {
      const hall = await queue.hall();
      const key = randomUUID();
      assert.equal((await t.http('PUT', `/api/queue/counters/${hall.counter.id}/status`, { token: t.adminToken, body: { status: 'paused', reason: 'Nghỉ trưa' } })).status, 200);
      const refused = await t.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { counter_id: hall.counter.id }, headers: { [KEY]: key } });
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error, 'CONFLICT');
      assert.equal((await t.http('PUT', `/api/queue/counters/${hall.counter.id}/status`, { token: t.adminToken, body: { status: 'active', reason: '' } })).status, 200);
      const retried = await t.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { counter_id: hall.counter.id }, headers: { [KEY]: key } });
      assert.equal(retried.status, 201);
      assert.equal(retried.headers.get('idempotent-replayed'), null);
    });

    it('refuses a key that is not one', async () => {
      const hall = await queue.hall();
      const r = await t.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { counter_id: hall.counter.id }, headers: { [KEY]: 'x'.repeat(201) } });
      assert.equal(r.status, 400);
      assert.match(r.body.message, /Idempotency-Key/);
      assert.equal((await tickets(hall.counter.id)).length, 0);
    });

    it('makes one ticket of concurrent requests with one key: the others replay it or get 409 in_progress', async () => {
      const hall = await queue.hall();
      const key = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 10 }, () => t.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { counter_id: hall.counter.id }, headers: { [KEY]: key } })),
      );
      const made = results.filter((r) => r.status === 201);
      assert.ok(made.length >= 1);
      assert.equal(new Set(made.map((r) => r.body.id)).size, 1);
      for (const r of results.filter((x) => x.status !== 201)) {
        assert.equal(r.status, 409);
        assert.equal(r.body.details.reason, 'in_progress');
        assert.equal(r.headers.get('retry-after'), '1');
      }
      assert.equal((await tickets(hall.counter.id)).length, 1);
    });

    it('makes one chat message and one check-in of a retried request', async () => {
      const [ana, bo] = [await chat.member(), await chat.member()];
      const conv = await chat.conversation(ana, [bo]);
      const key = randomUUID();
      const send = () => t.http('POST', `/api/chat/conversations/${conv.id}/messages`, { token: ana.token, body: { content: 'keyed' }, headers: { [KEY]: key } });
      const first = await send();
      const again = await send();
      assert.deepEqual([first.status, again.status], [201, 201]);
      assert.deepEqual(again.body, first.body);
      assert.equal((await history(ana, conv.id)).length, 1);

      const now = t.clock.now();
      const session = await t.http('POST', '/api/event-sessions', {
        token: ana.token,
        body: { name: 'Retro', starts_at: new Date(now - HOUR).toISOString(), ends_at: new Date(now + HOUR).toISOString() },
      });
      assert.equal((await t.http('POST', `/api/event-sessions/${session.body.id}/registrations`, { token: ana.token, body: { user_id: bo.id } })).status, 201);
      const dashboard = await t.socket(`/ws/dashboard/${session.body.id}`);
      const checkKey = randomUUID();
      const checkIn = () => t.http('POST', `/api/event-sessions/${session.body.id}/check-ins`, { token: ana.token, body: { user_id: bo.id }, headers: { [KEY]: checkKey } });
      const done = await checkIn();
      const replay = await checkIn();
      assert.deepEqual([done.status, replay.status], [201, 201], 'without the key the second would be a recorded unsuccessful attempt (200)');
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(replay.body, done.body);
      await dashboard.next((f) => f.success === true);
      const list = await t.http('GET', `/api/event-sessions/${session.body.id}/check-ins`, { token: ana.token });
      assert.equal(list.body.items.length, 1, 'one attempt recorded');
      assert.equal(dashboard.seen(() => true).length, 0, 'one frame on the dashboard');
    });

    it('makes one attendance record and one recognition of a retried upload; another image under the key is refused', async () => {
      const camera = await t.newDevice({ kind: 'camera' });
      const employee = await t.http('POST', '/api/employees', { token: t.adminToken, body: { first_name: 'Lan', last_name: 'Pham' } });
      const key = randomUUID();
      const record = (bytes: Buffer) =>
        t.http('POST', '/api/attendance/records', {
          token: camera.token,
          body: form({ employee_id: employee.body.id, datetime: '2026-03-09T01:00:00Z', score: 90, device_id: 'gate' }, { bytes, type: bytes === PNG ? 'image/png' : 'image/jpeg' }),
          headers: { [KEY]: key },
        });
      const first = await record(PNG);
      assert.equal(first.status, 201);
      const again = await record(PNG);
      assert.equal(again.status, 201, 'the first answer, not the service’s own 200 duplicate');
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body, first.body);
      const other = await record(JPEG);
      assert.equal(other.status, 409, 'the file is part of the request');
      const records = await t.http('GET', `/api/attendance/records?employee_id=${employee.body.id}`, { token: t.adminToken });
      assert.equal(records.body.length, 1);

      const recKey = randomUUID();
      const recognize = () =>
        t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ device_id: 'door-9', datetime: '2026-03-09T02:00:00Z' }, { bytes: PNG }), headers: { [KEY]: recKey } });
      const seen = await recognize();
      assert.equal(seen.status, 201, JSON.stringify(seen.body));
      const seenAgain = await recognize();
      assert.deepEqual(seenAgain.body, seen.body);
      const visits = await t.http('GET', `/api/attendance/clients/${seen.body.client.id}/visits`, { token: t.adminToken });
      assert.equal(visits.body.length ?? visits.body.items.length, 1);
    });

    it('forgets a key after IDEMPOTENCY_TTL_SECONDS (24 h): the same key then acts again, and the old row is pruned', async () => {
      const hall = await queue.hall();
      const key = randomUUID();
      const post = () => t.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { counter_id: hall.counter.id }, headers: { [KEY]: key } });
      const first = await post();
      t.clock.advance(23 * HOUR);
      assert.equal((await post()).body.id, first.body.id, 'still remembered within 24 h');
      t.clock.advance(HOUR + 1000);
      const pruned = await t.get(IdempotencyService).pruneExpired();
      assert.ok(pruned >= 1, 'expired keys are deleted');
      const later = await post();
      assert.equal(later.status, 201);
      assert.notEqual(later.body.id, first.body.id);
    });
  });

  describe('two instances on one PostgreSQL', { skip: !process.env.TEST_DATABASE_URL && 'needs PostgreSQL (TEST_DATABASE_URL)' }, () => {
    let other: TestApp;
    before(async () => {
      other = await TestApp.start({ database: t.database, clock: t.clock, env: { JWT_ACCESS_TTL: '2592000' } });
    });
    after(() => other.stop());

    it('makes one ticket of copies of one request sent to both instances at once', async () => {
      const hall = await queue.hall();
      const key = randomUUID();
      const post = (app: TestApp) => app.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { counter_id: hall.counter.id }, headers: { [KEY]: key } });
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => post(i % 2 ? other : t)));
      const made = results.filter((r) => r.status === 201);
      assert.equal(new Set(made.map((r) => r.body.id)).size, 1);
      assert.ok(results.every((r) => r.status === 201 || r.body.details?.reason === 'in_progress'));

      const device = await t.newDevice({ kind: 'kiosk' });
      const onA = await queue.client(device.token, 'kiosk', `k-a-${randomUUID()}`);
      const onB = await new QueueWorld(other).client(device.token, 'kiosk', `k-b-${randomUUID()}`);
      for (const s of [onA, onB]) s.send({ type: 'TICKET_CREATED', payload: { counter_id: hall.counter.id, request_id: 'rq-two-instances' } });
      const got = await Promise.all([onA, onB].map((s) => s.next(isType('TICKET_CREATED'))));
      assert.equal(got[0].payload.ticket_id, got[1].payload.ticket_id);
      assert.equal((await tickets(hall.counter.id)).length, 2);
    });
  });
});
