import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BellsScheduler } from '../../src/bells/bells-scheduler.service';
import { FakeClock } from '../support/fake-clock';
import { TestApp } from '../support/test-app';
import { TestSocket } from '../support/ws-client';
import { barrier, bellsSocket, isType, newSound } from './bells-world';

const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];

async function settle(t: TestApp, s: TestSocket): Promise<void> {
  await t.get(BellsScheduler).idle();
  await barrier(s);
}

async function schedule(t: TestApp, body: Record<string, unknown>, items: Array<{ name: string; time: string; sound_id: string }>) {
  const sched = (await t.http('POST', '/api/bells/schedules', { token: t.adminToken, body })).body;
  const created = [];
  for (const i of items) created.push((await t.http('POST', `/api/bells/schedules/${sched.id}/items`, { token: t.adminToken, body: i })).body);
  return { schedule: sched, items: created };
}

describe('bell scheduler (injected clock)', () => {
  let t: TestApp;
  let player: TestSocket;
  let soundId: string;
  before(async () => {
    // Friday 6 March 2026, 07:59:58 in New York (EST, UTC-5).
    // The clock jumps months ahead: keep the admin's token valid throughout.
    t = await TestApp.start({ clock: new FakeClock(new Date('2026-03-06T12:59:58Z')), env: { JWT_ACCESS_TTL: '100000000' } });
    soundId = (await newSound(t)).id;
    const device = await t.newDevice({ kind: 'player' });
    player = await bellsSocket(t, { token: device.token, name: 'Hall' });
  });
  after(() => t.stop());

  it('rings at the second of its wall-clock time in the schedule’s zone, not a millisecond before', async () => {
    const { items } = await schedule(t, { name: 'NY weekdays', days_of_week: [1, 2, 3, 4, 5], timezone: 'America/New_York' }, [{ name: 'First Period', time: '08:00', sound_id: soundId }]);
    await player.next(isType('schedules_updated'));
    t.clock.set(new Date('2026-03-06T12:59:59.999Z'));
    await settle(t, player);
    assert.equal(player.seen(isType('bell_triggered')).length, 0);
    t.clock.set(new Date('2026-03-06T13:00:00.000Z'));
    const f = await player.next(isType('bell_triggered'));
    assert.match(f.payload.ringId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(f.payload, { scheduleItemId: items[0].id, soundId, name: 'First Period', ringId: f.payload.ringId, kind: 'bell', zones: null });
    const ring = (await t.http('GET', '/api/bells/rings', { token: t.adminToken })).body.find((r: { schedule_item_id: string }) => r.schedule_item_id === items[0].id);
    assert.equal(ring.scheduled_for, '2026-03-06T13:00:00.000Z');
    assert.equal(ring.occurrence_date, '2026-03-06');
    assert.equal(ring.outcome, 'rang');
    // Saturday is not a school day.
    t.clock.set(new Date('2026-03-07T12:59:59Z'));
    t.clock.advance(2000);
    await settle(t, player);
    assert.equal(player.seen(isType('bell_triggered')).length, 0);
    await t.http('PATCH', `/api/bells/schedules/${items[0].schedule_id}`, { token: t.adminToken, body: { active: false } });
  });

  it('follows daylight saving time: before and after the change, a time in the spring gap, a time that happens twice in autumn', async () => {
    const { items } = await schedule(t, { name: 'Berlin', days_of_week: ALL_DAYS, timezone: 'Europe/Berlin' }, [
      { name: 'Morning', time: '08:00', sound_id: soundId },
      { name: 'Night', time: '02:30', sound_id: soundId },
    ]);
    const [morning, night] = items;
    const ringAt = async (beforeIso: string, expectId: string) => {
      t.clock.set(new Date(Date.parse(beforeIso) - 1000));
      await settle(t, player);
      assert.equal(player.seen(isType('bell_triggered')).length, 0, `nothing before ${beforeIso}`);
      t.clock.set(new Date(beforeIso));
      assert.equal((await player.next(isType('bell_triggered'))).payload.scheduleItemId, expectId, beforeIso);
    };
    // Saturday 28 March: CET, 08:00 = 07:00Z.
    await ringAt('2026-03-28T07:00:00Z', morning.id);
    // Sunday 29 March: 02:00 jumps to 03:00; 02:30 rings at the first moment after the gap (03:30 CEST = 01:30Z).
    await ringAt('2026-03-29T01:30:00Z', night.id);
    // 08:00 CEST = 06:00Z.
    await ringAt('2026-03-29T06:00:00Z', morning.id);
    // Sunday 25 October: 02:30 happens twice; it rings once, at the first (00:30Z).
    await ringAt('2026-10-25T00:30:00Z', night.id);
    t.clock.set(new Date('2026-10-25T01:30:01Z'));
    await settle(t, player);
    assert.equal(player.seen(isType('bell_triggered')).length, 0, 'not again in the repeated hour');
    await t.http('PATCH', `/api/bells/schedules/${morning.schedule_id}`, { token: t.adminToken, body: { active: false } });
  });

  it('does not ring while paused, and a paused occurrence does not ring late after resuming', async () => {
    t.clock.set(new Date('2026-11-02T07:59:00Z'));
    const { items } = await schedule(t, { name: 'UTC', days_of_week: ALL_DAYS, timezone: 'UTC' }, [{ name: 'Paused bell', time: '08:00', sound_id: soundId }]);
    await t.http('PUT', '/api/bells/state', { token: t.adminToken, body: { state: 'paused' } });
    t.clock.set(new Date('2026-11-02T08:00:00Z'));
    await settle(t, player);
    assert.equal(player.seen(isType('bell_triggered')).length, 0);
    await t.http('PUT', '/api/bells/state', { token: t.adminToken, body: { state: 'active' } });
    t.clock.set(new Date('2026-11-02T08:01:00Z'));
    await settle(t, player);
    assert.equal(player.seen(isType('bell_triggered')).length, 0);
    const ring = (await t.http('GET', '/api/bells/rings', { token: t.adminToken })).body.find((r: { schedule_item_id: string }) => r.schedule_item_id === items[0].id);
    assert.equal(ring.outcome, 'paused');
    await t.http('PATCH', `/api/bells/schedules/${items[0].schedule_id}`, { token: t.adminToken, body: { active: false } });
  });

  it('does not ring on a holiday, nor a cancelled occurrence, and rings the day after', async () => {
    t.clock.set(new Date('2026-12-01T09:00:00Z'));
    const { items } = await schedule(t, { name: 'Dec', days_of_week: ALL_DAYS, timezone: 'UTC' }, [{ name: 'Dec bell', time: '10:00', sound_id: soundId }]);
    await t.http('POST', '/api/bells/holidays', { token: t.adminToken, body: { name: 'Founders day', date: '2026-12-01' } });
    const cancel = await t.http('POST', `/api/bells/items/${items[0].id}/cancel`, { token: t.adminToken, body: {} });
    assert.equal(cancel.body.date, '2026-12-02', 'the next occurrence skips the holiday');
    await player.next(isType('bell_cancelled'));
    for (const day of ['2026-12-01', '2026-12-02']) {
      t.clock.set(new Date(`${day}T10:00:00Z`));
      await settle(t, player);
      assert.equal(player.seen(isType('bell_triggered')).length, 0, day);
    }
    t.clock.set(new Date('2026-12-03T10:00:00Z'));
    assert.equal((await player.next(isType('bell_triggered'))).payload.scheduleItemId, items[0].id);
    await t.http('PATCH', `/api/bells/schedules/${items[0].schedule_id}`, { token: t.adminToken, body: { active: false } });
  });

  it('does not ring late a bell whose time had passed when it was made', async () => {
    t.clock.set(new Date('2026-12-10T10:00:30Z'));
    const { items } = await schedule(t, { name: 'Late', days_of_week: ALL_DAYS, timezone: 'UTC' }, [{ name: 'Just passed', time: '10:00', sound_id: soundId }]);
    await settle(t, player);
    assert.equal(player.seen(isType('bell_triggered')).length, 0);
    await t.http('PATCH', `/api/bells/schedules/${items[0].schedule_id}`, { token: t.adminToken, body: { active: false } });
  });

  it('lists the day’s remaining bells with their sound checksums', async () => {
    t.clock.set(new Date('2026-12-14T09:30:00Z'));
    const sound = await newSound(t, 'Upcoming');
    await schedule(t, { name: 'Upcoming', days_of_week: ALL_DAYS, timezone: 'UTC' }, [
      { name: 'Past', time: '09:00', sound_id: sound.id },
      { name: 'Soon', time: '10:00', sound_id: sound.id },
      { name: 'Later', time: '11:15:30', sound_id: sound.id },
    ]);
    const r = await t.http('GET', '/api/bells/upcoming?date=2026-12-14', { token: t.adminToken });
    assert.equal(r.status, 200);
    const mine = r.body.bells.filter((b: { sound: { id: string } }) => b.sound?.id === sound.id);
    assert.deepEqual(
      mine.map((b: { name: string }) => b.name),
      ['Soon', 'Later'],
    );
    assert.equal(mine[1].at, '2026-12-14T11:15:30.000Z');
    assert.equal(mine[0].sound.checksum, sound.checksum);
    assert.equal(r.body.server_time, '2026-12-14T09:30:00.000Z');
  });
});

describe('bell scheduler across restarts', () => {
  it('rings an occurrence once, not again after a restart', async () => {
    const clock = new FakeClock(new Date('2026-03-06T12:59:59Z'));
    const first = await TestApp.start({ clock });
    const soundId = (await newSound(first)).id;
    await schedule(first, { name: 'Once', days_of_week: ALL_DAYS, timezone: 'UTC' }, [{ name: 'Once', time: '13:00', sound_id: soundId }]);
    const s1 = await bellsSocket(first, { token: first.adminToken });
    clock.set(new Date('2026-03-06T13:00:00Z'));
    await s1.next(isType('bell_triggered'));
    await first.stop({ keepDatabase: true });
    clock.set(new Date('2026-03-06T13:00:20Z'));
    const second = await TestApp.start({ clock, database: first.database });
    try {
      const s2 = await bellsSocket(second, { token: second.adminToken });
      await settle(second, s2);
      assert.equal(s2.seen(isType('bell_triggered')).length, 0);
      const rings = (await second.http('GET', '/api/bells/rings', { token: second.adminToken })).body.filter((r: { name: string }) => r.name === 'Once');
      assert.equal(rings.length, 1);
    } finally {
      await second.stop();
    }
  });

  it('rings late, within the grace, an occurrence that came due while it was stopped; one past the grace is written as missed', async () => {
    const clock = new FakeClock(new Date('2026-03-06T12:59:50Z'));
    const first = await TestApp.start({ clock, env: { BELLS_LATE_GRACE_MS: '300000' } });
    const soundId = (await newSound(first)).id;
    await schedule(first, { name: 'Restart', days_of_week: ALL_DAYS, timezone: 'UTC' }, [
      { name: 'Within grace', time: '13:00', sound_id: soundId },
      { name: 'Past grace', time: '12:59:55', sound_id: soundId },
    ]);
    // The first instance has scanned up to 12:59:50 before it stops (on a loaded machine its first run may still be pending).
    await first.get(BellsScheduler).idle();
    await first.stop({ keepDatabase: true });
    // Down from 12:59:50 to 13:04:58: "Within grace" (13:00:00) is 4 min 58 s late, "Past grace" 5 min 3 s.
    clock.set(new Date('2026-03-06T13:04:58Z'));
    const second = await TestApp.start({ clock, database: first.database, env: { BELLS_LATE_GRACE_MS: '300000' } });
    try {
      await second.get(BellsScheduler).idle();
      const rings = (await second.http('GET', '/api/bells/rings', { token: second.adminToken })).body;
      const late = rings.find((r: { name: string }) => r.name === 'Within grace');
      assert.ok(late, 'the bell in the grace rang');
      assert.equal(late.outcome, 'rang');
      assert.equal(late.scheduled_for, '2026-03-06T13:00:00.000Z');
      assert.equal(late.at, '2026-03-06T13:04:58.000Z');
      const past = rings.filter((r: { name: string }) => r.name === 'Past grace');
      assert.deepEqual(
        past.map((r: { outcome: string }) => r.outcome),
        ['missed'],
        'past the grace: not rung, written as missed',
      );
    } finally {
      await second.stop();
    }
  });
});
