import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp, TestUser } from '../support/test-app';
import { World } from './schedules-world';

describe('schedules REST', () => {
  let t: TestApp;
  let w: World;
  let manager: TestUser;

  before(async () => {
    t = await TestApp.start({ clock: new FakeClock(new Date('2024-01-15T10:30:00Z')), env: { JWT_ACCESS_TTL: '86400' } });
    w = new World(t);
    manager = await w.manager();
  });
  after(() => t.stop());

  describe('/api/shifts', () => {
    it('creates, reads, changes and deletes a shift; times come back as HH:MM:SS', async () => {
      const created = await t.http('POST', '/api/shifts', { token: manager.token, body: { name: 'Morning <b>Shift</b>', start_time: '09:00', end_time: '17:00:30' } });
      assert.equal(created.status, 201);
      assert.equal(created.body.name, 'Morning Shift');
      assert.equal(created.body.start_time, '09:00:00');
      assert.equal(created.body.end_time, '17:00:30');
      const emp = await w.employee();
      const got = await t.http('GET', `/api/shifts/${created.body.id}`, { token: emp.user.token });
      assert.equal(got.status, 200, 'any signed-in user reads shifts');
      assert.deepEqual(got.body, created.body);
      const listed = await t.http('GET', '/api/shifts', { token: emp.user.token });
      assert.ok(listed.body.some((s: { id: number }) => s.id === created.body.id));
      const patched = await t.http('PATCH', `/api/shifts/${created.body.id}`, { token: manager.token, body: { end_time: '18:00' } });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.end_time, '18:00:00');
      assert.equal((await t.http('DELETE', `/api/shifts/${created.body.id}`, { token: manager.token })).status, 204);
      assert.equal((await t.http('GET', `/api/shifts/${created.body.id}`, { token: manager.token })).status, 404);
    });

    it('refuses bad times, writes by employees, and deleting a shift in use', async () => {
      for (const body of [
        { name: 'x', start_time: '9:00', end_time: '17:00' },
        { name: 'x', start_time: '24:00', end_time: '17:00' },
        { name: '', start_time: '09:00', end_time: '17:00' },
      ]) {
        assert.equal((await t.http('POST', '/api/shifts', { token: manager.token, body })).status, 400, JSON.stringify(body));
      }
      const emp = await w.employee();
      assert.equal((await t.http('POST', '/api/shifts', { token: emp.user.token, body: { name: 'x', start_time: '09:00', end_time: '10:00' } })).status, 403);
      const shift = await w.shift('Used', '10:00', '11:00');
      await w.schedule(manager.token, { employee_id: emp.id, shift_id: shift.id, date: '2024-01-20' });
      const r = await t.http('DELETE', `/api/shifts/${shift.id}`, { token: manager.token });
      assert.equal(r.status, 409);
      assert.equal(r.body.error, 'CONFLICT');
    });
  });

  describe('/api/schedules', () => {
    it('creates a schedule with its employee and shift, defaulting the status to scheduled', async () => {
      const emp = await w.employee({ first: 'Jane', job: 'nurse' });
      const shift = await w.shift('Day', '07:00', '15:00');
      const r = await t.http('POST', '/api/schedules', { token: manager.token, body: { employee_id: emp.id, shift_id: shift.id, date: '2024-01-21', notes: 'Cover <i>ward</i> B' } });
      assert.equal(r.status, 201);
      assert.equal(typeof r.body.id, 'number');
      assert.equal(r.body.status, 'scheduled');
      assert.equal(r.body.notes, 'Cover ward B');
      assert.deepEqual(r.body.employee, { id: emp.id, name: 'Jane Doe', role: 'nurse', user_id: emp.user.id });
      assert.deepEqual(r.body.shift, { id: shift.id, name: 'Day', start_time: '07:00:00', end_time: '15:00:00' });
      const got = await t.http('GET', `/api/schedules/${r.body.id}`, { token: manager.token });
      assert.deepEqual(got.body, r.body);
    });

    it('validates the body: real dates, known statuses, existing employees and shifts', async () => {
      const emp = await w.employee();
      const shift = await w.shift('Val', '07:00', '08:00');
      for (const body of [
        { employee_id: emp.id, shift_id: shift.id, date: '2024-02-30' },
        { employee_id: emp.id, shift_id: shift.id, date: '20.01.2024' },
        { employee_id: emp.id, shift_id: shift.id, date: '2024-01-20', status: 'sleeping' },
        { employee_id: 'x', shift_id: shift.id, date: '2024-01-20' },
      ]) {
        assert.equal((await t.http('POST', '/api/schedules', { token: manager.token, body })).status, 400, JSON.stringify(body));
      }
      assert.equal((await t.http('POST', '/api/schedules', { token: manager.token, body: { employee_id: 999999, shift_id: shift.id, date: '2024-01-20' } })).status, 404);
      assert.equal((await t.http('POST', '/api/schedules', { token: manager.token, body: { employee_id: emp.id, shift_id: 999999, date: '2024-01-20' } })).status, 404);
      const statuses = ['scheduled', 'confirmed', 'completed', 'cancelled', 'no_show'];
      for (const [i, status] of statuses.entries()) {
        const r = await t.http('POST', '/api/schedules', { token: manager.token, body: { employee_id: emp.id, shift_id: shift.id, date: `2024-06-0${i + 1}`, status } });
        assert.equal(r.status, 201, status);
        assert.equal(r.body.status, status);
      }
    });

    it('refuses with 409 a shift that overlaps another of the same employee, across midnight too', async () => {
      const emp = await w.employee();
      const other = await w.employee();
      const day = await w.shift('Nine to five', '09:00', '17:00');
      const late = await w.shift('Noon to eight', '12:00', '20:00');
      const evening = await w.shift('Evening', '17:00', '22:00');
      const night = await w.shift('Night', '22:00', '06:00');
      const early = await w.shift('Early', '05:00', '09:00');
      const base = { employee_id: emp.id, date: '2024-03-10' };
      await w.schedule(manager.token, { ...base, shift_id: day.id });
      const clash = await t.http('POST', '/api/schedules', { token: manager.token, body: { ...base, shift_id: late.id } });
      assert.equal(clash.status, 409);
      assert.equal(clash.body.error, 'CONFLICT');
      // Touching ends do not overlap; another employee or another date is free.
      await w.schedule(manager.token, { ...base, shift_id: evening.id });
      await w.schedule(manager.token, { ...base, employee_id: other.id, shift_id: late.id });
      await w.schedule(manager.token, { ...base, date: '2024-03-11', shift_id: late.id });
      // 22:00–06:00 on the 10th runs into 05:00–09:00 on the 11th.
      await w.schedule(manager.token, { ...base, shift_id: night.id });
      assert.equal((await t.http('POST', '/api/schedules', { token: manager.token, body: { ...base, date: '2024-03-11', shift_id: early.id } })).status, 409);
      // The same shift twice on one date overlaps itself.
      assert.equal((await t.http('POST', '/api/schedules', { token: manager.token, body: { ...base, shift_id: day.id } })).status, 409);
      // A cancelled schedule blocks nothing; bringing it back is checked again.
      const cancelled = await w.schedule(manager.token, { ...base, shift_id: late.id, status: 'cancelled' });
      const revive = await t.http('PATCH', `/api/schedules/${cancelled.id}`, { token: manager.token, body: { status: 'scheduled' } });
      assert.equal(revive.status, 409);
      // Moving a schedule onto an overlapping slot is refused as well.
      const elsewhere = await w.schedule(manager.token, { ...base, date: '2024-03-12', shift_id: day.id });
      assert.equal((await t.http('PATCH', `/api/schedules/${elsewhere.id}`, { token: manager.token, body: { date: '2024-03-10' } })).status, 409);
    });

    it('refuses two overlapping shifts planned at the same moment: exactly one wins', async () => {
      const emp = await w.employee();
      const a = await w.shift('Race A', '08:00', '16:00');
      const b = await w.shift('Race B', '10:00', '18:00');
      const results = await Promise.all([a, b, a, b].map((s) => t.http('POST', '/api/schedules', { token: manager.token, body: { employee_id: emp.id, shift_id: s.id, date: '2024-07-01' } })));
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409]);
    });

    it('lists by employee and date range, inclusive', async () => {
      const emp = await w.employee();
      const other = await w.employee();
      const shift = await w.shift('List', '09:00', '10:00');
      for (const date of ['2024-08-01', '2024-08-02', '2024-08-05']) await w.schedule(manager.token, { employee_id: emp.id, shift_id: shift.id, date });
      await w.schedule(manager.token, { employee_id: other.id, shift_id: shift.id, date: '2024-08-02' });
      const r = await t.http('GET', `/api/schedules?employee_id=${emp.id}&from=2024-08-02&to=2024-08-05`, { token: manager.token });
      assert.equal(r.status, 200);
      assert.deepEqual(
        r.body.map((s: { date: string }) => s.date),
        ['2024-08-02', '2024-08-05'],
      );
      const day = await t.http('GET', '/api/schedules?from=2024-08-02&to=2024-08-02', { token: manager.token });
      assert.deepEqual(day.body.map((s: { employee_id: number }) => s.employee_id).sort(), [emp.id, other.id].sort());
      assert.equal((await t.http('GET', '/api/schedules?from=tomorrow', { token: manager.token })).status, 400);
    });

    it('shows an employee only their own schedules', async () => {
      const emp = await w.employee();
      const other = await w.employee();
      const shift = await w.shift('Own', '11:00', '12:00');
      const mine = await w.schedule(manager.token, { employee_id: emp.id, shift_id: shift.id, date: '2024-09-01' });
      const theirs = await w.schedule(manager.token, { employee_id: other.id, shift_id: shift.id, date: '2024-09-01' });
      const list = await t.http('GET', '/api/schedules', { token: emp.user.token });
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.map((s: { id: number }) => s.id),
        [mine.id],
      );
      assert.equal((await t.http('GET', `/api/schedules?employee_id=${other.id}`, { token: emp.user.token })).status, 403);
      assert.equal((await t.http('GET', `/api/schedules/${theirs.id}`, { token: emp.user.token })).status, 404);
      assert.equal((await t.http('GET', `/api/schedules/${mine.id}`, { token: emp.user.token })).status, 200);
      assert.equal((await t.http('PATCH', `/api/schedules/${mine.id}`, { token: emp.user.token, body: { status: 'confirmed' } })).status, 403);
      const member = await t.newUser({ role: 'member' });
      assert.equal((await t.http('GET', '/api/schedules', { token: member.token })).status, 403);
    });

    it('notifies the employee’s user of every change, stored with type schedule and the changed fields', async () => {
      const emp = await w.employee();
      const loose = await w.unlinkedEmployee();
      const shift = await w.shift('Notify', '14:00', '15:00');
      const s = await w.schedule(manager.token, { employee_id: emp.id, shift_id: shift.id, date: '2024-10-01' });
      await t.http('PATCH', `/api/schedules/${s.id}`, { token: manager.token, body: { status: 'confirmed', notes: 'Bring keys' } });
      await t.http('DELETE', `/api/schedules/${s.id}?reason=Closed`, { token: manager.token });
      // An employee without a user account gets no notification, and nothing fails.
      const unlinked = await w.schedule(manager.token, { employee_id: loose, shift_id: shift.id, date: '2024-10-01' });
      assert.equal((await t.http('DELETE', `/api/schedules/${unlinked.id}`, { token: manager.token })).status, 204);

      const page = await t.http('GET', '/api/notifications?limit=2', { token: emp.user.token });
      assert.equal(page.status, 200);
      assert.equal(page.body.total, 3);
      assert.equal(page.body.items.length, 2);
      const all = (await t.http('GET', '/api/notifications', { token: emp.user.token })).body.items;
      const byAction = Object.fromEntries(all.map((n: { metadata: { action: string } }) => [n.metadata.action, n]));
      for (const n of all) {
        assert.equal(n.type, 'schedule');
        assert.equal(n.employee_id, emp.id);
        assert.equal(n.metadata.schedule_id, s.id);
      }
      assert.deepEqual(byAction.updated.metadata.changes, ['status', 'notes']);
      assert.match(byAction.deleted.message, /Closed/);
      const readAll = await t.http('POST', '/api/notifications/read-all', { token: emp.user.token });
      assert.equal(readAll.body.updated, 3);
      assert.equal((await t.http('GET', '/api/notifications?unread=true', { token: emp.user.token })).body.total, 0);
    });

    it('lists every schedules route in the OpenAPI document', async () => {
      const doc = await t.http('GET', '/docs-json');
      for (const path of ['/api/shifts', '/api/shifts/{id}', '/api/schedules', '/api/schedules/{id}', '/api/system/maintenance', '/api/system/broadcast']) {
        assert.ok(doc.body.paths[path], path);
      }
      for (const schema of ['CreateShiftDto', 'ShiftDto', 'CreateScheduleDto', 'UpdateScheduleDto', 'ScheduleDto', 'MaintenanceDto', 'BroadcastDto']) {
        assert.ok(doc.body.components.schemas[schema], schema);
      }
    });
  });
});
