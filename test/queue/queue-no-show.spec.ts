import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp } from '../support/test-app';
import { isType, QueueWorld } from './queue-world';

const MINUTE = 60_000;

describe('queue no-show, recall and expiry (injected clock)', () => {
  // 09:00 local (UTC+7) on 9 March.
  const clock = new FakeClock(new Date('2026-03-09T02:00:00Z'));
  let t: TestApp;
  let w: QueueWorld;

  before(async () => {
    t = await TestApp.start({ clock, env: { JWT_ACCESS_TTL: '2592000', QUEUE_NO_SHOW_MINUTES: '3', QUEUE_NO_SHOW_RECALLS: '2', QUEUE_COUNTER_OFFLINE_MS: String(24 * 60 * MINUTE) } });
    w = new QueueWorld(t);
  });
  after(() => t.stop());

  it('marks a called ticket no-show only after QUEUE_NO_SHOW_MINUTES, recalls it QUEUE_NO_SHOW_RECALLS times, then expires it', async () => {
    const s = await w.procedure({ prefix: 'N' });
    const counter = await w.counter({ name: 'Quầy 5', procedures: [s.id] });
    const officer = await w.officer(counter.id);
    const tv = await w.client((await t.newDevice({ kind: 'display' })).token, 'tv', 'tv-no-show');
    const visitor = (await t.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { counter_id: counter.id } })).body;
    const next = (await t.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { counter_id: counter.id } })).body;
    const act = (what: string) => t.http('POST', `/api/queue/tickets/${visitor.id}/${what}`, { token: officer.token });

    assert.equal((await t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: officer.token, body: {} })).body.id, visitor.id);
    assert.equal((await tv.next(isType('TICKET_ANNOUNCEMENT'))).payload.display_number, 'N001');

    for (let recall = 1; recall <= 2; recall++) {
      clock.advance(2 * MINUTE + 59_000);
      const early = await act('no-show');
      assert.deepEqual([early.status, early.body.details?.queue_error], [409, 'INVALID_MESSAGE']);
      assert.match(early.body.message, /1 s from now/);
      clock.advance(1000);
      const missed = await act('no-show');
      assert.deepEqual([missed.status, missed.body.status, missed.body.no_show_recalls], [200, 'skipped', recall - 1]);

      const again = await act('recall');
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.deepEqual([again.body.status, again.body.no_show_recalls, again.body.called_at], ['called', recall, new Date(clock.now()).toISOString()]);
      const announced = await tv.next(isType('TICKET_ANNOUNCEMENT'));
      assert.deepEqual([announced.payload.display_number, announced.payload.counter_id], ['N001', counter.id]);
    }

    // The recalls are used up: the next no-show expires the ticket, and it cannot be called again.
    clock.advance(3 * MINUTE);
    const expired = await act('no-show');
    assert.deepEqual([expired.body.status, expired.body.no_show_recalls, expired.body.finished_at], ['expired', 2, new Date(clock.now()).toISOString()]);
    const refused = await act('recall');
    assert.equal(refused.status, 409);
    const byNumber = await t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: officer.token, body: { display_number: 'N001' } });
    assert.deepEqual([byNumber.status, byNumber.body.details.queue_error], [404, 'TICKET_NOT_FOUND']);
    // The line moves on to the next visitor, and the report counts the no-show once.
    assert.equal((await t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: officer.token, body: {} })).body.id, next.id);
    const report = await t.http('GET', '/api/queue/reports?from=2026-03-09&to=2026-03-09&group_by=counter', { token: t.adminToken });
    const row = report.body.rows.find((r: { key: string }) => r.key === String(counter.id));
    assert.deepEqual([row.issued, row.no_shows], [2, 1]);
    tv.close();
  });

  it('refuses a no-show for a ticket that is not called, and a recall of a ticket that was never called', async () => {
    const counter = await w.counter();
    const ticket = await w.ticket(t.adminToken, counter.id);
    assert.equal((await t.http('POST', `/api/queue/tickets/${ticket.id}/no-show`, { token: t.adminToken })).status, 409);
    assert.equal((await t.http('POST', `/api/queue/tickets/${ticket.id}/recall`, { token: t.adminToken })).status, 409);
    // skip (the officer's own decision) needs no wait and withdraws a waiting ticket.
    assert.equal((await t.http('POST', `/api/queue/tickets/${ticket.id}/skip`, { token: t.adminToken })).body.status, 'skipped');
  });
});
