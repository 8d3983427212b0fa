import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp, TestDevice } from '../support/test-app';
import { form, isEvent, JPEG, PNG, storedFiles } from './attendance-helpers';

describe('attendance identity fixes: merge and split', () => {
  let t: TestApp;

  before(async () => {
    t = await TestApp.start({ clock: new FakeClock(new Date('2026-03-08T08:00:00Z')) });
  });
  after(() => t.stop());

  const api = (method: string, path: string, body?: unknown) => t.http(method, path, { token: t.adminToken, body });
  async function clientWithVisits(n: number, photo = false): Promise<number> {
    const c = await api('POST', '/api/attendance/clients', photo ? form({}, { bytes: PNG }) : {});
    for (let i = 0; i < n; i++) assert.equal((await api('POST', `/api/attendance/clients/${c.body.id}/visits`, { device_id: 'door', datetime: `2026-03-0${i + 1}T09:00:00Z` })).status, 201);
    return c.body.id;
  }

  it('merges two clients: visits move, the count stays exact under concurrent visits, and the back office hears client_update and client_delete', async () => {
    const keep = await clientWithVisits(2);
    const from = await clientWithVisits(3, true);
    const ws = await t.socket('/ws/attendance', { token: t.adminToken });
    const [merged] = await Promise.all([
      api('POST', `/api/attendance/clients/${keep}/merge`, { from_client_id: from }),
      ...[1, 2, 3].map(() => api('POST', `/api/attendance/clients/${keep}/visits`, { device_id: 'door-2', datetime: '2026-03-07T10:00:00Z' })),
    ]);
    assert.equal(merged.status, 200, JSON.stringify(merged.body));
    assert.deepEqual(await ws.next(isEvent('client_delete', (d) => d.id === from)), { event: 'client_delete', data: { id: from } });
    const last = await ws.next(isEvent('client_update', (d) => d.id === keep && d.visit_count === 8));
    assert.equal(last.data.first_seen, '2026-03-01T09:00:00.000Z');
    assert.ok(last.data.image, 'the kept client takes the merged one’s photo when it had none');

    const got = (await api('GET', `/api/attendance/clients/${keep}`)).body;
    const visits = (await api('GET', `/api/attendance/clients/${keep}/visits`)).body;
    assert.equal(got.visit_count, 8);
    assert.equal(visits.length, 8);
    assert.ok(visits.every((v: { client: number }) => v.client === keep));
    assert.equal((await api('GET', `/api/attendance/clients/${from}`)).status, 404);

    assert.equal((await api('POST', `/api/attendance/clients/${keep}/merge`, { from_client_id: keep })).status, 400);
    assert.equal((await api('POST', `/api/attendance/clients/${keep}/merge`, { from_client_id: from })).status, 404);
    assert.equal((await api('POST', `/api/attendance/clients/${keep}/merge`, {})).status, 400);
  });

  it('splits a wrongly matched visit off into a new client, recounting both', async () => {
    const c = await clientWithVisits(3);
    const [wrong] = (await api('GET', `/api/attendance/clients/${c}/visits`)).body;
    const ws = await t.socket('/ws/attendance', { token: t.adminToken });
    const r = await api('POST', `/api/attendance/clients/${c}/visits/${wrong.id}/split`);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.client.visit_count, 1);
    assert.equal(r.body.visit.client, r.body.client.id);
    const created = await ws.next(isEvent('client_create', (d) => d.id === r.body.client.id));
    assert.equal(created.data.visit_count, 1);
    assert.equal((await ws.next(isEvent('client_update', (d) => d.id === c))).data.visit_count, 2);
    assert.equal((await api('GET', `/api/attendance/clients/${c}`)).body.visit_count, 2);
    assert.equal((await api('POST', `/api/attendance/clients/${c}/visits/${wrong.id}/split`)).status, 404, 'the visit is no longer this client’s');
  });
});

