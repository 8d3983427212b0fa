import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp } from '../support/test-app';
import { QueueWorld } from './queue-world';

interface T {
  id: number;
  counter_id: number;
  procedure_name: string | null;
  status: string;
  created_at: string;
  called_at: string | null;
  serving_at: string | null;
  finished_at: string | null;
  transferred_from_ticket_id: number | null;
}

const secs = (a: string, b: string) => (Date.parse(a) - Date.parse(b)) / 1000;

/** Linear interpolation between ranks, the definition the reports document. */
function p90(values: number[]): number | null {
  if (!values.length) return null;
  const a = [...values].sort((x, y) => x - y);
  const pos = 0.9 * (a.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return a[lo] + (a[hi] - a[lo]) * (pos - lo);
}
const round = (v: number | null) => (v === null ? null : Math.round(v));
const avg = (v: number[]) => (v.length ? v.reduce((s, x) => s + x, 0) / v.length : null);

/** The report's figures for one group, computed here from the ticket list, not by the server's SQL. */
function expected(rows: T[], key: string, name: string, by: 'service' | 'counter' | 'officer') {
  const waits = rows.filter((r) => r.called_at && r.status !== 'transferred').map((r) => secs(r.called_at!, r.created_at));
  const services = rows.filter((r) => r.status === 'completed' && r.called_at).map((r) => secs(r.finished_at!, r.serving_at ?? r.called_at!));
  return {
    key,
    name,
    issued: by === 'officer' ? waits.length : rows.filter((r) => r.transferred_from_ticket_id === null).length,
    served: rows.filter((r) => r.status === 'completed').length,
    no_shows: rows.filter((r) => r.status === 'skipped').length,
    avg_wait_s: round(avg(waits)),
    p90_wait_s: round(p90(waits)),
    max_wait_s: waits.length ? round(Math.max(...waits)) : null,
    avg_service_s: round(avg(services)),
    p90_service_s: round(p90(services)),
    within_target: waits.length ? Math.round((waits.filter((w) => w <= 15 * 60).length / waits.length) * 1000) / 1000 : null,
  };
}

describe('queue reports', () => {
  // 08:00 on 9 March 2026 in Asia/Ho_Chi_Minh.
  const clock = new FakeClock(new Date('2026-03-09T01:00:00Z'));
  let t: TestApp;
  let w: QueueWorld;

  before(async () => {
    t = await TestApp.start({ clock, env: { JWT_ACCESS_TTL: '2592000', QUEUE_COUNTER_OFFLINE_MS: String(24 * 3600_000), QUEUE_STATS_INTERVAL_MS: '3600000' } });
    w = new QueueWorld(t);
  });
  after(() => t.stop());

  it('reports a generated morning per service, counter and officer exactly as computed from its tickets, also as CSV', async () => {
    const permits = await w.procedure({ name: 'Cấp giấy phép', average_service_time: 10 });
    const copies = await w.procedure({ name: 'Chứng thực', average_service_time: 5 });
    const counters = [await w.counter({ procedures: [permits.id] }), await w.counter({ procedures: [permits.id] }), await w.counter({ procedures: [copies.id] })];
    const officers = [];
    for (const c of counters) officers.push(await w.officer(c.id));
    const kiosk = await t.newDevice({ kind: 'kiosk' });

    // A seeded, repeatable morning: arrivals, calls, services, no-shows and one transfer.
    let seed = 17;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const current = new Map<number, number>();
    let transferred = false;
    for (let step = 0; step < 60; step++) {
      clock.advance(Math.floor(20 + rnd() * 240) * 1000);
      const i = Math.floor(rnd() * 3);
      const c = counters[i];
      const r = rnd();
      if (r < 0.5) {
        await w.ticket(kiosk.token, c.id);
      } else if (r < 0.8) {
        const called = await t.http('POST', `/api/queue/counters/${c.id}/call-next`, { token: officers[i].token, body: {} });
        if (called.status === 200) current.set(c.id, called.body.id);
      } else if (current.has(c.id)) {
        const id = current.get(c.id)!;
        const action = r < 0.87 ? 'serve' : r < 0.94 ? 'complete' : 'skip';
        await t.http('POST', `/api/queue/tickets/${id}/${action}`, { token: officers[i].token });
        if (action !== 'serve') current.delete(c.id);
      }
      if (step === 30 && !transferred) {
        const waiting = await t.http('GET', `/api/queue/tickets?counter_id=${counters[0].id}&status=waiting`, { token: t.adminToken });
        if (waiting.body.length) {
          assert.equal((await t.http('POST', `/api/queue/tickets/${waiting.body[0].id}/transfer`, { token: t.adminToken, body: { counter_id: counters[1].id } })).status, 200);
          transferred = true;
        }
      }
    }
    assert.ok(transferred, 'the morning includes a transfer');

    const all: T[] = (await t.http('GET', `/api/queue/tickets?day=2026-03-09&limit=500`, { token: t.adminToken })).body;
    const mine = all.filter((x) => counters.some((c) => c.id === x.counter_id));
    assert.ok(mine.filter((x) => x.status === 'completed').length >= 3, 'enough served tickets to be a real test');

    const get = async (by: string) => {
      const r = await t.http('GET', `/api/queue/reports?from=2026-03-09&to=2026-03-09&group_by=${by}`, { token: t.adminToken });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };
    const byService = await get('service');
    assert.equal(byService.target_wait_minutes, 15);
    for (const p of [permits, copies]) {
      const got = byService.rows.find((row: { key: string }) => row.key === p.name);
      assert.deepEqual(
        got,
        expected(
          mine.filter((x) => x.procedure_name === p.name),
          p.name,
          p.name,
          'service',
        ),
        p.name,
      );
    }
    const byCounter = await get('counter');
    for (const c of counters) {
      const got = byCounter.rows.find((row: { key: string }) => row.key === String(c.id));
      assert.deepEqual(
        got,
        expected(
          mine.filter((x) => x.counter_id === c.id),
          String(c.id),
          c.name,
          'counter',
        ),
        c.name,
      );
    }
    // Each officer calls only at their own counter; the admin's transfer calls nothing.
    const byOfficer = await get('officer');
    for (const [i, o] of officers.entries()) {
      const name = o.name;
      const got = byOfficer.rows.find((row: { key: string }) => row.key === name);
      const calledHere = mine.filter((x) => x.counter_id === counters[i].id && x.called_at);
      assert.deepEqual(got, expected(calledHere, name, name, 'officer'), name);
    }

    const csv = await fetch(`${t.baseUrl}/api/queue/reports?from=2026-03-09&to=2026-03-09&group_by=counter&format=csv`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    assert.equal(lines[0], 'key,name,issued,served,no_shows,avg_wait_s,p90_wait_s,max_wait_s,avg_service_s,p90_service_s,within_target');
    assert.equal(lines.length, byCounter.rows.length + 1);
    const first = byCounter.rows[0];
    assert.equal(
      lines[1],
      [first.key, first.name, first.issued, first.served, first.no_shows, first.avg_wait_s, first.p90_wait_s, first.max_wait_s, first.avg_service_s, first.p90_service_s, first.within_target]
        .map((v) => (v === null ? '' : String(v)))
        .join(','),
    );
  });

  it('refuses a range that is not one, and lets only leaders, managers and admins read reports', async () => {
    for (const q of ['from=2026-03-09&to=2026-03-08', 'from=2026-02-30&to=2026-03-01', 'from=2025-01-01&to=2026-03-01', 'from=2026-03-09', 'from=2026-03-09&to=2026-03-09&group_by=weather']) {
      const r = await t.http('GET', `/api/queue/reports?${q}`, { token: t.adminToken });
      assert.equal(r.status, 400, `${q}: ${JSON.stringify(r.body)}`);
    }
    const officer = await t.newUser({ role: 'officer' });
    assert.equal((await t.http('GET', '/api/queue/reports?from=2026-03-09&to=2026-03-09', { token: officer.token })).status, 403);
    const leader = await t.newUser({ role: 'leader' });
    assert.equal((await t.http('GET', '/api/queue/reports?from=2026-03-09&to=2026-03-09', { token: leader.token })).status, 200);
  });
});
