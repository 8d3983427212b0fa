import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TicketsService } from '../../src/queue/tickets.service';
import { TestApp } from '../support/test-app';
import { Frame } from '../support/ws-client';
import { isType, QueueWorld } from './queue-world';

const isSystemError = (f: Frame) => f.type === 'SYSTEM_ALERT' && f.payload.alert_type === 'system_error';

describe('queue: system_error is for failures inside the server, never for bad input', () => {
  let t: TestApp;
  let w: QueueWorld;

  before(async () => {
    t = await TestApp.start({ env: { QUEUE_STATS_INTERVAL_MS: '3600000' } });
    w = new QueueWorld(t);
  });
  after(() => t.stop());

  it('answers out-of-range ids and dates with ERROR or 400/404, and admins hear no alert', async () => {
    const counter = await w.counter();
    const admin = await w.client(t.adminToken, 'admin', 'admin-watching-bad-input');
    const kiosk = await w.client((await t.newDevice({ kind: 'kiosk' })).token, 'kiosk', 'kiosk-bad-input');
    await w.ticket(t.adminToken, counter.id);

    kiosk.send({ type: 'TICKET_CREATED', payload: { counter_id: 2147483648 } });
    assert.ok(['COUNTER_NOT_FOUND', 'INVALID_MESSAGE'].includes((await kiosk.next(isType('ERROR'))).payload.error_code), 'past int4 is invalid or not found');
    kiosk.send({ type: 'TICKET_CREATED', payload: { counter_id: 1e20 } });
    assert.ok(['COUNTER_NOT_FOUND', 'INVALID_MESSAGE'].includes((await kiosk.next(isType('ERROR'))).payload.error_code));
    admin.send({ type: 'CALL_TICKET', payload: { counter_id: counter.id, ticket_number: 2147483648 } });
    const err = (await admin.next(isType('ERROR'))).payload;
    assert.ok(['TICKET_NOT_FOUND', 'INVALID_MESSAGE'].includes(err.error_code), err.error_code);
    assert.doesNotMatch(err.message, /integer|out of range for type|syntax/i, 'no database words');

    const rest: Array<[string, string, object | undefined, number[]]> = [
      ['GET', '/api/queue/tickets/99999999999999999999', undefined, [400, 404]],
      ['GET', '/api/queue/tickets?day=2024-13-45', undefined, [400]],
      ['POST', '/api/queue/tickets', { counter_id: 2147483648 }, [400, 404]],
      ['GET', '/api/queue/counters/2147483648', undefined, [400, 404]],
      ['POST', '/api/queue/counters/2147483648/call-next', {}, [400, 404]],
      ['GET', '/api/queue/procedures/99999999999', undefined, [400, 404]],
    ];
    for (const [method, path, body, statuses] of rest) {
      const r = await t.http(method, path, { token: t.adminToken, body });
      assert.ok(statuses.includes(r.status), `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      assert.doesNotMatch(JSON.stringify(r.body), /out of range for type|invalid input syntax|date\/time field/i, `${path} leaks database text`);
    }
    await w.sync(admin);
    assert.equal(admin.seen(isSystemError).length, 0, JSON.stringify(admin.seen(isSystemError)));
  });

  it('raises system_error for a message that fails inside the server, naming the action once, and again only after the action worked in between', async () => {
    const counter = await w.counter();
    const admin = await w.client(t.adminToken, 'admin', 'admin-watching-failures');
    await w.ticket(t.adminToken, counter.id);
    const tickets = t.app.get(TicketsService);
    const real = tickets.call.bind(tickets);
    const broken = async () => {
      throw new Error('the disk is on fire');
    };
    tickets.call = broken;
    try {
      for (let i = 0; i < 2; i++) {
        admin.send({ type: 'CALL_TICKET', payload: { counter_id: counter.id } });
        const err = (await admin.next(isType('ERROR'))).payload;
        assert.equal(err.error_code, 'INVALID_MESSAGE', 'the seed has no server-error code');
        assert.doesNotMatch(err.message, /disk/, 'the cause is logged, not sent');
      }
      const alert = await admin.next(isSystemError);
      assert.equal(alert.payload.message, 'queue callTicket failed inside the server');
      assert.equal(alert.payload.counter_id, counter.id);
      await w.sync(admin);
      assert.equal(admin.seen(isSystemError).length, 0, 'once until it works again');

      tickets.call = real;
      admin.send({ type: 'CALL_TICKET', payload: { counter_id: counter.id } });
      await admin.next(isType('TICKET_ANNOUNCEMENT'));
      tickets.call = broken;
      admin.send({ type: 'CALL_TICKET', payload: { counter_id: counter.id } });
      await admin.next(isType('ERROR'));
      assert.equal((await admin.next(isSystemError)).payload.message, 'queue callTicket failed inside the server', 'raised again after it worked');
    } finally {
      tickets.call = real;
    }
  });
});

describe('queue: each app keeps its own clock', () => {
  it('stamps ERROR frames with the clock of the app that sent them, with two apps in one process', async () => {
    const early = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const late = new FakeClock(new Date('2027-06-01T12:00:00Z'));
    const a = await TestApp.start({ clock: early });
    const b = await TestApp.start({ clock: late });
    try {
      for (const [t, clock] of [
        [a, early],
        [b, late],
      ] as const) {
        const s = await t.socket('/ws/queue');
        s.send({ type: 'CALL_TICKET', payload: { counter_id: 1 } });
        assert.equal((await s.next(isType('ERROR'))).payload.timestamp, clock.date().toISOString());
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
