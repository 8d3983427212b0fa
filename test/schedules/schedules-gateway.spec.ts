import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { ADMIN, TestApp, TestUser } from '../support/test-app';
import { isFrame, settle, subscribe, World } from './schedules-world';

const START = new Date('2024-01-15T10:30:00Z');
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const FRAME_KEYS = ['action', 'data', 'timestamp', 'type', 'user_id'];
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1';

describe('schedules gateway', () => {
  let t: TestApp;
  let w: World;
  let manager: TestUser;

  before(async () => {
    // The seed's connection limits are exercised in schedules-limits.spec; here many sockets open.
    t = await TestApp.start({ clock: new FakeClock(START), env: { SCHEDULES_CONNECTIONS_PER_MINUTE_PER_IP: '10000', SCHEDULES_MAX_CONNECTIONS_PER_USER: '20', JWT_ACCESS_TTL: '86400' } });
    w = new World(t);
    manager = await w.manager();
  });
  afterEach(() => w.closeAll());
  after(() => t.stop());

  describe('connecting', () => {
    it('accepts ?token= and answers a ping with a pong that echoes its timestamp', async () => {
      const s = await w.connect(manager.token);
      s.send({ type: 'ping', timestamp: '2024-01-15T10:30:00Z' });
      const pong = await s.next(isFrame('pong'));
      assert.deepEqual(Object.keys(pong).sort(), FRAME_KEYS);
      assert.equal(pong.action, 'pong');
      assert.equal(pong.data.timestamp, '2024-01-15T10:30:00Z');
      assert.equal(pong.data.server_time, START.toISOString());
      assert.equal(pong.timestamp, START.toISOString());
      assert.equal(pong.user_id, manager.id);
      s.send({ type: 'ping' });
      assert.equal((await s.next(isFrame('pong'))).data.timestamp, null);
    });

    for (const [label, token] of [
      ['a missing token', ''],
      ['a malformed token', 'not-a-jwt'],
      ['a token with a bad signature', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
    ] as const) {
      it(`refuses ${label} with connection_error INVALID_TOKEN, then 4401`, async () => {
        const s = await t.socket(token ? `/ws/schedules?token=${token}` : '/ws/schedules');
        const err = await s.next(isFrame('error'));
        assert.deepEqual(Object.keys(err).sort(), FRAME_KEYS);
        assert.equal(err.action, 'connection_error');
        assert.equal(err.data.code, 'INVALID_TOKEN');
        assert.equal(typeof err.data.message, 'string');
        assert.deepEqual(err.data.details, { token_expired: false, refresh_required: false });
        assert.equal(err.user_id, null);
        assert.equal((await s.waitClose()).code, 4401);
      });
    }

    it('tells an expired token apart: token_expired and refresh_required, then 4401', async () => {
      const now = t.clock.now();
      t.clock.set(now - 2 * 86_400_000);
      const old = await t.login(manager.email, manager.password);
      t.clock.set(now);
      const s = await w.connect(old.access_token);
      const err = await s.next(isFrame('error', 'connection_error'));
      assert.equal(err.data.code, 'INVALID_TOKEN');
      assert.deepEqual(err.data.details, { token_expired: true, refresh_required: true });
      assert.equal((await s.waitClose()).code, 4401);
    });

    it('answers bad input with message_error INVALID_MESSAGE and stays open', async () => {
      const s = await w.connect(manager.token);
      for (const bad of [
        'not json',
        '[1,2]',
        JSON.stringify({ type: 'subscription' }),
        JSON.stringify({ type: 'schedule', action: 'fly' }),
        JSON.stringify({ type: 'subscription', action: 'subscribe', data: { events: ['weather'] } }),
        JSON.stringify({ type: 'subscription', action: 'subscribe', data: { events: ['schedule'], filters: { date_range: { start: '2024-02-30' } } } }),
        JSON.stringify({ type: 'subscription', action: 'subscribe', data: { events: ['schedule'], filters: { date_range: { start: '2024-02-10', end: '2024-02-01' } } } }),
      ]) {
        s.send(bad);
        const err = await s.next(isFrame('error'), 5000, `an error for ${bad}`);
        assert.equal(err.action, 'message_error', bad);
        assert.equal(err.data.code, 'INVALID_MESSAGE', bad);
        assert.equal(typeof err.data.message, 'string');
      }
      await settle(s);
    });
  });

  describe('subscriptions and permissions', () => {
    it('confirms a subscription with its events and filters', async () => {
      const s = await w.connect(manager.token);
      const ok = await subscribe(s, ['schedule', 'notification'], { employee_id: 45, date_range: { start: '2024-01-15', end: '2024-01-22' } });
      assert.deepEqual(Object.keys(ok).sort(), FRAME_KEYS);
      assert.deepEqual(ok.data, { events: ['schedule', 'notification'], filters: { employee_id: 45, date_range: { start: '2024-01-15', end: '2024-01-22' } } });
      assert.equal(ok.user_id, manager.id);
      s.send({ type: 'subscription', action: 'unsubscribe', data: { events: ['schedule'] } });
      const gone = await s.next(isFrame('subscription', 'unsubscribed'));
      assert.deepEqual(gone.data, { events: ['schedule'] });
    });

    it('lets admins and managers subscribe to every event type', async () => {
      for (const token of [t.adminToken, manager.token]) {
        const s = await w.connect(token);
        const ok = await subscribe(s, ['schedule', 'notification', 'employee', 'presence', 'system']);
        assert.equal(ok.action, 'subscribed');
      }
    });

    it('refuses an event the role may not have with subscription_error PERMISSION_DENIED and changes nothing', async () => {
      const emp = await w.employee();
      const shift = await w.shift('Perm Shift', '06:00', '07:00');
      const s = await w.connect(emp.user.token);
      const err = await subscribe(s, ['schedule', 'employee']);
      assert.equal(err.type, 'error');
      assert.equal(err.action, 'subscription_error');
      assert.equal(err.data.code, 'PERMISSION_DENIED');
      assert.equal(typeof err.data.message, 'string');
      assert.deepEqual(err.data.requested_events, ['schedule', 'employee']);
      assert.deepEqual(err.data.allowed_events, ['schedule', 'notification', 'presence', 'system']);
      // Nothing changed: the allowed half of the refused request was not subscribed either.
      await w.schedule(manager.token, { employee_id: emp.id, shift_id: shift.id, date: '2024-03-01' });
      await settle(s);
      assert.equal(s.seen(isFrame('schedule')).length, 0);
    });

    it('refuses an employee a filter on another employee, and limits their stream to their own record', async () => {
      const a = await w.employee();
      const b = await w.employee();
      const s = await w.connect(a.user.token);
      const err = await subscribe(s, ['schedule'], { employee_id: b.id });
      assert.equal(err.action, 'subscription_error');
      assert.equal(err.data.code, 'PERMISSION_DENIED');
      const ok = await subscribe(s, ['schedule'], { employee_id: a.id });
      assert.deepEqual(ok.data.filters, { employee_id: a.id });
      const unfiltered = await subscribe(s, ['schedule']);
      assert.deepEqual(unfiltered.data.filters, { employee_id: a.id }, 'the server narrows an employee’s stream to their own record');
    });

    it('allows other roles and devices only notification and system', async () => {
      const member = await t.newUser({ role: 'leader' });
      const device = await t.newDevice({ kind: 'display' });
      for (const token of [member.token, device.token]) {
        const s = await w.connect(token);
        const err = await subscribe(s, ['presence']);
        assert.equal(err.action, 'subscription_error');
        assert.deepEqual(err.data.allowed_events, ['notification', 'system']);
        assert.equal((await subscribe(s, ['notification', 'system'])).action, 'subscribed');
      }
    });
  });

  describe('schedule events', () => {
    it('sends schedule/created to exactly the subscribers whose filters match, and no one else', async () => {
      const a = await w.employee({ first: 'John', job: 'server' });
      const b = await w.employee();
      const shift = await w.shift('Morning Shift', '09:00', '17:00');
      const managerAll = await w.connect(manager.token);
      await subscribe(managerAll, ['schedule']);
      const managerOfA = await w.connect(t.adminToken);
      await subscribe(managerOfA, ['schedule'], { employee_id: a.id, date_range: { start: '2024-01-15', end: '2024-01-22' } });
      const managerOfB = await w.connect(manager.token);
      await subscribe(managerOfB, ['schedule'], { employee_id: b.id });
      const otherWeek = await w.connect(t.adminToken);
      await subscribe(otherWeek, ['schedule'], { date_range: { start: '2024-01-22', end: '2024-01-28' } });
      const notSubscribed = await w.connect(t.adminToken);
      await subscribe(notSubscribed, ['notification', 'presence']);
      const empA = await w.connect(a.user.token);
      await subscribe(empA, ['schedule', 'notification']);
      const empB = await w.connect(b.user.token);
      await subscribe(empB, ['schedule', 'notification']);

      const created = await w.schedule(manager.token, { employee_id: a.id, shift_id: shift.id, date: '2024-01-20', status: 'scheduled' });
      const expected = {
        schedule_id: created.id,
        employee_id: a.id,
        shift_id: shift.id,
        date: '2024-01-20',
        status: 'scheduled',
        employee: { id: a.id, name: 'John Doe', role: 'server' },
        shift: { id: shift.id, name: 'Morning Shift', start_time: '09:00:00', end_time: '17:00:00' },
      };
      for (const s of [managerAll, managerOfA, empA]) {
        const f = await s.next(isFrame('schedule', 'created'));
        assert.deepEqual(Object.keys(f).sort(), FRAME_KEYS);
        const { notes: _notes, ...data } = f.data;
        assert.deepEqual(data, expected);
        assert.equal(f.user_id, manager.id, 'user_id is the acting user');
        assert.match(f.timestamp, ISO);
      }
      await settle(managerOfB, otherWeek, notSubscribed, empB);
      for (const s of [managerOfB, otherWeek, notSubscribed, empB]) assert.equal(s.seen(isFrame('schedule')).length, 0);
      // The employee's user is notified, and only them.
      const n = await empA.next(isFrame('notification', 'created'));
      assert.equal(n.user_id, a.user.id);
      assert.equal(n.data.notification_type, 'schedule');
      assert.equal(n.data.employee_id, a.id);
      assert.equal(n.data.metadata.schedule_id, created.id);
      for (const k of ['notification_id', 'title', 'message', 'priority']) assert.ok(k in n.data, k);
      await settle(empB, notSubscribed);
      assert.equal(empB.seen(isFrame('notification')).length, 0);
      assert.equal(notSubscribed.seen(isFrame('notification')).length, 0, 'a notification goes to its recipient only');
    });

    it('sends schedule/updated with only the fields that changed, old and new, and who changed it', async () => {
      const a = await w.employee();
      const b = await w.employee();
      const shift = await w.shift('Update Shift', '08:00', '12:00');
      const created = await w.schedule(t.adminToken, { employee_id: a.id, shift_id: shift.id, date: '2024-02-01' });
      const watcher = await w.connect(t.adminToken);
      await subscribe(watcher, ['schedule']);
      const empA = await w.connect(a.user.token);
      await subscribe(empA, ['schedule', 'notification']);
      const empB = await w.connect(b.user.token);
      await subscribe(empB, ['schedule', 'notification']);

      const r = await t.http('PATCH', `/api/schedules/${created.id}`, { token: manager.token, body: { status: 'completed', notes: 'Overtime approved', shift_id: shift.id, date: '2024-02-01' } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      for (const s of [watcher, empA]) {
        const f = await s.next(isFrame('schedule', 'updated'));
        assert.deepEqual(f.data, {
          schedule_id: created.id,
          employee_id: a.id,
          date: '2024-02-01',
          changes: { status: { old: 'scheduled', new: 'completed' }, notes: { old: null, new: 'Overtime approved' } },
          updated_by: { id: manager.id, name: manager.name },
        });
        assert.equal(f.user_id, manager.id);
      }
      const n = await empA.next(isFrame('notification', 'created'));
      assert.deepEqual(n.data.metadata.changes, ['status', 'notes']);
      assert.equal(n.data.title, 'Schedule Updated');

      // The same values again change nothing: no frame, no notification.
      const same = await t.http('PATCH', `/api/schedules/${created.id}`, { token: manager.token, body: { status: 'completed', notes: 'Overtime approved' } });
      assert.equal(same.status, 200);
      await settle(watcher, empA, empB);
      assert.equal(watcher.seen(isFrame('schedule')).length, 0);
      assert.equal(empA.seen(isFrame('schedule')).length + empA.seen(isFrame('notification')).length, 0);
      assert.equal(empB.seen(isFrame('schedule')).length + empB.seen(isFrame('notification')).length, 0, 'another employee hears nothing');

      // Reassigned: the employee who had it and the one who gets it both hear it.
      await t.http('PATCH', `/api/schedules/${created.id}`, { token: manager.token, body: { employee_id: b.id } });
      for (const s of [empA, empB]) {
        const f = await s.next(isFrame('schedule', 'updated'));
        assert.deepEqual(f.data.changes, { employee_id: { old: a.id, new: b.id } });
        assert.equal((await s.next(isFrame('notification', 'created'))).data.metadata.schedule_id, created.id);
      }
    });

    it('sends schedule/deleted with the reason and who deleted it', async () => {
      const a = await w.employee();
      const shift = await w.shift('Delete Shift', '13:00', '14:00');
      const created = await w.schedule(manager.token, { employee_id: a.id, shift_id: shift.id, date: '2024-01-20' });
      const empA = await w.connect(a.user.token);
      await subscribe(empA, ['schedule', 'notification']);
      const r = await t.http('DELETE', `/api/schedules/${created.id}?reason=${encodeURIComponent('Employee <b>unavailable</b>')}`, { token: manager.token });
      assert.equal(r.status, 204);
      const f = await empA.next(isFrame('schedule', 'deleted'));
      assert.deepEqual(f.data, { schedule_id: created.id, employee_id: a.id, date: '2024-01-20', reason: 'Employee unavailable', deleted_by: { id: manager.id, name: manager.name } });
      const n = await empA.next(isFrame('notification', 'created'));
      assert.equal(n.data.metadata.schedule_id, created.id);
      assert.match(n.data.message, /Employee unavailable/);
    });

    it('stops sending a stream once unsubscribed, and sends nothing but system and errors before a subscription', async () => {
      const a = await w.employee();
      const shift = await w.shift('Quiet Shift', '18:00', '19:00');
      const fresh = await w.connect(manager.token);
      const leaving = await w.connect(manager.token);
      await subscribe(leaving, ['schedule', 'notification']);
      leaving.send({ type: 'subscription', action: 'unsubscribe', data: { events: ['schedule'] } });
      await leaving.next(isFrame('subscription', 'unsubscribed'));
      await w.schedule(t.adminToken, { employee_id: a.id, shift_id: shift.id, date: '2024-04-01' });
      await t.http('POST', '/api/system/broadcast', { token: t.adminToken, body: { title: 'Hello', message: 'Everyone' } });
      await fresh.next(isFrame('system', 'broadcast'));
      await settle(fresh, leaving);
      assert.deepEqual(
        fresh.seen(() => true).map((f) => f.type),
        [],
        'only the system frame (already taken) and the pong arrived',
      );
      assert.equal(leaving.seen(isFrame('schedule')).length, 0);
    });
  });

  describe('employee records', () => {
    it('follows the employee record linked to a user while the user is connected', async () => {
      const user = await t.newUser({ role: 'employee' });
      const shift = await w.shift('Link Shift', '20:00', '21:00');
      const s = await w.connect(user.token);
      const ok = await subscribe(s, ['schedule']);
      assert.deepEqual(ok.data.filters, { employee_id: null }, 'no employee record yet: the stream is empty');
      const emp = await t.http('POST', '/api/employees', { token: manager.token, body: { first_name: 'Late', last_name: 'Link' } });
      await w.schedule(manager.token, { employee_id: emp.body.id, shift_id: shift.id, date: '2024-11-01' });
      await settle(s);
      assert.equal(s.seen(isFrame('schedule')).length, 0);
      await t.http('PATCH', `/api/employees/${emp.body.id}`, { token: manager.token, body: { user_id: user.id } });
      await w.schedule(manager.token, { employee_id: emp.body.id, shift_id: shift.id, date: '2024-11-02' });
      const f = await s.next(isFrame('schedule', 'created'));
      assert.equal(f.data.employee_id, emp.body.id);
      assert.equal(f.data.date, '2024-11-02');
    });

    it('sends employee changes to employee subscribers, narrowed by employee_id', async () => {
      const a = await w.employee();
      const b = await w.employee();
      const all = await w.connect(manager.token);
      await subscribe(all, ['employee']);
      const onlyB = await w.connect(t.adminToken);
      await subscribe(onlyB, ['employee'], { employee_id: b.id });
      const r = await t.http('PATCH', `/api/employees/${a.id}`, { token: manager.token, body: { job_role: 'chef', first_name: a.name.split(' ')[0] } });
      assert.equal(r.status, 200);
      const f = await all.next(isFrame('employee', 'updated'));
      assert.equal(f.data.employee_id, a.id);
      assert.deepEqual(f.data.changes, { job_role: { old: 'server', new: 'chef' } });
      await settle(onlyB);
      assert.equal(onlyB.seen(isFrame('employee')).length, 0);
    });
  });

  describe('notifications', () => {
    it('sends notification/read to the recipient’s subscribed sockets only', async () => {
      const a = await w.employee();
      const shift = await w.shift('Read Shift', '05:00', '06:00');
      const empA = await w.connect(a.user.token);
      await subscribe(empA, ['notification']);
      const empAQuiet = await w.connect(a.user.token);
      const watcher = await w.connect(t.adminToken);
      await subscribe(watcher, ['notification']);
      await w.schedule(manager.token, { employee_id: a.id, shift_id: shift.id, date: '2024-05-01' });
      const created = await empA.next(isFrame('notification', 'created'));
      const id = created.data.notification_id;
      const list = await t.http('GET', '/api/notifications?unread=true', { token: a.user.token });
      assert.equal(list.status, 200);
      assert.ok(list.body.items.some((n: { id: string }) => n.id === id));
      const r = await t.http('PATCH', `/api/notifications/${id}/read`, { token: a.user.token });
      assert.equal(r.status, 200);
      const read = await empA.next(isFrame('notification', 'read'));
      assert.deepEqual(read.data, { notification_id: id, read_by: a.user.id, read_at: START.toISOString() });
      assert.equal(read.user_id, a.user.id);
      await settle(empAQuiet, watcher);
      assert.equal(empAQuiet.seen(isFrame('notification')).length, 0, 'a socket that did not subscribe to notifications');
      assert.equal(watcher.seen(isFrame('notification')).length, 0, 'another user');
    });
  });

  describe('presence', () => {
    it('announces online at a user’s first socket and offline only when the last one closes', async () => {
      const a = await w.employee();
      const observer = await w.connect(manager.token);
      await subscribe(observer, ['presence', 'employee']);
      const first = await w.connect(a.user.token, { 'user-agent': CHROME });
      const online = await observer.next(isFrame('presence', 'status_update'));
      assert.deepEqual(online.data, { user_id: a.user.id, status: 'online', last_activity: START.toISOString(), device_info: { type: 'web', browser: 'Chrome', ip: '127.0.0.1' } });
      assert.equal(online.user_id, a.user.id);
      const changed = await observer.next(isFrame('employee', 'status_changed'));
      assert.deepEqual(changed.data, { employee_id: a.id, status: { old: 'offline', new: 'online' }, last_seen: START.toISOString() });
      assert.equal(changed.user_id, a.user.id);

      const second = await w.connect(a.user.token, { 'user-agent': IPHONE });
      await settle(second, first);
      first.close();
      await first.waitClose();
      await settle(observer, second);
      assert.equal(observer.seen(isFrame('presence')).length + observer.seen(isFrame('employee')).length, 0, 'still online on the second socket');

      second.close();
      const offline = await observer.next(isFrame('presence', 'status_update'));
      assert.deepEqual(offline.data, { user_id: a.user.id, status: 'offline', last_activity: START.toISOString(), device_info: { type: 'mobile', browser: 'Safari', ip: '127.0.0.1' } });
      const gone = await observer.next(isFrame('employee', 'status_changed'));
      assert.deepEqual(gone.data.status, { old: 'online', new: 'offline' });
      assert.equal(gone.data.employee_id, a.id);
    });

    it('announces one online for sockets of one user opened at the same moment', async () => {
      const a = await w.employee();
      const observer = await w.connect(manager.token);
      await subscribe(observer, ['presence']);
      const both = await Promise.all([w.connect(a.user.token), w.connect(a.user.token)]);
      await observer.next((f) => isFrame('presence', 'status_update')(f) && f.data.user_id === a.user.id);
      await settle(...both);
      await settle(observer);
      assert.equal(observer.seen(isFrame('presence')).length, 0);
    });

    it('narrows employee/status_changed by the employee_id filter', async () => {
      const a = await w.employee();
      const b = await w.employee();
      const watchingB = await w.connect(t.adminToken);
      await subscribe(watchingB, ['employee'], { employee_id: b.id });
      const s = await w.connect(a.user.token);
      await settle(s);
      const sb = await w.connect(b.user.token);
      const f = await watchingB.next(isFrame('employee', 'status_changed'));
      assert.equal(f.data.employee_id, b.id);
      await settle(watchingB, sb);
      assert.equal(watchingB.seen(isFrame('employee')).length, 0);
    });

    it('relays presence/typing with the sender’s user_id to presence subscribers, not back to the sender', async () => {
      const a = await w.employee();
      const observer = await w.connect(manager.token);
      await subscribe(observer, ['presence']);
      const bystander = await w.connect(t.adminToken);
      await subscribe(bystander, ['schedule']);
      const typist = await w.connect(a.user.token);
      await subscribe(typist, ['presence']);
      typist.send({ type: 'presence', action: 'typing', data: { typing: true, context: 'shift_notes' } });
      const f = await observer.next(isFrame('presence', 'typing'));
      assert.deepEqual(f.data, { user_id: a.user.id, typing: true, context: 'shift_notes' });
      assert.equal(f.user_id, a.user.id);
      await settle(typist, bystander);
      assert.equal(typist.seen(isFrame('presence', 'typing')).length, 0);
      assert.equal(bystander.seen(isFrame('presence')).length, 0);
      const member = await t.newUser({ role: 'member' });
      const outsider = await w.connect(member.token);
      outsider.send({ type: 'presence', action: 'typing', data: { typing: true, context: 'x' } });
      const err = await outsider.next(isFrame('error'));
      assert.equal(err.action, 'message_error');
      assert.equal(err.data.code, 'PERMISSION_DENIED');
    });
  });

  describe('system events', () => {
    it('sends system/maintenance and system/broadcast to every connection, subscribed or not, with sanitized text', async () => {
      const member = await t.newUser({ role: 'member' });
      const a = await w.employee();
      const sockets = [await w.connect(member.token), await w.connect(a.user.token), await w.connect(manager.token)];
      await subscribe(sockets[2], ['schedule']);
      const m = await t.http('POST', '/api/system/maintenance', {
        token: manager.token,
        body: { status: 'starting', estimated_duration: '30 minutes', scheduled_start: '2024-01-15T02:00:00Z', message: 'Scheduled <script>alert(1)</script>maintenance' },
      });
      assert.equal(m.status, 202, JSON.stringify(m.body));
      const admin = (await t.login(ADMIN.email, ADMIN.password)).user as { id: string; name: string };
      const b = await t.http('POST', '/api/system/broadcast', { token: t.adminToken, body: { title: 'New <i>Feature</i>', message: 'AI Schedule Optimization is now live!', priority: 'high' } });
      assert.equal(b.status, 202);
      for (const s of sockets) {
        const mf = await s.next(isFrame('system', 'maintenance'));
        assert.deepEqual(mf.data, { status: 'starting', estimated_duration: '30 minutes', scheduled_start: '2024-01-15T02:00:00.000Z', message: 'Scheduled maintenance' });
        assert.equal(mf.user_id, null);
        const bf = await s.next(isFrame('system', 'broadcast'));
        assert.deepEqual(bf.data, { title: 'New Feature', message: 'AI Schedule Optimization is now live!', priority: 'high', sender: { id: admin.id, name: admin.name } });
        assert.equal(bf.user_id, null);
      }
    });

    it('lets only admins and managers send system events', async () => {
      const a = await w.employee();
      for (const path of ['/api/system/maintenance', '/api/system/broadcast']) {
        const r = await t.http('POST', path, { token: a.user.token, body: { status: 'starting', message: 'x', title: 'x' } });
        assert.equal(r.status, 403, path);
      }
      const bad = await t.http('POST', '/api/system/broadcast', { token: manager.token, body: { title: '', message: 'x', priority: 'loud' } });
      assert.equal(bad.status, 400);
    });
  });
});
