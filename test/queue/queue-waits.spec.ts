import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp } from '../support/test-app';
import { Frame } from '../support/ws-client';
import { QueueWorld } from './queue-world';

const MINUTE = 60_000;

describe('queue alerts: max_wait and counter_idle (injected clock)', () => {
  const clock = new FakeClock(new Date('2026-03-09T02:00:00Z'));
  let t: TestApp;
  let w: QueueWorld;

  before(async () => {
    t = await TestApp.start({
      clock,
      env: { JWT_ACCESS_TTL: '2592000', QUEUE_COUNTER_OFFLINE_MS: String(24 * 60 * MINUTE), QUEUE_MAX_WAIT_MINUTES: '30', QUEUE_COUNTER_IDLE_MINUTES: '10', QUEUE_STATS_INTERVAL_MS: '3600000' },
    });
    w = new QueueWorld(t);
  });
  after(() => t.stop());

  it('raises counter_idle when a counter with waiting tickets calls nobody, once, and again after it called and idled anew', async () => {
    const admin = await w.client(t.adminToken, 'admin', 'admin-idle');
    const counter = await w.counter();
    const isIdle = (f: Frame) => f.type === 'SYSTEM_ALERT' && f.payload.alert_type === 'counter_idle' && f.payload.counter_id === counter.id;
    await w.ticket(t.adminToken, counter.id);
    await w.ticket(t.adminToken, counter.id);
    clock.advance(10 * MINUTE - 1000);
    await w.sync(admin);
    assert.equal(admin.seen(isIdle).length, 0, 'not before the time');
    clock.advance(1000);
    const alert = await admin.next(isIdle);
    assert.equal(alert.payload.severity, 'warning');
    assert.equal(alert.payload.timestamp, clock.date().toISOString());
    clock.advance(5 * MINUTE);
    await w.sync(admin);
    assert.equal(admin.seen(isIdle).length, 0, 'not repeated while it lasts');

    // A call clears it; ten more idle minutes with a ticket still waiting raise it again.
    await t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: t.adminToken, body: {} });
    clock.advance(9 * MINUTE);
    await w.sync(admin);
    assert.equal(admin.seen(isIdle).length, 0);
    clock.advance(MINUTE);
    await admin.next(isIdle);

    // No ticket waiting: an idle counter is not news.
    await t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: t.adminToken, body: {} });
    clock.advance(30 * MINUTE);
    await w.sync(admin);
    assert.equal(admin.seen(isIdle).length, 0);
  });

  it('raises max_wait when a ticket has waited past the target, once, and again after the queue caught up', async () => {
    const admin = await w.client(t.adminToken, 'admin', 'admin-max-wait');
    const counter = await w.counter();
    const isMax = (f: Frame) => f.type === 'SYSTEM_ALERT' && f.payload.alert_type === 'max_wait' && f.payload.counter_id === counter.id;
    await w.ticket(t.adminToken, counter.id);
    clock.advance(20 * MINUTE);
    await w.ticket(t.adminToken, counter.id);
    clock.advance(10 * MINUTE - 1000);
    await w.sync(admin);
    assert.equal(admin.seen(isMax).length, 0);
    clock.advance(1000);
    assert.match((await admin.next(isMax)).payload.message, /more than 30 min/);
    // The first ticket is called; the second has waited only 10 minutes: cleared.
    await t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: t.adminToken, body: {} });
    clock.advance(19 * MINUTE);
    await w.sync(admin);
    assert.equal(admin.seen(isMax).length, 0, 'the next ticket is within the target');
    clock.advance(MINUTE);
    await admin.next(isMax);
  });
});
