import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { FakeClock } from '../support/fake-clock';
import { ADMIN, TestApp, TestDevice } from '../support/test-app';
import { until } from '../support/wait';
import { form, JPEG, PNG, storedFiles, WEBP } from './attendance-helpers';

const MAX_IMAGE = 4096;

describe('attendance REST and media', () => {
  let t: TestApp;
  let camera: TestDevice;

  before(async () => {
    t = await TestApp.start({
      clock: new FakeClock(new Date('2026-03-08T06:59:58Z')),
      env: { MEDIA_MAX_IMAGE_BYTES: String(MAX_IMAGE), ATTENDANCE_TIMEZONE: 'Asia/Ho_Chi_Minh', ATTENDANCE_VISIT_HISTORY_LIMIT: '3' },
    });
    camera = await t.newDevice({ kind: 'camera' });
  });
  after(() => t.stop());

  const files = () => storedFiles(t.config.mediaDir);

  const mediaPath = (url: string) => new URL(url).pathname + new URL(url).search;

  async function newEmployee(first = 'Bao'): Promise<number> {
    const r = await t.http('POST', '/api/employees', { token: t.adminToken, body: { first_name: first, last_name: 'Tran' } });
    assert.equal(r.status, 201);
    return r.body.id;
  }

  describe('uploads', () => {
    it('refuses a file that is not an image, whatever its name and declared type, with a 400 that says so, and keeps nothing', async () => {
      const before = files();
      const script = { bytes: Buffer.from('<?php system($_GET["c"]); ?>'), name: 'face.jpg', type: 'image/jpeg' };
      const employee = await newEmployee();
      const attempts: Array<[string, string, FormData]> = [
        ['POST', '/api/attendance/clients', form({ gender: 'male' }, script)],
        ['POST', '/api/attendance/recognitions', form({ device_id: 'door-1' }, script)],
        ['POST', '/api/attendance/records', form({ employee_id: employee, score: 90, device_id: 'gate' }, script)],
        ['PUT', `/api/attendance/employees/${employee}/image`, form({}, script)],
      ];
      for (const [method, path, body] of attempts) {
        const r = await t.http(method, path, { token: t.adminToken, body });
        assert.equal(r.status, 400, `${method} ${path}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error, 'VALIDATION_FAILED');
        assert.match(r.body.message, /not a JPEG, PNG, WebP or GIF image/);
      }
      assert.deepEqual(files(), before);
      assert.equal((await t.http('GET', '/api/attendance/clients', { token: t.adminToken })).body.length, 0, 'no client was created');
    });

    it('refuses an image over MEDIA_MAX_IMAGE_BYTES with 413 and a message naming the limit', async () => {
      const big = Buffer.concat([PNG, Buffer.alloc(MAX_IMAGE)]);
      const r = await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: form({}, { bytes: big }) });
      assert.equal(r.status, 413);
      assert.equal(r.body.error, 'PAYLOAD_TOO_LARGE');
      assert.match(r.body.message, new RegExp(`${MAX_IMAGE} bytes`));
    });

    it('asks for the image in the "image" field and requires one from a camera', async () => {
      const wrongField = await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: form({}, { bytes: PNG }, 'photo') });
      assert.equal(wrongField.status, 400);
      assert.match(wrongField.body.message, /"image"/);
      const none = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ device_id: 'door-1' }) });
      assert.equal(none.status, 400);
      assert.match(none.body.message, /image is required/);
    });

    it('refuses a datetime without a time zone and an unknown gender', async () => {
      const noZone = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ datetime: '2023-12-10T10:00:00' }, { bytes: PNG }) });
      assert.equal(noZone.status, 400);
      assert.match(noZone.body.message, /time zone offset/);
      const gender = await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: { gender: 'robot' } });
      assert.equal(gender.status, 400);
    });
  });

  describe('media', () => {
    it('serves a stored image by its sniffed type with private caching until the link expires and an ETag, and 304 for a matching If-None-Match', async () => {
      const c = await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: form({}, { bytes: WEBP, name: 'x.png', type: 'image/png' }) });
      assert.equal(c.status, 201);
      assert.match(
        c.body.image,
        /^http:\/\/127\.0\.0\.1:3000\/api\/attendance\/images\/client_images\/[0-9a-f]{32}\.webp\?expires=\d+&signature=[\w-]+$/,
        'the name is generated and the type sniffed, not taken from the upload',
      );
      const res = await fetch(t.baseUrl + mediaPath(c.body.image));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/webp');
      assert.match(res.headers.get('cache-control') ?? '', /^private, max-age=\d+$/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      const etag = res.headers.get('etag');
      assert.match(etag ?? '', /^"[0-9a-f]{32}"$/);
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), WEBP);
      const again = await fetch(t.baseUrl + mediaPath(c.body.image), { headers: { 'if-none-match': etag! } });
      assert.equal(again.status, 304);
    });

    it('serves faces only through signed URLs that expire (403), cannot be altered (403), and can be signed afresh by the back office', async () => {
      const c = await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: form({}, { bytes: PNG }) });
      const url = new URL(c.body.image);
      const stored = url.pathname.replace('/api/attendance/images', '/media');
      assert.equal((await fetch(t.baseUrl + stored)).status, 404, 'the public unguessable name no longer serves a face');
      assert.equal((await fetch(t.baseUrl + url.pathname)).status, 403, 'no signature');
      const tampered = new URL(url);
      tampered.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
      assert.equal((await fetch(t.baseUrl + tampered.pathname + tampered.search)).status, 403, 'a later expiry breaks the signature');
      const other = (await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: form({}, { bytes: JPEG, type: 'image/jpeg' }) })).body;
      const swapped = new URL(other.image).pathname + url.search;
      assert.equal((await fetch(t.baseUrl + swapped)).status, 403, 'a signature is good for its own path only');

      const start = t.clock.now();
      t.clock.advance(3600_000 + 60_000);
      try {
        const expired = await fetch(t.baseUrl + mediaPath(c.body.image));
        assert.equal(expired.status, 403);
        assert.match(((await expired.json()) as { message: string }).message, /expired/);
        const anon = await t.http('GET', `/api/attendance/images/sign?url=${encodeURIComponent(c.body.image)}`);
        assert.equal(anon.status, 401, 'signing needs a back-office login');
        // An hour later the test's first login has expired too.
        const token = (await t.login(ADMIN.email, ADMIN.password)).access_token;
        const fresh = await t.http('GET', `/api/attendance/images/sign?url=${encodeURIComponent(c.body.image)}`, { token });
        assert.equal(fresh.status, 200);
        assert.equal(new URL(fresh.body.url).pathname, url.pathname);
        assert.ok(Date.parse(fresh.body.expires_at) > t.clock.now());
        assert.equal((await fetch(t.baseUrl + mediaPath(fresh.body.url))).status, 200);
        const listed = await t.http('GET', `/api/attendance/clients/${c.body.id}`, { token });
        assert.equal((await fetch(t.baseUrl + mediaPath(listed.body.image))).status, 200, 'responses carry freshly signed URLs');
        const foreign = await t.http('GET', `/api/attendance/images/sign?url=${encodeURIComponent('http://x/media/sounds/abc.mp3')}`, { token });
        assert.equal(foreign.status, 400);
      } finally {
        t.clock.set(start);
      }
    });

    it('answers 404 for any name it did not generate, including attempts to leave MEDIA_DIR', async () => {
      for (const path of [
        '/media/client_images/0123456789abcdef0123456789abcdef.jpg',
        '/media/..%2F..%2Fetc/passwd',
        '/media/client_images/..%2F..%2Fpackage.json',
        '/media/client_images/../../package.json',
        '/media/x/y.txt',
        '/media/client_images',
      ]) {
        const res = await fetch(t.baseUrl + path);
        assert.equal(res.status, 404, path);
      }
    });

    it('removes a client’s files and recognition log with the client, and a replaced photo', async () => {
      const c = (await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: form({}, { bytes: PNG }) })).body;
      const r = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ client_id: c.id, device_id: 'door-9' }, { bytes: JPEG, type: 'image/jpeg' }) });
      const visit = r.body.visit;
      assert.ok(visit.image, 'the visit keeps the captured face');
      const replaced = await t.http('PATCH', `/api/attendance/clients/${c.id}`, { token: t.adminToken, body: form({}, { bytes: WEBP }) });
      assert.equal((await fetch(t.baseUrl + mediaPath(c.image))).status, 404, 'the replaced photo is gone');
      assert.equal((await fetch(t.baseUrl + mediaPath(visit.image))).status, 200);
      const log = () => t.get(DataSource).query<unknown[]>(`SELECT id FROM attendance_recognitions WHERE client_id = $1`, [c.id]);
      assert.equal((await log()).length, 1, 'the recognition is logged');
      assert.equal((await t.http('DELETE', `/api/attendance/clients/${c.id}`, { token: t.adminToken })).status, 204);
      for (const url of [visit.image, replaced.body.image]) assert.equal((await fetch(t.baseUrl + mediaPath(url))).status, 404, url);
      assert.equal((await log()).length, 0, 'and forgotten with the client');
    });

    it('replaces and removes an employee photo, and removes the old files', async () => {
      const id = await newEmployee('Foto');
      const first = await t.http('PUT', `/api/attendance/employees/${id}/image`, { token: t.adminToken, body: form({}, { bytes: PNG }) });
      assert.equal(first.status, 200);
      const second = await t.http('PUT', `/api/attendance/employees/${id}/image`, { token: t.adminToken, body: form({}, { bytes: JPEG, type: 'image/jpeg' }) });
      assert.ok(new URL(second.body.image).pathname.endsWith('.jpg'));
      assert.equal((await fetch(t.baseUrl + mediaPath(first.body.image))).status, 404);
      const listed = (await t.http('GET', '/api/attendance/employees', { token: t.adminToken })).body.find((e: { id: number }) => e.id === id);
      assert.equal(listed.image, second.body.image);
      const removed = await t.http('DELETE', `/api/attendance/employees/${id}/image`, { token: t.adminToken });
      assert.equal(removed.status, 200);
      assert.equal(removed.body.image, null);
      assert.equal((await fetch(t.baseUrl + mediaPath(second.body.image))).status, 404);
      assert.equal((await t.http('PUT', '/api/attendance/employees/999999/image', { token: t.adminToken, body: form({}, { bytes: PNG }) })).status, 404);
    });

    it('removes an employee’s photo with the employee', async () => {
      const id = await newEmployee('Gone');
      const photo = (await t.http('PUT', `/api/attendance/employees/${id}/image`, { token: t.adminToken, body: form({}, { bytes: PNG }) })).body.image;
      assert.equal((await fetch(t.baseUrl + mediaPath(photo))).status, 200);
      const file = new URL(photo).pathname.split('/').slice(-2).join('/');
      assert.ok(files().includes(file), `${file} is stored`);
      assert.equal((await t.http('DELETE', `/api/employees/${id}`, { token: t.adminToken })).status, 204);
      await until(() => !files().includes(file), 'the photo file removed', 5000);
      assert.equal((await fetch(t.baseUrl + mediaPath(photo))).status, 404, 'the photo is gone');
    });
  });

  describe('clients and visits', () => {
    it('keeps visit_count, first_seen and last_seen exact under concurrent visits, and embeds the latest ATTENDANCE_VISIT_HISTORY_LIMIT visits', async () => {
      const c = (await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: { gender: 'female', age: 22 } })).body;
      const times = Array.from({ length: 10 }, (_, i) => `2024-01-0${(i % 9) + 1}T0${i % 10}:00:00.000Z`);
      const results = await Promise.all(times.map((datetime, i) => t.http('POST', `/api/attendance/clients/${c.id}/visits`, { token: t.adminToken, body: { datetime, device_id: `cam-${i}` } })));
      assert.ok(results.every((r) => r.status === 201));
      const got = (await t.http('GET', `/api/attendance/clients/${c.id}`, { token: t.adminToken })).body;
      const sorted = [...times].sort();
      assert.equal(got.visit_count, 10);
      assert.equal(got.first_seen, sorted[0]);
      assert.equal(got.last_seen, sorted[9]);
      assert.deepEqual(
        got.visit_histories.map((v: { datetime: string }) => v.datetime),
        sorted.slice(-3),
        'the latest three, oldest first',
      );
      const page = await t.http('GET', `/api/attendance/clients/${c.id}/visits?limit=4&from=2024-01-02T00:00:00Z`, { token: t.adminToken });
      assert.equal(page.status, 200);
      assert.equal(page.body.length, 4);
      assert.deepEqual(Object.keys(page.body[0]).sort(), ['client', 'datetime', 'device_id', 'id', 'image']);
      assert.ok(page.body.every((v: { datetime: string }) => v.datetime >= '2024-01-02'));
    });

    it('creates a new client when a recognition names a client that no longer exists', async () => {
      const r = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ client_id: 999999, device_id: 'door-1' }, { bytes: PNG }) });
      assert.equal(r.status, 201);
      assert.equal(r.body.client_created, true);
      assert.notEqual(r.body.client_id, 999999);
      assert.equal(r.body.visit.device_id, 'door-1');
    });

    it('does not let a camera estimate override what the back office set', async () => {
      const c = (await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: { gender: 'male', age: 50 } })).body;
      const r = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ client_id: c.id, gender: 'female', age: 20 }, { bytes: PNG }) });
      assert.equal(r.status, 201);
      assert.equal(r.body.client.gender, 'male');
      assert.equal(r.body.client.age, 50);
      assert.equal(r.body.visit.device_id, camera.id, 'no device_id: the camera device’s id');
    });

    it('answers 404 for an unknown client or visit', async () => {
      assert.equal((await t.http('GET', '/api/attendance/clients/999999', { token: t.adminToken })).status, 404);
      assert.equal((await t.http('POST', '/api/attendance/clients/999999/visits', { token: t.adminToken, body: { device_id: 'x' } })).status, 404);
      const c = (await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: {} })).body;
      assert.equal((await t.http('PATCH', `/api/attendance/clients/${c.id}/visits/999999`, { token: t.adminToken, body: { device_id: 'y' } })).status, 404);
    });
  });

  describe('attendance records', () => {
    it('lists records by employee and date range, oldest first', async () => {
      const a = await newEmployee('Ana');
      const b = await newEmployee('Binh');
      const post = (employee_id: number, datetime: string) =>
        t.http('POST', '/api/attendance/records', { token: camera.token, body: form({ employee_id, datetime, score: 90, device_id: 'gate' }, { bytes: PNG }) });
      for (const [e, d] of [
        [a, '2024-02-01T08:00:00Z'],
        [a, '2024-02-01T17:00:00Z'],
        [a, '2024-02-02T08:00:00Z'],
        [b, '2024-02-01T09:00:00Z'],
      ] as const)
        assert.equal((await post(e, d)).status, 201);
      const r = await t.http('GET', `/api/attendance/records?employee_id=${a}&from=2024-02-01T00:00:00Z&to=2024-02-02T00:00:00Z`, { token: t.adminToken });
      assert.equal(r.status, 200);
      assert.deepEqual(
        r.body.map((x: { datetime: string }) => x.datetime),
        ['2024-02-01T08:00:00.000Z', '2024-02-01T17:00:00.000Z'],
      );
      assert.ok(r.body.every((x: { employee_id: number }) => x.employee_id === a));
      assert.equal((await t.http('POST', '/api/attendance/records', { token: camera.token, body: form({ employee_id: 999999, score: 1 }) })).status, 404);
      assert.equal((await t.http('POST', '/api/attendance/records', { token: camera.token, body: form({ employee_id: a, score: 101 }) })).status, 400);
    });

    it('records a sighting once: a retried event id, and the same camera within the cool-down, return the first record (200) and store nothing', async () => {
      const e = await newEmployee('Gia');
      const post = (fields: Record<string, string>) =>
        t.http('POST', '/api/attendance/records', { token: camera.token, body: form({ employee_id: e, score: 90, device_id: 'door', ...fields }, { bytes: PNG }) });
      const filesBefore = files().length;
      const first = await post({ datetime: '2024-03-01T08:00:00Z', event_id: 'door-1' });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(first.body.duplicate, false);
      const retry = await post({ datetime: '2024-03-01T08:00:00Z', event_id: 'door-1' });
      assert.equal(retry.status, 200);
      assert.deepEqual({ ...retry.body, duplicate: false }, first.body, 'a retry answers with the first record');
      const soon = await post({ datetime: '2024-03-01T08:00:40Z', event_id: 'door-2' });
      assert.equal(soon.status, 200, 'within the 60 s cool-down: folded into the first record');
      assert.equal(soon.body.id, first.body.id);
      assert.equal((await post({ datetime: '2024-03-01T08:00:40Z', device_id: 'back-door' })).status, 201, 'another camera is another record');
      assert.equal((await post({ datetime: '2024-03-01T08:01:01Z', event_id: 'door-3' })).status, 201, 'after the cool-down: a new record');
      const racing = await Promise.all(Array.from({ length: 4 }, () => post({ datetime: '2024-03-01T12:00:00Z', event_id: 'door-9' })));
      assert.deepEqual(racing.map((r) => r.status).sort(), [200, 200, 200, 201]);
      assert.equal(new Set(racing.map((r) => r.body.id)).size, 1);
      const listed = await t.http('GET', `/api/attendance/records?employee_id=${e}`, { token: t.adminToken });
      assert.deepEqual(
        listed.body.map((r: { datetime: string }) => r.datetime),
        ['2024-03-01T08:00:00.000Z', '2024-03-01T08:00:40.000Z', '2024-03-01T08:01:01.000Z', '2024-03-01T12:00:00.000Z'],
      );
      assert.equal(files().length, filesBefore + 4, 'folded and retried sightings leave no image behind');
    });

    it('summarises each employee’s day in ATTENDANCE_TIMEZONE: first in, last out (after a second record), and the count', async () => {
      const early = await newEmployee('Chi');
      const once = await newEmployee('Dung');
      const absent = await newEmployee('Em');
      const post = (employee_id: number, datetime: string) => t.http('POST', '/api/attendance/records', { token: t.adminToken, body: { employee_id, datetime, score: 99, device_id: 'gate' } });
      // Asia/Ho_Chi_Minh is UTC+7: 2026-03-10 runs from 03-09T17:00Z to 03-10T17:00Z.
      for (const [e, d] of [
        [early, '2026-03-09T16:59:00Z'],
        [early, '2026-03-09T17:30:00Z'],
        [early, '2026-03-10T10:45:00Z'],
        [early, '2026-03-10T17:00:00Z'],
        [once, '2026-03-10T02:00:00Z'],
      ] as const) {
        const r = await post(e, d);
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
      const s = await t.http('GET', '/api/attendance/summary?date=2026-03-10', { token: t.adminToken });
      assert.equal(s.status, 200, JSON.stringify(s.body));
      assert.equal(s.body.timezone, 'Asia/Ho_Chi_Minh');
      assert.equal(s.body.from, '2026-03-09T17:00:00.000Z');
      assert.equal(s.body.to, '2026-03-10T17:00:00.000Z');
      const row = (id: number) => s.body.employees.find((x: { employee_id: number }) => x.employee_id === id);
      assert.deepEqual(row(early), { employee_id: early, first_name: 'Chi', last_name: 'Tran', first_in: '2026-03-09T17:30:00.000Z', last_out: '2026-03-10T10:45:00.000Z', records: 2 });
      assert.deepEqual(row(once), { employee_id: once, first_name: 'Dung', last_name: 'Tran', first_in: '2026-03-10T02:00:00.000Z', last_out: null, records: 1 });
      assert.deepEqual(row(absent), { employee_id: absent, first_name: 'Em', last_name: 'Tran', first_in: null, last_out: null, records: 0 });

      const utc = await t.http('GET', '/api/attendance/summary?date=2026-03-10&timezone=UTC', { token: t.adminToken });
      assert.equal(utc.body.employees.find((x: { employee_id: number }) => x.employee_id === early).records, 2);
      assert.equal(utc.body.employees.find((x: { employee_id: number }) => x.employee_id === early).first_in, '2026-03-10T10:45:00.000Z');

      const today = await t.http('GET', '/api/attendance/summary', { token: t.adminToken });
      assert.equal(today.body.date, '2026-03-08', 'no date: today in the zone (the clock reads 2026-03-08T06:59:58Z)');
      for (const bad of ['2026-02-30', '10-03-2026']) assert.equal((await t.http('GET', `/api/attendance/summary?date=${bad}`, { token: t.adminToken })).status, 400, bad);
      assert.equal((await t.http('GET', '/api/attendance/summary?timezone=Mars/Olympus', { token: t.adminToken })).status, 400);
    });
  });

  describe('who may do what', () => {
    it('lets cameras and admins post, admins and managers read; others get 403 and no token 401', async () => {
      const member = await t.newUser({ role: 'member' });
      const manager = await t.newUser({ role: 'manager' });
      const display = await t.newDevice({ kind: 'display' });
      const recognition = () => form({ device_id: 'door' }, { bytes: PNG });
      assert.equal((await t.http('POST', '/api/attendance/recognitions', { body: recognition() })).status, 401);
      for (const token of [member.token, manager.token, display.token]) {
        assert.equal((await t.http('POST', '/api/attendance/recognitions', { token, body: recognition() })).status, 403);
      }
      assert.equal((await t.http('POST', '/api/attendance/recognitions', { token: t.adminToken, body: recognition() })).status, 201);
      for (const path of ['/api/attendance/clients', '/api/attendance/records', '/api/attendance/summary', '/api/attendance/employees']) {
        assert.equal((await t.http('GET', path, { token: manager.token })).status, 200, path);
        assert.equal((await t.http('GET', path, { token: member.token })).status, 403, path);
        assert.equal((await t.http('GET', path, { token: camera.token })).status, 403, path);
      }
      const noDevice = await t.http('POST', '/api/attendance/recognitions', { token: t.adminToken, body: form({}, { bytes: PNG }) });
      assert.equal(noDevice.status, 400, 'a user must name the camera');
      assert.match(noDevice.body.message, /device_id is required/);
    });

    it('describes every attendance and media route in /docs-json', async () => {
      const doc = (await t.http('GET', '/docs-json')).body;
      for (const [path, method] of [
        ['/api/attendance/clients', 'post'],
        ['/api/attendance/clients/{id}', 'patch'],
        ['/api/attendance/clients/{id}/visits', 'post'],
        ['/api/attendance/clients/{id}/visits/{visitId}', 'delete'],
        ['/api/attendance/records', 'get'],
        ['/api/attendance/records/{id}', 'delete'],
        ['/api/attendance/summary', 'get'],
        ['/api/attendance/recognitions', 'post'],
        ['/api/attendance/employees/{id}/image', 'put'],
        ['/media/{folder}/{file}', 'get'],
      ]) {
        assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path}`);
      }
    });
  });
});
