import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp, TestUser } from '../support/test-app';
import { ChatWorld, isMessage, REST_MESSAGE_KEYS, settle } from './chat-world';

const START = new Date('2024-03-13T09:00:00Z');

describe('chat conversations', () => {
  let t: TestApp;
  let w: ChatWorld;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  before(async () => {
    t = await TestApp.start({ clock: new FakeClock(START), env: { JWT_ACCESS_TTL: '86400', CHAT_HISTORY_MAX_LIMIT: '20' } });
    w = new ChatWorld(t);
    alice = await w.member('Alice');
    bob = await w.member('Bob');
    carol = await w.member('Carol');
  });
  afterEach(() => w.closeAll());
  after(() => t.stop());

  describe('direct and group', () => {
    it('makes two people without a title a direct conversation, and returns the existing one for the same pair', async () => {
      const first = await t.http('POST', '/api/chat/conversations', { token: alice.token, body: { participant_ids: [bob.id] } });
      assert.equal(first.status, 201);
      assert.equal(first.body.type, 'direct');
      assert.equal(first.body.title, null);
      assert.equal(first.body.created_by, alice.id);
      assert.deepEqual(first.body.participants.map((p: { user_id: string }) => p.user_id).sort(), [alice.id, bob.id].sort());
      assert.equal(first.body.last_message, null);
      assert.equal(first.body.unread_count, 0);
      // Either of the two, naming the creator too or not.
      const again = await t.http('POST', '/api/chat/conversations', { token: bob.token, body: { participant_ids: [alice.id, bob.id] } });
      assert.equal(again.status, 200);
      assert.equal(again.body.id, first.body.id);
    });

    it('creates one direct conversation when both people create it at the same moment', async () => {
      const x = await w.member();
      const y = await w.member();
      const results = await Promise.all([
        t.http('POST', '/api/chat/conversations', { token: x.token, body: { participant_ids: [y.id] } }),
        t.http('POST', '/api/chat/conversations', { token: y.token, body: { participant_ids: [x.id] } }),
        t.http('POST', '/api/chat/conversations', { token: x.token, body: { participant_ids: [y.id] } }),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 201]);
      assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
    });

    it('refuses a conversation with nobody else, a group without a title, unknown users and devices', async () => {
      const post = (token: string, body: unknown) => t.http('POST', '/api/chat/conversations', { token, body });
      assert.equal((await post(alice.token, { participant_ids: [alice.id] })).status, 400);
      assert.equal((await post(alice.token, { participant_ids: [bob.id, carol.id] })).status, 400);
      assert.equal((await post(alice.token, { participant_ids: ['not-a-uuid'] })).status, 400);
      assert.equal((await post(alice.token, { participant_ids: ['00000000-0000-4000-8000-000000000000'] })).status, 404);
      assert.equal((await post(alice.token, { participant_ids: [bob.id], title: '<i></i>' })).status, 400);
      const device = await t.newDevice({ kind: 'scanner' });
      assert.equal((await post(device.token, { participant_ids: [bob.id] })).status, 403);
      assert.equal((await t.http('GET', '/api/chat/conversations')).status, 401);
    });

    it('lets group admins add and remove participants, anyone leave, and nobody else manage', async () => {
      const dave = await w.member('Dave');
      const group = await w.conversation(alice, [bob], 'Book club');
      assert.equal(group.type, 'group');
      assert.equal(group.title, 'Book club');
      assert.deepEqual(group.participants.map((p: { name: string; role: string }) => [p.name, p.role]).sort(), [
        ['Alice', 'admin'],
        ['Bob', 'member'],
      ]);
      // A member may not add or remove others.
      assert.equal((await t.http('POST', `/api/chat/conversations/${group.id}/participants`, { token: bob.token, body: { user_ids: [carol.id] } })).status, 403);
      // An outsider may not either.
      assert.equal((await t.http('POST', `/api/chat/conversations/${group.id}/participants`, { token: carol.token, body: { user_ids: [carol.id] } })).status, 403);
      const added = await t.http('POST', `/api/chat/conversations/${group.id}/participants`, { token: alice.token, body: { user_ids: [carol.id, dave.id, bob.id] } });
      assert.equal(added.status, 200);
      assert.equal(added.body.participants.length, 4);
      assert.equal((await t.http('DELETE', `/api/chat/conversations/${group.id}/participants/${dave.id}`, { token: bob.token })).status, 403);

      // A removed participant hears nothing more and can read nothing.
      const carolSocket = await w.connect(carol);
      assert.equal((await t.http('DELETE', `/api/chat/conversations/${group.id}/participants/${carol.id}`, { token: alice.token })).status, 204);
      await w.post(alice, group.id, 'after Carol left');
      await settle(carolSocket);
      assert.equal(carolSocket.seen(isMessage({ content: 'after Carol left' })).length, 0);
      assert.equal((await t.http('GET', `/api/chat/conversations/${group.id}/messages`, { token: carol.token })).status, 403);
      assert.equal((await t.http('GET', `/api/chat/conversations/${group.id}`, { token: carol.token })).status, 403);

      // Dave leaves by himself.
      assert.equal((await t.http('DELETE', `/api/chat/conversations/${group.id}/participants/${dave.id}`, { token: dave.token })).status, 204);
      assert.equal((await t.http('DELETE', `/api/chat/conversations/${group.id}/participants/${dave.id}`, { token: alice.token })).status, 404);
      // The last admin leaving hands the role on.
      assert.equal((await t.http('DELETE', `/api/chat/conversations/${group.id}/participants/${alice.id}`, { token: alice.token })).status, 204);
      const now = await t.http('GET', `/api/chat/conversations/${group.id}`, { token: bob.token });
      assert.deepEqual(
        now.body.participants.map((p: { user_id: string; role: string }) => [p.user_id, p.role]),
        [[bob.id, 'admin']],
      );
    });

    it('keeps a direct conversation to its two people', async () => {
      const direct = await w.conversation(alice, [bob]);
      assert.equal((await t.http('POST', `/api/chat/conversations/${direct.id}/participants`, { token: alice.token, body: { user_ids: [carol.id] } })).status, 400);
      assert.equal((await t.http('DELETE', `/api/chat/conversations/${direct.id}/participants/${alice.id}`, { token: alice.token })).status, 400);
    });
  });

  describe('listing and reading', () => {
    it('lists my conversations, most recently active first, with the last message and my unread count', async () => {
      const me = await w.member('Me');
      const friend = await w.member('Friend');
      const quiet = await w.conversation(me, [friend], 'Quiet');
      t.clock.advance(1000);
      const busy = await w.conversation(friend, [me]);
      await w.post(friend, busy.id, 'one');
      await w.post(friend, busy.id, 'two');
      const mine = await w.post(me, busy.id, 'three');
      await w.post(friend, busy.id, 'four');
      const theirs = await w.post(friend, busy.id, 'five');
      const deleted = await w.post(friend, busy.id, 'six');
      assert.equal((await t.http('DELETE', `/api/chat/messages/${deleted.id}`, { token: friend.token })).status, 204);
      t.clock.advance(1000);

      let list = await t.http('GET', '/api/chat/conversations', { token: me.token });
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.map((c: { id: string }) => c.id),
        [busy.id, quiet.id],
      );
      const [b, q] = list.body;
      assert.equal(b.last_message.id, deleted.id);
      assert.deepEqual(Object.keys(b.last_message).sort(), REST_MESSAGE_KEYS);
      assert.equal(b.last_message.is_deleted, true);
      // Sending counts as reading what came before; my own and deleted messages never count.
      assert.equal(b.unread_count, 2, JSON.stringify({ mine: mine.id, theirs: theirs.id }));
      assert.equal(q.last_message, null);
      assert.equal(q.unread_count, 0);

      // The friend's view: everything up to their own last message is read.
      const friendView = (await t.http('GET', '/api/chat/conversations', { token: friend.token })).body.find((c: { id: string }) => c.id === busy.id);
      assert.equal(friendView.unread_count, 0);

      assert.equal((await t.http('POST', `/api/chat/conversations/${busy.id}/read`, { token: me.token })).status, 200);
      list = await t.http('GET', '/api/chat/conversations', { token: me.token });
      assert.equal(list.body[0].unread_count, 0);

      // A new message in the quiet one brings it to the top.
      await w.post(friend, quiet.id, 'hello?');
      list = await t.http('GET', '/api/chat/conversations?limit=1', { token: me.token });
      assert.deepEqual(
        list.body.map((c: { id: string; unread_count: number }) => [c.id, c.unread_count]),
        [[quiet.id, 1]],
      );
      assert.equal((await t.http('GET', '/api/chat/conversations?limit=1&offset=1', { token: me.token })).body[0].id, busy.id);
      assert.equal((await t.http('POST', `/api/chat/conversations/${busy.id}/read`, { token: carol.token })).status, 403);
    });
  });

  describe('history', () => {
    it('pages newest first with a cursor, stable while new messages arrive, in send order within one millisecond', async () => {
      const conv = await w.conversation(alice, [bob, carol], 'Pager');
      const sent: string[] = [];
      // The clock stands still: every message has the same created_at.
      for (let i = 0; i < 25; i++) sent.push((await w.post(i % 2 ? alice : bob, conv.id, `m${i}`)).id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q: string = cursor ? `?limit=10&before=${encodeURIComponent(cursor)}` : '?limit=10';
        const page = await t.http('GET', `/api/chat/conversations/${conv.id}/messages${q}`, { token: carol.token });
        assert.equal(page.status, 200);
        assert.ok(page.body.items.length <= 10);
        for (const m of page.body.items) assert.deepEqual(Object.keys(m).sort(), REST_MESSAGE_KEYS);
        seen.push(...page.body.items.map((m: { id: string }) => m.id));
        cursor = page.body.next_cursor;
        pages++;
        // New messages arrive between page fetches, also at later times.
        await w.post(alice, conv.id, `late ${pages}`);
        t.clock.advance(5);
      } while (cursor);
      assert.equal(pages, 3);
      assert.deepEqual(seen, [...sent].reverse());
    });

    it('caps the page at CHAT_HISTORY_MAX_LIMIT and refuses a cursor it did not issue', async () => {
      const conv = await w.conversation(alice, [bob], 'Cap');
      for (let i = 0; i < 25; i++) await w.post(alice, conv.id, `c${i}`);
      const page = await t.http('GET', `/api/chat/conversations/${conv.id}/messages?limit=500`, { token: bob.token });
      assert.equal(page.body.items.length, 20);
      assert.equal(typeof page.body.next_cursor, 'string');
      const last = await t.http('GET', `/api/chat/conversations/${conv.id}/messages?before=${encodeURIComponent(page.body.next_cursor)}`, { token: bob.token });
      assert.equal(last.body.items.length, 5);
      assert.equal(last.body.next_cursor, null);
      assert.equal((await t.http('GET', `/api/chat/conversations/${conv.id}/messages?before=bogus`, { token: bob.token })).status, 400);
      assert.equal((await t.http('GET', `/api/chat/conversations/${conv.id}/messages?limit=0`, { token: bob.token })).status, 400);
    });
  });
});
