import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TestApp } from '../support/test-app';
import { barrier, bellsSocket, isType, newSound, uploadSound, wav } from './bells-world';

describe('bells gateway and REST (seed 000)', () => {
  let t: TestApp;
  before(async () => {
    t = await TestApp.start();
  });
  after(() => t.stop());

  describe('connecting', () => {
    it('acknowledges a register with the connection id that connected_clients lists, and the server time', async () => {
      const admin = await bellsSocket(t, { token: t.adminToken, type: 'admin', name: 'Admin Panel', register: false });
      admin.send({ type: 'register', timestamp: new Date().toISOString(), payload: { client_type: 'admin', client_name: 'Admin Panel' } });
      const ack = await admin.next(isType('connection_acknowledged'));
      assert.equal(ack.payload.client_type, 'admin');
      assert.equal(ack.payload.message, 'Connection successful');
      assert.ok(Date.parse(ack.payload.server_time));
      assert.ok(Date.parse(ack.timestamp));
      const list = await admin.next(isType('connected_clients'));
      const me = list.payload.clients.find((c: { id: string }) => c.id === ack.payload.connection_id);
      assert.ok(me, 'the acknowledged id is listed');
      assert.deepEqual(Object.keys(me).sort(), ['client_name', 'client_type', 'connected_since', 'id', 'ip', 'player_id', 'zone']);
      assert.equal(me.client_type, 'admin');
      assert.equal(me.client_name, 'Admin Panel');
      assert.equal(me.ip, '127.0.0.1');
      admin.close();
    });

    it('gets exactly one acknowledgement per valid register, and lets register change type and name', async () => {
      const s = await bellsSocket(t, { token: t.adminToken, type: 'client', name: 'Hall', register: false });
      s.send({ type: 'register', payload: { client_type: 'client', client_name: 'Hall' } });
      s.send({ type: 'heartbeat', timestamp: new Date().toISOString() });
      s.send({ type: 'register', payload: { client_type: 'admin', client_name: 'Office' } });
      const first = await s.next(isType('connection_acknowledged'));
      const second = await s.next(isType('connection_acknowledged'));
      assert.equal(first.payload.client_type, 'client');
      assert.equal(second.payload.client_type, 'admin');
      await barrier(s);
      assert.equal(s.seen(isType('connection_acknowledged')).length, 0);
      const listed = (await t.http('GET', '/api/bells/clients', { token: t.adminToken })).body.find((c: { id: string }) => c.id === first.payload.connection_id);
      assert.equal(listed.client_name, 'Office');
      assert.equal(listed.client_type, 'admin');
      s.close();
    });

    it('refuses client_type=admin for a non-admin with 4403, an unknown client_type with 4400, and no token with 4401', async () => {
      const member = await t.newUser({ role: 'member' });
      const forbidden = await t.socket(`/ws/bells?token=${member.token}&client_type=admin`);
      assert.equal((await forbidden.next(isType('error'))).payload.code, 'FORBIDDEN');
      assert.equal((await forbidden.waitClose()).code, 4403);
      const unknown = await t.socket(`/ws/bells?token=${member.token}&client_type=robot`);
      assert.equal((await unknown.next(isType('error'))).payload.code, 'BAD_HANDSHAKE');
      assert.equal((await unknown.waitClose()).code, 4400);
      const anonymous = await t.socket('/ws/bells?client_type=client');
      assert.equal((await anonymous.next(isType('error'))).payload.code, 'UNAUTHENTICATED');
      assert.equal((await anonymous.waitClose()).code, 4401);
    });

    it('answers a non-admin registering as admin with FORBIDDEN and keeps the socket', async () => {
      const member = await t.newUser({ role: 'member' });
      const s = await bellsSocket(t, { token: member.token });
      s.send({ type: 'register', payload: { client_type: 'admin' } });
      assert.equal((await s.next(isType('error'))).payload.code, 'FORBIDDEN');
      s.send({ type: 'register', payload: { client_type: 'client' } });
      await s.next(isType('connection_acknowledged'));
      s.close();
    });

    it('tells admins who joins, registers and leaves with connected_clients and system_log; a client sees neither', async () => {
      const admin = await bellsSocket(t, { token: t.adminToken, type: 'admin' });
      await admin.next(isType('connected_clients'));
      const player = await t.newDevice({ kind: 'player' });
      const hall = await bellsSocket(t, { token: player.token, name: 'Main Hall' });
      const joined = await admin.next((f) => f.type === 'connected_clients' && f.payload.clients.some((c: { client_name: string }) => c.client_name === 'Main Hall'));
      const hallId = joined.payload.clients.find((c: { client_name: string }) => c.client_name === 'Main Hall').id;
      const log = await admin.next((f) => f.type === 'system_log' && /Main Hall/.test(f.payload.message));
      assert.equal(log.payload.level, 'info');
      assert.equal(log.payload.source, 'clients');
      await barrier(hall);
      assert.equal(hall.seen(isType('connected_clients')).length, 0);
      assert.equal(hall.seen(isType('system_log')).length, 0);
      hall.close();
      const left = await admin.next((f) => f.type === 'connected_clients' && !f.payload.clients.some((c: { id: string }) => c.id === hallId));
      assert.ok(left);
      await admin.next((f) => f.type === 'system_log' && /left/.test(f.payload.message));
      admin.close();
    });
  });

  describe('sounds', () => {
    it('stores an upload with its sha256 checksum and tells every connection audio_files_updated', async () => {
      const player = await t.newDevice({ kind: 'player' });
      const s = await bellsSocket(t, { token: player.token });
      const bytes = wav(1000);
      const r = await uploadSound(t, 'Period bell', bytes);
      assert.equal(r.status, 201);
      assert.equal(r.body.checksum, createHash('sha256').update(bytes).digest('hex'));
      assert.equal(r.body.size, bytes.length);
      assert.equal(r.body.mime_type, 'audio/wav');
      assert.equal(r.body.name, 'Period bell');
      assert.match(r.body.url, /\/api\/bells\/sounds\/[0-9a-f-]+\/file$/);
      const f = await s.next(isType('audio_files_updated'));
      assert.equal(f.payload, undefined, 'no payload, as in the seed');
      assert.equal((await t.http('PATCH', `/api/bells/sounds/${r.body.id}`, { token: t.adminToken, body: { name: 'Renamed' } })).body.name, 'Renamed');
      await s.next(isType('audio_files_updated'));
      assert.equal((await t.http('DELETE', `/api/bells/sounds/${r.body.id}`, { token: t.adminToken })).status, 204);
      await s.next(isType('audio_files_updated'));
      assert.equal((await t.http('GET', `/api/bells/sounds/${r.body.id}`, { token: t.adminToken })).status, 404);
      s.close();
    });

    it('serves the bytes with a strong ETag of the checksum, 304 for If-None-Match, and takes ?token=', async () => {
      const bytes = wav(2000);
      const sound = (await uploadSound(t, 'Lunch', bytes)).body;
      const player = await t.newDevice({ kind: 'player' });
      const r = await fetch(`${t.baseUrl}/api/bells/sounds/${sound.id}/file?token=${player.token}`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('etag'), `"${sound.checksum}"`);
      assert.equal(r.headers.get('content-type'), 'audio/wav');
      assert.deepEqual(Buffer.from(await r.arrayBuffer()), bytes);
      const again = await fetch(`${t.baseUrl}/api/bells/sounds/${sound.id}/file`, { headers: { authorization: `Bearer ${player.token}`, 'if-none-match': `"${sound.checksum}"` } });
      assert.equal(again.status, 304);
      assert.equal((await fetch(`${t.baseUrl}/api/bells/sounds/${sound.id}/file`)).status, 401);
    });

    it('refuses a file that is not audio, a missing file and a non-admin with clear errors', async () => {
      const text = await uploadSound(t, 'Notes', Buffer.from('just some text, not a sound at all'), 'bell.mp3');
      assert.equal(text.status, 400);
      assert.match(text.body.message, /not audio/);
      const form = new FormData();
      form.append('name', 'Nothing');
      const missing = await t.http('POST', '/api/bells/sounds', { token: t.adminToken, body: form });
      assert.equal(missing.status, 400);
      assert.match(missing.body.message, /file/);
      const member = await t.newUser({ role: 'member' });
      assert.equal((await uploadSound(t, 'x', wav(), 'x.wav', member.token)).status, 403);
    });

    it('refuses to delete a sound a schedule item uses (409)', async () => {
      const sound = await newSound(t);
      const schedule = (await t.http('POST', '/api/bells/schedules', { token: t.adminToken, body: { name: 'Uses it', days_of_week: [1] } })).body;
      await t.http('POST', `/api/bells/schedules/${schedule.id}/items`, { token: t.adminToken, body: { name: 'P1', time: '08:00', sound_id: sound.id } });
      assert.equal((await t.http('DELETE', `/api/bells/sounds/${sound.id}`, { token: t.adminToken })).status, 409);
    });
  });

  describe('schedules', () => {
    it('creates, changes and deletes schedules and items, each time telling every connection schedules_updated', async () => {
      const s = await bellsSocket(t, { token: t.adminToken });
      const sound = await newSound(t);
      const created = await t.http('POST', '/api/bells/schedules', { token: t.adminToken, body: { name: 'Weekdays', days_of_week: [1, 2, 3, 4, 5], active: true, timezone: 'Europe/Berlin' } });
      assert.equal(created.status, 201);
      assert.deepEqual(created.body.days_of_week, [1, 2, 3, 4, 5]);
      assert.equal(created.body.timezone, 'Europe/Berlin');
      const updated = await s.next(isType('schedules_updated'));
      assert.equal(updated.payload, undefined);
      const item = await t.http('POST', `/api/bells/schedules/${created.body.id}/items`, { token: t.adminToken, body: { name: 'First Period', time: '08:00', sound_id: sound.id } });
      assert.equal(item.status, 201);
      assert.equal(item.body.time, '08:00:00');
      await s.next(isType('schedules_updated'));
      assert.equal((await t.http('PATCH', `/api/bells/items/${item.body.id}`, { token: t.adminToken, body: { time: '08:05:30' } })).body.time, '08:05:30');
      await s.next(isType('schedules_updated'));
      const read = await t.http('GET', `/api/bells/schedules/${created.body.id}`, { token: t.adminToken });
      assert.equal(read.body.items.length, 1);
      assert.equal((await t.http('PATCH', `/api/bells/schedules/${created.body.id}`, { token: t.adminToken, body: { active: false } })).body.active, false);
      await s.next(isType('schedules_updated'));
      assert.equal((await t.http('DELETE', `/api/bells/items/${item.body.id}`, { token: t.adminToken })).status, 204);
      await s.next(isType('schedules_updated'));
      assert.equal((await t.http('DELETE', `/api/bells/schedules/${created.body.id}`, { token: t.adminToken })).status, 204);
      await s.next(isType('schedules_updated'));
      s.close();
    });

    it('refuses a bad time, a bad timezone and an unknown sound with a 400 that says which', async () => {
      const sound = await newSound(t);
      const badZone = await t.http('POST', '/api/bells/schedules', { token: t.adminToken, body: { name: 'X', days_of_week: [1], timezone: 'Mars/Olympus' } });
      assert.equal(badZone.status, 400);
      assert.match(badZone.body.message, /timezone/);
      const schedule = (await t.http('POST', '/api/bells/schedules', { token: t.adminToken, body: { name: 'Y', days_of_week: [1] } })).body;
      for (const time of ['25:00', '8:00', '08:60', 'noon']) {
        const r = await t.http('POST', `/api/bells/schedules/${schedule.id}/items`, { token: t.adminToken, body: { name: 'P', time, sound_id: sound.id } });
        assert.equal(r.status, 400, time);
        assert.match(r.body.message, /time/);
      }
      const noSound = await t.http('POST', `/api/bells/schedules/${schedule.id}/items`, { token: t.adminToken, body: { name: 'P', time: '08:00', sound_id: '00000000-0000-4000-8000-000000000000' } });
      assert.equal(noSound.status, 400);
      assert.match(noSound.body.message, /sound_id/);
      const badDays = await t.http('POST', '/api/bells/schedules', { token: t.adminToken, body: { name: 'Z', days_of_week: [7] } });
      assert.equal(badDays.status, 400);
    });
  });

  describe('ringing, cancelling and the state', () => {
    it('rings by hand for everyone with scheduleItemId null, even while paused, and logs it', async () => {
      const player = await t.newDevice({ kind: 'player' });
      const s = await bellsSocket(t, { token: player.token });
      const sound = await newSound(t, 'Drill');
      assert.equal((await t.http('PUT', '/api/bells/state', { token: t.adminToken, body: { state: 'paused' } })).body.state, 'paused');
      assert.deepEqual((await s.next(isType('system_state_changed'))).payload, { state: 'paused', paused_until: null });
      const r = await t.http('POST', '/api/bells/ring', { token: t.adminToken, body: { sound_id: sound.id, name: 'Fire drill' } });
      assert.equal(r.status, 202);
      const f = await s.next(isType('bell_triggered'));
      assert.deepEqual(
        f.payload,
        { scheduleItemId: null, soundId: sound.id, name: 'Fire drill', ringId: r.body.id, kind: 'bell', zones: null },
        'the seed’s fields, and the ring’s id, kind and zones',
      );
      const log = (await t.http('GET', '/api/bells/rings', { token: t.adminToken })).body;
      assert.equal(log[0].name, 'Fire drill');
      assert.equal(log[0].manual, true);
      assert.equal((await t.http('GET', '/api/bells/state', { token: player.token })).body.state, 'paused');
      await t.http('PUT', '/api/bells/state', { token: t.adminToken, body: { state: 'active' } });
      assert.deepEqual((await s.next(isType('system_state_changed'))).payload, { state: 'active', paused_until: null });
      assert.equal((await t.http('PUT', '/api/bells/state', { token: t.adminToken, body: { state: 'sleeping' } })).status, 400);
      s.close();
    });

    it('cancels an occurrence and tells everyone bell_cancelled', async () => {
      const s = await bellsSocket(t, { token: t.adminToken });
      const sound = await newSound(t);
      const schedule = (await t.http('POST', '/api/bells/schedules', { token: t.adminToken, body: { name: 'Daily', days_of_week: [0, 1, 2, 3, 4, 5, 6] } })).body;
      const item = (await t.http('POST', `/api/bells/schedules/${schedule.id}/items`, { token: t.adminToken, body: { name: 'Assembly', time: '10:00', sound_id: sound.id } })).body;
      const r = await t.http('POST', `/api/bells/items/${item.id}/cancel`, { token: t.adminToken, body: { date: '2030-01-07' } });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { schedule_item_id: item.id, date: '2030-01-07' });
      const f = await s.next(isType('bell_cancelled'));
      assert.equal(f.payload.scheduleItemId, item.id);
      const next = await t.http('POST', `/api/bells/items/${item.id}/cancel`, { token: t.adminToken, body: {} });
      assert.match(next.body.date, /^\d{4}-\d{2}-\d{2}$/);
      assert.equal((await t.http('POST', `/api/bells/items/${item.id}/cancel`, { token: t.adminToken, body: { date: '7 Jan' } })).status, 400);
      s.close();
    });

    it('lets only admins write', async () => {
      const player = await t.newDevice({ kind: 'player' });
      assert.equal((await t.http('POST', '/api/bells/schedules', { token: player.token, body: { name: 'X', days_of_week: [1] } })).status, 403);
      assert.equal((await t.http('PUT', '/api/bells/state', { token: player.token, body: { state: 'paused' } })).status, 403);
      assert.equal((await t.http('GET', '/api/bells/schedules', { token: player.token })).status, 200);
    });
  });
});
