import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp, TestUser } from '../support/test-app';
import { until } from '../support/wait';
import { Frame } from '../support/ws-client';
import { ChatWorld, isError, isMessage, MESSAGE_KEYS, REST_MESSAGE_KEYS, settle } from './chat-world';

const START = new Date('2024-03-13T09:00:00Z');

describe('chat sync, receipts and moderation', () => {
  let t: TestApp;
  let w: ChatWorld;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  before(async () => {
    t = await TestApp.start({ clock: new FakeClock(START), env: { JWT_ACCESS_TTL: '86400' } });
    w = new ChatWorld(t);
    alice = await w.member('Alice');
    bob = await w.member('Bob');
    carol = await w.member('Carol');
  });
  afterEach(() => w.closeAll());
  after(() => t.stop());

  const messages = (token: string, conversationId: string, query: string) => t.http('GET', `/api/chat/conversations/${conversationId}/messages?${query}`, { token });

  describe('seq and after', () => {
    it('numbers messages per conversation and returns what came after a change number, edits and deletes included', async () => {
      const c = await w.conversation(alice, [bob], 'Sync');
      const m1 = await w.post(alice, c.id, 'one');
      const m2 = await w.post(bob, c.id, 'two');
      const m3 = await w.post(alice, c.id, 'three');
      assert.deepEqual([m1.seq, m2.seq, m3.seq], [1, 2, 3]);
      assert.deepEqual([m1.change_seq, m2.change_seq, m3.change_seq], [1, 2, 3]);
      const other = await w.conversation(alice, [carol], 'Elsewhere');
      assert.equal((await w.post(alice, other.id, 'first there')).seq, 1, 'each conversation counts on its own');

      const synced = await messages(bob.token, c.id, 'after=3');
      assert.deepEqual(synced.body, { items: [], next_cursor: null, next_after: 3, has_more: false }, 'nothing changed');

      assert.equal((await t.http('PATCH', `/api/chat/messages/${m1.id}`, { token: alice.token, body: { content: 'one!' } })).status, 200);
      assert.equal((await t.http('DELETE', `/api/chat/messages/${m2.id}`, { token: bob.token })).status, 204);
      const m4 = await w.post(bob, c.id, 'four');
      assert.equal(m4.seq, 6, 'seq follows the conversation counter: edits and deletes took 4 and 5');

      const page = await messages(bob.token, c.id, 'after=3');
      assert.equal(page.status, 200);
      for (const m of page.body.items) assert.deepEqual(Object.keys(m).sort(), REST_MESSAGE_KEYS);
      assert.deepEqual(
        page.body.items.map((m: Frame) => [m.id, m.seq, m.change_seq, m.content, m.is_edited, m.is_deleted, m.deleted_by]),
        [
          [m1.id, 1, 4, 'one!', true, false, null],
          [m2.id, 2, 5, '', false, true, bob.id],
          [m4.id, 6, 6, 'four', false, false, null],
        ],
      );
      assert.equal(page.body.next_after, 6);
      assert.equal(page.body.has_more, false);

      const first = await messages(bob.token, c.id, 'after=0&limit=2');
      assert.deepEqual(
        first.body.items.map((m: Frame) => m.id),
        [m3.id, m1.id],
        'oldest change first',
      );
      assert.equal(first.body.has_more, true);
      const rest = await messages(bob.token, c.id, `after=${first.body.next_after}&limit=2`);
      assert.deepEqual(
        rest.body.items.map((m: Frame) => m.id),
        [m2.id, m4.id],
      );
      assert.equal(rest.body.has_more, false);

      assert.equal((await messages(bob.token, c.id, 'after=-1')).status, 400);
      assert.equal((await messages(bob.token, c.id, 'after=1&before=abc')).status, 400);
      assert.equal((await messages(carol.token, c.id, 'after=0')).status, 403);
      const conv = await t.http('GET', `/api/chat/conversations/${c.id}`, { token: bob.token });
      assert.equal(conv.body.last_seq, 6);
    });

    it('puts seq on the socket only for clients that opted in; seed clients get the seed object unchanged', async () => {
      const c = await w.conversation(alice, [bob], 'Frames');
      const seed = await w.connect(bob);
      const sync = await w.connectSync(bob);
      const posted = await w.post(alice, c.id, 'hello');
      const plain = await seed.next(isMessage({ id: posted.id }));
      assert.deepEqual(Object.keys(plain).sort(), MESSAGE_KEYS);
      const rich = await sync.next(isMessage({ id: posted.id }));
      assert.deepEqual(rich, posted);
      await t.http('DELETE', `/api/chat/messages/${posted.id}`, { token: alice.token });
      assert.deepEqual(Object.keys(await seed.next(isMessage({ id: posted.id }))).sort(), MESSAGE_KEYS);
      const deleted = await sync.next(isMessage({ id: posted.id }));
      assert.deepEqual([deleted.seq, deleted.change_seq, deleted.deleted_by], [1, 2, alice.id]);
    });
  });

  describe('unread counts and receipts', () => {
    it('keeps unread counts exact across devices and tells the others who has seen what', async () => {
      const c = await w.conversation(alice, [bob], 'Unread');
      const phone = await w.connectSync(bob);
      const laptop = await w.connectSync(bob);
      const aliceSync = await w.connectSync(alice);
      const aliceSeed = await w.connect(alice);
      const sent = [await w.post(alice, c.id, 'a'), await w.post(alice, c.id, 'b'), await w.post(alice, c.id, 'c')];
      const unreadOf = async (u: TestUser) => (await t.http('GET', `/api/chat/conversations/${c.id}`, { token: u.token })).body.unread_count;
      assert.equal(await unreadOf(bob), 3);

      // The phone showed two of them.
      const read = await t.http('POST', `/api/chat/conversations/${c.id}/read`, { token: bob.token, body: { seq: sent[1].seq } });
      assert.equal(read.status, 200);
      assert.equal(read.body.unread_count, 1);
      assert.equal(read.body.last_read_seq, 2);
      for (const s of [phone, laptop]) assert.deepEqual(await s.next((f) => f.event === 'unread'), { event: 'unread', conversation_id: c.id, last_read_seq: 2, unread_count: 1 });
      const seen = await aliceSync.next((f) => f.event === 'seen');
      assert.deepEqual(seen, { event: 'seen', conversation_id: c.id, user_id: bob.id, seq: 2, read_at: START.toISOString() });
      assert.equal(await unreadOf(bob), 1);

      // Reading backwards changes nothing; a deleted message stops counting.
      assert.equal((await t.http('POST', `/api/chat/conversations/${c.id}/read`, { token: bob.token, body: { seq: 1 } })).body.last_read_seq, 2);
      await t.http('DELETE', `/api/chat/messages/${sent[2].id}`, { token: alice.token });
      assert.equal(await unreadOf(bob), 0);
      assert.equal((await t.http('POST', `/api/chat/conversations/${c.id}/read`, { token: bob.token, body: { seq: 'x' } })).status, 400);

      await settle(aliceSeed);
      assert.deepEqual(
        aliceSeed.seen((f) => 'event' in f && f.event !== 'error'),
        [],
        'a seed client hears no added event',
      );
    });

    it('relays typing to the other participants that opted in, and refuses it from outsiders', async () => {
      const c = await w.conversation(alice, [bob], 'Typing');
      const aliceSync = await w.connectSync(alice);
      const bobSync = await w.connectSync(bob);
      const aliceSeed = await w.connect(alice);
      bobSync.send({ event: 'typing', conversation_id: c.id, typing: true });
      assert.deepEqual(await aliceSync.next((f) => f.event === 'typing'), { event: 'typing', conversation_id: c.id, user_id: bob.id, typing: true });
      await settle(bobSync, aliceSeed);
      assert.equal(bobSync.seen((f) => f.event === 'typing').length, 0, 'not echoed to the typist');
      assert.equal(aliceSeed.seen((f) => f.event === 'typing').length, 0);
      assert.equal(aliceSeed.seen(isMessage()).length, 0, 'a typing frame is not a message');

      const carolSync = await w.connectSync(carol);
      carolSync.send({ event: 'typing', conversation_id: c.id, typing: true });
      assert.equal((await carolSync.next(isError())).code, 'FORBIDDEN');
      bobSync.send({ event: 'typing', conversation_id: c.id, typing: 'yes' });
      assert.equal((await bobSync.next(isError())).code, 'INVALID_MESSAGE');
    });
  });

  describe('presence on request', () => {
    it('says who is online and when the others were last seen', async () => {
      const [dan, eve] = [await w.member('Dan'), await w.member('Eve')];
      const c = await w.conversation(dan, [eve], 'Who is here');
      const presence = async () => (await t.http('GET', `/api/chat/conversations/${c.id}/presence`, { token: dan.token })).body as Frame[];
      const of = (list: Frame[], u: TestUser) => list.find((p) => p.user_id === u.id)!;
      const eveSocket = await w.connect(eve);
      const now = await presence();
      assert.deepEqual(of(now, eve), { user_id: eve.id, status: 'online', last_seen: null });
      assert.deepEqual(of(now, dan), { user_id: dan.id, status: 'offline', last_seen: null }, 'never connected');
      t.clock.advance(60_000);
      try {
        eveSocket.close();
        await eveSocket.waitClose();
        await until(async () => of(await presence(), eve).last_seen !== null, 'eve to be seen last');
        assert.deepEqual(of(await presence(), eve), { user_id: eve.id, status: 'offline', last_seen: new Date(START.getTime() + 60_000).toISOString() });
      } finally {
        t.clock.set(START);
      }
      assert.equal((await t.http('GET', `/api/chat/conversations/${c.id}/presence`, { token: alice.token })).status, 403);
    });
  });

  describe('moderation', () => {
    it('lets a conversation admin and a site admin delete any message, recording who', async () => {
      const c = await w.conversation(alice, [bob, carol], 'Moderated');
      const byBob = await w.post(bob, c.id, 'spam');
      const byCarol = await w.post(carol, c.id, 'more spam');
      assert.equal((await t.http('DELETE', `/api/chat/messages/${byBob.id}`, { token: carol.token })).status, 403, 'a member may not');
      assert.equal((await t.http('DELETE', `/api/chat/messages/${byBob.id}`, { token: alice.token })).status, 204, 'the group admin may');
      assert.equal((await t.http('DELETE', `/api/chat/messages/${byCarol.id}`, { token: t.adminToken })).status, 204, 'a site admin may, from outside');
      const page = await messages(bob.token, c.id, 'after=0');
      assert.deepEqual(
        page.body.items.filter((m: Frame) => m.is_deleted).map((m: Frame) => [m.id, m.deleted_by]),
        [
          [byBob.id, alice.id],
          [byCarol.id, (await t.http('GET', '/api/users/me', { token: t.adminToken })).body.id],
        ],
      );
    });

    it('tells sync clients when someone leaves, and archives a conversation read-only', async () => {
      const c = await w.conversation(alice, [bob, carol], 'Archive me');
      const aliceSync = await w.connectSync(alice);
      const m = await w.post(bob, c.id, 'before');
      assert.equal((await t.http('DELETE', `/api/chat/conversations/${c.id}/participants/${carol.id}`, { token: carol.token })).status, 204);
      const left = await aliceSync.next((f) => f.event === 'conversation');
      assert.deepEqual({ ...left, at: undefined }, { event: 'conversation', conversation_id: c.id, change: 'left', user_id: carol.id, by: carol.id, at: undefined });

      assert.equal((await t.http('POST', `/api/chat/conversations/${c.id}/archive`, { token: bob.token })).status, 403, 'a member may not archive a group');
      const archived = await t.http('POST', `/api/chat/conversations/${c.id}/archive`, { token: alice.token });
      assert.equal(archived.status, 200);
      assert.equal(archived.body.archived_at, START.toISOString());
      assert.equal((await aliceSync.next((f) => f.event === 'conversation')).change, 'archived');
      const post = await t.http('POST', `/api/chat/conversations/${c.id}/messages`, { token: bob.token, body: { content: 'after' } });
      assert.equal(post.status, 409);
      assert.equal((await t.http('PATCH', `/api/chat/messages/${m.id}`, { token: bob.token, body: { content: 'edited' } })).status, 409);
      assert.equal((await messages(bob.token, c.id, 'after=0')).body.items.length, 1, 'history stays');
      assert.equal((await t.http('POST', `/api/chat/conversations/${c.id}/archive`, { token: alice.token })).status, 200, 'again: nothing changes');
    });
  });
});
