import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ChangeFeedRetention } from '../src/database/change-feed-retention.service';
import { FakeClock } from './support/fake-clock';
import { TestApp, TestUser } from './support/test-app';
import { World } from './schedules/schedules-world';
import { newSound } from './bells/bells-world';

const EPOCH = '2000-01-01T00:00:00Z';
const HOUR = 3_600_000;

interface ChangePage {
  items: Array<Record<string, any>>;
  deleted?: Array<number | string>;
  deleted_since?: string;
  as_of: string;
  next_cursor: string | null;
  has_more: boolean;
}

/**
 * The REST queries a client rebuilds from after `recovered: false`: what
 * changed since a server time, deletions included, in pages, with an `as_of`
 * that the next read starts from.
 */
describe('rebuild queries: what changed since', () => {
  let t: TestApp;
  let w: World;
  let manager: TestUser;

  before(async () => {
    t = await TestApp.start({ clock: new FakeClock(new Date('2024-01-15T10:30:00Z')), env: { JWT_ACCESS_TTL: '86400' } });
    w = new World(t);
    manager = await w.manager();
  });
  after(() => t.stop());

  async function changes(path: string, token?: string): Promise<ChangePage> {
    const r = await t.http('GET', path, { token });
    assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.as_of, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/, 'as_of is a server time');
    return r.body;
  }

  /**
   * A read whose as_of is past every write made before it. The embedded
   * database's clock counts milliseconds, so a write in the same millisecond
   * as a read's as_of may legitimately come again; reading until as_of moves
   * on makes "not what came before" exact.
   */
  async function settled(path: string, token?: string): Promise<ChangePage> {
    const first = await changes(path, token);
    for (let i = 0; i < 200; i++) {
      const again = await changes(path, token);
      if (again.as_of > first.as_of) return again;
    }
    throw new Error('the database clock did not move');
  }

  /** Follows next_cursor to the end; every page of one read carries the same as_of. */
  async function walk(path: string, token?: string): Promise<{ items: Array<Record<string, any>>; deleted: Array<number | string>; as_of: string; pages: number }> {
    const first = await changes(path, token);
    const all = { items: [...first.items], deleted: [...(first.deleted ?? [])], as_of: first.as_of, pages: 1 };
    let page = first;
    while (page.has_more) {
      assert.ok(page.next_cursor, 'a page with more has a cursor');
      const base = path.split('?')[0];
      page = await changes(`${base}?cursor=${page.next_cursor}&limit=${new URL(path, 'http://x').searchParams.get('limit') ?? ''}`, token);
      assert.equal(page.as_of, first.as_of);
      all.items.push(...page.items);
      all.deleted.push(...(page.deleted ?? []));
      all.pages++;
      assert.ok(all.pages < 50, 'the walk ends');
    }
    assert.equal(page.next_cursor, null);
    return all;
  }

  const q = (v: string) => encodeURIComponent(v);
  const ids = (items: Array<Record<string, any>>) => items.map((i) => i.id);

  describe('GET /api/schedules?changed_since=', () => {
    it('returns what changed after the cursor, deletions and moves included, and not what came before', async () => {
      const [ann, bob] = [await w.employee(), await w.employee()];
      const shift = await w.shift('Rebuild', '09:00', '10:00');
      const make = async (employee_id: number, date: string) => (await w.schedule(manager.token, { employee_id, shift_id: shift.id, date })).id as number;
      const before = await make(ann.id, '2024-02-01');
      const doomed = await make(ann.id, '2024-02-02');
      const moved = await make(ann.id, '2024-02-03');
      const first = await settled(`/api/schedules?changed_since=${q(EPOCH)}`, manager.token);
      assert.ok([before, doomed, moved].every((id) => ids(first.items).includes(id)));

      const added = await make(bob.id, '2024-02-04');
      assert.equal((await t.http('DELETE', `/api/schedules/${doomed}`, { token: manager.token })).status, 204);
      assert.equal((await t.http('PATCH', `/api/schedules/${moved}`, { token: manager.token, body: { employee_id: bob.id } })).status, 200);

      const next = await changes(`/api/schedules?changed_since=${q(first.as_of)}`, manager.token);
      assert.deepEqual(ids(next.items).sort(), [added, moved].sort(), 'only what changed after as_of');
      assert.deepEqual(next.deleted, [doomed]);
      assert.equal(next.items.find((s) => s.id === moved)!.employee_id, bob.id, 'items are the schedules as they are now');
      assert.equal(next.has_more, false);

      // Each employee hears only their own: Ann loses the moved shift, Bob gains it.
      const annView = await changes(`/api/schedules?changed_since=${q(first.as_of)}`, ann.user.token);
      assert.deepEqual(ids(annView.items), []);
      assert.deepEqual(annView.deleted!.sort(), [doomed, moved].sort());
      const bobView = await changes(`/api/schedules?changed_since=${q(first.as_of)}`, bob.user.token);
      assert.deepEqual(ids(bobView.items).sort(), [added, moved].sort());
      assert.deepEqual(bobView.deleted, []);
      assert.equal((await t.http('GET', `/api/schedules?changed_since=${q(first.as_of)}&employee_id=${ann.id}`, { token: bob.user.token })).status, 403);

      const quiet = await changes(`/api/schedules?changed_since=${q(next.as_of)}`, manager.token);
      assert.deepEqual([quiet.items, quiet.deleted], [[], []], 'nothing changed since the last read');
    });

    it('pages with a cursor through changes made in one transaction: each once, the same as_of on every page', async () => {
      const emp = await w.employee();
      const shift = await w.shift('Paged', '11:00', '12:00');
      const made: number[] = [];
      for (let d = 10; d < 15; d++) made.push((await w.schedule(manager.token, { employee_id: emp.id, shift_id: shift.id, date: `2024-03-${d}`, draft: true })).id);
      const start = (await settled(`/api/schedules?changed_since=${q(EPOCH)}&limit=1`, manager.token)).as_of;
      // Publishing changes all five in one transaction, so they share one timestamp: the cursor still steps through them.
      assert.equal((await t.http('POST', '/api/schedules/publish', { token: manager.token, body: { from: '2024-03-10', to: '2024-03-14' } })).status, 200);
      const walked = await walk(`/api/schedules?changed_since=${q(start)}&limit=2`, manager.token);
      assert.deepEqual(
        ids(walked.items).sort((a, b) => a - b),
        made,
        'each change once',
      );
      assert.ok(walked.items.every((s) => s.published));
      assert.equal(walked.pages, 3);
      const mine = await walk(`/api/schedules?changed_since=${q(start)}&limit=2`, emp.user.token);
      assert.equal(mine.items.length, 5, 'the employee hears of the shifts once they are published');
    });

    it('refuses a bad time, a bad cursor and parameters that do not combine', async () => {
      for (const bad of ['yesterday', '2024-01-15T10:00:00', '2024-13-01T00:00:00Z', '0000-01-01T00:00:00Z', '']) {
        const r = await t.http('GET', `/api/schedules?changed_since=${q(bad)}&cursor=${bad === '' ? 'x' : ''}`, { token: manager.token });
        assert.equal(r.status, 400, bad);
        assert.equal(r.body.error, 'VALIDATION_FAILED');
      }
      const forged = Buffer.from(JSON.stringify(['2024-02-31T00:00:00Z', EPOCH, EPOCH, '1'])).toString('base64url');
      for (const query of [`cursor=not-a-cursor`, `cursor=${forged}`, `changed_since=${q(EPOCH)}&cursor=abc`, `changed_since=${q(EPOCH)}&offset=5`, `changed_since=${q(EPOCH)}&from=2024-01-01`]) {
        const r = await t.http('GET', `/api/schedules?${query}`, { token: manager.token });
        assert.equal(r.status, 400, query);
        assert.match(r.body.message, /cursor|combine/);
      }
      const plain = await t.http('GET', '/api/schedules', { token: manager.token });
      assert.ok(Array.isArray(plain.body), 'without changed_since the list is the plain list');
    });
  });

  describe('GET /api/notifications?changed_since=', () => {
    it('returns notifications created or read after the cursor, and the deleted ones', async () => {
      const user = await t.newUser({ role: 'employee' });
      const send = async (title: string) => {
        const r = await t.http('POST', '/api/notifications', { token: t.adminToken, body: { user_id: user.id, type: 'announcement', title } });
        assert.equal(r.status, 201);
        return r.body.id as string;
      };
      const [old, toRead, toDelete] = [await send('old'), await send('read later'), await send('deleted later')];
      const first = await settled(`/api/notifications?changed_since=${q(EPOCH)}`, user.token);
      assert.deepEqual(ids(first.items), [old, toRead, toDelete]);
      assert.equal(first.items[0].is_read, false);

      const fresh = await send('new');
      assert.equal((await t.http('PATCH', `/api/notifications/${toRead}/read`, { token: user.token })).status, 200);
      assert.equal((await t.http('DELETE', `/api/notifications/${toDelete}`, { token: user.token })).status, 204);

      const next = await changes(`/api/notifications?changed_since=${q(first.as_of)}`, user.token);
      assert.deepEqual(ids(next.items), [fresh, toRead], 'in change order');
      assert.equal(next.items[1].is_read, true);
      assert.deepEqual(next.deleted, [toDelete]);
      assert.equal((next as ChangePage & { unread_count: number }).unread_count, 2);

      const stranger = await t.newUser({ role: 'employee' });
      const theirs = await changes(`/api/notifications?changed_since=${q(EPOCH)}`, stranger.token);
      assert.deepEqual([theirs.items, theirs.deleted], [[], []], 'another user hears nothing of them');
    });

    it('refuses a bad time and the page-number paging with it', async () => {
      const user = await t.newUser({ role: 'employee' });
      assert.equal((await t.http('GET', '/api/notifications?changed_since=1700000000', { token: user.token })).status, 400);
      assert.equal((await t.http('GET', `/api/notifications?changed_since=${q(EPOCH)}&page=2`, { token: user.token })).status, 400);
      assert.equal((await t.http('GET', '/api/notifications', { token: user.token })).body.page, 1, 'without changed_since the list is the plain page');
    });
  });

  describe('GET /api/attendance/records?since=', () => {
    it('returns records added after the cursor and the deleted ones', async () => {
      const employee = (await t.http('POST', '/api/employees', { token: t.adminToken, body: { first_name: 'Door', last_name: 'Walker' } })).body.id as number;
      const record = async (hour: number) => {
        const r = await t.http('POST', '/api/attendance/records', {
          token: t.adminToken,
          body: { employee_id: employee, score: 95, device_id: 'gate', datetime: new Date(Date.UTC(2024, 0, 10, hour)).toISOString() },
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body.id as number;
      };
      const [kept, doomed] = [await record(8), await record(12)];
      const first = await settled(`/api/attendance/records?since=${q(EPOCH)}`, t.adminToken);
      assert.deepEqual(ids(first.items).slice(-2), [kept, doomed]);
      const added = await record(17);
      assert.equal((await t.http('DELETE', `/api/attendance/records/${doomed}`, { token: t.adminToken })).status, 204);
      const next = await changes(`/api/attendance/records?since=${q(first.as_of)}`, t.adminToken);
      assert.deepEqual(ids(next.items), [added]);
      assert.deepEqual(next.deleted, [doomed]);
      assert.equal(next.items[0].employee_id, employee);
      assert.equal((await t.http('GET', `/api/attendance/records?since=${q(EPOCH)}&employee_id=${employee}`, { token: t.adminToken })).status, 400);
      assert.equal((await t.http('GET', '/api/attendance/records?since=2024-01-10', { token: t.adminToken })).status, 400);
    });
  });

  describe('deletions are remembered for CHANGE_FEED_RETENTION_DAYS', () => {
    it('forgets older ones, and every page says from when its deletions are complete', async () => {
      const db = t.get(DataSource);
      // Two deletions the database itself dated 31 and 29 days ago (the retention is 30 days by default).
      await db.query(
        `INSERT INTO tombstones (entity, entity_id, deleted_at) VALUES ('attendance_record', '900031', now() - interval '31 days'), ('attendance_record', '900029', now() - interval '29 days')`,
      );
      assert.ok((await t.get(ChangeFeedRetention).prune()) >= 1, 'the older one is forgotten');
      const left = await db.query<Array<{ entity_id: string }>>(`SELECT entity_id FROM tombstones WHERE entity_id IN ('900031', '900029')`);
      assert.deepEqual(
        left.map((r) => r.entity_id),
        ['900029'],
      );
      const [{ expected }] = await db.query<Array<{ expected: string }>>(`SELECT extract(epoch FROM now() - interval '30 days') * 1000 AS expected`);
      const page = await changes(`/api/attendance/records?since=${q(EPOCH)}`, t.adminToken);
      assert.ok(Math.abs(Date.parse(page.deleted_since as string) - Number(expected)) < 60_000, `deleted_since ${page.deleted_since} is 30 days back`);
      assert.ok(page.deleted!.includes(900029) && !page.deleted!.includes(900031));
      const notifications = await changes(`/api/notifications?changed_since=${q(EPOCH)}`, manager.token);
      assert.ok(Math.abs(Date.parse(notifications.deleted_since as string) - Number(expected)) < 60_000, 'notifications say it too');
    });
  });

  describe('GET /api/event-sessions/:id/check-ins?since=', () => {
    it('returns the attempts recorded or undone after the cursor, with the counts now', async () => {
      const host = await t.newUser({ role: 'employee' });
      const now = t.clock.now();
      const session = (
        await t.http('POST', '/api/event-sessions', { token: host.token, body: { name: 'Rebuild', starts_at: new Date(now - HOUR).toISOString(), ends_at: new Date(now + HOUR).toISOString() } })
      ).body.id as string;
      const guests = [await t.newUser(), await t.newUser()];
      for (const g of guests) assert.equal((await t.http('POST', `/api/event-sessions/${session}/registrations`, { token: host.token, body: { user_id: g.id } })).status, 201);
      const checkIn = async (g: TestUser) => (await t.http('POST', `/api/event-sessions/${session}/check-ins`, { token: host.token, body: { user_id: g.id } })).body;
      await checkIn(guests[0]);
      const first = await settled(`/api/event-sessions/${session}/check-ins?since=${q(EPOCH)}`);
      assert.equal(first.items.length, 1);
      const undoneId = first.items[0].id as string;

      await checkIn(guests[1]);
      assert.equal((await t.http('DELETE', `/api/event-sessions/${session}/check-ins/${undoneId}`, { token: host.token })).status, 200);
      const next = (await changes(`/api/event-sessions/${session}/check-ins?since=${q(first.as_of)}`)) as ChangePage & { counts: Record<string, number> };
      assert.deepEqual(
        next.items.map((i) => [i.user_id, i.outcome]),
        [
          [guests[1].id, 'checked_in'],
          [guests[0].id, 'undone'],
        ],
      );
      assert.equal(next.items[1].id, undoneId);
      assert.equal(next.counts.successful, 1);
      assert.equal(next.counts.undone, 1);
      assert.equal((await t.http('GET', `/api/event-sessions/${session}/check-ins?since=now`)).status, 400);
      assert.equal((await t.http('GET', `/api/event-sessions/${session}/check-ins?since=${q(EPOCH)}&offset=1`)).status, 400);
    });
  });

  describe('GET /api/bells/rings?since=', () => {
    it('returns the ring log written after the cursor, oldest first', async () => {
      const sound = await newSound(t, 'Rebuild bell');
      const ring = async (name: string) => {
        const r = await t.http('POST', '/api/bells/ring', { token: t.adminToken, body: { sound_id: sound.id, name } });
        assert.equal(r.status, 202, JSON.stringify(r.body));
        return r.body.id as string;
      };
      const earlier = await ring('earlier');
      const first = await settled(`/api/bells/rings?since=${q(EPOCH)}`, t.adminToken);
      assert.ok(ids(first.items).includes(earlier));
      const [a, b] = [await ring('a'), await ring('b')];
      const next = await walk(`/api/bells/rings?since=${q(first.as_of)}&limit=1`, t.adminToken);
      assert.deepEqual(ids(next.items), [a, b]);
      assert.equal((await t.http('GET', `/api/bells/rings?since=${q(first.as_of)}&kind=emergency`, { token: t.adminToken })).body.items.length, 0);
      assert.equal((await t.http('GET', '/api/bells/rings?since=soon', { token: t.adminToken })).status, 400);
    });
  });

  describe('a write still in flight during a read', { skip: !process.env.TEST_DATABASE_URL && 'needs PostgreSQL (TEST_DATABASE_URL): the embedded database runs one transaction at a time' }, () => {
    it('is not lost: as_of stays before it, so the next read sees it', async () => {
      const user = await t.newUser({ role: 'employee' });
      const db = new Client({ connectionString: t.database.env.DATABASE_URL });
      await db.connect();
      try {
        await db.query('BEGIN');
        await db.query(`INSERT INTO notifications (user_id, type, title) VALUES ($1, 'announcement', 'in flight')`, [user.id]);
        const during = await changes(`/api/notifications?changed_since=${q(EPOCH)}`, user.token);
        assert.deepEqual(during.items, [], 'not committed yet');
        await db.query('COMMIT');
        const next = await changes(`/api/notifications?changed_since=${q(during.as_of)}`, user.token);
        assert.deepEqual(
          next.items.map((n) => n.title),
          ['in flight'],
        );
      } finally {
        await db.end();
      }
    });
  });
});
