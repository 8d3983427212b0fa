import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp, TestDevice } from '../support/test-app';

describe('shift-aware attendance: GET /api/attendance/summary?from&to', () => {
  let t: TestApp;
  let camera: TestDevice;

  before(async () => {
    t = await TestApp.start({ clock: new FakeClock(new Date('2026-03-10T03:00:00Z')), env: { ATTENDANCE_TIMEZONE: 'Asia/Ho_Chi_Minh', ATTENDANCE_LATE_GRACE_MINUTES: '5' } });
    camera = await t.newDevice({ kind: 'camera' });
  });
  after(() => t.stop());

  const api = async (method: string, path: string, body?: unknown) => {
    const r = await t.http(method, path, { token: t.adminToken, body });
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const seen = (employee_id: number, datetime: string) =>
    t.http('POST', '/api/attendance/records', { token: camera.token, body: { employee_id, datetime, score: 95, device_id: 'gate' } }).then((r) => assert.equal(r.status, 201, JSON.stringify(r.body)));

  it('attributes a night shift’s records across midnight in the site zone: late arrival, early leave, absence, by employee and by day', async () => {
    const night = (await api('POST', '/api/shifts', { name: 'Night', start_time: '22:00', end_time: '06:00' })).id;
    const day = (await api('POST', '/api/shifts', { name: 'Day', start_time: '08:00', end_time: '16:00' })).id;
    const an = (await api('POST', '/api/employees', { first_name: 'An', last_name: 'Le' })).id;
    const binh = (await api('POST', '/api/employees', { first_name: 'Binh', last_name: 'Ho' })).id;
    await api('POST', '/api/schedules', { employee_id: an, shift_id: night, date: '2026-03-08' });
    await api('POST', '/api/schedules', { employee_id: binh, shift_id: day, date: '2026-03-09' });
    await api('POST', '/api/schedules', { employee_id: an, shift_id: night, date: '2026-03-09' });

    // 22:20 and 06:02 local (UTC+7): 20 minutes late, stays to the end.
    await seen(an, '2026-03-08T15:20:00Z');
    await seen(an, '2026-03-08T23:02:00Z');
    // Binh: 07:58 in, 15:00 out (an hour early).
    await seen(binh, '2026-03-09T00:58:00Z');
    await seen(binh, '2026-03-09T08:00:00Z');

    const r = await api('GET', '/api/attendance/summary?from=2026-03-08&to=2026-03-09');
    assert.equal(r.timezone, 'Asia/Ho_Chi_Minh');
    const brief = r.shifts.map((s: any) => [s.employee_id, s.date, s.shift, s.status, s.late_minutes, s.early_leave]);
    assert.deepEqual(brief, [
      [an, '2026-03-08', 'Night', 'late', 20, false],
      [binh, '2026-03-09', 'Day', 'on_time', 0, true],
      [an, '2026-03-09', 'Night', 'absent', 0, false],
    ]);
    const first = r.shifts[0];
    assert.deepEqual([first.start, first.end, first.first_in, first.last_out], ['2026-03-08T15:00:00.000Z', '2026-03-08T23:00:00.000Z', '2026-03-08T15:20:00.000Z', '2026-03-08T23:02:00.000Z']);
    assert.deepEqual(r.by_employee, [
      { employee_id: an, shifts: 2, on_time: 0, late: 1, early_leave: 0, absent: 1 },
      { employee_id: binh, shifts: 1, on_time: 1, late: 0, early_leave: 1, absent: 0 },
    ]);
    assert.deepEqual(r.by_day, [
      { date: '2026-03-08', shifts: 1, on_time: 0, late: 1, early_leave: 0, absent: 0 },
      { date: '2026-03-09', shifts: 2, on_time: 1, late: 0, early_leave: 1, absent: 1 },
    ]);
    assert.equal((await t.http('GET', '/api/attendance/summary?from=2026-03-08', { token: t.adminToken })).status, 400);
    assert.equal((await t.http('GET', '/api/attendance/summary?from=2026-03-09&to=2026-03-01', { token: t.adminToken })).status, 400);
  });
});