describe('attendance review queue (ATTENDANCE_MIN_SCORE, ATTENDANCE_REVIEW_UNKNOWN_FACES)', () => {
  let t: TestApp;
  let camera: TestDevice;

  before(async () => {
    t = await TestApp.start({ clock: new FakeClock(new Date('2026-03-08T08:00:00Z')), env: { ATTENDANCE_MIN_SCORE: '60', ATTENDANCE_REVIEW_UNKNOWN_FACES: 'true' } });
    camera = await t.newDevice({ kind: 'camera' });
  });
  after(() => t.stop());

  const api = (method: string, path: string, body?: unknown) => t.http(method, path, { token: t.adminToken, body });

  it('holds low scores and unknown faces for review; accepting counts them with the usual frames, rejecting deletes the face', async () => {
    const employee = (await api('POST', '/api/employees', { first_name: 'Mai', last_name: 'Do' })).body.id;
    const ws = await t.socket('/ws/attendance', { token: t.adminToken });
    const low = await t.http('POST', '/api/attendance/records', {
      token: camera.token,
      body: form({ employee_id: employee, score: 41.5, device_id: 'gate', event_id: 'g-1' }, { bytes: JPEG, type: 'image/jpeg' }),
    });
    assert.equal(low.status, 202, JSON.stringify(low.body));
    assert.deepEqual(low.body, { status: 'pending', review_id: low.body.review_id, event_id: 'g-1', duplicate: false });
    const retry = await t.http('POST', '/api/attendance/records', {
      token: camera.token,
      body: form({ employee_id: employee, score: 41.5, device_id: 'gate', event_id: 'g-1' }, { bytes: JPEG, type: 'image/jpeg' }),
    });
    assert.deepEqual([retry.status, retry.body.review_id, retry.body.duplicate], [202, low.body.review_id, true]);
    assert.deepEqual((await api('GET', '/api/attendance/records')).body, [], 'not counted while held');

    const unknown = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ device_id: 'door', gender: 'female' }, { bytes: PNG }) });
    assert.equal(unknown.status, 202);
    const known = (await api('POST', '/api/attendance/clients', {})).body;
    const weak = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ device_id: 'door', client_id: known.id, score: 20 }, { bytes: PNG }) });
    assert.equal(weak.status, 202);
    const strong = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ device_id: 'door', client_id: known.id, score: 95 }, { bytes: PNG }) });
    assert.equal(strong.status, 201, 'a good match of a known client is counted at once');

    const queue = (await api('GET', '/api/attendance/reviews')).body;
    assert.deepEqual(
      queue.map((r: { kind: string; reason: string }) => `${r.kind}:${r.reason}`),
      ['record:low_score', 'recognition:unknown_face', 'recognition:low_score'],
    );
    assert.ok(
      queue.every((r: { image: string }) => r.image.includes('signature=')),
      'faces in the queue are signed URLs',
    );

    const accepted = await api('POST', `/api/attendance/reviews/${low.body.review_id}/accept`, {});
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    const frame = await ws.next(isEvent('employee_attendance', (d) => d.employee_id === employee));
    assert.equal(frame.data.score, 41.5);
    const records = (await api('GET', '/api/attendance/records')).body;
    assert.deepEqual(
      records.map((r: { id: number }) => r.id),
      [accepted.body.result_id],
    );

    const newClient = await api('POST', `/api/attendance/reviews/${unknown.body.review_id}/accept`, {});
    assert.equal(newClient.status, 200);
    const created = await ws.next(isEvent('client_create', (d) => d.id === newClient.body.client_id));
    assert.equal(created.data.gender, 'female');

    const files = storedFiles(t.config.mediaDir).length;
    const rejected = await api('POST', `/api/attendance/reviews/${weak.body.review_id}/reject`);
    assert.deepEqual([rejected.body.status, rejected.body.image], ['rejected', null]);
    assert.equal(storedFiles(t.config.mediaDir).length, files - 1, 'the rejected face is deleted');
    assert.equal((await api('GET', `/api/attendance/clients/${known.id}`)).body.visit_count, 1);
    assert.equal((await api('POST', `/api/attendance/reviews/${weak.body.review_id}/accept`, {})).status, 409);
    assert.deepEqual((await api('GET', '/api/attendance/reviews')).body, []);
    assert.equal((await api('GET', '/api/attendance/reviews?status=accepted')).body.length, 2);
  });
});
