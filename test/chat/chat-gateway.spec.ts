import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp, TestUser } from '../support/test-app';
import { until } from '../support/wait';
import { ChatWorld, imageForm, isError, isMessage, isNotification, ISO, MESSAGE_KEYS, NOTIFICATION_KEYS, PNG, seedView, settle, WS } from './chat-world';
import { RealtimeService } from '../../src/realtime/realtime.service';
import { Frame } from '../support/ws-client';

const START = new Date('2024-03-13T15:30:00Z');

describe('chat gateway', () => {
  let t: TestApp;
  let w: ChatWorld;
  let alice: TestUser;
  let bob: TestUser;
  let eve: TestUser;
  let direct: Frame;

  before(async () => {
    t = await TestApp.start({ clock: new FakeClock(START), env: { JWT_ACCESS_TTL: '86400', CHAT_MAX_MESSAGE_LENGTH: '50', CHAT_MAX_UPLOAD_BYTES: '2048', CHAT_MESSAGES_PER_MINUTE: '20' } });
    w = new ChatWorld(t);
    alice = await w.member('Alice');
    bob = await w.member('Bob');
    eve = await w.member('Eve');
    direct = await w.conversation(alice, [bob]);
  });
  afterEach(() => w.closeAll());
  after(() => t.stop());

  describe('connecting', () => {
    it('accepts the token in the Authorization header, as the seed wscat example sends it, and as ?token=', async () => {
      const byHeader = await w.connect(alice, 'header');
      const byQuery = await w.connect(bob, 'query');
      byHeader.send({ conversation_id: direct.id, content: 'over the header' });
      await byQuery.next(isMessage({ content: 'over the header', sender_id: alice.id }));
      byQuery.send({ conversation_id: direct.id, content: 'over the query' });
      await byHeader.next(isMessage({ content: 'over the query', sender_id: bob.id }));
    });

    for (const [label, open] of [
      ['no token', () => t.socket(WS)],
      ['a malformed token', () => t.socket(`${WS}?token=not-a-jwt`)],
      ['a token with a bad signature', () => t.socket(WS, { token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' })],
    ] as const) {
      it(`refuses ${label} with the error frame UNAUTHORIZED, then 4401`, async () => {
        const s = await open();
        const err = await s.next(isError());
        assert.equal(err.code, 'UNAUTHORIZED');
        assert.equal(typeof err.message, 'string');
        assert.equal((await s.waitClose()).code, 4401);
      });
    }

    it('closes a socket whose token expires with the error frame, then 4401', async () => {
      const short = await TestApp.start({ clock: new FakeClock(START), env: { JWT_ACCESS_TTL: '60' } });
      try {
        const u = await short.newUser({ role: 'member' });
        const s = await short.socket(WS, { token: u.token });
        await settle(s);
        short.clock.advance(61_000);
        const err = await s.next(isError('UNAUTHORIZED'));
        assert.equal(err.reason, 'expired');
        assert.equal((await s.waitClose()).code, 4401);
      } finally {
        await short.stop();
      }
    });

    it('refuses a device: FORBIDDEN, then 4403', async () => {
      const device = await t.newDevice({ kind: 'display' });
      const s = await t.socket(WS, { token: device.token });
      assert.equal((await s.next(isError())).code, 'FORBIDDEN');
      assert.equal((await s.waitClose()).code, 4403);
    });

    it('answers frames that are no message with INVALID_MESSAGE and stays open', async () => {
      const s = await w.connect(alice);
      const bad = [
        'not json',
        '[1,2]',
        JSON.stringify({ content: 'no conversation' }),
        JSON.stringify({ conversation_id: direct.id }),
        JSON.stringify({ conversation_id: direct.id, content: 42 }),
        JSON.stringify({ conversation_id: direct.id, content: 'hi', type: 'video' }),
        JSON.stringify({ conversation_id: direct.id, content: '   ' }),
        JSON.stringify({ conversation_id: direct.id, content: '<b></b>' }),
        JSON.stringify({ conversation_id: direct.id, content: 'x'.repeat(51) }),
        JSON.stringify({ conversation_id: direct.id, content: 'https://example.com/cat.png', type: 'image' }),
      ];
      for (const frame of bad) {
        s.send(frame);
        const err = await s.next(isError(), 5000, `the error for ${frame}`);
        assert.deepEqual(
          Object.keys(err)
            .filter((k) => k !== 'errors')
            .sort(),
          ['code', 'event', 'message'],
          frame,
        );
        assert.equal(err.code, 'INVALID_MESSAGE', frame);
      }
      s.send({ conversation_id: direct.id, content: 'still here' });
      await s.next(isMessage({ content: 'still here' }));
      assert.ok(s.isOpen);
    });
    it('answers more than CHAT_MESSAGES_PER_MINUTE with RATE_LIMITED and closes 4429 at twice the limit', async () => {
      const s = await w.connect(alice);
      // The round trip of connect() was the first message of this minute.
      for (let i = 0; i < 19; i++) s.send({ nothing: i });
      for (let i = 0; i < 19; i++) assert.equal((await s.next(isError())).code, 'INVALID_MESSAGE');
      s.send({ conversation_id: direct.id, content: 'one too many' });
      const limited = await s.next(isError());
      assert.equal(limited.code, 'RATE_LIMITED');
      assert.equal(typeof limited.retry_after_ms, 'number');
      for (let i = 0; i < 20; i++) s.send({ nothing: i });
      assert.equal((await s.waitClose()).code, 4429);
    });
  });

  describe('messages', () => {
    it('sends the full message object to every open socket of every participant, the sender included; the outsider sees nothing', async () => {
      const alice1 = await w.connect(alice);
      const alice2 = await w.connect(alice, 'query');
      const bob1 = await w.connect(bob);
      const outsider = await w.connect(eve);
      alice1.send({ conversation_id: direct.id, content: 'Hello Bob', type: 'text', extra: 'ignored' });
      const frames = await Promise.all([alice1, alice2, bob1].map((s) => s.next(isMessage({ content: 'Hello Bob' }))));
      for (const f of frames) {
        assert.deepEqual(Object.keys(f).sort(), MESSAGE_KEYS);
        assert.match(f.id, /^[0-9a-f-]{36}$/);
        assert.equal(f.conversation_id, direct.id);
        assert.equal(f.sender_id, alice.id);
        assert.equal(f.message_type, 'text');
        assert.equal(f.created_at, START.toISOString());
        assert.equal(f.is_edited, false);
        assert.equal(f.is_deleted, false);
      }
      assert.deepEqual(frames[1], frames[0]);
      assert.deepEqual(frames[2], frames[0]);
      await settle(outsider);
      assert.equal(outsider.seen(isMessage()).length, 0);
    });

    it('answers an outsider who posts with FORBIDDEN (socket) and 403 (REST), and stores nothing', async () => {
      const outsider = await w.connect(eve);
      const bob1 = await w.connect(bob);
      outsider.send({ conversation_id: direct.id, content: 'let me in' });
      const err = await outsider.next(isError());
      assert.equal(err.code, 'FORBIDDEN');
      assert.ok(outsider.isOpen);
      const rest = await t.http('POST', `/api/chat/conversations/${direct.id}/messages`, { token: eve.token, body: { content: 'let me in' } });
      assert.equal(rest.status, 403);
      assert.equal((await t.http('GET', `/api/chat/conversations/${direct.id}/messages`, { token: eve.token })).status, 403);
      await settle(bob1);
      assert.equal(bob1.seen(isMessage({ content: 'let me in' })).length, 0);
      const history = await t.http('GET', `/api/chat/conversations/${direct.id}/messages`, { token: bob.token });
      assert.equal(history.body.items.filter((m: { content: string }) => m.content === 'let me in').length, 0);
    });

    it('answers an unknown or malformed conversation id with NOT_FOUND', async () => {
      const s = await w.connect(alice);
      s.send({ conversation_id: '00000000-0000-4000-8000-000000000000', content: 'anyone?' });
      assert.equal((await s.next(isError())).code, 'NOT_FOUND');
      s.send({ conversation_id: 'general', content: 'anyone?' });
      assert.equal((await s.next(isError())).code, 'NOT_FOUND');
    });

    it('sends a message posted over REST to the sockets too, and strips markup', async () => {
      const alice1 = await w.connect(alice);
      const bob1 = await w.connect(bob);
      const posted = await w.post(alice, direct.id, '<script>alert(1)</script>Lunch <b>at</b> noon?');
      assert.equal(posted.content, 'Lunch at noon?');
      const [a, b] = await Promise.all([alice1.next(isMessage({ id: posted.id })), bob1.next(isMessage({ id: posted.id }))]);
      assert.deepEqual(a, seedView(posted));
      assert.deepEqual(b, seedView(posted));
    });

    it('sends the full object again on edit (is_edited) and delete (is_deleted, content emptied) to both participants', async () => {
      const alice1 = await w.connect(alice);
      const bob1 = await w.connect(bob);
      const m = await w.post(alice, direct.id, 'typo hre');
      await Promise.all([alice1.next(isMessage({ id: m.id })), bob1.next(isMessage({ id: m.id }))]);

      const edited = await t.http('PATCH', `/api/chat/messages/${m.id}`, { token: alice.token, body: { content: 'typo here' } });
      assert.equal(edited.status, 200);
      for (const s of [alice1, bob1]) {
        const f = await s.next(isMessage({ id: m.id }));
        assert.deepEqual(Object.keys(f).sort(), MESSAGE_KEYS);
        assert.deepEqual(f, { ...seedView(m), content: 'typo here', is_edited: true });
      }

      assert.equal((await t.http('PATCH', `/api/chat/messages/${m.id}`, { token: bob.token, body: { content: 'not mine' } })).status, 403);
      assert.equal((await t.http('DELETE', `/api/chat/messages/${m.id}`, { token: bob.token })).status, 403);
      assert.equal((await t.http('DELETE', `/api/chat/messages/${m.id}`, { token: eve.token })).status, 403);

      assert.equal((await t.http('DELETE', `/api/chat/messages/${m.id}`, { token: alice.token })).status, 204);
      for (const s of [alice1, bob1]) {
        const f = await s.next(isMessage({ id: m.id }));
        assert.deepEqual(f, { ...seedView(m), content: '', is_edited: true, is_deleted: true });
      }
      assert.equal((await t.http('PATCH', `/api/chat/messages/${m.id}`, { token: alice.token, body: { content: 'back' } })).status, 409);
      // Deleting again changes nothing and announces nothing.
      assert.equal((await t.http('DELETE', `/api/chat/messages/${m.id}`, { token: alice.token })).status, 204);
      await settle(bob1);
      assert.equal(bob1.seen(isMessage({ id: m.id })).length, 0);
      // It keeps its id and its place in the history.
      const history = await t.http('GET', `/api/chat/conversations/${direct.id}/messages?limit=100`, { token: bob.token });
      const kept = history.body.items.find((x: { id: string }) => x.id === m.id);
      assert.deepEqual(kept, { ...m, content: '', is_edited: true, is_deleted: true, change_seq: m.seq + 2, deleted_by: alice.id });
      assert.equal((await t.http('PATCH', '/api/chat/messages/00000000-0000-4000-8000-000000000000', { token: alice.token, body: { content: 'x' } })).status, 404);
    });

    it('carries an uploaded image: type image, the url as content, the bytes served at that url', async () => {
      const alice1 = await w.connect(alice);
      const bob1 = await w.connect(bob);
      const up = await t.http('POST', '/api/chat/uploads', { token: alice.token, body: imageForm(PNG, 'cat.txt', 'text/plain') });
      assert.equal(up.status, 201, JSON.stringify(up.body));
      assert.equal(up.body.content_type, 'image/png');
      assert.match(up.body.url, /^http:\/\/127\.0\.0\.1:3000\/api\/chat\/uploads\/[0-9a-f-]{36}\.png$/);
      alice1.send({ conversation_id: direct.id, content: up.body.url, type: 'image' });
      const f = await bob1.next(isMessage({ content: up.body.url }));
      assert.equal(f.message_type, 'image');
      await alice1.next(isMessage({ id: f.id }));
      const file = await fetch(t.baseUrl + new URL(up.body.url).pathname);
      assert.equal(file.status, 200);
      assert.equal(file.headers.get('content-type'), 'image/png');
      assert.deepEqual(Buffer.from(await file.arrayBuffer()), PNG);
      // Someone else's url is no image message.
      alice1.send({ conversation_id: direct.id, content: up.body.url.replace(/[0-9a-f]{8}-/, '00000000-'), type: 'image' });
      assert.equal((await alice1.next(isError())).code, 'INVALID_MESSAGE');
    });

    it('refuses uploads that are not images (415) or too large (413), and unknown files (404)', async () => {
      const text = await t.http('POST', '/api/chat/uploads', { token: alice.token, body: imageForm(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'x.png') });
      assert.equal(text.status, 415);
      const big = await t.http('POST', '/api/chat/uploads', { token: alice.token, body: imageForm(Buffer.concat([PNG, Buffer.alloc(4096)])) });
      assert.equal(big.status, 413);
      assert.equal((await t.http('POST', '/api/chat/uploads', { body: imageForm(PNG) })).status, 401);
      assert.equal((await t.http('GET', '/api/chat/uploads/..%2F..%2Fetc%2Fpasswd')).status, 404);
      assert.equal((await t.http('GET', '/api/chat/uploads/00000000-0000-4000-8000-000000000000.png')).status, 404);
    });
  });

  describe('notifications', () => {
    it('gives a participant with no open chat socket one new_message notification per conversation until read', async () => {
      const carol = await w.member('Carol');
      const dave = await w.member('Dave');
      const conv = await w.conversation(carol, [dave]);
      const carol1 = await w.connect(carol);
      for (const text of ['one', 'two', 'three']) await w.post(carol, conv.id, text);
      let mine = (await w.notifications(dave)).filter((n) => n.type === 'new_message');
      assert.equal(mine.length, 1);
      assert.equal(mine[0].link, `/chat/conversations/${conv.id}`);
      assert.equal(mine[0].title, 'New message from Carol');
      assert.equal(mine[0].message, 'one');
      // Carol has a socket open: nothing for her.
      assert.equal((await w.notifications(carol)).filter((n) => n.type === 'new_message').length, 0);
      await settle(carol1);
      assert.equal(carol1.seen(isNotification()).length, 0);

      // Read: the next message makes a new one.
      assert.equal((await t.http('PATCH', `/api/notifications/${mine[0].id}/read`, { token: dave.token })).status, 200);
      await w.post(carol, conv.id, 'four');
      mine = (await w.notifications(dave)).filter((n) => n.type === 'new_message');
      assert.equal(mine.length, 2);
      assert.equal(mine.filter((n) => !n.is_read).length, 1);

      // Another conversation has its own.
      const group = await w.conversation(carol, [dave, alice], 'Team');
      await w.post(carol, group.id, 'hello team');
      const forGroup = (await w.notifications(dave)).filter((n) => n.type === 'new_message' && !n.is_read && n.link === `/chat/conversations/${group.id}`);
      assert.equal(forGroup.length, 1);
      assert.equal(forGroup[0].title, 'New message from Carol in Team');
    });

    it('makes one new_message for many messages sent at once', async () => {
      // On PostgreSQL these transactions really overlap; the check for an unread one must not race.
      const sender = await w.member();
      const away = await w.member();
      const conv = await w.conversation(sender, [away]);
      await Promise.all(Array.from({ length: 8 }, (_, i) => w.post(sender, conv.id, `burst ${i}`)));
      assert.equal((await w.notifications(away)).filter((n) => n.type === 'new_message').length, 1);
    });

    it('notifies a participant whose last chat socket has closed', async () => {
      const sender = await w.member();
      const leaver = await w.member();
      const conv = await w.conversation(sender, [leaver]);
      const s = await w.connect(leaver);
      await w.post(sender, conv.id, 'while connected');
      await s.next(isMessage({ content: 'while connected' }));
      assert.equal((await w.notifications(leaver)).length, 0);
      s.close();
      await s.waitClose();
      const cluster = t.get(RealtimeService).cluster;
      await until(async () => (await cluster.userSockets('chat', leaver.id)) === 0, 'the server to see the socket close');
      await w.post(sender, conv.id, 'after leaving');
      assert.equal((await w.notifications(leaver)).filter((n) => n.type === 'new_message').length, 1);
    });

    it('sends created, read, read_all and deleted frames to the owner only, whatever API caused them', async () => {
      const owner = await w.member('Owner');
      const other = await w.member('Other');
      const mine = await w.connect(owner);
      const theirs = await w.connect(other);

      // created, from the notifications API (an admin's announcement), with a link …
      const made = await t.http('POST', '/api/notifications', { token: t.adminToken, body: { user_id: owner.id, type: 'announcement', title: 'Fire drill', message: 'At 3 pm', link: '/drills/1' } });
      assert.equal(made.status, 201);
      const created = await mine.next(isNotification('announcement'));
      assert.deepEqual(Object.keys(created).sort(), NOTIFICATION_KEYS);
      assert.deepEqual(created, {
        id: made.body.id,
        user_id: owner.id,
        type: 'announcement',
        title: 'Fire drill',
        message: 'At 3 pm',
        link: { String: '/drills/1', Valid: true },
        is_read: false,
        created_at: made.body.created_at,
      });
      assert.match(created.created_at, ISO);
      // … and without one.
      const plain = await t.http('POST', '/api/notifications', { token: t.adminToken, body: { user_id: owner.id, type: 'announcement', title: 'No link' } });
      const noLink = await mine.next(isNotification('announcement'));
      assert.equal(noLink.id, plain.body.id);
      assert.deepEqual(noLink.link, { String: '', Valid: false });

      assert.equal((await t.http('PATCH', `/api/notifications/${made.body.id}/read`, { token: owner.token })).status, 200);
      assert.deepEqual(await mine.next((f) => f.event === 'read'), { event: 'read', notification_id: made.body.id });

      assert.equal((await t.http('POST', '/api/notifications/read-all', { token: owner.token })).status, 200);
      assert.deepEqual(await mine.next((f) => f.event === 'read_all'), { event: 'read_all' });

      assert.equal((await t.http('DELETE', `/api/notifications/${plain.body.id}`, { token: owner.token })).status, 204);
      assert.deepEqual(await mine.next((f) => f.event === 'deleted'), { event: 'deleted', notification_id: plain.body.id });

      await settle(theirs);
      assert.equal(theirs.seen((f) => isNotification()(f) || ['read', 'read_all', 'deleted'].includes(f.event)).length, 0);
    });

    it('sends the created frame for a notification a schedule change makes', async () => {
      const user = await t.newUser({ role: 'employee', name: 'Shift Worker' });
      const s = await w.connect(user);
      const emp = await t.http('POST', '/api/employees', { token: t.adminToken, body: { first_name: 'Shift', last_name: 'Worker', job_role: 'server', user_id: user.id } });
      assert.equal(emp.status, 201, JSON.stringify(emp.body));
      const shift = await t.http('POST', '/api/shifts', { token: t.adminToken, body: { name: 'Chat Shift', start_time: '09:00', end_time: '17:00' } });
      assert.equal(shift.status, 201, JSON.stringify(shift.body));
      const sched = await t.http('POST', '/api/schedules', { token: t.adminToken, body: { employee_id: emp.body.id, shift_id: shift.body.id, date: '2024-03-20' } });
      assert.equal(sched.status, 201, JSON.stringify(sched.body));
      const f = await s.next(isNotification());
      assert.deepEqual(Object.keys(f).sort(), NOTIFICATION_KEYS);
      assert.equal(f.user_id, user.id);
      assert.equal(f.title, 'New Shift Scheduled');
      assert.equal(typeof f.link.Valid, 'boolean');
    });

    it('reading a conversation reads its new_message notification, and the owner hears it', async () => {
      const sender = await w.member();
      const reader = await w.member();
      const conv = await w.conversation(sender, [reader]);
      await w.post(sender, conv.id, 'are you there?');
      const [n] = (await w.notifications(reader)).filter((x) => x.type === 'new_message');
      assert.equal(n.is_read, false);
      const s = await w.connect(reader);
      const r = await t.http('POST', `/api/chat/conversations/${conv.id}/read`, { token: reader.token });
      assert.equal(r.status, 200);
      assert.equal(r.body.unread_count, 0);
      assert.deepEqual(await s.next((f) => f.event === 'read'), { event: 'read', notification_id: n.id });
      assert.equal((await w.notifications(reader)).find((x) => x.id === n.id)!.is_read, true);
    });
  });
});
