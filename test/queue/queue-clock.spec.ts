import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { QueueAlertsService } from '../../src/queue/queue-alerts.service';
import { QueueRolloverService } from '../../src/queue/queue-rollover.service';
import { FakeClock } from '../support/fake-clock';
import { TestApp } from '../support/test-app';
import { ofCounter, QueueWorld } from './queue-world';

const MINUTE = 60_000;

describe('queue daily rollover (injected clock)', () => {
  // 23:59:00 on 8 March in Asia/Ho_Chi_Minh (UTC+7).
  const clock = new FakeClock(new Date('2026-03-08T16:59:00Z'));
  let t: TestApp;
  let w: QueueWorld;

  before(async () => {
    t = await TestApp.start({ clock, env: { JWT_ACCESS_TTL: '2592000', QUEUE_COUNTER_OFFLINE_MS: String(24 * 60 * MINUTE) } });
    w = new QueueWorld(t);
  });
  after(async () => {
    await t.stop();
    await t.database.destroy();
  });

  it('expires waiting tickets at local midnight, restarts numbering and refreshes every display, once per day', async () => {
    const kiosk = await t.newDevice({ kind: 'kiosk' });
    const counter = await w.counter();
    for (let i = 0; i < 3; i++) await w.ticket(kiosk.token, counter.id);
    await t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: t.adminToken, body: {} });
    const display = await t.newDevice({ kind: 'display' });
    const tv = await w.client(display.token, 'tv', 'tv-midnight');
    const before = await tv.next(ofCounter('QUEUE_UPDATE', counter.id));
    assert.deepEqual([before.payload.current_number, before.payload.waiting_count], [1, 2]);

    clock.set(new Date('2026-03-08T17:00:01Z')); // 00:00:01 on 9 March, local
    const fresh = await tv.next((f) => ofCounter('QUEUE_UPDATE', counter.id)(f) && f.payload.waiting_count === 0);
    assert.deepEqual(fresh.payload, {
      counter_id: counter.id,
      current_number: null,
      waiting_count: 0,
      next_numbers: [],
      average_wait_time: 0,
      current_display_number: null,
      next_display_numbers: [],
    });

    const yesterday = await t.http('GET', `/api/queue/tickets?counter_id=${counter.id}&day=2026-03-08`, { token: t.adminToken });
    assert.deepEqual(
      yesterday.body.map((x: { ticket_number: number; status: string }) => [x.ticket_number, x.status]),
      [
        [1, 'called'],
        [2, 'expired'],
        [3, 'expired'],
      ],
    );
    const first = await w.ticket(kiosk.token, counter.id);
    assert.equal(first.ticket_number, 1);
    assert.equal((await t.http('GET', `/api/queue/tickets/${first.id}`, { token: t.adminToken })).body.day, '2026-03-09');

    // The day is claimed once: again, or after a restart, it does not run; racing claims of a day run once.
    const rollover = t.get(QueueRolloverService);
    assert.equal((await rollover.rollOver('2026-03-09')).ran, false);
    await t.stop({ keepDatabase: true });
    t = await TestApp.start({ clock, database: t.database, env: { JWT_ACCESS_TTL: '2592000', QUEUE_COUNTER_OFFLINE_MS: String(24 * 60 * MINUTE) } });
    w = new QueueWorld(t);
    const still = await t.http('GET', `/api/queue/tickets/${first.id}`, { token: t.adminToken });
    assert.equal(still.body.status, 'waiting', 'a restart on the same day expires nothing');
    assert.equal((await w.ticket(kiosk.token, counter.id)).ticket_number, 2, 'numbering goes on after a restart');
    const racing = await Promise.all([1, 2, 3].map(() => t.get(QueueRolloverService).rollOver('2026-03-10')));
    assert.equal(racing.filter((r) => r.ran).length, 1);
    const rows = await t.get(DataSource).query(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM queue_rollovers ORDER BY day`);
    assert.deepEqual(
      rows.map((r: { day: string }) => r.day),
      ['2026-03-08', '2026-03-09', '2026-03-10'],
    );
  });
});

describe('queue alerts (injected clock)', () => {
  const clock = new FakeClock(new Date('2026-03-09T02:00:00Z'));
  let t: TestApp;
  let w: QueueWorld;

  before(async () => {
    t = await TestApp.start({ clock, env: { JWT_ACCESS_TTL: '2592000', QUEUE_COUNTER_OFFLINE_MS: String(5 * MINUTE), QUEUE_HIGH_THRESHOLD: '3' } });
    w = new QueueWorld(t);
  });
  after(() => t.stop());

  it('raises counter_offline once when an active counter has had no officer for the configured time, again after an officer came and went', async () => {
    const admin = await w.client(t.adminToken, 'admin', 'admin-alerts-offline');
    const counter = await w.counter();
    const isOffline = (f: Record<string, any>) => f.type === 'SYSTEM_ALERT' && f.payload.alert_type === 'counter_offline' && f.payload.counter_id === counter.id;
    clock.advance(5 * MINUTE - 1000);
    await w.sync(admin);
    assert.equal(admin.seen(isOffline).length, 0, 'not before the time');
    clock.advance(1000);
    const alert = await admin.next(isOffline);
    assert.equal(alert.payload.severity, 'critical');
    assert.match(alert.payload.message, /no officer/);
    assert.equal(alert.payload.timestamp, clock.date().toISOString());
    clock.advance(10 * MINUTE);
    await w.sync(admin);
    assert.equal(admin.seen(isOffline).length, 0, 'not repeated until it clears');

    const officer = await w.officer(counter.id);
    const off = await w.client(officer.token, 'officer', 'officer-alerts');
    clock.advance(10 * MINUTE);
    await w.sync(admin);
    assert.equal(admin.seen(isOffline).length, 0, 'an officer is connected');
    off.close();
    await admin.next((f) => f.type === 'CLIENT_DISCONNECTED' && f.payload.client_id === 'officer-alerts');
    // The check the officer's leaving started notes the time it left; on a slow database it may still be queued.
    await t.get(QueueAlertsService).idle();
    clock.advance(5 * MINUTE);
    await admin.next(isOffline);

    // A paused counter is not expected to have an officer.
    await t.http('PUT', `/api/queue/counters/${counter.id}/status`, { token: t.adminToken, body: { status: 'paused' } });
    clock.advance(10 * MINUTE);
    await w.sync(admin);
    assert.equal(admin.seen(isOffline).length, 0);
  });

  it('raises high_queue at the threshold, once, and again after the queue went below it', async () => {
    const admin = await w.client(t.adminToken, 'admin', 'admin-alerts-high');
    const counter = await w.counter();
    const officer = await w.officer(counter.id);
    await w.client(officer.token, 'officer', 'officer-high');
    const kiosk = await t.newDevice({ kind: 'kiosk' });
    const isHigh = (f: Record<string, any>) => f.type === 'SYSTEM_ALERT' && f.payload.alert_type === 'high_queue' && f.payload.counter_id === counter.id;
    await w.ticket(kiosk.token, counter.id);
    await w.ticket(kiosk.token, counter.id);
    await w.sync(admin);
    assert.equal(admin.seen(isHigh).length, 0);
    await w.ticket(kiosk.token, counter.id);
    const alert = await admin.next(isHigh);
    assert.equal(alert.payload.severity, 'warning');
    await w.ticket(kiosk.token, counter.id);
    await admin.next((f) => ofCounter('QUEUE_UPDATE', counter.id)(f) && f.payload.waiting_count === 4);
    await w.sync(admin);
    assert.equal(admin.seen(isHigh).length, 0, 'not repeated while it lasts');
    await t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: officer.token, body: {} });
    await t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: officer.token, body: {} });
    await admin.next((f) => ofCounter('QUEUE_UPDATE', counter.id)(f) && f.payload.waiting_count === 2);
    await w.ticket(kiosk.token, counter.id);
    await admin.next(isHigh);
  });

  it('estimates the wait from the counter’s measured service time, falling back to the procedure’s average', async () => {
    const proc = await w.procedure({ average_service_time: 7 });
    const counter = await w.counter({ procedures: [proc.id] });
    const kiosk = await t.newDevice({ kind: 'kiosk' });
    await w.ticket(kiosk.token, counter.id);
    assert.equal((await w.ticket(kiosk.token, counter.id)).estimated_wait_time, 7, 'one ahead × the procedure’s 7 minutes');
    const called = await t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: t.adminToken, body: {} });
    clock.advance(3 * MINUTE);
    await t.http('POST', `/api/queue/tickets/${called.body.id}/complete`, { token: t.adminToken });
    // Measured now: 3 minutes a visitor. Tickets 2 and 3 wait ahead of ticket 4.
    await w.ticket(kiosk.token, counter.id);
    assert.equal((await w.ticket(kiosk.token, counter.id)).estimated_wait_time, 6, 'two ahead × 3 measured minutes');
    const stats = await t.http('GET', '/api/queue/stats', { token: t.adminToken });
    assert.equal(stats.status, 200);
    const mine = stats.body.counters.find((c: { id: number }) => c.id === counter.id);
    assert.equal(mine.waiting_count, 3);
    assert.equal(typeof stats.body.total_tickets_today, 'number');
    assert.ok(stats.body.busiest_counter);
  });
});
