import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { AttendanceRetentionService } from '../../src/attendance/attendance-retention.service';
import { FakeClock } from '../support/fake-clock';
import { ADMIN, TestApp, TestDevice } from '../support/test-app';
import { form, JPEG, PNG, storedFiles } from './attendance-helpers';

const DAY = 86_400_000;

describe('attendance privacy: retention and consent', () => {
  let t: TestApp;
  let camera: TestDevice;
  const files = () => storedFiles(t.config.mediaDir);
  const stored = (url: string | null) => (url ? new URL(url).pathname.replace('/api/attendance/images/', '') : null);

  before(async () => {
    t = await TestApp.start({
      clock: new FakeClock(new Date('2026-03-08T12:00:00Z')),
      env: {
        ATTENDANCE_TIMEZONE: 'UTC',
        ATTENDANCE_VISIT_IMAGE_RETENTION_DAYS: '30',
        ATTENDANCE_VISIT_RETENTION_DAYS: '365',
        ATTENDANCE_RECORD_IMAGE_RETENTION_DAYS: '30',
        ATTENDANCE_RECORD_RETENTION_DAYS: '365',
        ATTENDANCE_RECORD_COOLDOWN_MS: '0',
      },
    });
    camera = await t.newDevice({ kind: 'camera' });
  });
  after(() => t.stop());

  it('deletes, once per day, the faces, visits (with their recognition log), photos and records past their periods and nothing else, and says how many', async () => {
    const retention = t.get(AttendanceRetentionService);
    await retention.idle();
    const ago = (days: number) => new Date(t.clock.now() - days * DAY).toISOString();
    const seen = async (days: number, client_id?: number) => {
      const r = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ device_id: 'door', datetime: ago(days), client_id }, { bytes: PNG }) });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    const first = await seen(400); // also the new client's photo
    const month = await seen(40, first.client_id);
    const recent = await seen(1, first.client_id);
    const employee = (await t.http('POST', '/api/employees', { token: t.adminToken, body: { first_name: 'Lan', last_name: 'Vo' } })).body.id;
    const record = async (days: number) => {
      const r = await t.http('POST', '/api/attendance/records', {
        token: camera.token,
        body: form({ employee_id: employee, score: 90, device_id: 'gate', datetime: ago(days) }, { bytes: JPEG, type: 'image/jpeg' }),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    const oldRecord = await record(400);
    const monthRecord = await record(40);
    const newRecord = await record(1);
    const before = files();
    assert.equal(before.length, 6);

    t.clock.set(new Date('2026-03-09T00:00:01Z'));
    await retention.idle();
    t.adminToken = (await t.login(ADMIN.email, ADMIN.password)).access_token; // the first login expired overnight
    const [run] = (await t.http('GET', '/api/attendance/retention/runs', { token: (await t.login(ADMIN.email, ADMIN.password)).access_token })).body;
    assert.equal(run.day, '2026-03-09');
    assert.deepEqual(run.deleted, { visits: 1, visit_images: 1, recognitions: 1, records: 1, record_images: 1, reviews: 0, files: 3 });
    const log = await t.get(DataSource).query<Array<{ visit_id: number }>>(`SELECT visit_id FROM attendance_recognitions WHERE client_id = $1 ORDER BY visit_id`, [first.client_id]);
    assert.deepEqual(
      log.map((r) => r.visit_id),
      [month.visit_id, recent.visit_id].sort((a, b) => a - b),
      'the recognition log forgets the deleted visit',
    );
    assert.ok(
      t.logs.some((l) => l.includes('attendance retention for 2026-03-09')),
      'the run is logged with its counts',
    );

    const gone = [stored(month.visit.image), stored(oldRecord.image), stored(monthRecord.image)];
    assert.deepEqual(
      files(),
      before.filter((f) => !gone.includes(f)),
    );
    assert.ok(files().includes(stored(first.client.image)!), 'the client’s photo stays while the client uses it');

    const visits = (await t.http('GET', `/api/attendance/clients/${first.client_id}/visits`, { token: t.adminToken })).body;
    assert.deepEqual(
      visits.map((v: { id: number }) => v.id),
      [recent.visit_id, month.visit_id],
    );
    assert.equal(visits[1].image, null);
    assert.ok(visits[0].image);
    const client = (await t.http('GET', `/api/attendance/clients/${first.client_id}`, { token: t.adminToken })).body;
    assert.equal(client.visit_count, 2);
    assert.equal(client.first_seen, month.visit.datetime);
    const records = (await t.http('GET', `/api/attendance/records?employee_id=${employee}`, { token: t.adminToken })).body;
    assert.deepEqual(
      records.map((r: { id: number; image: string | null }) => [r.id, !!r.image]),
      [
        [monthRecord.id, false],
        [newRecord.id, true],
      ],
    );

    // Another instance (or a restart) asking for the same day does nothing.
    const again = await Promise.all([1, 2, 3].map(() => retention.run('2026-03-09')));
    assert.deepEqual(
      again.map((r) => r.ran),
      [false, false, false],
    );
    const days = await t.get(DataSource).query(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM attendance_retention_runs ORDER BY day`);
    assert.deepEqual(
      days.map((d: { day: string }) => d.day),
      ['2026-03-08', '2026-03-09'],
    );
  });

  it('keeps no image of a person without consent, and deletes them all when consent is withdrawn', async () => {
    const none = await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: form({ consent: 'false' }, { bytes: PNG }) });
    assert.equal(none.status, 201);
    assert.equal(none.body.image, null);
    assert.equal(none.body.consent, false);
    const before = files();
    const r = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ device_id: 'door', client_id: none.body.id }, { bytes: PNG }) });
    assert.equal(r.status, 201);
    assert.equal(r.body.visit.image, null);
    assert.deepEqual(files(), before, 'the captured face was not kept');

    const c = (await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: form({}, { bytes: PNG }) })).body;
    const v = (await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ device_id: 'door', client_id: c.id }, { bytes: JPEG, type: 'image/jpeg' }) })).body;
    const faces = [stored(c.image), stored(v.visit.image)];
    assert.ok(faces.every((f) => files().includes(f!)));
    const withdrawn = await t.http('PATCH', `/api/attendance/clients/${c.id}`, { token: t.adminToken, body: { consent: false } });
    assert.equal(withdrawn.status, 200);
    assert.equal(withdrawn.body.image, null);
    assert.equal(withdrawn.body.consent, false);
    assert.ok(
      faces.every((f) => !files().includes(f!)),
      'photo and captured faces are deleted',
    );
    const visits = (await t.http('GET', `/api/attendance/clients/${c.id}/visits`, { token: t.adminToken })).body;
    assert.deepEqual(
      visits.map((x: { image: string | null }) => x.image),
      [null],
    );
    assert.equal((await t.http('PATCH', `/api/attendance/clients/${c.id}`, { token: t.adminToken, body: { consent: 'maybe' } })).status, 400);
  });
});
