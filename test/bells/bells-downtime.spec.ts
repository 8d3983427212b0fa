import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BellsScheduler } from '../../src/bells/bells-scheduler.service';
import { FakeClock } from '../support/fake-clock';
import { TestApp, TestDatabase } from '../support/test-app';
import { newSound, schedule } from './bells-world';

describe('bells after downtime (injected clock)', () => {
  it('writes bells that came due while no instance ran as missed, and still rings one within the late grace', async () => {
    const clock = new FakeClock(new Date('2026-03-09T07:00:00Z'));
    const database = await TestDatabase.create();
    const env = { JWT_ACCESS_TTL: '100000000', BELLS_LATE_GRACE_MS: '300000' };
    let t = await TestApp.start({ clock, database, env });
    try {
      const soundId = (await newSound(t)).id;
      const { items } = await schedule(t, [
        { name: 'Eight', time: '08:00', sound_id: soundId },
        { name: 'Half past', time: '08:30', sound_id: soundId },
        { name: 'Nearly nine', time: '08:57', sound_id: soundId },
      ]);
      await t.get(BellsScheduler).idle();
      await t.stop({ keepDatabase: true });
      clock.set(new Date('2026-03-09T09:00:00Z'));
      t = await TestApp.start({ clock, database, env });
      await t.get(BellsScheduler).idle();
      const rings = (await t.http('GET', '/api/bells/rings', { token: t.adminToken })).body;
      const outcome = (id: string) => rings.find((r: { schedule_item_id: string }) => r.schedule_item_id === id)?.outcome;
      assert.equal(outcome(items[0].id), 'missed');
      assert.equal(outcome(items[1].id), 'missed');
      assert.equal(outcome(items[2].id), 'rang', 'three minutes late is within the grace');
      // A second instance (or a restart) never writes them twice.
      await t.stop({ keepDatabase: true });
      t = await TestApp.start({ clock, database, env });
      await t.get(BellsScheduler).idle();
      const again = (await t.http('GET', '/api/bells/rings', { token: t.adminToken })).body;
      assert.equal(again.filter((r: { schedule_item_id: string }) => items.some((i) => i.id === r.schedule_item_id)).length, 3);
    } finally {
      await t.stop();
      await database.destroy();
    }
  });
});
