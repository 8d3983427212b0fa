import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp, TestUser } from '../support/test-app';
import { isFrame, settle, subscribe, World } from './schedules-world';

const START = new Date('2024-01-12T10:00:00Z');

describe('draft and publish', () => {
  let t: TestApp;
  let w: World;
  let manager: TestUser;
  before(async () => {
    t = await TestApp.start({ clock: new FakeClock(START), env: { JWT_ACCESS_TTL: '86400', SCHEDULES_CONNECTIONS_PER_MINUTE_PER_IP: '1000' } });
    w = new World(t);
    manager = await w.manager();
  });
  afterEach(() => w.closeAll());
  after(() => t.stop());

  it('keeps drafts quiet and from employees, then publishing sends one summary notification per affected employee', async () => {
    const john = await w.employee({ first: 'John' });
    const jane = await w.employee({ first: 'Jane' });
    const loose = await w.unlinkedEmployee();
    const morning = await w.shift('Morning', '09:00', '17:00');
    const johnSocket = await w.connect(john.user.token);
    await subscribe(johnSocket, ['schedule', 'notification']);
    const bossSocket = await w.connect(manager.token);
    await subscribe(bossSocket, ['schedule']);

    const draft = (employee_id: number, date: string) => w.schedule(manager.token, { employee_id, shift_id: morning.id, date, draft: true });
    const drafts = [await draft(john.id, '2024-01-15'), await draft(john.id, '2024-01-16'), await draft(john.id, '2024-01-17'), await draft(jane.id, '2024-01-15'), await draft(loose, '2024-01-15')];
    const outside = await draft(john.id, '2024-01-22');
    assert.equal(drafts[0].published, false);
    // Changing and deleting a draft is quiet too.
    await t.http('PATCH', `/api/schedules/${drafts[2].id}`, { token: manager.token, body: { notes: 'Bring keys' } });
    assert.equal((await t.http('PATCH', `/api/schedules/${drafts[2].id}`, { token: manager.token, body: { draft: false } })).body.published, false, 'publishing is its own step');

    await settle(johnSocket, bossSocket);
    assert.equal(johnSocket.seen(isFrame('schedule')).length + johnSocket.seen(isFrame('notification')).length, 0);
    assert.equal(bossSocket.seen(isFrame('schedule')).length, 0);
    assert.deepEqual((await t.http('GET', '/api/schedules', { token: john.user.token })).body, [], 'employees do not see drafts');
    assert.equal((await t.http('GET', `/api/schedules/${drafts[0].id}`, { token: john.user.token })).status, 404);
    assert.equal((await t.http('GET', '/api/schedules?from=2024-01-15&to=2024-01-21', { token: manager.token })).body.length, 5);
    assert.equal((await w.t.http('GET', '/api/notifications', { token: john.user.token })).body.items.length, 0);

    assert.equal((await t.http('POST', '/api/schedules/publish', { token: john.user.token, body: { from: '2024-01-15', to: '2024-01-21' } })).status, 403);
    assert.equal((await t.http('POST', '/api/schedules/publish', { token: manager.token, body: { from: '2024-01-21', to: '2024-01-15' } })).status, 400);
    const published = await t.http('POST', '/api/schedules/publish', { token: manager.token, body: { from: '2024-01-15', to: '2024-01-21' } });
    assert.equal(published.status, 200, JSON.stringify(published.body));
    assert.equal(published.body.published, 5);
    assert.deepEqual([...published.body.schedule_ids].sort(), drafts.map((d) => d.id).sort());
    assert.equal(published.body.notified_employees, 2, 'John and Jane; the employee without an account gets none');

    const note = await johnSocket.next(isFrame('notification', 'created'));
    assert.equal(note.data.title, 'Schedule Published');
    assert.match(note.data.message, /3 shifts .*2024-01-15 Morning 09:00–17:00/);
    assert.deepEqual(note.data.metadata.schedule_ids, [drafts[0].id, drafts[1].id, drafts[2].id]);
    await settle(johnSocket, bossSocket);
    assert.equal(johnSocket.seen(isFrame('notification')).length, 0, 'one notification, not one per shift');
    assert.equal(johnSocket.seen(isFrame('schedule', 'created')).length, 3, 'the shifts themselves arrive as new schedules');
    assert.equal(bossSocket.seen(isFrame('schedule', 'created')).length, 5);
    const janeNotes = (await t.http('GET', '/api/notifications', { token: jane.user.token })).body.items;
    assert.deepEqual(
      janeNotes.map((n: { title: string }) => n.title),
      ['Schedule Published'],
    );
    assert.equal((await t.http('GET', '/api/schedules', { token: john.user.token })).body.length, 3);

    const again = await t.http('POST', '/api/schedules/publish', { token: manager.token, body: { from: '2024-01-15', to: '2024-01-21' } });
    assert.deepEqual(again.body, { published: 0, schedule_ids: [], notified_employees: 0 });
    assert.equal((await t.http('GET', `/api/schedules/${outside.id}`, { token: manager.token })).body.published, false, 'a draft outside the range stays a draft');
  });

  it('checks overlaps against drafts too, so publishing never makes a double booking', async () => {
    const emp = await w.employee();
    const a = await w.shift('A', '08:00', '16:00');
    const b = await w.shift('B', '12:00', '20:00');
    await w.schedule(manager.token, { employee_id: emp.id, shift_id: a.id, date: '2024-02-05', draft: true });
    const clash = await t.http('POST', '/api/schedules', { token: manager.token, body: { employee_id: emp.id, shift_id: b.id, date: '2024-02-05' } });
    assert.equal(clash.status, 409);
  });
});

