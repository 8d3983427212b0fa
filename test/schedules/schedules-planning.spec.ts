import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp, TestUser } from '../support/test-app';
import { Frame } from '../support/ws-client';
import { isFrame, settle, subscribe, World } from './schedules-world';

const note = (title: string) => (f: Frame) => isFrame('notification', 'created')(f) && f.data.title === title;

describe('planning: rules, time off, swaps, open shifts and auto-fill', () => {
  let t: TestApp;
  let w: World;
  let manager: TestUser;
  before(async () => {
    t = await TestApp.start({
      clock: new FakeClock(new Date('2024-01-12T10:00:00Z')),
      env: { JWT_ACCESS_TTL: '86400', SCHEDULES_CONNECTIONS_PER_MINUTE_PER_IP: '1000', SCHEDULES_TIME_ZONE: 'Europe/Berlin' },
    });
    w = new World(t);
    manager = await w.manager();
  });
  afterEach(() => w.closeAll());
  after(() => t.stop());

  const setRules = async (body: Record<string, unknown>) => {
    const r = await t.http('PUT', '/api/schedules/rules', { token: manager.token, body });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const plan = (body: Record<string, unknown>) => t.http('POST', '/api/schedules', { token: manager.token, body });

  it('refuses rest and hours violations across midnight and DST, and records an override with its reason', async () => {
    const rules = await setRules({ min_rest_hours: 11, max_hours_per_day: 8, max_hours_per_week: null });
    assert.equal(rules.time_zone, 'Europe/Berlin');
    assert.deepEqual(rules.overridable, ['min_rest', 'max_hours_per_day', 'max_hours_per_week', 'availability']);
    assert.equal((await t.http('PUT', '/api/schedules/rules', { token: manager.token, body: { overridable: ['overlap'] } })).status, 400, 'overlap is never overridable');
    assert.equal((await t.http('PUT', '/api/schedules/rules', { token: (await w.employee()).user.token, body: { min_rest_hours: 1 } })).status, 403);
    const emp = await w.employee();
    const night = await w.shift('Night', '22:00', '06:00');
    const late = await w.shift('Late', '14:00', '22:00');
    const evening = await w.shift('Evening', '17:00', '23:00');
    const early = await w.shift('Early', '06:00', '14:00');

    // Spring forward: the night is 7 real hours, within 8.
    await w.schedule(manager.token, { employee_id: emp.id, shift_id: night.id, date: '2024-03-30' });
    // Fall back: the same night is 9 hours.
    const autumn = await plan({ employee_id: emp.id, shift_id: night.id, date: '2024-10-26' });
    assert.equal(autumn.status, 409);
    assert.deepEqual(
      autumn.body.details.violations.map((v: { rule: string }) => v.rule),
      ['max_hours_per_day'],
    );
    assert.match(autumn.body.message, /9 h on 2024-10-26 \(maximum 8 h\).*override_reason/);

    // Rest after a night shift that crosses midnight: 06:00 → 14:00 is 8 hours.
    const first = await w.schedule(manager.token, { employee_id: emp.id, shift_id: night.id, date: '2024-01-15' });
    const tooSoon = await plan({ employee_id: emp.id, shift_id: late.id, date: '2024-01-16' });
    assert.equal(tooSoon.status, 409);
    assert.deepEqual(tooSoon.body.details.violations, [{ rule: 'min_rest', message: 'only 8 h rest next to the shift on 2024-01-15 (minimum 11 h)', overridable: true, schedule_id: first.id }]);
    assert.equal((await plan({ employee_id: emp.id, shift_id: evening.id, date: '2024-01-16' })).status, 201, '06:00 → 17:00 is 11 hours');

    // 23:00 → 06:00 is 7 hours: allowed only with a reason.
    assert.equal((await plan({ employee_id: emp.id, shift_id: early.id, date: '2024-01-17' })).status, 409);
    const overridden = await plan({ employee_id: emp.id, shift_id: early.id, date: '2024-01-17', override_reason: 'Stocktake, agreed with John' });
    assert.equal(overridden.status, 201, JSON.stringify(overridden.body));
    const audit = (await t.http('GET', `/api/schedules/audit?schedule_id=${overridden.body.id}`, { token: manager.token })).body;
    assert.equal(audit[0].reason, 'Overrides min_rest: Stocktake, agreed with John');

    // Overlap cannot be overridden.
    const clash = await plan({ employee_id: emp.id, shift_id: evening.id, date: '2024-01-15', override_reason: 'please' });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.details.conflicting_schedule_id, first.id);
    // The same rules guard a change: the early shift moved to the 15th ends 8 hours before that night, and makes 16 hours that day.
    const moved = await t.http('PATCH', `/api/schedules/${overridden.body.id}`, { token: manager.token, body: { date: '2024-01-15' } });
    assert.equal(moved.status, 409);
    assert.deepEqual(
      moved.body.details.violations.map((v: { rule: string }) => v.rule),
      ['min_rest', 'max_hours_per_day'],
    );
    await setRules({ min_rest_hours: null, max_hours_per_day: null });
  });

  it('keeps shifts out of approved time off and tells both sides', async () => {
    const emp = await w.employee({ first: 'Tina' });
    const day = await w.shift('Day', '09:00', '17:00');
    const boss = await w.connect(manager.token);
    await subscribe(boss, ['notification']);
    const mine = await w.connect(emp.user.token);
    await subscribe(mine, ['notification']);

    const asked = await t.http('POST', '/api/time-off', { token: emp.user.token, body: { from: '2024-02-05', to: '2024-02-06', reason: 'Wedding' } });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    assert.equal(asked.body.status, 'pending');
    assert.match((await boss.next(note('Time Off Requested'))).data.message, /Tina Doe asks for time off from 2024-02-05 to 2024-02-06: Wedding/);
    assert.equal((await plan({ employee_id: emp.id, shift_id: day.id, date: '2024-02-05', draft: true })).status, 201, 'pending time off blocks nothing');
    assert.equal((await t.http('POST', `/api/time-off/${asked.body.id}/approve`, { token: emp.user.token, body: {} })).status, 403);
    const approved = await t.http('POST', `/api/time-off/${asked.body.id}/approve`, { token: manager.token, body: {} });
    assert.equal(approved.body.status, 'approved');
    assert.equal(approved.body.conflicting_schedule_ids.length, 1, 'the shift already planned is reported');
    assert.equal((await mine.next(note('Time Off Approved'))).data.metadata.time_off_id, asked.body.id);
    const refused = await plan({ employee_id: emp.id, shift_id: day.id, date: '2024-02-06' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.details.violations[0].rule, 'time_off');
    assert.equal(refused.body.details.overridable, false);
    assert.equal((await t.http('GET', '/api/time-off', { token: emp.user.token })).body.length, 1);

    // Availability: only Mondays; Tuesday is refused unless overridden.
    const other = await w.employee();
    assert.equal((await t.http('PUT', `/api/availability/${other.id}`, { token: emp.user.token, body: { windows: [] } })).status, 403, 'only their own');
    const set = await t.http('PUT', `/api/availability/${other.id}`, { token: other.user.token, body: { windows: [{ weekday: 1, start_time: '08:00', end_time: '18:00', preferred: true }] } });
    assert.deepEqual(set.body.windows, [{ weekday: 1, start_time: '08:00:00', end_time: '18:00:00', preferred: true }]);
    assert.equal((await plan({ employee_id: other.id, shift_id: day.id, date: '2024-02-05' })).status, 201);
    assert.equal((await plan({ employee_id: other.id, shift_id: day.id, date: '2024-02-06' })).status, 409);
    assert.equal((await plan({ employee_id: other.id, shift_id: day.id, date: '2024-02-06', override_reason: 'Covering for Tina' })).status, 201);
  });

  it('swap: offered, taken and approved, with everyone involved told over /ws/schedules', async () => {
    const john = await w.employee({ first: 'John' });
    const jane = await w.employee({ first: 'Jane' });
    const bystander = await w.employee({ first: 'Bill' });
    const morning = await w.shift('Morning', '09:00', '17:00');
    const s = await w.schedule(manager.token, { employee_id: john.id, shift_id: morning.id, date: '2024-03-04' });
    const [boss, johnWs, janeWs, billWs] = [await w.connect(manager.token), await w.connect(john.user.token), await w.connect(jane.user.token), await w.connect(bystander.user.token)];
    await subscribe(boss, ['notification', 'schedule']);
    for (const ws of [johnWs, janeWs, billWs]) await subscribe(ws, ['notification', 'schedule']);

    const offered = await t.http('POST', '/api/shift-requests', { token: john.user.token, body: { kind: 'swap', schedule_id: s.id, reason: 'Dentist' } });
    assert.equal(offered.status, 201, JSON.stringify(offered.body));
    assert.match((await boss.next(note('Shift Swap Requested'))).data.message, /John Doe offers Morning on 2024-03-04 \(09:00–17:00\) for a swap/);
    assert.equal((await t.http('POST', '/api/shift-requests', { token: john.user.token, body: { kind: 'drop', schedule_id: s.id } })).status, 409, 'one offer at a time');
    assert.equal((await t.http('POST', '/api/shift-requests', { token: jane.user.token, body: { kind: 'drop', schedule_id: s.id } })).status, 404, 'not her shift');
    const visible = (await t.http('GET', '/api/shift-requests?status=pending', { token: jane.user.token })).body;
    assert.ok(
      visible.some((r: { id: number }) => r.id === offered.body.id),
      'colleagues see open swap offers',
    );
    assert.equal((await t.http('POST', `/api/shift-requests/${offered.body.id}/approve`, { token: manager.token, body: {} })).status, 409, 'nobody has taken it yet');

    const taken = await t.http('POST', `/api/shift-requests/${offered.body.id}/take`, { token: jane.user.token });
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    assert.equal(taken.body.target_employee_id, jane.id);
    assert.match((await johnWs.next(note('Shift Swap Accepted'))).data.message, /Jane Doe will take Morning on 2024-03-04/);
    await boss.next(note('Shift Swap Accepted'));

    const approved = await t.http('POST', `/api/shift-requests/${offered.body.id}/approve`, { token: manager.token, body: { note: 'Fine' } });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.status, 'approved');
    assert.equal(approved.body.result_schedule_id, s.id);
    assert.match((await johnWs.next(note('Shift Swap Approved'))).data.message, /Jane Doe now works Morning on 2024-03-04/);
    assert.match((await janeWs.next(note('Shift Swap Approved'))).data.message, /You now work Morning on 2024-03-04 \(09:00–17:00\) \(swapped from John Doe\)/);
    const moved = await janeWs.next(isFrame('schedule', 'updated'));
    assert.deepEqual(moved.data.changes, { employee_id: { old: john.id, new: jane.id } });
    assert.equal((await johnWs.next(isFrame('schedule', 'updated'))).data.schedule_id, s.id, 'the old owner sees it leave');
    await settle(boss, johnWs, janeWs, billWs);
    assert.equal(johnWs.seen(isFrame('notification')).length + janeWs.seen(isFrame('notification')).length, 0, 'one notification each for the approval');
    assert.equal(billWs.seen(() => true).length, 0, 'people not involved hear nothing');
    assert.equal((await t.http('GET', `/api/schedules/${s.id}`, { token: jane.user.token })).body.employee_id, jane.id);
    const audit = (await t.http('GET', `/api/schedules/audit?schedule_id=${s.id}`, { token: manager.token })).body;
    assert.equal(audit[0].reason, `Swap request #${offered.body.id}`);
    assert.equal(audit[0].changed_by.id, manager.id);
  });

  it('drop makes an open shift; eligible employees claim it; approval schedules one and declines the rest', async () => {
    const ann = await w.employee({ first: 'Ann' });
    const ben = await w.employee({ first: 'Ben' });
    const cook = await w.employee({ first: 'Cora', job: 'cook' });
    const closing = await w.shift('Closing', '16:00', '23:00');
    const s = await w.schedule(manager.token, { employee_id: ann.id, shift_id: closing.id, date: '2024-04-02' });
    const dropped = await t.http('POST', '/api/shift-requests', { token: ann.user.token, body: { kind: 'drop', schedule_id: s.id } });
    const ok = await t.http('POST', `/api/shift-requests/${dropped.body.id}/approve`, { token: manager.token, body: {} });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal((await t.http('GET', `/api/schedules/${s.id}`, { token: manager.token })).status, 404);
    const open = (await t.http('GET', '/api/open-shifts?from=2024-04-02&to=2024-04-02', { token: ben.user.token })).body;
    assert.equal(open.length, 1);
    assert.equal(open[0].job_role, 'server');
    const annTitles = (await t.http('GET', '/api/notifications', { token: ann.user.token })).body.items.map((n: { title: string }) => n.title).sort();
    assert.deepEqual(annTitles, ['New Shift Scheduled', 'Shift Drop Approved'], 'told once that the drop was approved');

    const benWs = await w.connect(ben.user.token);
    await subscribe(benWs, ['notification']);
    assert.equal((await t.http('POST', `/api/open-shifts/${open[0].id}/claim`, { token: cook.user.token, body: {} })).status, 403, 'another job role');
    const annClaim = await t.http('POST', `/api/open-shifts/${open[0].id}/claim`, { token: ann.user.token, body: {} });
    const benClaim = await t.http('POST', `/api/open-shifts/${open[0].id}/claim`, { token: ben.user.token, body: { reason: 'Need the hours' } });
    assert.equal(benClaim.status, 201, JSON.stringify(benClaim.body));
    const approved = await t.http('POST', `/api/shift-requests/${benClaim.body.id}/approve`, { token: manager.token, body: {} });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.match((await benWs.next(note('Open Shift Claim Approved'))).data.message, /You are scheduled for Closing on 2024-04-02/);
    assert.equal((await t.http('GET', `/api/schedules/${approved.body.result_schedule_id}`, { token: ben.user.token })).body.employee_id, ben.id);
    const annRequests = (await t.http('GET', '/api/shift-requests', { token: ann.user.token })).body;
    assert.equal(annRequests.find((r: { id: number }) => r.id === annClaim.body.id).status, 'declined');
    assert.equal((await t.http('GET', '/api/open-shifts?from=2024-04-02&to=2024-04-02', { token: manager.token })).body.length, 0);
  });

  it('auto-fills a week as drafts with reasons, lists what it could not fill, and the week publishes', async () => {
    const week = { from: '2024-05-06', to: '2024-05-12' };
    const baristas = [await w.employee({ first: 'Sam', job: 'barista' }), await w.employee({ first: 'Sue', job: 'barista' })];
    const day = await w.shift('Day', '09:00', '17:00');
    await setRules({ max_hours_per_week: 24 });
    const open = async (date: string, job_role: string, count = 1) => {
      const r = await t.http('POST', '/api/open-shifts', { token: manager.token, body: { shift_id: day.id, date, job_role, count } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.map((o: { id: number }) => o.id);
    };
    for (const date of ['2024-05-06', '2024-05-07', '2024-05-08']) await open(date, 'barista', 2);
    const [thursday] = await open('2024-05-09', 'barista');
    const [sommelier] = await open('2024-05-09', 'sommelier');

    const dry = await t.http('POST', '/api/schedules/auto-fill', { token: manager.token, body: { ...week, dry_run: true } });
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.equal((await t.http('GET', '/api/open-shifts?from=2024-05-06&to=2024-05-12', { token: manager.token })).body.length, 8, 'a dry run writes nothing');
    assert.ok(dry.body.assignments.every((a: { schedule_id: unknown }) => a.schedule_id === null));

    const real = await t.http('POST', '/api/schedules/auto-fill', { token: manager.token, body: week });
    const pairs = (b: { assignments: Array<Record<string, unknown>> }) => b.assignments.map((a) => [a.open_shift_id, a.employee_id]);
    assert.deepEqual(pairs(real.body), pairs(dry.body), 'the same input gives the same proposal');
    assert.equal(real.body.assignments.length, 6);
    for (const a of real.body.assignments) assert.ok(a.schedule_id > 0 && /could take it/.test(a.reason), JSON.stringify(a));
    const hours = new Map(real.body.hours.map((h: { employee_id: number; hours: number }) => [h.employee_id, h.hours]));
    assert.deepEqual(
      baristas.map((b) => hours.get(b.id)),
      [24, 24],
      'hours spread evenly',
    );
    const unfilled = new Map(real.body.unfilled.map((u: { open_shift_id: number; reason: string }) => [u.open_shift_id, u.reason]));
    assert.match(unfilled.get(thursday) as string, /^\d+ have another job role; 2 would exceed the hours per week$/);
    assert.match(unfilled.get(sommelier) as string, /^\d+ have another job role$/);

    const drafts = (await t.http('GET', '/api/schedules?from=2024-05-06&to=2024-05-12', { token: manager.token })).body;
    assert.equal(drafts.length, 6);
    assert.ok(drafts.every((d: { published: boolean }) => !d.published));
    const audit = (await t.http('GET', `/api/schedules/audit?schedule_id=${drafts[0].id}`, { token: manager.token })).body;
    assert.match(audit[0].reason, /^Auto-fill of open shift #\d+: /);
    assert.deepEqual((await t.http('GET', '/api/open-shifts?from=2024-05-06&to=2024-05-12', { token: manager.token })).body.map((o: { id: number }) => o.id).sort(), [thursday, sommelier].sort());
    const published = await t.http('POST', '/api/schedules/publish', { token: manager.token, body: week });
    assert.equal(published.body.published, drafts.length);
    await setRules({ max_hours_per_week: null });
  });
});
