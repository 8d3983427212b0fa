import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestApp } from '../support/test-app';
import { isType, ofCounter, QueueWorld } from './queue-world';

const SECOND = 1000;

describe('queue services: prefixes, pooled lines, priority, postpone and transfer', () => {
  let t: TestApp;
  let w: QueueWorld;

  before(async () => {
    t = await TestApp.start({ env: { JWT_ACCESS_TTL: '2592000', QUEUE_PRIORITY_CLASSES: 'elderly,disabled,pregnant,appointment:3', QUEUE_PRIORITY_MAX_RUN: '3' } });
    w = new QueueWorld(t);
  });
  after(() => t.stop());

  const issue = async (body: Record<string, unknown>, token = t.adminToken) => {
    t.clock.advance(SECOND); // visitors arrive one after another
    const r = await t.http('POST', '/api/queue/tickets', { token, body });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  const callNext = (counterId: number, token = t.adminToken, body: Record<string, unknown> = {}) => t.http('POST', `/api/queue/counters/${counterId}/call-next`, { token, body });
  const order = async (query: string) => (await t.http('GET', `/api/queue/tickets?status=waiting&${query}`, { token: t.adminToken })).body.map((x: { display_number: string }) => x.display_number);

  it('numbers tickets per service with its prefix, lets any counter offering a service call its pooled tickets, and shows the display number', async () => {
    const a = await w.procedure({ prefix: 'A', name: 'Cấp giấy phép' });
    const b = await w.procedure({ prefix: 'B', name: 'Chứng thực' });
    const x = await w.counter({ name: 'Quầy 1', procedures: [a.id] });
    const y = await w.counter({ name: 'Quầy 2', procedures: [a.id, b.id] });
    const z = await w.counter({ name: 'Quầy 3', procedures: [b.id] });
    const display = await t.newDevice({ kind: 'display' });
    const tv = await w.client(display.token, 'tv', 'tv-services');

    const a1 = await issue({ service_id: a.id });
    assert.deepEqual([a1.display_number, a1.ticket_number, a1.counter_id, a1.pooled, a1.service_id, a1.counter_name], ['A001', 1, null, true, a.id, 'Quầy 1, Quầy 2']);
    const created = await tv.next(isType('TICKET_CREATED'));
    assert.deepEqual([created.payload.display_number, created.payload.counter_id, created.payload.service_id, created.payload.priority_class], ['A001', null, a.id, null]);
    const a2 = await issue({ service_id: a.id });
    const b1 = await issue({ counter_id: y.id, service_id: b.id }); // a counter-specific ticket of service B
    const b2 = await issue({ service_id: b.id }); // pooled B: same service, same sequence
    const a3 = await issue({ counter_id: x.id }); // X's only service is A: numbered in A's sequence
    assert.deepEqual([a2.display_number, b1.display_number, b2.display_number, a3.display_number], ['A002', 'B001', 'B002', 'A003']);
    assert.deepEqual([b1.counter_id, b1.pooled, a3.counter_id, a3.pooled], [y.id, false, x.id, false]);

    // Each counter's line: its own tickets and the pooled ones of its services, in order of arrival.
    const lineOf = async (id: number, waiting: number) => (await tv.next((f) => ofCounter('QUEUE_UPDATE', id)(f) && f.payload.waiting_count === waiting)).payload;
    assert.deepEqual((await lineOf(x.id, 3)).next_display_numbers, ['A001', 'A002', 'A003']);
    assert.deepEqual((await lineOf(y.id, 4)).next_display_numbers, ['A001', 'A002', 'B001']);
    assert.deepEqual((await lineOf(z.id, 1)).next_display_numbers, ['B002']);

    const first = await callNext(y.id);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual([first.body.display_number, first.body.counter_id, first.body.announcement.display_number], ['A001', y.id, 'A001']);
    assert.equal(first.body.announcement.announcement_text, 'Mời khách hàng số A001 đến quầy Quầy 2');
    const announced = await tv.next(isType('TICKET_ANNOUNCEMENT'));
    assert.deepEqual([announced.payload.display_number, announced.payload.ticket_number, announced.payload.service_id], ['A001', 1, a.id]);
    // A pooled ticket leaves the line of every counter offering its service.
    const shows = (id: number, next: string[]) => tv.next((f) => ofCounter('QUEUE_UPDATE', id)(f) && JSON.stringify(f.payload.next_display_numbers) === JSON.stringify(next));
    assert.equal((await shows(x.id, ['A002', 'A003'])).payload.waiting_count, 2);
    assert.equal((await shows(y.id, ['A002', 'B001', 'B002'])).payload.current_display_number, 'A001');

    assert.equal((await callNext(x.id)).body.display_number, 'A002');
    assert.equal((await callNext(x.id)).body.display_number, 'A003');
    assert.equal((await callNext(z.id)).body.display_number, 'B002', 'B001 belongs to Quầy 2 alone');
    const empty = await callNext(z.id);
    assert.deepEqual([empty.status, empty.body.details.queue_error], [409, 'QUEUE_EMPTY']);
    assert.equal((await callNext(y.id, t.adminToken, { display_number: 'b001' })).body.display_number, 'B001');

    // Over the socket: a kiosk asks for a service without a counter.
    const kiosk = await w.client((await t.newDevice({ kind: 'kiosk' })).token, 'kiosk', 'kiosk-services');
    kiosk.send({ type: 'TICKET_CREATED', payload: { service_id: a.id, priority_class: 'elderly' } });
    const reply = await kiosk.next(isType('TICKET_CREATED'));
    assert.deepEqual([reply.payload.display_number, reply.payload.counter_id, reply.payload.priority_class], ['A004', null, 'elderly']);
    kiosk.send({ type: 'TICKET_CREATED', payload: { priority_class: 'elderly' } });
    assert.equal((await kiosk.next(isType('ERROR'))).payload.error_code, 'INVALID_MESSAGE');

    // A kiosk bound to a counter issues only there; a prefix is capital letters and unique.
    const bound = await t.newDevice({ kind: 'kiosk', counter_id: x.id });
    assert.equal((await t.http('POST', '/api/queue/tickets', { token: bound.token, body: { service_id: a.id } })).status, 403);
    assert.equal((await t.http('POST', '/api/queue/procedures', { token: t.adminToken, body: { name: 'Khác', average_service_time: 5, prefix: 'A' } })).status, 409);
    assert.equal((await t.http('POST', '/api/queue/procedures', { token: t.adminToken, body: { name: 'Khác', average_service_time: 5, prefix: 'a1' } })).status, 400);
    const orphan = await w.procedure({ prefix: 'Q' });
    assert.equal((await t.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { service_id: orphan.id } })).status, 400, 'no counter offers it');
    tv.close();
    kiosk.close();
  });

  it('calls pooled tickets from two counters at once: no ticket twice, and always the oldest waiting one', async () => {
    const p = await w.procedure({ prefix: 'P' });
    const c1 = await w.counter({ procedures: [p.id] });
    const c2 = await w.counter({ procedures: [p.id] });
    const o1 = await w.officer(c1.id);
    const o2 = await w.officer(c2.id);
    const leader = await t.newUser({ role: 'leader' });
    const n = 30;
    const issued: number[] = [];
    for (let i = 0; i < n; i++) issued.push((await issue({ service_id: p.id })).id);

    // Four callers at once, two per counter, each calling one after another.
    const callers = [
      { counter: c1.id, token: o1.token },
      { counter: c1.id, token: t.adminToken },
      { counter: c2.id, token: o2.token },
      { counter: c2.id, token: leader.token },
    ];
    const round = (calls: number) =>
      Promise.all(
        callers.map(async (c) => {
          const got: Array<{ status: number; id?: number; counter_id?: number; queue_error?: string }> = [];
          for (let i = 0; i < calls; i++) {
            const r = await callNext(c.counter, c.token);
            got.push({ status: r.status, id: r.body.id, counter_id: r.body.counter_id, queue_error: r.body.details?.queue_error });
          }
          return got;
        }),
      );
    const first = await round(6);
    const called = first.flat();
    assert.ok(
      called.every((r) => r.status === 200),
      JSON.stringify(called.filter((r) => r.status !== 200)),
    );
    const ids = called.map((r) => r.id!);
    assert.equal(new Set(ids).size, 24, 'no ticket was called twice');
    // Oldest first: the 24 calls took exactly the 24 oldest tickets, and each caller got them in order.
    assert.deepEqual(
      [...ids].sort((x, y) => x - y),
      issued.slice(0, 24),
    );
    for (const got of first) {
      const seq = got.map((r) => issued.indexOf(r.id!));
      assert.deepEqual(
        seq,
        [...seq].sort((x, y) => x - y),
      );
    }
    for (const [i, got] of first.entries()) assert.ok(got.every((r) => r.counter_id === callers[i].counter));

    const rest = (await round(3)).flat();
    const ok = rest.filter((r) => r.status === 200);
    assert.equal(ok.length, 6);
    assert.deepEqual(
      ok.map((r) => r.id!).sort((x, y) => x - y),
      issued.slice(24),
    );
    assert.ok(rest.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.queue_error === 'QUEUE_EMPTY'));
    const tickets = (await t.http('GET', `/api/queue/tickets?service_id=${p.id}&limit=500`, { token: t.adminToken })).body;
    assert.equal(tickets.length, n);
    assert.ok(tickets.every((x: { counter_id: number; called_at: string | null }) => [c1.id, c2.id].includes(x.counter_id) && x.called_at !== null));
  });

  it('calls priority classes chosen at the kiosk in the documented order', async () => {
    const s = await w.procedure();
    const counter = await w.counter({ procedures: [s.id] });
    const n1 = await issue({ counter_id: counter.id });
    const ap = await issue({ counter_id: counter.id, priority_class: 'appointment' });
    const n2 = await issue({ counter_id: counter.id });
    const el = await issue({ counter_id: counter.id, priority_class: 'elderly' });
    const n3 = await issue({ counter_id: counter.id });
    const n4 = await issue({ counter_id: counter.id });
    assert.equal((await t.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { counter_id: counter.id, priority_class: 'vip' } })).status, 400);
    // elderly goes ahead; the appointment after three normal calls.
    const calls: number[] = [];
    for (let i = 0; i < 6; i++) calls.push((await callNext(counter.id)).body.id);
    assert.deepEqual(calls, [el.id, n1.id, n2.id, n3.id, ap.id, n4.id]);
  });

  it('postpones a ticket K places back, and transfers it first, last or by its original time with a note', async () => {
    const s = await w.procedure();
    const here = await w.counter({ procedures: [s.id] });
    const there = await w.counter({ procedures: [s.id] });
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push(await issue({ counter_id: here.id }));
    const postpone = (id: number, body: Record<string, unknown> = {}) => t.http('POST', `/api/queue/tickets/${id}/postpone`, { token: t.adminToken, body });

    const p1 = await postpone(mine[0].id, { places: 2 });
    assert.deepEqual([p1.status, p1.body.status], [200, 'waiting']);
    assert.deepEqual(await order(`counter_id=${here.id}`), ['2', '3', '1', '4', '5']);
    // A called visitor who is not ready: back QUEUE_POSTPONE_PLACES (3) places.
    assert.equal((await callNext(here.id)).body.ticket_number, 2);
    assert.equal((await postpone(mine[1].id)).body.called_at, null);
    assert.deepEqual(await order(`counter_id=${here.id}`), ['3', '1', '4', '2', '5']);
    assert.equal((await postpone(mine[2].id, { places: 10 })).status, 200);
    assert.deepEqual(await order(`counter_id=${here.id}`), ['1', '4', '2', '5', '3']);

    const theirs = [];
    for (let i = 0; i < 3; i++) theirs.push(await issue({ counter_id: there.id }));
    const transfer = (id: number, body: Record<string, unknown>) => t.http('POST', `/api/queue/tickets/${id}/transfer`, { token: t.adminToken, body });
    const firstIn = await transfer(mine[4].id, { counter_id: there.id, placement: 'first', note: 'Cần <b>bản sao</b> trước' });
    assert.equal(firstIn.status, 200, JSON.stringify(firstIn.body));
    assert.deepEqual([firstIn.body.ticket_number, firstIn.body.note, firstIn.body.counter_id], [5, 'Cần bản sao trước', there.id]);
    assert.equal((await transfer(mine[3].id, { counter_id: there.id, placement: 'last' })).status, 200);
    assert.equal((await transfer(mine[2].id, { counter_id: there.id })).status, 200); // by original time: issued before all of theirs
    assert.deepEqual(await order(`counter_id=${there.id}`), ['3', '5', '1', '2', '3', '4']);

    // To a service: the ticket joins that service's pooled line.
    const other = await w.procedure();
    const otherDesk = await w.counter({ procedures: [other.id] });
    const pooled = await transfer(mine[0].id, { service_id: other.id, placement: 'last' });
    assert.deepEqual([pooled.body.pooled, pooled.body.counter_id, pooled.body.service_id, pooled.body.ticket_number], [true, null, other.id, 1]);
    assert.equal((await callNext(otherDesk.id)).body.id, pooled.body.id);
    assert.equal((await transfer(mine[1].id, { counter_id: there.id, service_id: other.id })).status, 400);
  });
});