describe('employees answer their shifts', () => {
  let t: TestApp;
  let w: World;
  let manager: TestUser;
  before(async () => {
    t = await TestApp.start({ clock: new FakeClock(START), env: { JWT_ACCESS_TTL: '86400', SCHEDULES_CONNECTIONS_PER_MINUTE_PER_IP: '1000' } });
    w = new World(t);
    manager = await w.manager();
  });
  afterEach(() => w.closeAll());
  after(() => t.stop());

  it('lets the employee accept or decline a published shift of their own; managers hear it and the audit keeps the reason', async () => {
    const john = await w.employee({ first: 'John' });
    const other = await w.employee({ first: 'Other' });
    const shift = await w.shift();
    const s = await w.schedule(manager.token, { employee_id: john.id, shift_id: shift.id, date: '2024-01-15' });
    const draft = await w.schedule(manager.token, { employee_id: john.id, shift_id: shift.id, date: '2024-01-16', draft: true });
    const boss = await w.connect(manager.token);
    await subscribe(boss, ['schedule']);

    const accepted = await t.http('POST', `/api/schedules/${s.id}/accept`, { token: john.user.token });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.status, 'confirmed');
    const heard = await boss.next(isFrame('schedule', 'updated'));
    assert.deepEqual(heard.data.changes, { status: { old: 'scheduled', new: 'confirmed' } });
    assert.equal(heard.user_id, john.user.id);

    const declined = await t.http('POST', `/api/schedules/${s.id}/decline`, { token: john.user.token, body: { reason: 'Exam that morning' } });
    assert.equal(declined.body.status, 'declined');
    const log = await t.http('GET', `/api/schedules/audit?schedule_id=${s.id}`, { token: manager.token });
    assert.deepEqual([log.body[0].after, log.body[0].reason, log.body[0].changed_by.id], [{ status: 'declined' }, 'Exam that morning', john.user.id]);

    assert.equal((await t.http('POST', `/api/schedules/${s.id}/accept`, { token: other.user.token })).status, 404, 'not their shift');
    assert.equal((await t.http('POST', `/api/schedules/${draft.id}/accept`, { token: john.user.token })).status, 404, 'a draft is not published yet');
    assert.equal((await t.http('POST', `/api/schedules/${s.id}/accept`, { token: manager.token })).status, 403);
    await t.http('PATCH', `/api/schedules/${s.id}`, { token: manager.token, body: { status: 'completed' } });
    assert.equal((await t.http('POST', `/api/schedules/${s.id}/decline`, { token: john.user.token })).status, 409);
    const mine = (await t.http('GET', '/api/notifications', { token: john.user.token })).body.items.map((n: { title: string }) => n.title);
    // Both were made at the same (fake) instant: compare as a set.
    assert.deepEqual(mine.sort(), ['New Shift Scheduled', 'Schedule Updated'], 'no notification for their own answers');
  });
});
