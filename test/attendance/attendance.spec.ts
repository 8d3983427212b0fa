import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestApp } from '../support/test-app';
import { Frame, TestSocket } from '../support/ws-client';

const isEvent = (event: string) => (f: Frame) => f.event === event;

/** A 1×1 PNG. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d6b0c70000000049454e44ae426082', 'hex');

function form(fields: Record<string, string | number>, image?: Buffer, name = 'face.png'): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, String(v));
  if (image) f.append('image', new Blob([image]), name);
  return f;
}

function assertIso(v: unknown, what: string): void {
  assert.equal(typeof v, 'string', what);
  assert.ok(!Number.isNaN(Date.parse(v as string)), `${what} is an ISO time`);
}

describe('attendance gateway and REST (seed 004)', () => {
  let t: TestApp;
  let office: TestSocket;
  let camera: { id: string; token: string };

  before(async () => {
    t = await TestApp.start();
    office = await t.socket('/ws/attendance', { token: t.adminToken });
    camera = await t.newDevice({ kind: 'camera', name: 'Front door' });
  });
  after(() => t.stop());

  it('answers ping with pong and anything else with an error frame, keeping the socket', async () => {
    office.send({ event: 'ping' });
    assert.deepEqual(await office.next(isEvent('pong')), { event: 'pong' });
    office.send({ event: 'client_create', data: {} });
    const err = await office.next(isEvent('error'));
    assert.equal(err.data.code, 'INVALID_MESSAGE');
    office.send({ event: 'ping' });
    await office.next(isEvent('pong'));
  });

  it('lets managers in and refuses a member with 4403 and no token with 4401', async () => {
    const manager = await t.newUser({ role: 'manager' });
    const m = await t.socket(`/ws/attendance?token=${manager.token}`);
    m.send({ event: 'ping' });
    await m.next(isEvent('pong'));
    const member = await t.newUser({ role: 'member' });
    const refused = await t.socket('/ws/attendance', { token: member.token });
    assert.equal((await refused.next(isEvent('error'))).data.code, 'FORBIDDEN');
    assert.equal((await refused.waitClose()).code, 4403);
    const anonymous = await t.socket('/ws/attendance');
    assert.equal((await anonymous.next(isEvent('error'))).data.code, 'UNAUTHENTICATED');
    assert.equal((await anonymous.waitClose()).code, 4401);
  });

  it('recognises an unknown face as a new client (client_create, client_visit_create), a known one as client_update', async () => {
    const first = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ device_id: 'XYZ789', datetime: '2023-12-10T10:30:00Z', gender: 'male', age: 30 }, PNG) });
    assert.equal(first.status, 201);
    const created = await office.next(isEvent('client_create'));
    const c = created.data;
    assert.deepEqual(Object.keys(c).sort(), ['age', 'first_seen', 'gender', 'id', 'image', 'last_seen', 'visit_count', 'visit_histories']);
    assert.equal(typeof c.id, 'number');
    assert.equal(c.visit_count, 1);
    assert.equal(c.gender, 'male');
    assert.equal(c.age, 30);
    assertIso(c.first_seen, 'first_seen');
    assertIso(c.last_seen, 'last_seen');
    assert.match(c.image, /^http:\/\/127\.0\.0\.1:3000\/media\/visit_images\/[0-9a-f-]+\.png$/);
    assert.deepEqual(c.visit_histories, [{ datetime: '2023-12-10T10:30:00.000Z', device_id: 'XYZ789' }]);
    const visit = await office.next(isEvent('client_visit_create'));
    assert.deepEqual(visit.data, { datetime: '2023-12-10T10:30:00.000Z', device_id: 'XYZ789', client: c.id });

    const again = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ device_id: 'XYZ789', datetime: '2023-12-10T15:00:00Z', client_id: c.id }, PNG) });
    assert.equal(again.status, 201);
    const updated = await office.next(isEvent('client_update'));
    assert.equal(updated.data.id, c.id);
    assert.equal(updated.data.visit_count, 2);
    assert.equal(updated.data.last_seen, '2023-12-10T15:00:00.000Z');
    assert.equal(updated.data.visit_histories.length, 2);
    assert.equal((await office.next(isEvent('client_visit_create'))).data.client, c.id);
    // The image is served under /media with caching headers.
    const img = await fetch(c.image.replace('http://127.0.0.1:3000', t.baseUrl));
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/png');
    assert.match(img.headers.get('cache-control') ?? '', /max-age=31536000/);
  });

  it('counts a retried recognition (same event_id) once and announces nothing new', async () => {
    const body = () => form({ device_id: 'DOOR-2', datetime: '2023-12-11T09:00:00Z', event_id: 'evt-42' }, PNG);
    const first = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: body() });
    assert.equal(first.status, 201);
    const retried = await Promise.all([1, 2, 3].map(() => t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: body() })));
    for (const r of retried) {
      assert.equal(r.status, 200);
      assert.equal(r.body.client.id, first.body.client.id);
      assert.equal(r.body.visit.id, first.body.visit.id);
    }
    await office.next((f) => f.event === 'client_create' && f.data.id === first.body.client.id);
    office.send({ event: 'ping' });
    await office.next(isEvent('pong'));
    assert.equal(office.seen((f) => f.data?.client === first.body.client.id || f.data?.id === first.body.client.id).filter((f) => f.event === 'client_visit_create').length, 1);
    const visits = (await t.http('GET', `/api/attendance/clients/${first.body.client.id}/visits`, { token: t.adminToken })).body;
    assert.equal(visits.length, 1);
    office.frames.length = 0;
  });

  it('refuses an upload that is not an image with a clear 400, and a member with 403', async () => {
    const r = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ device_id: 'D' }, Buffer.from('%PDF-1.4 not an image'), 'face.jpg') });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /not a JPEG, PNG or WebP image/);
    const member = await t.newUser({ role: 'member' });
    assert.equal((await t.http('POST', '/api/attendance/recognitions', { token: member.token, body: form({ device_id: 'D' }, PNG) })).status, 403);
  });

  it('sends client_create, client_update and client_delete for the clients API', async () => {
    const created = await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: form({ gender: 'female', age: 41 }, PNG) });
    assert.equal(created.status, 201);
    const c = (await office.next((f) => f.event === 'client_create' && f.data.id === created.body.id)).data;
    assert.equal(c.visit_count, 0);
    assert.equal(c.first_seen, null);
    assert.deepEqual(c.visit_histories, []);
    assert.equal((await t.http('PATCH', `/api/attendance/clients/${c.id}`, { token: t.adminToken, body: { age: 42 } })).body.age, 42);
    assert.equal((await office.next(isEvent('client_update'))).data.age, 42);
    assert.equal((await t.http('DELETE', `/api/attendance/clients/${c.id}`, { token: t.adminToken })).status, 204);
    assert.deepEqual((await office.next(isEvent('client_delete'))).data, { id: c.id });
  });

  it('sends client_visit_create, client_visit_update and client_visit_delete for the visits API', async () => {
    const c = (await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: { gender: 'unknown' } })).body;
    await office.next((f) => f.event === 'client_create' && f.data.id === c.id);
    const v = await t.http('POST', `/api/attendance/clients/${c.id}/visits`, { token: t.adminToken, body: { datetime: '2023-12-10T12:00:00Z', device_id: 'XYZ789' } });
    assert.equal(v.status, 201);
    assert.deepEqual((await office.next(isEvent('client_visit_create'))).data, { datetime: '2023-12-10T12:00:00.000Z', device_id: 'XYZ789', client: c.id });
    const p = await t.http('PATCH', `/api/attendance/clients/${c.id}/visits/${v.body.id}`, { token: t.adminToken, body: { device_id: 'ABC' } });
    assert.equal(p.status, 200);
    assert.deepEqual((await office.next(isEvent('client_visit_update'))).data, { datetime: '2023-12-10T12:00:00.000Z', device_id: 'ABC', client: c.id });
    assert.equal((await t.http('DELETE', `/api/attendance/clients/${c.id}/visits/${v.body.id}`, { token: t.adminToken })).status, 204);
    assert.deepEqual((await office.next(isEvent('client_visit_delete'))).data, { datetime: '2023-12-10T12:00:00.000Z', device_id: 'ABC', client: c.id });
    assert.equal((await office.next((f) => f.event === 'client_update' && f.data.id === c.id && f.data.visit_count === 0)).data.first_seen, null);
  });

  it('sends employee_create, employee_update and employee_delete for changes made through /api/employees', async () => {
    const r = await t.http('POST', '/api/employees', { token: t.adminToken, body: { first_name: 'John', last_name: 'Doe', email: 'john.doe@example.com', phone_number: '1234567890', working_graphic: 2 } });
    assert.equal(r.status, 201);
    const created = await office.next(isEvent('employee_create'));
    assert.deepEqual(created.data, { id: r.body.id, first_name: 'John', last_name: 'Doe', email: 'john.doe@example.com', phone_number: '1234567890', image: null, working_graphic: 2 });
    await t.http('PATCH', `/api/employees/${r.body.id}`, { token: t.adminToken, body: { phone_number: '555' } });
    assert.equal((await office.next(isEvent('employee_update'))).data.phone_number, '555');
    const photo = await t.http('PUT', `/api/attendance/employees/${r.body.id}/image`, { token: t.adminToken, body: form({}, PNG) });
    assert.equal(photo.status, 200);
    assert.match((await office.next(isEvent('employee_update'))).data.image, /\/media\/employee_images\/[0-9a-f-]+\.png$/);
    assert.equal((await t.http('DELETE', `/api/employees/${r.body.id}`, { token: t.adminToken })).status, 204);
    assert.deepEqual((await office.next(isEvent('employee_delete'))).data, { id: r.body.id });
  });

  it('records employee attendance from a camera, lists it by employee and dates, summarises the day, and deletes it', async () => {
    const e = (await t.http('POST', '/api/employees', { token: t.adminToken, body: { first_name: 'Ann', last_name: 'Lee' } })).body;
    const post = (datetime: string, score: number) => t.http('POST', '/api/attendance/records', { token: camera.token, body: form({ employee_id: e.id, device_id: '123ABC', datetime, score }, PNG) });
    const r1 = await post('2023-12-10T08:00:00Z', 95);
    assert.equal(r1.status, 201);
    const frame = (await office.next(isEvent('employee_attendance'))).data;
    assert.deepEqual(Object.keys(frame).sort(), ['datetime', 'device_id', 'employee_id', 'image', 'score']);
    assert.equal(frame.employee_id, e.id);
    assert.equal(frame.device_id, '123ABC');
    assert.equal(frame.datetime, '2023-12-10T08:00:00.000Z');
    assert.equal(frame.score, 95);
    assert.match(frame.image, /^http:\/\/127\.0\.0\.1:3000\/media\/attendance_images\//);
    await post('2023-12-10T17:30:00Z', 91);
    await post('2023-12-11T08:05:00Z', 97);
    const day = await t.http('GET', `/api/attendance/records?employee_id=${e.id}&from=2023-12-10&to=2023-12-10`, { token: t.adminToken });
    assert.equal(day.body.length, 2);
    const summary = (await t.http('GET', '/api/attendance/summary?date=2023-12-10', { token: t.adminToken })).body;
    const mine = summary.employees.find((x: { employee_id: number }) => x.employee_id === e.id);
    assert.deepEqual({ first_in: mine.first_in, last_out: mine.last_out, records: mine.records }, { first_in: '2023-12-10T08:00:00.000Z', last_out: '2023-12-10T17:30:00.000Z', records: 2 });
    assert.equal((await t.http('DELETE', `/api/attendance/records/${r1.body.id}`, { token: t.adminToken })).status, 204);
    assert.deepEqual((await office.next(isEvent('employee_attendance_delete'))).data, { employee_id: e.id, datetime: '2023-12-10T08:00:00.000Z' });
    assert.equal((await t.http('POST', '/api/attendance/records', { token: camera.token, body: form({ employee_id: 999999 }, PNG) })).status, 400);
  });
});
