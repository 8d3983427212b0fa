import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp } from '../support/test-app';
import { Frame, TestSocket } from '../support/ws-client';
import { barrier, bellsSocket, isType, newSound, schedule } from './bells-world';

const rang = (ringId: string) => (f: Frame) => f.type === 'bell_triggered' && f.payload?.ringId === ringId;

describe('bells zones, proof of ringing and the calendar (injected clock)', () => {
  let t: TestApp;
  let soundId: string;
  let admin: TestSocket;
  before(async () => {
    // Monday 9 March 2026, 07:00 UTC.
    t = await TestApp.start({ clock: new FakeClock(new Date('2026-03-09T07:00:00Z')), env: { JWT_ACCESS_TTL: '100000000' } });
    soundId = (await newSound(t)).id;
    admin = await bellsSocket(t, { token: t.adminToken, type: 'admin' });
  });
  after(() => t.stop());

  it('sends a zone ring to that zone’s players (and to players with no zone) only, a test ring to one player only, and an emergency to everyone as an override, logged apart', async () => {
    const [gymDev, fieldDev, legacyDev] = [await t.newDevice({ kind: 'player' }), await t.newDevice({ kind: 'player' }), await t.newDevice({ kind: 'player' })];
    const gym = await bellsSocket(t, { token: gymDev.token, name: 'Gym', zone: 'gym' });
    const field = await bellsSocket(t, { token: fieldDev.token, name: 'Field', zone: 'field' });
    const legacy = await bellsSocket(t, { token: legacyDev.token, name: 'Old hall' });

    const zoneRing = await t.http('POST', '/api/bells/ring', { token: t.adminToken, body: { sound_id: soundId, zone: 'gym', name: 'Gym bell' } });
    assert.equal(zoneRing.status, 202, JSON.stringify(zoneRing.body));
    const f = await gym.next(rang(zoneRing.body.id));
    assert.deepEqual(f.payload, { scheduleItemId: null, soundId, name: 'Gym bell', ringId: zoneRing.body.id, kind: 'bell', zones: ['gym'] });
    await legacy.next(rang(zoneRing.body.id));
    await admin.next(rang(zoneRing.body.id));
    await barrier(field);
    assert.equal(field.seen(rang(zoneRing.body.id)).length, 0, 'the field is another zone');

    const test = await t.http('POST', '/api/bells/ring', { token: t.adminToken, body: { sound_id: soundId, kind: 'test', player_id: `device:${fieldDev.id}` } });
    assert.equal(test.status, 202, JSON.stringify(test.body));
    assert.equal((await field.next(rang(test.body.id))).payload.kind, 'test');
    await admin.next(rang(test.body.id));
    await Promise.all([barrier(gym), barrier(legacy)]);
    assert.equal(gym.seen(rang(test.body.id)).length + legacy.seen(rang(test.body.id)).length, 0, 'a one-player test reaches that player only');

    const emergency = await t.http('POST', '/api/bells/ring', { token: t.adminToken, body: { sound_id: soundId, kind: 'emergency', name: 'Evacuate' } });
    for (const s of [gym, field, legacy]) assert.equal((await s.next(rang(emergency.body.id))).payload.override, true);
    const log = await admin.next((fr) => fr.type === 'system_log' && fr.payload.source === 'emergency');
    assert.equal(log.payload.level, 'warning');
    const emergencies = (await t.http('GET', '/api/bells/rings?kind=emergency', { token: t.adminToken })).body;
    assert.deepEqual(
      emergencies.map((r: { id: string }) => r.id),
      [emergency.body.id],
    );
    assert.match(emergencies[0].rung_by, /^user:[0-9a-f-]{36} /, 'who rang it is recorded');
    assert.equal((await t.http('POST', '/api/bells/ring', { token: t.adminToken, body: { sound_id: soundId, player_id: 'device:nobody' } })).status, 400);
    for (const s of [gym, field, legacy]) s.close();
    // Retired, so later rings do not report them offline.
    for (const d of [gymDev, fieldDev, legacyDev]) assert.equal((await t.http('DELETE', `/api/bells/players/device:${d.id}`, { token: t.adminToken })).status, 204);
  });

  it('reports per ring which players played it, which did not acknowledge and which were offline, and alerts admins about the offline one', async () => {
    const [aDev, bDev, cDev] = [await t.newDevice({ kind: 'player' }), await t.newDevice({ kind: 'player' }), await t.newDevice({ kind: 'player' })];
    const acking = await bellsSocket(t, { token: aDev.token, name: 'Acking', zone: 'north' });
    const silent = await bellsSocket(t, { token: bDev.token, name: 'Silent', zone: 'north' });
    const gone = await bellsSocket(t, { token: cDev.token, name: 'Library', zone: 'north' });
    gone.close();
    await gone.waitClose();
    await admin.next((fr) => fr.type === 'system_log' && /Library" left/.test(fr.payload.message));

    const ring = await t.http('POST', '/api/bells/ring', { token: t.adminToken, body: { sound_id: soundId, zone: 'north' } });
    const frame = await acking.next(rang(ring.body.id));
    acking.send({ type: 'bell_ack', payload: { ring_id: frame.payload.ringId } });
    await barrier(acking);
    await silent.next(rang(ring.body.id));
    const alert = await admin.next((fr) => fr.type === 'system_log' && fr.payload.source === 'delivery');
    assert.equal(alert.payload.level, 'warning');
    assert.match(alert.payload.message, /Library \(north\)/);

    const report = await t.http('GET', `/api/bells/rings/${ring.body.id}`, { token: t.adminToken });
    assert.equal(report.status, 200);
    const byName = Object.fromEntries(report.body.players.map((p: { name: string; status: string }) => [p.name, p.status]));
    assert.deepEqual(byName, { Acking: 'played', Silent: 'no_ack', Library: 'offline' });
    assert.deepEqual(report.body.summary, { targeted: 3, played: 1, failed: 0, no_ack: 1, offline: 1 });
    assert.ok(report.body.players.find((p: { name: string }) => p.name === 'Acking').acked_at);

    acking.send({ type: 'bell_ack', payload: { ring_id: '00000000-0000-4000-8000-000000000000' } });
    assert.equal((await acking.next(isType('error'))).payload.code, 'INVALID_MESSAGE');
    admin.send({ type: 'bell_ack', payload: { ring_id: ring.body.id } });
    assert.equal((await admin.next(isType('error'))).payload.code, 'FORBIDDEN');
    acking.close();
    silent.close();
    // Forget these players so later bells do not report them offline.
    for (const d of [aDev, bDev, cDev]) assert.equal((await t.http('DELETE', `/api/bells/players/device:${d.id}`, { token: t.adminToken })).status, 204);
  });

  it('pauses until a given time and resumes by itself, recording who paused', async () => {
    const until = new Date(t.clock.now() + 30 * 60_000).toISOString();
    const paused = await t.http('PUT', '/api/bells/state', { token: t.adminToken, body: { state: 'paused', until } });
    assert.equal(paused.status, 200, JSON.stringify(paused.body));
    assert.equal(paused.body.paused_until, until);
    assert.match(paused.body.changed_by, /^user:/);
    assert.deepEqual((await admin.next(isType('system_state_changed'))).payload, { state: 'paused', paused_until: until });
    assert.equal((await t.http('PUT', '/api/bells/state', { token: t.adminToken, body: { state: 'paused', until: '2020-01-01T00:00:00Z' } })).status, 400);
    t.clock.set(Date.parse(until));
    assert.deepEqual((await admin.next(isType('system_state_changed'))).payload, { state: 'active', paused_until: null });
    const state = (await t.http('GET', '/api/bells/state', { token: t.adminToken })).body;
    assert.equal(state.state, 'active');
    assert.equal(state.changed_by, 'scheduler');
  });

  it('takes a cancellation back: bell_uncancelled, and the occurrence rings after all', async () => {
    const now = t.clock.now();
    const at = new Date(now + 10 * 60_000).toISOString().slice(11, 16);
    const { id, items } = await schedule(t, [{ name: 'Second Period', time: at, sound_id: soundId }]);
    const date = new Date(now).toISOString().slice(0, 10);
    assert.equal((await t.http('POST', `/api/bells/items/${items[0].id}/cancel`, { token: t.adminToken, body: { date } })).status, 200);
    await admin.next(isType('bell_cancelled'));
    const cancellations = (await t.http('GET', '/api/bells/cancellations', { token: t.adminToken })).body;
    assert.match(cancellations.find((c: { schedule_item_id: string }) => c.schedule_item_id === items[0].id).cancelled_by, /^user:/);
    assert.equal((await t.http('DELETE', `/api/bells/items/${items[0].id}/cancellations/${date}`, { token: t.adminToken })).status, 204);
    assert.deepEqual((await admin.next(isType('bell_uncancelled'))).payload, { scheduleItemId: items[0].id, date });
    assert.equal((await t.http('DELETE', `/api/bells/items/${items[0].id}/cancellations/${date}`, { token: t.adminToken })).status, 404);
    t.clock.set(Date.parse(`${date}T${at}:00Z`));
    await admin.next((f) => f.type === 'bell_triggered' && f.payload.scheduleItemId === items[0].id);
    await t.http('PATCH', `/api/bells/schedules/${id}`, { token: t.adminToken, body: { active: false } });
  });

  it('runs an exam-day override: the upcoming list and the players’ pre-warm show the exam bells, with sound checksums', async () => {
    const date = new Date(t.clock.now()).toISOString().slice(0, 10);
    const s = await schedule(t, [{ name: 'Late Period', time: '23:00', sound_id: soundId }]);
    const exam = await t.http('POST', `/api/bells/schedules/${s.id}/day-types`, { token: t.adminToken, body: { name: 'Exam day' } });
    assert.equal(exam.status, 201, JSON.stringify(exam.body));
    const examItem = await t.http('POST', `/api/bells/schedules/${s.id}/items`, { token: t.adminToken, body: { name: 'Exam ends', time: '22:30', sound_id: soundId, day_type_id: exam.body.id } });
    const dev = await t.newDevice({ kind: 'player' });
    const player = await bellsSocket(t, { token: dev.token, name: 'Hall' });
    const first = await player.next((f) => f.type === 'bells_prewarm' && f.payload.bells.some((b: { scheduleItemId: string }) => b.scheduleItemId === s.items[0].id));
    assert.ok(!first.payload.bells.some((b: { scheduleItemId: string }) => b.scheduleItemId === examItem.body.id), 'a regular day: no exam bells');

    const o = await t.http('POST', `/api/bells/schedules/${s.id}/overrides`, { token: t.adminToken, body: { name: 'Finals', date, day_type_id: exam.body.id } });
    assert.equal(o.status, 201, JSON.stringify(o.body));
    const warm = await player.next((f) => f.type === 'bells_prewarm' && f.payload.bells.some((b: { scheduleItemId: string }) => b.scheduleItemId === examItem.body.id));
    const b = warm.payload.bells.find((x: { scheduleItemId: string }) => x.scheduleItemId === examItem.body.id);
    assert.equal(b.checksum.length, 64);
    assert.equal(b.soundId, soundId);
    assert.ok(!warm.payload.bells.some((x: { scheduleItemId: string }) => x.scheduleItemId === s.items[0].id), 'the regular bells do not ring on an exam day');

    const up = (await t.http('GET', `/api/bells/upcoming?date=${date}`, { token: t.adminToken })).body;
    const mine = up.bells.filter((x: { schedule_id: string }) => x.schedule_id === s.id).map((x: { name: string }) => x.name);
    assert.deepEqual(mine, ['Exam ends']);
    const days = (await t.http('GET', `/api/bells/days?from=${date}&to=${date}`, { token: t.adminToken })).body;
    assert.equal(days[0].schedules.find((x: { schedule_id: string }) => x.schedule_id === s.id).day, 'Exam day');
    player.close();
    await t.http('PATCH', `/api/bells/schedules/${s.id}`, { token: t.adminToken, body: { active: false } });
  });
});
