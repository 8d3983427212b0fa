import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp, TestDevice } from '../support/test-app';
import { TestSocket } from '../support/ws-client';
import { assertShape, ATTENDANCE_SHAPE, CLIENT_SHAPE, EMPLOYEE_SHAPE, form, isEvent, JPEG, pathOf, PNG, storedFiles, VISIT_SHAPE, WEBP } from './attendance-helpers';

const WS = '/ws/attendance';

describe('attendance gateway (/ws/attendance, seed 004)', () => {
  let t: TestApp;
  let camera: TestDevice;
  let admin: TestSocket;
  let manager: TestSocket;

  before(async () => {
    t = await TestApp.start({ clock: new FakeClock(new Date('2026-03-08T06:59:58Z')) });
    camera = await t.newDevice({ kind: 'camera', name: 'Front door' });
    admin = await t.socket(WS, { token: t.adminToken });
    const m = await t.newUser({ role: 'manager' });
    manager = await t.socket(`${WS}?token=${encodeURIComponent(m.token)}`);
    // Both are admitted and bound once each answers a ping.
    for (const s of [admin, manager]) {
      s.send({ event: 'ping' });
      await s.next(isEvent('pong'));
    }
  });
  after(() => t.stop());

  /** Every frame an event produced has reached `s` once its answer to this ping has. */
  async function roundTrip(s: TestSocket): Promise<void> {
    s.send({ event: 'ping' });
    await s.next((f) => f.event === 'pong');
  }

  async function newEmployee(fields: Record<string, unknown> = {}): Promise<{ id: number }> {
    const r = await t.http('POST', '/api/employees', { token: t.adminToken, body: { first_name: 'Ana', last_name: 'Silva', ...fields } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  }

  describe('connecting', () => {
    it('refuses a member, an employee and a camera with an error frame, then 4403', async () => {
      const member = await t.newUser({ role: 'member' });
      const employee = await t.newUser({ role: 'employee' });
      for (const token of [member.token, employee.token, camera.token]) {
        const s = await t.socket(WS, { token });
        const err = await s.next(isEvent('error'));
        assert.equal(err.data.code, 'FORBIDDEN');
        assert.equal(typeof err.data.message, 'string');
        assert.equal((await s.waitClose()).code, 4403);
      }
    });

    it('refuses a missing or bad token with an error frame, then 4401', async () => {
      for (const path of [WS, `${WS}?token=not-a-jwt`]) {
        const s = await t.socket(path);
        const err = await s.next(isEvent('error'));
        assert.deepEqual(Object.keys(err), ['event', 'data']);
        assert.equal(err.data.code, 'UNAUTHENTICATED');
        assert.equal((await s.waitClose()).code, 4401);
      }
    });

    it('answers ping with pong and anything else with INVALID_MESSAGE: the stream is read-only', async () => {
      const s = await t.socket(WS, { token: t.adminToken });
      s.send({ event: 'ping' });
      assert.deepEqual(await s.next(), { event: 'pong' });
      for (const bad of [{ event: 'client_create', data: { id: 1 } }, { type: 'ping' }, 'not json']) {
        s.send(bad);
        const err = await s.next(isEvent('error'));
        assert.equal(err.data.code, 'INVALID_MESSAGE', JSON.stringify(bad));
      }
      s.send({ event: 'ping' });
      assert.deepEqual(await s.next(), { event: 'pong' });
      assert.ok(s.isOpen);
    });
  });

  describe('client events', () => {
    it('sends client_create, client_update and client_delete with the seed’s fields and types', async () => {
      const created = await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: form({ gender: 'female', age: 34 }, { bytes: JPEG, name: 'x.jpg', type: 'image/jpeg' }) });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id;
      for (const s of [admin, manager]) {
        const f = await s.next(isEvent('client_create', (d) => d.id === id));
        assert.deepEqual(Object.keys(f), ['event', 'data']);
        assertShape(f.data, CLIENT_SHAPE, 'client_create');
        assert.equal(f.data.gender, 'female');
        assert.equal(f.data.age, 34);
        assert.equal(f.data.visit_count, 0);
        assert.deepEqual(f.data.visit_histories, []);
        assert.ok(f.data.image.startsWith('http://127.0.0.1:3000/api/attendance/images/client_images/'), 'image is absolute, from PUBLIC_URL');
        assert.ok(pathOf(f.data.image).endsWith('.jpg'));
        assert.deepEqual(created.body, { ...f.data, consent: true }, 'the REST answer is the frame’s data plus the consent flag');
      }

      const patched = await t.http('PATCH', `/api/attendance/clients/${id}`, { token: t.adminToken, body: { age: 35 } });
      assert.equal(patched.status, 200);
      const upd = await manager.next(isEvent('client_update', (d) => d.id === id));
      assertShape(upd.data, CLIENT_SHAPE, 'client_update');
      assert.equal(upd.data.age, 35);
      assert.equal(upd.data.image, created.body.image, 'a change without a new image keeps the photo');

      const photo = await t.http('PATCH', `/api/attendance/clients/${id}`, { token: t.adminToken, body: form({}, { bytes: WEBP, name: 'y.webp', type: 'image/webp' }) });
      assert.equal(photo.status, 200);
      const upd2 = await manager.next(isEvent('client_update', (d) => d.id === id));
      assert.ok(pathOf(upd2.data.image).endsWith('.webp'));

      assert.equal((await t.http('DELETE', `/api/attendance/clients/${id}`, { token: t.adminToken })).status, 204);
      const del = await manager.next(isEvent('client_delete'));
      assert.deepEqual(del, { event: 'client_delete', data: { id } });
      await admin.next(isEvent('client_delete', (d) => d.id === id));
    });

    it('sends client_visit_create, _update and _delete with the seed’s fields, each followed by the client’s client_update', async () => {
      const c = (await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: form({ gender: 'male' }) })).body;
      await manager.next(isEvent('client_create', (d) => d.id === c.id));

      const v = await t.http('POST', `/api/attendance/clients/${c.id}/visits`, { token: t.adminToken, body: { datetime: '2023-12-10T12:00:00Z', device_id: 'XYZ789' } });
      assert.equal(v.status, 201, JSON.stringify(v.body));
      const vc = await manager.next(isEvent('client_visit_create', (d) => d.client === c.id));
      assertShape(vc.data, VISIT_SHAPE, 'client_visit_create');
      assert.deepEqual(vc.data, { datetime: '2023-12-10T12:00:00.000Z', device_id: 'XYZ789', client: c.id });
      const cu = await manager.next(isEvent('client_update', (d) => d.id === c.id));
      assert.equal(cu.data.visit_count, 1);
      assert.equal(cu.data.first_seen, '2023-12-10T12:00:00.000Z');
      assert.equal(cu.data.last_seen, '2023-12-10T12:00:00.000Z');
      assert.deepEqual(cu.data.visit_histories, [{ datetime: '2023-12-10T12:00:00.000Z', device_id: 'XYZ789' }]);

      const u = await t.http('PATCH', `/api/attendance/clients/${c.id}/visits/${v.body.id}`, { token: t.adminToken, body: { datetime: '2023-12-10T13:15:00+01:00' } });
      assert.equal(u.status, 200, JSON.stringify(u.body));
      const vu = await manager.next(isEvent('client_visit_update', (d) => d.client === c.id));
      assert.deepEqual(vu.data, { datetime: '2023-12-10T12:15:00.000Z', device_id: 'XYZ789', client: c.id });
      assert.equal((await manager.next(isEvent('client_update', (d) => d.id === c.id))).data.last_seen, '2023-12-10T12:15:00.000Z');

      assert.equal((await t.http('DELETE', `/api/attendance/clients/${c.id}/visits/${v.body.id}`, { token: t.adminToken })).status, 204);
      const vd = await manager.next(isEvent('client_visit_delete', (d) => d.client === c.id));
      assertShape(vd.data, VISIT_SHAPE, 'client_visit_delete');
      assert.deepEqual(vd.data, { datetime: '2023-12-10T12:15:00.000Z', device_id: 'XYZ789', client: c.id });
      const after = await manager.next(isEvent('client_update', (d) => d.id === c.id));
      assert.equal(after.data.visit_count, 0);
      assert.equal(after.data.first_seen, null);
      assert.deepEqual(after.data.visit_histories, []);
    });
  });

  describe('recognitions', () => {
    it('turns an unknown face into client_create, then client_visit_create, then the client’s client_update, on the socket', async () => {
      const r = await t.http('POST', '/api/attendance/recognitions', {
        token: camera.token,
        body: form({ device_id: 'door-1', datetime: '2023-12-10T10:00:00Z', gender: 'male', age: 30, event_id: 'door-1-0001' }, { bytes: PNG }),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.client_created, true);
      assert.equal(r.body.duplicate, false);
      await roundTrip(admin);
      const order = admin.seen(
        (f) =>
          (f.event === 'client_create' && f.data.id === r.body.client_id) ||
          (f.event === 'client_visit_create' && f.data.client === r.body.client_id) ||
          (f.event === 'client_update' && f.data.id === r.body.client_id),
      );
      assert.deepEqual(
        order.map((f) => f.event),
        ['client_create', 'client_visit_create', 'client_update'],
        'the client, then its visit, then its update, as for a known face',
      );
      const created = await admin.next(isEvent('client_create', (d) => d.id === r.body.client_id));
      assertShape(created.data, CLIENT_SHAPE, 'client_create');
      assert.equal(created.data.visit_count, 1);
      assert.equal(created.data.first_seen, '2023-12-10T10:00:00.000Z');
      assert.equal(created.data.last_seen, '2023-12-10T10:00:00.000Z');
      assert.deepEqual(created.data.visit_histories, [{ datetime: '2023-12-10T10:00:00.000Z', device_id: 'door-1' }]);
      assert.equal(created.data.gender, 'male');
      assert.equal(created.data.age, 30);
      assert.ok(pathOf(created.data.image).endsWith('.png'));
      const visit = await admin.next(isEvent('client_visit_create', (d) => d.client === r.body.client_id));
      assert.deepEqual(visit.data, { datetime: '2023-12-10T10:00:00.000Z', device_id: 'door-1', client: r.body.client_id });
      const update = await admin.next(isEvent('client_update', (d) => d.id === r.body.client_id));
      assertShape(update.data, CLIENT_SHAPE, 'client_update');
      assert.deepEqual(update.data, created.data, 'the update carries the client as created, its one visit counted');
    });

    it('adds a visit to a known client: client_visit_create, then client_update with the count', async () => {
      const first = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ device_id: 'door-1', datetime: '2023-12-10T10:00:00Z' }, { bytes: PNG }) });
      const id = first.body.client_id;
      await admin.next(isEvent('client_visit_create', (d) => d.client === id));
      await admin.next(isEvent('client_update', (d) => d.id === id && d.visit_count === 1));
      const again = await t.http('POST', '/api/attendance/recognitions', {
        token: camera.token,
        body: form({ device_id: 'door-2', datetime: '2023-12-10T15:00:00Z', client_id: id, gender: 'female', age: 41 }, { bytes: JPEG, type: 'image/jpeg' }),
      });
      assert.equal(again.status, 201);
      assert.equal(again.body.client_created, false);
      assert.equal(again.body.client_id, id);
      const visit = await admin.next(isEvent('client_visit_create', (d) => d.client === id));
      assert.deepEqual(visit.data, { datetime: '2023-12-10T15:00:00.000Z', device_id: 'door-2', client: id });
      const upd = await admin.next(isEvent('client_update', (d) => d.id === id));
      assertShape(upd.data, CLIENT_SHAPE, 'client_update');
      assert.equal(upd.data.visit_count, 2);
      assert.equal(upd.data.first_seen, '2023-12-10T10:00:00.000Z');
      assert.equal(upd.data.last_seen, '2023-12-10T15:00:00.000Z');
      assert.deepEqual(upd.data.visit_histories, [
        { datetime: '2023-12-10T10:00:00.000Z', device_id: 'door-1' },
        { datetime: '2023-12-10T15:00:00.000Z', device_id: 'door-2' },
      ]);
      assert.equal(upd.data.gender, 'female', 'an unknown gender is filled from the camera');
      assert.equal(upd.data.age, 41, 'a missing age is filled from the camera');
      assert.ok(pathOf(upd.data.image).endsWith('.png'), 'the photo is kept');
    });

    it('counts a retried recognition once: the same answer, no new visit and no new frame', async () => {
      const body = () => form({ device_id: 'door-3', datetime: '2023-12-11T09:00:00Z', event_id: 'door-3-42' }, { bytes: PNG });
      const first = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: body() });
      assert.equal(first.status, 201);
      const retry = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: body() });
      assert.equal(retry.status, 200);
      assert.equal(retry.body.duplicate, true);
      for (const k of ['id', 'client_id', 'visit_id', 'client_created']) assert.deepEqual(retry.body[k], first.body[k], k);
      assert.equal(retry.body.client.visit_count, 1);

      // Retries racing each other (a camera that timed out and resent at once).
      const filesBefore = storedFiles(t.config.mediaDir).length;
      const racing = await Promise.all(
        Array.from({ length: 4 }, () =>
          t.http('POST', '/api/attendance/recognitions', {
            token: camera.token,
            body: form({ device_id: 'door-3', datetime: '2023-12-11T09:05:00Z', client_id: first.body.client_id, event_id: 'door-3-43' }, { bytes: PNG }),
          }),
        ),
      );
      assert.deepEqual(racing.map((r) => r.status).sort(), [200, 200, 200, 201]);
      assert.equal(new Set(racing.map((r) => r.body.visit_id)).size, 1);
      assert.equal(storedFiles(t.config.mediaDir).length, filesBefore + 1, 'the losing retries leave no image behind');

      await roundTrip(admin);
      const id = first.body.client_id;
      assert.equal(admin.seen(isEvent('client_create', (d) => d.id === id)).length, 1);
      assert.equal(admin.seen(isEvent('client_visit_create', (d) => d.client === id)).length, 2);
      assert.equal(admin.seen(isEvent('client_update', (d) => d.id === id)).length, 2, 'one per counted recognition, none for the retries');
      const visits = await t.http('GET', `/api/attendance/clients/${id}/visits`, { token: t.adminToken });
      assert.equal(visits.body.length, 2);
      assert.equal((await t.http('GET', `/api/attendance/clients/${id}`, { token: t.adminToken })).body.visit_count, 2);

      // Event ids belong to their camera: another camera's "door-3-42" is its own recognition.
      const other = await t.newDevice({ kind: 'camera' });
      const theirs = await t.http('POST', '/api/attendance/recognitions', { token: other.token, body: body() });
      assert.equal(theirs.status, 201);
      assert.notEqual(theirs.body.client_id, id);
    });
  });

  describe('employee events', () => {
    it('sends employee_create for an employee created through /api/employees, employee_update and employee_delete', async () => {
      const e = await newEmployee({ email: 'ana@example.com', phone_number: '1234567890', working_graphic: 2 });
      for (const s of [admin, manager]) {
        const f = await s.next(isEvent('employee_create', (d) => d.id === e.id));
        assertShape(f.data, EMPLOYEE_SHAPE, 'employee_create');
        assert.deepEqual(f.data, { id: e.id, first_name: 'Ana', last_name: 'Silva', email: 'ana@example.com', phone_number: '1234567890', image: null, working_graphic: 2 });
      }
      assert.equal((await t.http('PATCH', `/api/employees/${e.id}`, { token: t.adminToken, body: { last_name: 'Souza' } })).status, 200);
      const upd = await manager.next(isEvent('employee_update', (d) => d.id === e.id));
      assertShape(upd.data, EMPLOYEE_SHAPE, 'employee_update');
      assert.equal(upd.data.last_name, 'Souza');

      const photo = await t.http('PUT', `/api/attendance/employees/${e.id}/image`, { token: t.adminToken, body: form({}, { bytes: JPEG, name: 'ana.jpg', type: 'image/jpeg' }) });
      assert.equal(photo.status, 200, JSON.stringify(photo.body));
      const withPhoto = await manager.next(isEvent('employee_update', (d) => d.id === e.id));
      assertShape(withPhoto.data, EMPLOYEE_SHAPE, 'employee_update');
      assert.ok(withPhoto.data.image.startsWith('http://127.0.0.1:3000/api/attendance/images/employee_images/'));
      assert.deepEqual(photo.body, withPhoto.data);
      const img = await fetch(withPhoto.data.image.replace('http://127.0.0.1:3000', t.baseUrl));
      assert.equal(img.status, 200);
      assert.deepEqual(Buffer.from(await img.arrayBuffer()), JPEG);

      assert.equal((await t.http('DELETE', `/api/employees/${e.id}`, { token: t.adminToken })).status, 204);
      assert.deepEqual(await manager.next(isEvent('employee_delete', (d) => d.id === e.id)), { event: 'employee_delete', data: { id: e.id } });
    });

    it('sends employee_attendance when a camera posts a record, and employee_attendance_delete when it is removed', async () => {
      const e = await newEmployee();
      const r = await t.http('POST', '/api/attendance/records', {
        token: camera.token,
        body: form({ employee_id: e.id, device_id: '123ABC', datetime: '2023-12-10T08:00:00Z', score: 95 }, { bytes: PNG }),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const f = await manager.next(isEvent('employee_attendance', (d) => d.employee_id === e.id));
      assertShape(f.data, ATTENDANCE_SHAPE, 'employee_attendance');
      assert.equal(f.data.device_id, '123ABC');
      assert.equal(f.data.datetime, '2023-12-10T08:00:00.000Z');
      assert.equal(f.data.score, 95);
      assert.ok(f.data.image.startsWith('http://127.0.0.1:3000/api/attendance/images/attendance_images/'));
      assert.deepEqual(r.body, { id: r.body.id, ...f.data, event_id: null, duplicate: false }, 'the frame’s fields, the id, and whether it was a repeat');

      assert.equal((await t.http('DELETE', `/api/attendance/records/${r.body.id}`, { token: t.adminToken })).status, 204);
      const del = await manager.next(isEvent('employee_attendance_delete', (d) => d.employee_id === e.id));
      assert.deepEqual(del.data, { employee_id: e.id, datetime: '2023-12-10T08:00:00.000Z' });
    });

    it('uses the camera device’s own id as device_id when the camera sends none', async () => {
      const e = await newEmployee();
      const r = await t.http('POST', '/api/attendance/records', { token: camera.token, body: form({ employee_id: e.id, score: 88.5 }) });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const f = await manager.next(isEvent('employee_attendance', (d) => d.employee_id === e.id));
      assert.equal(f.data.device_id, camera.id);
      assert.equal(f.data.image, null);
      assert.equal(f.data.score, 88.5);
      assert.equal(f.data.datetime, t.clock.date().toISOString(), 'no datetime: the server’s time');
    });
  });
});
