import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp } from '../support/test-app';
import { form, isEvent, PNG } from './attendance-helpers';

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
