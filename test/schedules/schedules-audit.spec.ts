import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp, TestUser } from '../support/test-app';
import { World } from './schedules-world';

const START = new Date('2024-01-15T10:30:00Z');

describe('schedule audit log', () => {
  let t: TestApp;
  let w: World;
  let manager: TestUser;
  before(async () => {
    t = await TestApp.start({ clock: new FakeClock(START), env: { JWT_ACCESS_TTL: '86400' } });
    w = new World(t);
    manager = await w.manager();
  });
  after(() => t.stop());

  it('keeps who changed which schedule, when, from what to what, and answers queries by schedule, employee, actor and time', async () => {
    const john = await w.employee({ first: 'John' });
    const jane = await w.employee({ first: 'Jane' });
    const shift = await w.shift();
    const s = await w.schedule(manager.token, { employee_id: john.id, shift_id: shift.id, date: '2024-01-20' });
    t.clock.advance(60_000);
    const moved = await t.http('PATCH', `/api/schedules/${s.id}`, { token: t.adminToken, body: { employee_id: jane.id, notes: 'Swap agreed', status: 'scheduled' } });
    assert.equal(moved.status, 200);
    t.clock.advance(60_000);
    assert.equal((await t.http('DELETE', `/api/schedules/${s.id}?reason=Closed%20for%20works`, { token: manager.token })).status, 204);

    const log = await t.http('GET', `/api/schedules/audit?schedule_id=${s.id}`, { token: manager.token });
    assert.equal(log.status, 200);
    const at = (m: number) => new Date(START.getTime() + m * 60_000).toISOString();
    assert.deepEqual(
      log.body.map((e: Record<string, unknown>) => [e.action, e.at, (e.changed_by as { name: string }).name, e.before, e.after, e.reason]),
      [
        ['deleted', at(2), manager.name, { employee_id: jane.id, shift_id: shift.id, date: '2024-01-20', status: 'scheduled', notes: 'Swap agreed' }, null, 'Closed for works'],
        ['updated', at(1), 'Administrator', { employee_id: john.id, notes: null }, { employee_id: jane.id, notes: 'Swap agreed' }, null],
        ['created', at(0), manager.name, null, { employee_id: john.id, shift_id: shift.id, date: '2024-01-20', status: 'scheduled', notes: null }, null],
      ],
    );
    const johns = await t.http('GET', `/api/schedules/audit?employee_id=${john.id}`, { token: manager.token });
    assert.deepEqual(
      johns.body.map((e: { action: string }) => e.action),
      ['updated', 'created'],
      'moved away from John counts as John’s',
    );
    const byManager = await t.http('GET', `/api/schedules/audit?actor_id=${manager.id}`, { token: manager.token });
    assert.deepEqual(
      byManager.body.map((e: { action: string }) => e.action),
      ['deleted', 'created'],
    );
    const window = await t.http('GET', `/api/schedules/audit?from=${encodeURIComponent(at(1))}&to=${encodeURIComponent(at(2))}`, { token: manager.token });
    assert.deepEqual(
      window.body.map((e: { action: string }) => e.action),
      ['updated'],
    );

    assert.equal((await t.http('GET', '/api/schedules/audit', { token: john.user.token })).status, 403);
    assert.equal((await t.http('GET', '/api/schedules/audit?employee_id=x', { token: manager.token })).status, 400);
  });

  it('records nothing for an update that changes nothing, and nothing for a refused one', async () => {
    const emp = await w.employee();
    const shift = await w.shift('Late', '12:00', '20:00');
    const a = await w.schedule(manager.token, { employee_id: emp.id, shift_id: shift.id, date: '2024-02-01' });
    await w.schedule(manager.token, { employee_id: emp.id, shift_id: (await w.shift('Early', '06:00', '10:00')).id, date: '2024-02-02' });
    await t.http('PATCH', `/api/schedules/${a.id}`, { token: manager.token, body: { status: 'scheduled' } });
    const refused = await t.http('PATCH', `/api/schedules/${a.id}`, { token: manager.token, body: { date: '2024-02-02', shift_id: (await w.shift('Overlap', '08:00', '12:00')).id } });
    assert.equal(refused.status, 409);
    const log = await t.http('GET', `/api/schedules/audit?schedule_id=${a.id}`, { token: manager.token });
    assert.deepEqual(
      log.body.map((e: { action: string }) => e.action),
      ['created'],
    );
  });
});
